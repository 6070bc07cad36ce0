// The joint intake's rules worth testing alone: which joint materials still
// block acceptance, and the request that receives the whole 一件事.
import type { Answer } from './intake'

export interface JointMaterial {
  identity: string; name: string; necessity: string; copies: number
  needed_by: { task_code: string; task_name: string; material_id: string }[]
}

export interface JointMember {
  case_id: string | null; number: string; task_code: string; item_name: string; department_name: string
  stage: string; stage_label: string; due_on: string | null; correction_items: string[]; result: string | null
}

export interface JointDto {
  id: string; number: string; bundle_code: string; bundle_name: string; applicant_name: string
  received_at: string; query_code: string | null; summary: string
  members: JointMember[]; not_needed: { task_code: string; task_name: string; reason: string }[]
}

type Ticks = Record<string, { way: string; promised_on: string } | undefined>

/** Joint materials that keep the bundle from being accepted (the server's `blocks_acceptance`). */
export function blockedMaterials(materials: JointMaterial[], ticks: Ticks): JointMaterial[] {
  return materials.filter((m) => {
    const way = ticks[m.identity]?.way ?? 'missing'
    if (m.necessity === '必要') return way === 'missing' || way === 'deferred'
    if (m.necessity === '容缺') return way === 'missing'
    return false
  })
}

export interface JointForm {
  bundle: string; windowId: string; ticketId: string | null
  members: { task_code: string; answers: Record<string, Answer> }[]
  applicant: { kind: string; name: string; cert_no: string; phone: string; legal_rep: string }
  agent: { name: string; id_no: string } | null
  ticks: Ticks; materials: JointMaterial[]; outcome: 'accept' | 'correct'; others: string
}

/** The request receiving the bundle: each member's answers, each joint paper once. */
export function jointBody(f: JointForm): Record<string, unknown> {
  return {
    bundle: f.bundle,
    window_id: f.windowId,
    ticket_id: f.ticketId,
    members: f.members.map((m) => ({ item: m.task_code, answers: m.answers })),
    applicant: { ...f.applicant, legal_rep: f.applicant.legal_rep || null },
    agent: f.agent ? { name: f.agent.name, id_no: f.agent.id_no } : null,
    materials: f.materials.map((m) => ({
      identity: m.identity,
      way: f.ticks[m.identity]?.way ?? 'missing',
      promised_on: f.ticks[m.identity]?.promised_on || null,
    })),
    outcome: f.outcome,
    other_problems: f.others.split('\n').filter((l) => l.trim()),
  }
}

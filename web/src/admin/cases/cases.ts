// What the 办件 page shows and asks: stage tabs and which fields each action
// needs (the server checks them again). The words of actions, moves and
// documents come with the case (`Choice`).

/** A button the server offers, with its words. */
export interface Choice { code: string; label: string; done: string }

export interface CaseSummary {
  id: string; number: string; item_name: string; applicant_name: string; department_name: string
  stage: string; stage_label: string; received_at: string; due_on: string | null; warning: string | null
  flags: string[]; flag_labels: string[]
}

export interface CaseMaterial {
  material_id: string; name: string; necessity: string; way: string; way_label: string
  handover: string; handover_label: string; promised_on: string | null; moves: string[]; move_choices: Choice[]
}

export interface Case extends CaseSummary {
  status: number; status_label: string; handling_item: string; applicant_cert: string; contact_phone: string
  source: string; ticket_number: string | null; bundle_code: string | null; bundle_id: string | null; limit_days: number; limit_unit: string; paused_days: number
  warning_label: string | null; result: string | null; certificate_name: string | null; certificate_no: string | null
  correction_items: string[]; actions: string[]; documents: string[]
  action_choices: Choice[]; document_choices: Choice[]
  /** The licence the matter issues, while 办结 is open: 准予 asks for its name and number. */
  licence: string | null
  materials: CaseMaterial[]
  form: { name: string; value: string }[]
  form_fields: { name: string; required: boolean; material_ids: string[]; known: boolean; filled: boolean }[]
  result_file: { name: string; size: number; uploaded_at: string; uploaded_by_name: string } | null
  flags: string[]; flag_labels: string[]
  steps: { seq: number; at: string; stage_label: string; status_label: string; actor_name: string; opinion: string; special_kind: string | null }[]
}

export interface Sheet {
  id: string; number: string; department_name: string; created_at: string; created_by_name: string
  signed_at: string | null; signed_by_name: string | null; returned_at: string | null; overdue: boolean
  cases: { id: string; number: string; item_name: string; applicant_name: string; stage_label: string; paper: number; returned_at: string | null; return_reason: string | null }[]
}

/** Where a sheet stands, in words: signed, all sent back, or waiting (with how many were sent back). */
export function sheetState(s: Sheet): { text: string; type: 'success' | 'info' | 'warning' | 'danger' } {
  if (s.signed_at) return { text: '已签收', type: 'success' }
  if (s.returned_at) return { text: '已全部退回', type: 'info' }
  const back = s.cases.filter((c) => c.returned_at).length
  const text = (s.overdue ? '超时未签收' : '待签收') + (back ? `（已退回 ${back} 件）` : '')
  return { text, type: s.overdue ? 'danger' : 'warning' }
}

/** The 办件 page's tabs: `only` shows a tab to the front desk or the department;
 *  `counted` tabs show how many cases wait in their stages. */
export interface StageTab { key: string; label: string; stages: string; mine?: boolean; only?: 'cases.intake' | 'cases.review'; counted?: boolean }

export const STAGE_TABS: StageTab[] = [
  { key: 'mine', label: '我受理的', stages: '', mine: true, only: 'cases.intake' },
  { key: 'dept', label: '待本部门办理', stages: 'handed_over,in_review,special', only: 'cases.review', counted: true },
  { key: 'all', label: '全部', stages: '' },
  { key: 'correcting', label: '待补正', stages: 'correcting', counted: true },
  { key: 'accepted', label: '待交接', stages: 'accepted', counted: true },
  { key: 'handed_over', label: '待签收', stages: 'handed_over', counted: true },
  { key: 'review', label: '部门办理中', stages: 'in_review,special', counted: true },
  { key: 'ready', label: '待出件', stages: 'decided,ready', counted: true },
  { key: 'closed', label: '已出件 / 已终止', stages: 'delivered,refused,withdrawn,revoked' },
]

export interface StageCounts { stages: Record<string, number>; mine_open: number }

/** The number a tab shows beside its name (none for the lists nobody works down). */
export function tabCount(tab: StageTab, counts: StageCounts | null): number | null {
  if (!counts) return null
  if (tab.mine) return counts.mine_open
  if (!tab.counted) return null
  return tab.stages.split(',').reduce((n, s) => n + (counts.stages[s] ?? 0), 0)
}

/** Where a role starts on the 办件 page: a clerk on their own cases, a reviewer on the department's. */
export function startTab(can: (p: string) => boolean): string {
  if (can('cases.intake')) return 'mine'
  if (can('cases.review')) return 'dept'
  return 'all'
}

export function needs(action: string) {
  return {
    materials: action === 'accept',
    items: action === 'request_correction',
    special: action === 'start_special',
    decision: action === 'decide',
    delivery: action === 'deliver',
    agency: action === 'refuse',
    /** The opinion is the reason and must be given (退回窗口, 撤销). */
    reason: action === 'return_handover' || action === 'revoke',
  }
}

/** What the opinion box is called for an action. */
export function opinionLabel(action: string): string {
  if (action === 'return_handover') return '退回原因'
  if (action === 'revoke') return '撤销理由'
  return '意见'
}

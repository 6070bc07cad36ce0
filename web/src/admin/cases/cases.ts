// What the 办件 page shows and asks: stage tabs, action names, and which
// fields each action needs (the server checks them again).

export interface CaseSummary {
  id: string; number: string; item_name: string; applicant_name: string; department_name: string
  stage: string; stage_label: string; received_at: string; due_on: string | null; warning: string | null
  flags: string[]; flag_labels: string[]
}

export interface CaseMaterial {
  material_id: string; name: string; necessity: string; way: string; way_label: string
  handover: string; handover_label: string; promised_on: string | null; moves: string[]
}

export interface Case extends CaseSummary {
  status: number; status_label: string; handling_item: string; applicant_cert: string; contact_phone: string
  source: string; ticket_number: string | null; limit_days: number; limit_unit: string; paused_days: number
  warning_label: string | null; result: string | null; certificate_name: string | null; certificate_no: string | null
  correction_items: string[]; actions: string[]; documents: string[]
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
  signed_at: string | null; signed_by_name: string | null; overdue: boolean
  cases: { id: string; number: string; item_name: string; applicant_name: string; stage_label: string; paper: number }[]
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
  { key: 'closed', label: '已出件 / 不予受理', stages: 'delivered,refused,withdrawn' },
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

export const ACTION_LABELS: Record<string, string> = {
  accept: '受理',
  refuse: '不予受理',
  request_correction: '一次性告知补正',
  hand_over: '材料交接',
  sign_for: '部门签收',
  start_special: '特别程序开始',
  end_special: '特别程序结束',
  decide: '办结',
  return_result: '结果回传窗口',
  deliver: '出件',
  withdraw: '撤件',
}

/** What the toast says once an action is done, in plain Chinese. */
export const DONE_LABELS: Record<string, string> = {
  accept: '已受理',
  refuse: '已作出不予受理决定',
  request_correction: '已一次性告知补正',
  hand_over: '已交接材料',
  sign_for: '已签收',
  start_special: '特别程序已开始，办理时限暂停计算',
  end_special: '特别程序已结束，恢复计时',
  decide: '已办结',
  return_result: '办理结果已回传窗口',
  deliver: '已出件',
  withdraw: '已撤件',
}

/** Moves of paper outside the handover sheet (the server's `moves::MaterialAction`). */
export const MOVE_LABELS: Record<string, string> = {
  supplement: '补交',
  forward: '送交部门',
  receive: '签收',
  return: '归还原件',
}

/** The documents a case may print (the server's `documents::Kind`). */
export const DOCUMENT_LABELS: Record<string, string> = {
  receipt: '收件凭证',
  acceptance: '受理通知书',
  correction: '一次性告知书',
  refusal: '不予受理通知书',
  completion: '办结通知',
}

export function needs(action: string) {
  return {
    materials: action === 'accept',
    items: action === 'request_correction',
    special: action === 'start_special',
    decision: action === 'decide',
    delivery: action === 'deliver',
    agency: action === 'refuse',
  }
}

// The intake form's rules that are worth testing on their own: how an answer
// is encoded for the resolver, how a material is received by default, and the
// progress link printed on notices.
export { type Answer, type Question, answerOf } from '../../shared/guidance'

export interface CaseDto {
  id: string; number: string; query_code: string | null; item_name: string; handling_item: string
  department_name: string; applicant_name: string; received_at: string; status: number; status_label: string
  stage: string; stage_label: string; due_on: string | null; limit_days: number; limit_unit: string
  correction_items: string[]; refuse_reason: string | null; competent_agency: string | null
  materials: { material_id: string; name: string; way: string; way_label: string; handover_label: string }[]
}

/** How a material may be received (the server's `Way` codes). */
export const WAYS = [
  { code: 'paper_original', label: '纸质原件' },
  { code: 'paper_copy', label: '纸质复印件' },
  { code: 'scanned', label: '扫描件' },
  { code: 'elicence', label: '电子证照' },
  { code: 'shared', label: '数据共享免提交' },
  { code: 'deferred', label: '容缺后补' },
  { code: 'missing', label: '未提交' },
]

/** What the clerk does not have to ask for: an e-licence or shared data replaces the paper. */
export function defaultWay(detail: { exempt_way?: string | null; elicence_type?: string | null } | null | undefined): string {
  if (detail?.exempt_way === '电子证照' || detail?.elicence_type) return 'elicence'
  if (detail?.exempt_way === '数据共享') return 'shared'
  return 'paper_original'
}

/** The progress page on the citizen's phone; the query code rides in the fragment, never in a server log. */
export function progressUrl(origin: string, hall: string, c: { number: string; query_code: string | null }): string {
  const q = new URLSearchParams({ hall, case: c.number })
  return `${origin}/mobile/?${q.toString()}#code=${encodeURIComponent(c.query_code ?? '')}`
}

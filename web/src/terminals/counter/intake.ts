// The intake form's rules that are worth testing on their own: how an answer
// is encoded for the resolver, how a material is received by default, and
// where a case's printed documents come from.
export { type Answer, type Question, answerOf } from '../../shared/guidance'

export interface CaseDto {
  id: string; number: string; query_code: string | null; item_name: string; handling_item: string
  department_name: string; applicant_name: string; received_at: string; status: number; status_label: string
  stage: string; stage_label: string; due_on: string | null; limit_days: number; limit_unit: string
  correction_items: string[]; refuse_reason: string | null; competent_agency: string | null
  materials: { material_id: string; name: string; way: string; way_label: string; handover_label: string }[]
  /** The citizen's documents the case has reached. */
  documents: string[]
  /** The same documents with their names. */
  document_choices: { code: string; label: string }[]
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

/** A material's digitized form fields, as the catalog lists them. */
export interface FieldSpec { name: string; required: boolean }

/** Fields the applicant's details answer: the server fills them, the clerk never retypes them
 * (the server's `forms::Known`). */
const KNOWN_FIELDS: Record<string, string> = {
  申请人: '同申请人', 申请人姓名: '同申请人', 申请人名称: '同申请人', 单位名称: '同申请人', 企业名称: '同申请人', 姓名: '同申请人',
  联系电话: '同联系电话', 手机号码: '同联系电话', 联系手机: '同联系电话', 电话: '同联系电话',
  证件号码: '同证件号码',
  法定代表人: '同法定代表人', 联系人: '同联系人',
}

/** The hint for a field the server fills from the applicant's details, if it does: an ID number
 * only for a person, a credit code only for an organisation. */
export function knownField(name: string, organisation: boolean): string | undefined {
  if (['身份证号', '身份证号码'].includes(name)) return organisation ? undefined : '同证件号码'
  if (name === '统一社会信用代码') return organisation ? '同证件号码' : undefined
  return KNOWN_FIELDS[name]
}

/** The form fields of the materials received so far, each once, required when any material requires it. */
export function formFields(materials: { fields?: FieldSpec[] | null; received: boolean }[]): FieldSpec[] {
  const out: FieldSpec[] = []
  for (const m of materials.filter((m) => m.received)) {
    for (const f of m.fields ?? []) {
      const seen = out.find((o) => o.name === f.name)
      if (seen) seen.required ||= f.required
      else out.push({ ...f })
    }
  }
  return out
}

/** The order a window offers the printed documents in: the one the case's outcome calls for first. */
const DOCUMENT_ORDER = ['correction', 'acceptance', 'refusal', 'completion', 'receipt']

/** The documents to offer for a case (as the server names them), the one its outcome calls for first. */
export function documentsToPrint(choices: { code: string; label: string }[]): { kind: string; label: string }[] {
  return DOCUMENT_ORDER.flatMap((kind) => choices.filter((c) => c.code === kind).map((c) => ({ kind, label: c.label })))
}

/** A case document's PDF (the server lays it out with the case number and the progress QR code). */
export function documentUrl(hall: string, caseId: string, kind: string): string {
  return `/api/v1/halls/${encodeURIComponent(hall)}/cases/${encodeURIComponent(caseId)}/documents/${kind}`
}

// The 实施清单 item document as the API sends it (see docs/catalog/catalog.schema.json),
// blank documents for new entries, and the simple condition form the scenario
// editor shows for the conditions most rules need.

export type Json = Record<string, unknown>

export interface Choice { value: string; label: string }
export interface Question { id: string; text: string; kind: 'single' | 'multi' | 'yes_no' | 'number'; options: Choice[]; show_if?: Cond | null }
export type Cond =
  | { chose: { question: string; value: string } }
  | { is: { question: string; value: boolean } }
  | { at_least: { question: string; min: number } }
  | { all: Cond[] }
  | { any: Cond[] }
  | { not: Cond }
export type Effect =
  | { select_handling_item: { code: string } }
  | { require_material: { material: string; necessity: string; copies: number } }
  | { exclude_material: { material: string } }
  | { set_condition: { text: string } }
  | { set_time_limit: { days: number } }
  | { add_fee: { name: string; fen: number } }
  | { terminate: { reason: string } }
export interface Rule { id: string; when: Cond; then: Effect[] }

export interface Material {
  id: string; name: string; identity?: string | null; material_type: string; form: string; copies: number
  spec?: string | null; source: string; source_explain?: string | null; necessity: string; always: boolean
  accept_standard?: string | null; review_points: string[]; check_way?: string | null
  blank_form?: { id: string; name: string } | null; sample?: { id: string; name: string } | null
  fill_notes?: string | null; basis?: string | null; elicence_type?: string | null; exempt_way?: string | null
  applies_to?: string | null; fields: { name: string; required: boolean }[]
}

export interface ItemDoc {
  task_name: string; catalog_code: string; task_code: string; local_code?: string | null
  task_type: string; task_state: string; power_source: string; use_level: string
  dept_name: string; dept_code: string; dept_type: string; entrust_name?: string | null
  by_law: string; accept_condition: string; serve_objects: string[]; project_type: string
  anticipate_day: number; anticipate_type: string; anticipate_explain?: string | null
  promise_day: number; promise_type: string; promise_explain?: string | null
  special_procedures: { kind: string; limit_days?: number | null; explain?: string | null }[]
  limit_scene_num: number; limit_scene_explain?: string | null
  handle_flow: string; steps: { name: string; role: string; limit_days?: number | null; counted: boolean }[]
  handle_forms: string[]; is_charge: boolean
  fees: { name: string; standard: string; fen?: number | null; basis?: string | null; waivable: boolean }[]
  link_way: string; supervise_way: string; transact_addr: string; transact_time: string
  is_entry_center: boolean; tongban_range: string; joint_agencies: string[]
  result_type: string; result_name?: string | null; result_sample?: { id: string; name: string } | null
  is_appoint: boolean; is_online_pay: boolean; is_express: boolean; is_self_service: boolean; is_online: boolean
  online_depth?: number | null; themes: string[]; keywords: string[]
  faqs: { question: string; answer: string }[]
  handling_items: { code: string; name: string; kind: string }[]
  materials: Material[]; questions: Question[]; rules: Rule[]
  sync: Json
}

export type Enums = Record<string, string[]>

export function blankItem(hallAddress = ''): ItemDoc {
  return {
    task_name: '', catalog_code: '', task_code: '', local_code: null,
    task_type: '行政许可', task_state: '在用', power_source: '法定本级行使', use_level: '县级',
    dept_name: '', dept_code: '', dept_type: '法定机关', entrust_name: null,
    by_law: '', accept_condition: '', serve_objects: ['自然人'], project_type: '承诺件',
    anticipate_day: 20, anticipate_type: '工作日', anticipate_explain: null,
    promise_day: 5, promise_type: '工作日', promise_explain: null, special_procedures: [],
    limit_scene_num: 1, limit_scene_explain: null,
    handle_flow: '受理→审查→决定→送达', steps: [],
    handle_forms: ['窗口办理'], is_charge: false, fees: [],
    link_way: '', supervise_way: '12345 政务服务便民热线', transact_addr: hallAddress,
    transact_time: '周一至周五 9:00—17:00（法定节假日除外）',
    is_entry_center: true, tongban_range: '无', joint_agencies: [],
    result_type: '其他', result_name: null, result_sample: null,
    is_appoint: false, is_online_pay: false, is_express: false, is_self_service: false, is_online: false,
    online_depth: null, themes: ['个人'], keywords: [], faqs: [],
    handling_items: [], materials: [], questions: [], rules: [], sync: {},
  }
}

export function blankMaterial(n: number): Material {
  return {
    id: `m${n}`, name: '', identity: null, material_type: '原件', form: '纸质', copies: 1, spec: null,
    source: '申请人自备', source_explain: null, necessity: '必要', always: true, accept_standard: null,
    review_points: [], check_way: null, blank_form: null, sample: null, fill_notes: null, basis: null,
    elicence_type: null, exempt_way: null, applies_to: null, fields: [],
  }
}

/** 实施编码 as observed nationally: the body's credit code + level digit + basic code. */
export function suggestTaskCode(deptCode: string, catalogCode: string, level = '4'): string {
  return deptCode && catalogCode ? `${deptCode}${level}${catalogCode}` : ''
}

// ---- The simple condition form: clauses joined by “and”.

export type Op = 'chose' | 'not_chose' | 'yes' | 'no' | 'at_least' | 'below'
export interface Clause { question: string; op: Op; value: string }

export const OP_LABELS: Record<Op, string> = {
  chose: '选择了', not_chose: '没有选择', yes: '回答“是”', no: '回答“否”', at_least: '不小于', below: '小于',
}

function clauseToCond(c: Clause): Cond {
  switch (c.op) {
    case 'chose': return { chose: { question: c.question, value: c.value } }
    case 'not_chose': return { not: { chose: { question: c.question, value: c.value } } }
    case 'yes': return { is: { question: c.question, value: true } }
    case 'no': return { is: { question: c.question, value: false } }
    case 'at_least': return { at_least: { question: c.question, min: Number(c.value) } }
    case 'below': return { not: { at_least: { question: c.question, min: Number(c.value) } } }
  }
}

/** Clauses → condition; no clauses means “always”. */
export function toCond(clauses: Clause[]): Cond {
  if (clauses.length === 1) return clauseToCond(clauses[0])
  return { all: clauses.map(clauseToCond) }
}

function condToClause(c: Cond): Clause | null {
  if ('chose' in c) return { question: c.chose.question, op: 'chose', value: c.chose.value }
  if ('is' in c) return { question: c.is.question, op: c.is.value ? 'yes' : 'no', value: '' }
  if ('at_least' in c) return { question: c.at_least.question, op: 'at_least', value: String(c.at_least.min) }
  if ('not' in c) {
    const inner = c.not
    if ('chose' in inner) return { question: inner.chose.question, op: 'not_chose', value: inner.chose.value }
    if ('at_least' in inner) return { question: inner.at_least.question, op: 'below', value: String(inner.at_least.min) }
  }
  return null
}

/** Condition → clauses, or null when it needs the JSON editor (any-of, nesting). */
export function fromCond(c: Cond | null | undefined): Clause[] | null {
  if (!c) return []
  if ('all' in c) {
    const out: Clause[] = []
    for (const inner of c.all) {
      const clause = condToClause(inner)
      if (!clause) return null
      out.push(clause)
    }
    return out
  }
  const one = condToClause(c)
  return one ? [one] : null
}

export const EFFECT_LABELS: Record<string, string> = {
  select_handling_item: '选定办理项',
  require_material: '需要材料',
  exclude_material: '不需要材料',
  set_condition: '增加条件/提示',
  set_time_limit: '办结时限改为',
  add_fee: '收费',
  terminate: '终止并告知',
}

export function blankEffect(kind: string): Effect {
  switch (kind) {
    case 'select_handling_item': return { select_handling_item: { code: '' } }
    case 'require_material': return { require_material: { material: '', necessity: '必要', copies: 1 } }
    case 'exclude_material': return { exclude_material: { material: '' } }
    case 'set_condition': return { set_condition: { text: '' } }
    case 'set_time_limit': return { set_time_limit: { days: 1 } }
    case 'add_fee': return { add_fee: { name: '', fen: 0 } }
    default: return { terminate: { reason: '' } }
  }
}

export function effectKind(e: Effect): string {
  return Object.keys(e)[0]
}

/** A readable one-line summary of an effect, for lists and the tester. */
export function describeEffect(e: Effect, doc: ItemDoc): string {
  const mat = (id: string) => doc.materials.find((m) => m.id === id)?.name ?? id
  if ('select_handling_item' in e) return `办理项：${doc.handling_items.find((h) => h.code === e.select_handling_item.code)?.name ?? e.select_handling_item.code}`
  if ('require_material' in e) return `需要：${mat(e.require_material.material)}（${e.require_material.necessity}，${e.require_material.copies} 份）`
  if ('exclude_material' in e) return `不需要：${mat(e.exclude_material.material)}`
  if ('set_condition' in e) return `条件：${e.set_condition.text}`
  if ('set_time_limit' in e) return `时限：${e.set_time_limit.days} 个工作日`
  if ('add_fee' in e) return `收费：${e.add_fee.name} ${(e.add_fee.fen / 100).toFixed(2)} 元`
  return `终止：${e.terminate.reason}`
}

/** The answer shape the resolver takes for a question kind. */
export function answerFor(q: Question, raw: unknown): Json | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined
  switch (q.kind) {
    case 'single': return { choice: String(raw) }
    case 'multi': return { choices: raw as string[] }
    case 'yes_no': return { yes_no: raw === true || raw === 'true' }
    case 'number': return Number.isFinite(Number(raw)) ? { number: Math.trunc(Number(raw)) } : undefined
  }
}

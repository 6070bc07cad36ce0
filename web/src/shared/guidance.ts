// Guidance (导办) as the resolver speaks it: a scenario question, an answer in
// the resolver's encoding, and what the resolver returns for a set of answers.

export type Answer = { choice: string } | { choices: string[] } | { yes_no: boolean } | { number: number }

export interface Question {
  id: string
  text: string
  kind: 'single' | 'multi' | 'yes_no' | 'number'
  options: { value: string; label: string }[]
}

export interface Because<T> { value: T; rules: string[] }

export interface Resolved {
  task_code: string
  task_name: string
  questions: Question[]
  resolution: {
    outcome?: {
      handling_item: Because<{ name: string }>
      materials: Because<{ id: string; name: string; necessity: string; copies: number }>[]
      conditions: Because<string>[]
      time_limit_days: Because<number>
      fees: Because<[string, number]>[]
    }
    terminated?: { reason: string }
  } | null
  material_details: ({ id: string; exempt_way?: string | null; elicence_type?: string | null; material_type?: string; blank_form?: { id: string; name: string } | null; sample?: { id: string; name: string } | null } | null)[]
  error: string | null
}

/** The parts of a matter's published guide the guidance shows beside the checklist. */
export interface MatterGuide {
  /** 到办事现场次数 (0, 1 or 2). */
  limit_scene_num?: number
  result_name?: string | null
  is_express?: boolean
  link_way?: string
  transact_addr?: string
  transact_time?: string
  steps?: { name: string; role: string; limit_days?: number | null }[]
  faqs?: { question: string; answer: string }[]
}

export function answerOf(kind: Question['kind'], raw: string | boolean | number | string[]): Answer {
  switch (kind) {
    case 'multi':
      return { choices: Array.isArray(raw) ? raw : [String(raw)] }
    case 'yes_no':
      return { yes_no: Boolean(raw) }
    case 'number':
      return { number: Number(raw) }
    default:
      return { choice: String(raw) }
  }
}

/** The first question still to answer (asked one at a time), or null when all are answered. */
export function nextQuestion(questions: Question[], answers: Record<string, Answer>): Question | null {
  return questions.find((q) => !(q.id in answers)) ?? null
}

/**
 * The phone page that reopens a guidance result (the kiosk's "take it with
 * you" QR code): the matter in the query, the answers in the fragment.
 */
/** A guidance result as a kiosk prints it (80 mm slip). */
export interface GuidePrint { title: string; handling: string; materials: string[]; limit: string; qr: string }

export function guideUrl(origin: string, hall: string, code: string, answers: Record<string, Answer>): string {
  const q = new URLSearchParams({ hall, guide: code })
  return `${origin}/mobile/?${q.toString()}#answers=${encodeURIComponent(JSON.stringify(answers))}`
}

/** The answers a guide link carries (an unreadable fragment gives none). */
export function answersFromFragment(hash: string): Record<string, Answer> {
  const raw = new URLSearchParams(hash.replace(/^#/, '')).get('answers')
  if (!raw) return {}
  try {
    const parsed: unknown = JSON.parse(raw)
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, Answer>) : {}
  } catch {
    return {}
  }
}

/** A 一件事 as kiosks and phones show it (the server's `PublicBundle`). */
export interface PublicBundle {
  id: string; code: string; name: string; description: string
  members: { task_code: string; task_name: string; note: string | null }[]
}

/** The joint checklist of a 一件事 (the server's `JointChecklist`). */
export interface JointChecklist {
  members: { task_code: string; task_name: string; resolution: Resolved['resolution'] }[]
  materials: { identity: string; name: string; necessity: string; copies: number; needed_by: { task_code: string; task_name: string }[] }[]
  longest_days: number
  longest_member: string | null
  total_fen: number
}

/** Topics by life event for a kiosk's 智能导办: each is searched as the
 * everyday words a citizen would use, so they work on any hall's catalog. */
export const LIFE_TOPICS: { label: string; query: string }[] = [
  { label: '开店办证', query: '开店 营业执照' },
  { label: '社保医保', query: '社保 医保' },
  { label: '户籍婚姻', query: '户口 结婚' },
  { label: '不动产', query: '不动产登记' },
  { label: '退休', query: '退休' },
  { label: '生育', query: '生育 出生' },
  { label: '公积金', query: '公积金' },
  { label: '残疾人', query: '残疾人' },
]

// A matter's 办事指南 as the public catalog gives it (the fields the guide shows).

export interface GuideMaterial { name: string; material_type?: string; copies?: number; necessity?: string; exempt_way?: string | null; accept_standard?: string }
export interface GuideDoc {
  task_name: string; accept_condition?: string; promise_day?: number; promise_type?: string; anticipate_day?: number
  is_charge?: boolean; fees?: { name?: string; standard?: string }[]; transact_addr?: string; transact_time?: string
  link_way?: string; materials?: GuideMaterial[]; faqs?: { question: string; answer: string }[]; handle_flow?: string
}

/** A hall's published guide of one matter. */
export const guideUrl = (hall: string, code: string) =>
  `/api/v1/public/halls/${encodeURIComponent(hall)}/catalog/items/${encodeURIComponent(code)}`

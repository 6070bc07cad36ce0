// Money on the payroll pages: the API keeps fen; clerks read yuan with two decimals.

/** `1234567` fen → `12,345.67`. */
export function yuan(fen: number | null | undefined): string {
  return ((fen ?? 0) / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
}

/** The 专项附加扣除 kinds, as the server names them. */
export const DEDUCTION_KINDS: [string, string][] = [
  ['child_education', '子女教育'],
  ['infant_care', '3岁以下婴幼儿照护'],
  ['continuing_education', '继续教育（学历）'],
  ['housing_loan', '住房贷款利息'],
  ['housing_rent', '住房租金'],
  ['elderly_care', '赡养老人'],
]

export const RENT_TIERS: [string, string][] = [
  ['capital', '直辖市、省会、计划单列市（1500 元）'],
  ['large', '人口超 100 万的城市（1100 元）'],
  ['other', '其他城市（800 元）'],
]

export const CONTRIBUTION_ITEMS: [string, string][] = [
  ['pension', '基本养老保险'],
  ['medical', '基本医疗保险'],
  ['unemployment', '失业保险'],
  ['injury', '工伤保险'],
  ['maternity', '生育保险'],
  ['housing_fund', '住房公积金'],
]

/** The current month, `YYYY-MM`, in the hall's time (Asia/Shanghai). */
export function thisMonth(now = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).formatToParts(now)
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? ''
  return `${get('year')}-${get('month')}`
}

/** Today in the hall's time zone, `YYYY-MM-DD`. */
export function hallToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
}

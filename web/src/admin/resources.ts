// The directory resources, described once and rendered by CrudPage.
import { api, type Page } from '../shared/api'
import { session } from './session'

export interface Option { value: string; label: string }

export interface FieldDef {
  key: string
  label: string
  type: 'text' | 'number' | 'select' | 'multi'
  required?: boolean
  maxlength?: number
  placeholder?: string
  /** Fixed options, or loaded for the current hall. */
  options?: Option[] | (() => Promise<Option[]>)
  clearable?: boolean
  /** Value of a new record's field (else 0 / the first option / empty). */
  initial?: string | number | string[] | null
  /** A number that may be left empty (sent as null); shown with `placeholder`. */
  optional?: boolean
}

export interface ColumnDef {
  key: string
  label: string
  width?: number
  /** Shown when the value is empty (null). */
  empty?: string
}

export interface FilterDef { key: string; label: string; options: FieldDef['options'] }

export interface ResourceDef {
  key: string
  title: string
  /** What one row is called, e.g. 窗口. */
  noun: string
  path: string
  paged: boolean
  searchPlaceholder?: string
  columns: ColumnDef[]
  fields: FieldDef[]
  filters: FilterDef[]
  /** The form values of an existing row. */
  toForm: (row: Record<string, unknown>) => Record<string, unknown>
  /** Rows carry a photo (`PUT {path}/{id}/photo`), e.g. staff for the window screen. */
  photo?: boolean
}

export const WINDOW_KINDS: Option[] = [
  { value: 'comprehensive', label: '综合窗口' },
  { value: 'professional', label: '专业窗口' },
  { value: 'delivery', label: '出件窗口' },
  { value: 'consult', label: '咨询台' },
]
export const WINDOW_STATUSES: Option[] = [
  { value: 'open', label: '开放' },
  { value: 'paused', label: '暂停' },
  { value: 'closed', label: '关闭' },
]
export const POSITIONS: Option[] = [
  { value: 'window_staff', label: '窗口人员' },
  { value: 'dept_reviewer', label: '部门审批人员' },
  { value: 'center_admin', label: '中心管理员' },
  { value: 'guide', label: '导服人员' },
]

const hallPath = (suffix: string) => `/api/v1/halls/${session.hallId}/${suffix}`

async function areaOptions(): Promise<Option[]> {
  const rows = await api.get<{ id: string; name: string; floor: string | null }[]>(hallPath('areas'))
  return rows.map((a) => ({ value: a.id, label: a.floor ? `${a.name}（${a.floor}）` : a.name }))
}

async function departmentOptions(): Promise<Option[]> {
  const page = await api.get<Page<{ id: string; name: string }>>(hallPath('departments'), { page_size: 200 })
  return page.items.map((d) => ({ value: d.id, label: d.name }))
}

/** The hall's published matters (实施编码 and name), every page of them. */
async function publishedItemOptions(): Promise<Option[]> {
  const out: Option[] = []
  for (let page = 1; ; page++) {
    const p = await api.get<Page<{ task_code: string; task_name: string }>>(hallPath('catalog/items'), { status: 'published', page, page_size: 200 })
    out.push(...p.items.map((i) => ({ value: i.task_code, label: i.task_name })))
    if (out.length >= p.total || p.items.length === 0) return out
  }
}

const pick = (row: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.map((k) => [k, row[k] ?? '']))

export const RESOURCES: ResourceDef[] = [
  {
    key: 'areas',
    title: '区域楼层',
    noun: '区域',
    path: 'areas',
    paged: false,
    columns: [
      { key: 'name', label: '区域名称' },
      { key: 'floor', label: '楼层', width: 120 },
      { key: 'sort_order', label: '排序', width: 100 },
    ],
    fields: [
      { key: 'name', label: '区域名称', type: 'text', required: true, maxlength: 50, placeholder: '如：企业服务区' },
      { key: 'floor', label: '楼层', type: 'text', maxlength: 20, placeholder: '如：1F' },
      { key: 'sort_order', label: '排序号', type: 'number' },
    ],
    filters: [],
    toForm: (r) => pick(r, ['name', 'floor', 'sort_order']),
  },
  {
    key: 'departments',
    title: '进驻部门',
    noun: '部门',
    path: 'departments',
    paged: true,
    searchPlaceholder: '部门名称或统一社会信用代码',
    columns: [
      { key: 'name', label: '部门名称' },
      { key: 'credit_code', label: '统一社会信用代码', width: 220 },
      { key: 'sort_order', label: '排序', width: 90 },
    ],
    fields: [
      { key: 'name', label: '部门名称', type: 'text', required: true, maxlength: 100 },
      { key: 'credit_code', label: '统一社会信用代码', type: 'text', required: true, maxlength: 18, placeholder: '18 位，系统校验 GB 32100 校验位' },
      { key: 'sort_order', label: '排序号', type: 'number' },
    ],
    filters: [],
    toForm: (r) => pick(r, ['name', 'credit_code', 'sort_order']),
  },
  {
    key: 'windows',
    title: '服务窗口',
    noun: '窗口',
    path: 'windows',
    paged: true,
    searchPlaceholder: '窗口编号或名称',
    columns: [
      { key: 'code', label: '编号', width: 90 },
      { key: 'name', label: '窗口名称' },
      { key: 'kind_label', label: '类型', width: 110 },
      { key: 'status_label', label: '状态', width: 90 },
      { key: 'area_name', label: '区域', width: 140 },
      { key: 'department_name', label: '所属部门' },
    ],
    fields: [
      { key: 'code', label: '窗口编号', type: 'text', required: true, maxlength: 20, placeholder: '如：01' },
      { key: 'name', label: '窗口名称', type: 'text', required: true, maxlength: 50, placeholder: '如：1号综合受理窗口' },
      { key: 'kind', label: '窗口类型', type: 'select', required: true, options: WINDOW_KINDS },
      { key: 'status', label: '状态', type: 'select', required: true, options: WINDOW_STATUSES },
      { key: 'area_id', label: '所在区域', type: 'select', options: areaOptions, clearable: true },
      { key: 'department_id', label: '所属部门', type: 'select', options: departmentOptions, clearable: true },
    ],
    filters: [
      { key: 'kind', label: '类型', options: WINDOW_KINDS },
      { key: 'status', label: '状态', options: WINDOW_STATUSES },
      { key: 'area_id', label: '区域', options: areaOptions },
    ],
    toForm: (r) => pick(r, ['code', 'name', 'kind', 'status', 'area_id', 'department_id']),
  },
  {
    key: 'staff',
    photo: true,
    title: '工作人员',
    noun: '人员',
    path: 'staff',
    paged: true,
    searchPlaceholder: '工号、姓名或完整手机号',
    columns: [
      { key: 'employee_no', label: '工号', width: 110 },
      { key: 'name', label: '姓名', width: 120 },
      { key: 'position_label', label: '岗位', width: 130 },
      { key: 'department_name', label: '所属部门' },
      { key: 'phone_masked', label: '手机号', width: 140 },
    ],
    fields: [
      { key: 'employee_no', label: '工号', type: 'text', required: true, maxlength: 20 },
      { key: 'name', label: '姓名', type: 'text', required: true, maxlength: 50 },
      { key: 'position', label: '岗位', type: 'select', required: true, options: POSITIONS },
      { key: 'department_id', label: '所属部门', type: 'select', options: departmentOptions, clearable: true },
      { key: 'phone', label: '手机号', type: 'text', maxlength: 11, placeholder: '11 位手机号（加密存储）' },
    ],
    filters: [
      { key: 'position', label: '岗位', options: POSITIONS },
      { key: 'department_id', label: '部门', options: departmentOptions },
    ],
    toForm: (r) => ({ ...pick(r, ['employee_no', 'name', 'position', 'department_id']), phone: r.phone_masked ?? '' }),
  },
  {
    key: 'queue-lines',
    title: '业务队列',
    noun: '业务队列',
    path: 'queue/lines',
    paged: false,
    columns: [
      { key: 'prefix', label: '前缀', width: 80 },
      { key: 'name', label: '队列名称' },
      { key: 'opens_at', label: '开始取号', width: 110 },
      { key: 'closes_at', label: '停止取号', width: 110 },
      { key: 'daily_cap', label: '每日限号', width: 100 },
      { key: 'slot_minutes', label: '预约时段（分）', width: 130 },
      { key: 'slot_quota', label: '每时段名额', width: 110 },
      { key: 'aging_minutes', label: '超时优先（分）', width: 130, empty: '按大厅策略' },
      { key: 'sort_order', label: '排序', width: 80 },
    ],
    fields: [
      { key: 'prefix', label: '号码前缀', type: 'text', required: true, maxlength: 2, placeholder: '1–2 个大写字母，如 A' },
      { key: 'name', label: '队列名称', type: 'text', required: true, maxlength: 50, placeholder: '如：综合受理' },
      { key: 'opens_at', label: '开始取号', type: 'text', required: true, maxlength: 5, placeholder: 'HH:MM，如 09:00', initial: '09:00' },
      { key: 'closes_at', label: '停止取号', type: 'text', required: true, maxlength: 5, placeholder: 'HH:MM，如 16:30', initial: '17:00' },
      { key: 'daily_cap', label: '每日限号（0 不限）', type: 'number' },
      { key: 'slot_minutes', label: '预约时段长度（分钟）', type: 'number', initial: 30 },
      { key: 'slot_quota', label: '每时段预约名额（0 不开放）', type: 'number' },
      { key: 'aging_minutes', label: '超时优先（分钟）', type: 'number', optional: true, initial: null, placeholder: '留空按大厅策略' },
      { key: 'matters', label: '可办理事项', type: 'multi', options: publishedItemOptions, initial: [] },
      { key: 'sort_order', label: '排序号', type: 'number' },
    ],
    filters: [],
    // An empty 超时优先 stays null (the hall's policy applies), not ''.
    toForm: (r) => ({ ...pick(r, ['prefix', 'name', 'opens_at', 'closes_at', 'daily_cap', 'slot_minutes', 'slot_quota', 'matters', 'sort_order']), aging_minutes: r.aging_minutes ?? null }),
  },
]

// The one HTTP client of every terminal: JSON in and out, errors as ApiError
// carrying the server's Chinese message and per-field problems.

export interface FieldProblem {
  field: string
  message: string
}

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly fields: FieldProblem[]
  readonly requestId: string | null

  constructor(status: number, code: string, message: string, fields: FieldProblem[] = [], requestId: string | null = null) {
    super(message)
    this.status = status
    this.code = code
    this.fields = fields
    this.requestId = requestId
  }

  /** Field name → message, for showing errors under form items. */
  fieldMap(): Record<string, string> {
    const out: Record<string, string> = {}
    for (const f of this.fields) out[f.field] = out[f.field] ? `${out[f.field]}；${f.message}` : f.message
    return out
  }
}

export interface Page<T> {
  items: T[]
  total: number
  page: number
  page_size: number
}

type Query = Record<string, string | number | undefined | null>

export function withQuery(path: string, query?: Query): string {
  if (!query) return path
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v))
  }
  const qs = params.toString()
  return qs ? `${path}?${qs}` : path
}

/** The CSRF token the server set at sign-in; echoed on every write (double-submit). */
export function csrfToken(cookie: string = document.cookie): string {
  const hit = cookie.split(';').map((kv) => kv.trim().split('=')).find(([k]) => k === 'govhall_csrf')
  return hit?.[1] ?? ''
}

/** Sends a request (a Blob as it is, anything else as JSON); a non-2xx answer
 * becomes an ApiError with the server's message. */
async function send(method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = {}
  const file = body instanceof Blob
  if (file) headers['content-type'] = body.type || 'application/octet-stream'
  else if (body !== undefined) headers['content-type'] = 'application/json'
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken()
  let resp: Response
  try {
    resp = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers,
      body: file ? body : body === undefined ? undefined : JSON.stringify(body),
    })
  } catch {
    throw new ApiError(0, 'network', '无法连接服务器，请检查网络')
  }
  if (!resp.ok) {
    const e = (parse(await resp.text()) ?? {}) as { code?: string; message?: string; fields?: FieldProblem[] }
    throw new ApiError(resp.status, e.code ?? 'http_error', e.message ?? `请求失败（${resp.status}）`, e.fields ?? [], resp.headers.get('x-request-id'))
  }
  return resp
}

function parse(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null
  } catch {
    return null
  }
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const resp = await send(method, path, body)
  if (resp.status === 204) return undefined as T
  return parse(await resp.text()) as T
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', withQuery(path, query)),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  del: (path: string) => request<void>('DELETE', path),
  /** PUT a file's bytes (an upload that replaces the one before). */
  putFile: <T>(path: string, file: Blob) => request<T>('PUT', path, file),
  /** A POST whose answer is a file (a PDF preview). */
  postForBlob: async (path: string, body: unknown) => (await send('POST', path, body)).blob(),
}

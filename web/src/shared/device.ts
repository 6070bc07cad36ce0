// A hall device (screen, rating pad) signs its requests with the bearer token
// it was registered with. The token arrives once in the URL fragment
// (`#token=…`, never sent to the server or written to its logs), is kept in
// local storage, and is removed from the address bar.
import { ApiError, type FieldProblem, request } from './api'

const KEY = 'govhall.device.token'

export function deviceToken(): string | null {
  return fragmentToken(KEY)
}

/** `#token=…` from the address, kept under `storageKey` and removed from the address bar; else the kept one. */
export function fragmentToken(storageKey: string, name = 'token'): string | null {
  const fromUrl = new URLSearchParams(window.location.hash.slice(1)).get(name)
  if (fromUrl) {
    localStorage.setItem(storageKey, fromUrl)
    history.replaceState(null, '', window.location.pathname + window.location.search)
  }
  return localStorage.getItem(storageKey)
}

export function forgetToken(): void {
  localStorage.removeItem(KEY)
}

/** JSON request as the device (bearer token), or as the signed-in user when there is none. */
export async function deviceRequest<T>(token: string | null, method: string, path: string, body?: unknown): Promise<T> {
  if (!token) return request<T>(method, path, body)
  let resp: Response
  try {
    resp = await fetch(path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  } catch {
    throw new ApiError(0, 'network', '无法连接服务器，请检查网络')
  }
  const data = resp.status === 204 ? null : await resp.json().catch(() => null)
  if (!resp.ok) {
    const e = (data ?? {}) as { code?: string; message?: string; fields?: FieldProblem[] }
    throw new ApiError(resp.status, e.code ?? 'error', e.message ?? `请求失败（${resp.status}）`, e.fields ?? [])
  }
  return data as T
}

/** An image or other file as the device, as an object URL for `<img src>`. */
export async function deviceObjectUrl(token: string | null, path: string): Promise<string> {
  const resp = await fetch(path, token ? { headers: { authorization: `Bearer ${token}` } } : {})
  if (!resp.ok) throw new ApiError(resp.status, 'error', `请求失败（${resp.status}）`)
  return URL.createObjectURL(await resp.blob())
}

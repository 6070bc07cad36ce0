import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError, api, csrfToken, withQuery } from './api'
import { formatTime } from './format'

afterEach(() => vi.unstubAllGlobals())

describe('withQuery', () => {
  it('drops empty values and encodes the rest', () => {
    expect(withQuery('/x', { q: '综合 窗口', page: 2, kind: '', area: undefined })).toBe('/x?q=%E7%BB%BC%E5%90%88+%E7%AA%97%E5%8F%A3&page=2')
    expect(withQuery('/x', {})).toBe('/x')
  })
})

describe('api errors', () => {
  it('carries the Chinese message and field problems of a 422', async () => {
    const body = { code: 'validation_failed', message: '提交的内容有 2 处不符合要求', fields: [{ field: 'name', message: '名称不能为空' }, { field: 'name', message: '另一个问题' }] }
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(body), { status: 422, headers: { 'x-request-id': 'r1' } })))
    const err = await api.post('/api/v1/x', {}).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    const e = err as ApiError
    expect(e.status).toBe(422)
    expect(e.message).toBe('提交的内容有 2 处不符合要求')
    expect(e.fieldMap()).toEqual({ name: '名称不能为空；另一个问题' })
    expect(e.requestId).toBe('r1')
  })

  it('reports a network failure in Chinese', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('failed') }))
    await expect(api.get('/x')).rejects.toThrow('无法连接服务器')
  })

  it('returns undefined for 204', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(null, { status: 204 })))
    await expect(api.del('/x')).resolves.toBeUndefined()
  })
})

describe('formatTime', () => {
  it('shows UTC instants in Asia/Shanghai', () => {
    expect(formatTime('2026-01-01T01:02:03Z')).toContain('09:02:03')
    expect(formatTime('')).toBe('')
  })
})

describe('csrf', () => {
  it('reads the token cookie and sends it on writes only', async () => {
    expect(csrfToken('a=1; govhall_csrf=abc123; b=2')).toBe('abc123')
    expect(csrfToken('a=1')).toBe('')
    document.cookie = 'govhall_csrf=tok'
    const fetchMock = vi.fn(async () => new Response('{}', { status: 200 }))
    vi.stubGlobal('fetch', fetchMock)
    await api.post('/x', {})
    await api.get('/y')
    const calls = fetchMock.mock.calls as unknown as [string, RequestInit][]
    expect((calls[0][1].headers as Record<string, string>)['x-csrf-token']).toBe('tok')
    expect((calls[1][1].headers as Record<string, string>)['x-csrf-token']).toBeUndefined()
  })
})

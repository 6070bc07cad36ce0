// Shared steps of the browser tests: the manager's API session, a clerk at a
// window, and the SMS code a citizen would read on their phone.
import assert from 'node:assert/strict'

/** A browser context signed in as the hall's manager, with a JSON helper for the hall's API. */
export async function managerApi(browser, server) {
  const ctx = await browser.newContext()
  const H = `${server.base}/api/v1/halls/CA-ZWFW`
  const ok = async (resp) => {
    assert.ok(resp.ok(), `${resp.url()} → ${resp.status()} ${await resp.text()}`)
    return resp.status() === 204 ? null : resp.json()
  }
  await ok(await ctx.request.post(`${server.base}/api/v1/auth/login`, { data: { username: 'manager', password: 'Demo@2026cah' } }))
  const csrf = (await ctx.cookies()).find((c) => c.name === 'govhall_csrf').value
  const headers = { 'x-csrf-token': csrf }
  const api = {
    get: async (path) => ok(await ctx.request.get(`${H}${path}`)),
    post: async (path, data) => ok(await ctx.request.post(`${H}${path}`, { data, headers })),
    put: async (path, data) => ok(await ctx.request.put(`${H}${path}`, { data, headers })),
  }
  return { api, ctx, ok, H }
}

/** A counter page signed in as `username` at the window labelled `label`. */
export async function counterAt(browser, server, username, label) {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
  await page.goto(`${server.base}/counter/?hall=CA-ZWFW`)
  await page.locator('input[name=username]').fill(username)
  await page.locator('input[name=password]').fill('Demo@2026cah')
  await page.getByRole('button', { name: '登 录' }).click()
  await page.getByTestId('window-pick').selectOption({ label })
  await page.getByTestId('take-window').click()
  await page.getByTestId('my-window').waitFor()
  return page
}

/** The SMS code a demonstration shows on the phone page that asked for it (no SMS leaves). */
export async function smsCode(page) {
  const shown = page.getByTestId('m-demo-code')
  await shown.waitFor()
  return (await shown.textContent()).match(/(\d{6})/)[1]
}

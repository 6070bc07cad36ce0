// End-to-end: the department sends a handover sheet back from the 交接单 tab
// with its reason (the reason is required, then shown on the sheet), and the
// centre's manager 撤销 a case from its drawer (the reason is required; the
// case then reads 已撤销 · 撤销).
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { SHOTS, serverAndBrowser } from './server.mjs'

const shared = serverAndBrowser({ before, after })
const FOOD = '11610116MB2957101E4010100200000'
const ANSWERS = { kind: { choice: 'new' }, prepacked: { yes_no: false }, items: { choices: ['hot'] }, online: { yes_no: false }, agent: { yes_no: false } }

/** A clerk's API session signed in at window 01, and a helper that accepts a restaurant's licence. */
async function clerkDesk(browser, server) {
  const ctx = await browser.newContext()
  const H = `${server.base}/api/v1/halls/CA-ZWFW`
  const ok = async (r) => {
    assert.ok(r.ok(), `${r.url()} → ${r.status()} ${await r.text()}`)
    return r.json()
  }
  await ok(await ctx.request.post(`${server.base}/api/v1/auth/login`, { data: { username: 'clerk01', password: 'Demo@2026cah' } }))
  const headers = { 'x-csrf-token': (await ctx.cookies()).find((c) => c.name === 'govhall_csrf').value }
  const windows = await ok(await ctx.request.get(`${H}/windows?q=01`))
  const w = windows.items.find((x) => x.code === '01').id
  await ok(await ctx.request.post(`${H}/windows/${w}/sign-in`, { data: {}, headers }))
  const item = await ok(await ctx.request.get(`${server.base}/api/v1/public/halls/CA-ZWFW/catalog/items/${FOOD}`))
  const resolved = await ok(await ctx.request.post(`${H}/catalog/items/${item.id}/resolve`, { data: { answers: ANSWERS }, headers }))
  const materials = resolved.resolution.outcome.materials.map((m) => ({ material_id: m.value.id, way: 'paper_original' }))
  const accept = async (name) =>
    ok(await ctx.request.post(`${H}/cases`, {
      headers,
      data: { item: FOOD, window_id: w, answers: ANSWERS, materials, outcome: 'accept',
        applicant: { kind: 'person', name, cert_no: '61011619900101123X', phone: '13912345678' } },
    }))
  const handOver = async (ids) => ok(await ctx.request.post(`${H}/handovers`, { data: { case_ids: ids }, headers }))
  return { ctx, accept, handOver }
}

async function adminAs(browser, server, username, menu) {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
  await page.goto(`${server.base}/admin/`)
  await page.locator('input[name=username]').fill(username)
  await page.locator('input[name=password]').fill('Demo@2026cah')
  await page.getByRole('button', { name: '登 录' }).click()
  await page.getByTestId('user-name').waitFor()
  await page.locator(`[data-menu=${menu}]`).click()
  return page
}

test('a sheet sent back with its reason, and a case revoked with its reason', async () => {
  const { server, browser } = shared
  const desk = await clerkDesk(browser, server)
  const first = await desk.accept('张三')
  const second = await desk.accept('李四')
  const sheet = await desk.handOver([first.id])
  await desk.ctx.close()

  const reviewer = await adminAs(browser, server, 'reviewer', 'cases')
  const errors = []
  reviewer.on('pageerror', (e) => errors.push(String(e)))
  await reviewer.locator('#tab-sheets').click()
  await reviewer.getByTestId(`return-${sheet.number}`).click()
  await reviewer.getByTestId('return-confirm').click()
  await reviewer.getByTestId('return-error').filter({ hasText: '退回须写明原因' }).waitFor()
  await reviewer.getByTestId('return-opinion').fill('经营场所平面图未标明操作间面积')
  await reviewer.getByTestId('return-confirm').click()
  const back = reviewer.getByTestId('sheet-returned').filter({ hasText: '操作间面积' })
  await back.waitFor()
  assert.match(await reviewer.getByTestId('sheets-table').textContent(), /已全部退回/)
  await reviewer.screenshot({ path: join(SHOTS, 'admin-sheet-returned.png') })

  const manager = await adminAs(browser, server, 'manager', 'cases')
  manager.on('pageerror', (e) => errors.push(String(e)))
  await manager.getByTestId('tab-all').click()
  await manager.locator(`[data-testid=cases-table] [data-number="${second.number}"]`).click()
  await manager.getByTestId('case-revoke').click()
  await manager.getByTestId('case-confirm').click()
  await manager.getByTestId('case-error').filter({ hasText: '撤销办件须写明理由' }).waitFor()
  await manager.getByTestId('case-opinion').fill('同一申请重复录入')
  await manager.getByTestId('case-confirm').click()
  await manager.locator('.case-drawer').getByText('已撤销').first().waitFor()
  await manager.screenshot({ path: join(SHOTS, 'admin-case-revoked.png') })
  assert.deepEqual(errors, [])
})

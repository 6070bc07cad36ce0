// End-to-end: a clerk works the queue at the counter terminal with function keys.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { SHOTS, launchBrowser, startServer } from './server.mjs'

let server
let browser

before(async () => {
  server = await startServer()
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

/** A manager's API session: a kiosk token, then tickets issued as the kiosk in the demo's line A. */
async function setUpQueue() {
  const ctx = await browser.newContext()
  const H = `${server.base}/api/v1/halls/CA-ZWFW`
  const ok = async (resp) => {
    assert.ok(resp.ok(), `${resp.url()} → ${resp.status()} ${await resp.text()}`)
    return resp.json()
  }
  await ok(await ctx.request.post(`${server.base}/api/v1/auth/login`, { data: { username: 'manager', password: 'Demo@2026cah' } }))
  const csrf = (await ctx.cookies()).find((c) => c.name === 'govhall_csrf').value
  const post = async (path, data) => ok(await ctx.request.post(`${H}${path}`, { data, headers: { 'x-csrf-token': csrf } }))
  // Lines A and B come with the demo hall.
  const lines = await ok(await ctx.request.get(`${H}/queue/lines`))
  assert.deepEqual(lines.slice(0, 2).map((l) => l.prefix), ['A', 'B'])
  // Window 01 without skills serves every line, longest waiting first (the demo makes B secondary there).
  const windows = (await ok(await ctx.request.get(`${H}/windows?page_size=200`))).items
  const w01 = windows.find((w) => w.code === '01').id
  await ok(await ctx.request.put(`${H}/windows/${w01}/skills`, { data: [], headers: { 'x-csrf-token': csrf } }))
  const { token } = await post('/devices', { name: '1号取号机', purpose: 'kiosk' })
  // The second holder is over 70: their ID card puts the ticket in the green channel.
  for (const data of [{ line: 'A' }, { line: 'A', id_number: '610116195001011231' }, { line: 'A' }]) {
    await ok(await ctx.request.post(`${H}/tickets`, { data, headers: { authorization: `Bearer ${token}` } }))
  }
  await ctx.close()
}

test('counter: sign in at a window and work the queue by keyboard', async () => {
  await setUpQueue()
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
  const errors = []
  page.on('pageerror', (e) => errors.push(String(e)))
  await page.goto(`${server.base}/counter/?hall=CA-ZWFW`)
  await page.locator('input[name=username]').fill('clerk01')
  await page.locator('input[name=password]').fill('Demo@2026cah')
  await page.getByRole('button', { name: '登 录' }).click()
  await page.getByTestId('window-pick').selectOption({ label: '01 1号综合受理窗口（综合窗口）' })
  await page.getByTestId('take-window').click()
  await page.getByTestId('my-window').filter({ hasText: '1号综合受理窗口' }).waitFor()
  await page.getByTestId('queue-panel').getByText('3 人').waitFor()

  const number = page.getByTestId('current-number')
  const message = page.getByTestId('counter-message')
  // The green-channel ticket opens the day.
  await page.keyboard.press('F1')
  await number.filter({ hasText: 'A002' }).waitFor()
  await message.filter({ hasText: '请 A002 号到 1号综合受理窗口 办理' }).waitFor()
  await page.keyboard.press('F2')
  await page.getByText('已呼 2 次').waitFor()
  await page.keyboard.press('F4')
  await page.getByText('空闲').waitFor()

  await page.keyboard.press('F1')
  await number.filter({ hasText: 'A001' }).waitFor()
  // An open panel holds the function keys and says so; Esc closes it.
  await page.keyboard.press('F9')
  await page.getByTestId('transfer-line').waitFor()
  await page.keyboard.press('F4')
  await message.filter({ hasText: '请先完成或关闭“转号”' }).waitFor()
  await number.filter({ hasText: 'A001' }).waitFor()
  await page.keyboard.press('Escape')
  await page.getByTestId('transfer-line').waitFor({ state: 'detached' })
  await page.keyboard.press('F9')
  await page.getByTestId('transfer-line').selectOption('B')
  await page.locator('textarea').fill('需先办理企业登记')
  await page.getByTestId('transfer-go').click()
  await message.filter({ hasText: '已转到 B 队列' }).waitFor()
  // Transferred to the front of B with its original time, so it comes back first, with the note.
  await page.keyboard.press('F1')
  await number.filter({ hasText: 'A001' }).waitFor()
  await page.getByText('上一窗口备注：需先办理企业登记').waitFor()
  await page.keyboard.press('F6')
  await message.filter({ hasText: '已按过号处理' }).waitFor()

  await page.keyboard.press('F1')
  await number.filter({ hasText: 'A003' }).waitFor()
  await page.keyboard.press('F7')
  await page.getByText('A003 回呼').waitFor()
  await page.keyboard.press('F8')
  await number.filter({ hasText: 'A003' }).waitFor()
  await page.keyboard.press('F3')
  await page.getByText('办理中').waitFor()
  await page.screenshot({ path: join(SHOTS, 'counter-serving.png') })
  await page.keyboard.press('F4')
  await message.filter({ hasText: '已办结' }).waitFor()
  // The no-show went back in line once (过号顺延); a second no-show voids it.
  await page.keyboard.press('F1')
  await number.filter({ hasText: 'A001' }).waitFor()
  await page.getByText('过号 1 次').waitFor()
  await page.keyboard.press('F6')
  await message.filter({ hasText: '已按过号处理' }).waitFor()
  await page.keyboard.press('F1')
  await message.filter({ hasText: '当前没有等候的群众' }).waitFor()
  await page.screenshot({ path: join(SHOTS, 'counter-idle.png') })
  // 签退 releases the window and ends the session: the next sign-in picks a window again.
  await page.getByTestId('sign-out').click()
  await page.locator('input[name=username]').fill('clerk01')
  await page.locator('input[name=password]').fill('Demo@2026cah')
  await page.getByRole('button', { name: '登 录' }).click()
  await page.getByTestId('window-pick').waitFor()
  assert.deepEqual(errors, [])
  await page.close()
})

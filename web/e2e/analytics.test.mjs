// End-to-end: 数据可视化. A manager drills from the whole hall down to the
// tickets behind a number and exports the table; a department head sees only
// their department and is refused another; the big screen renders at
// 1920×1080 and 3840×2160 and shows a call made at a window within seconds.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { readFileSync } from 'node:fs'
import { SHOTS, launchBrowser, startServer } from './server.mjs'
import { counterAt, managerApi } from './hall.mjs'

let server
let browser
before(async () => {
  // Three days of generated history so the figures have something behind them.
  server = await startServer({ env: { GOVHALL_DEMO_HISTORY_DAYS: '3' } })
  browser = await launchBrowser()
})
after(async () => {
  await browser?.close()
  await server?.stop()
})

async function signIn(username) {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN', acceptDownloads: true })
  await page.goto(`${server.base}/admin/`)
  await page.locator('input[name=username]').fill(username)
  await page.locator('input[name=password]').fill('Demo@2026cah')
  await page.getByRole('button', { name: /登/ }).click()
  await page.locator('.el-menu').waitFor()
  await page.goto(`${server.base}/admin/#analysis`)
  await page.getByTestId('analysis-table').waitFor()
  return page
}

/** Clicks the table's busiest row (by its first figure) and waits for the next level. */
async function drillBusiest(page, crumb) {
  const rows = page.getByTestId('analysis-table').locator('.el-table__body-wrapper tbody tr')
  await rows.first().waitFor()
  const counts = await rows.evaluateAll((trs) => trs.map((tr) => Number((tr.querySelector('[data-testid="value-tickets_issued"]')?.textContent ?? '0').replace(/[^\d]/g, ''))))
  const best = counts.indexOf(Math.max(...counts))
  assert.ok(counts[best] > 0, `a row with tickets: ${counts}`)
  await rows.nth(best).locator('td').first().click()
  if (crumb) await page.getByTestId(`crumb-${crumb}`).waitFor()
}

test('a manager drills from the hall to the tickets behind a number and exports Excel', async () => {
  const page = await signIn('manager')
  await page.getByTestId('drill-path').filter({ hasText: '全厅' }).waitFor()
  await page.getByTestId('calibers').filter({ hasText: '等候时长 = 首次叫号时间 − 取号时间' }).waitFor()
  await drillBusiest(page, 'department')
  await drillBusiest(page, 'window')
  // The window's rows are its staff; a click on a person lists the tickets behind the number.
  await page.getByTestId('analysis-table').locator('thead').filter({ hasText: '人员' }).waitFor()
  await drillBusiest(page, null)
  const drawer = page.getByTestId('records-table')
  await drawer.locator('tbody tr').first().waitFor()
  const header = await drawer.locator('thead').textContent()
  assert.match(header, /号票/)
  const numbers = await drawer.locator('tbody tr td:first-child').allTextContents()
  assert.ok(numbers.length > 0 && numbers.every((n) => /^[A-Z]\d{3,}$/.test(n.trim())), `ticket numbers: ${numbers.slice(0, 5)}`)
  await page.screenshot({ path: join(SHOTS, 'analytics-records.png') })
  await page.keyboard.press('Escape')

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()])
  const file = await download.path()
  const bytes = readFileSync(file)
  assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'an .xlsx is a zip')
  assert.match(download.suggestedFilename(), /\.xlsx$/)

  // 成效报告: a draft from the data, its text edited, published, downloadable.
  await page.goto(`${server.base}/admin/#reports`)
  await page.getByTestId('generate-report').click()
  const detail = page.getByTestId('report-detail')
  await detail.filter({ hasText: '政务服务成效报告' }).waitFor()
  await page.getByTestId('report-problems').fill('高峰时段综合受理队列等候偏长')
  await page.getByTestId('publish-report').click()
  await page.getByRole('button', { name: '发布', exact: true }).click()
  await detail.filter({ hasText: '已发布' }).waitFor()
  await page.screenshot({ path: join(SHOTS, 'analytics-report.png') })
  const pdf = await page.request.get(`${server.base}${await detail.locator('a').first().getAttribute('href')}`)
  assert.equal((await pdf.body()).subarray(0, 4).toString(), '%PDF')
  await page.close()
})

test('a department head sees only their department and is refused another', async () => {
  const manager = await managerApi(browser, server)
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10)
  const all = await manager.ok(
    await manager.ctx.request.post(`${server.base}/api/v1/analytics/query`, {
      data: { indicators: ['cases_received'], dimensions: ['department'], from: '2026-01-01', to: today },
      headers: { 'x-csrf-token': (await manager.ctx.cookies()).find((c) => c.name === 'govhall_csrf').value },
    }),
  )
  const page = await signIn('reviewer')
  await page.waitForTimeout(2000)
  await page.screenshot({ path: join(SHOTS, 'analytics-reviewer.png') })
  const scope = await page.getByTestId('drill-path').locator('.scope').textContent()
  assert.match(scope, /本部门/)
  const mine = scope.replace(/^.*[:：]/, '').trim()
  const other = all.rows.find((r) => r.members.department.id && !r.members.department.label.includes(mine))
  assert.ok(other, 'another department with cases')
  // The page offers nothing it cannot narrow to the department, and breaks down by window.
  await page.getByTestId('analysis-table').locator('thead').filter({ hasText: '窗口' }).waitFor()
  const csrf = (await page.context().cookies()).find((c) => c.name === 'govhall_csrf').value
  const refused = await page.request.post(`${server.base}/api/v1/analytics/query`, {
    data: { indicators: ['cases_received'], filters: { department: [other.members.department.id] }, from: '2026-01-01', to: today },
    headers: { 'x-csrf-token': csrf },
  })
  assert.equal(refused.status(), 403)
  assert.match((await refused.json()).message, /部门/)
  const records = await page.request.post(`${server.base}/api/v1/analytics/records`, {
    data: { indicator: 'cases_received', members: { department: other.members.department.id }, from: '2026-01-01', to: today },
    headers: { 'x-csrf-token': csrf },
  })
  assert.equal(records.status(), 403)
  await page.close()
  await manager.ctx.close()
})

test('the big screen fits 1920×1080 and 3840×2160 and shows a call within seconds', async () => {
  const { api, ctx, ok, H } = await managerApi(browser, server)
  const { token } = await api.post('/devices', { name: '领导大屏', purpose: 'dashboard' })
  const kiosk = (await api.post('/devices', { name: '取号机', purpose: 'kiosk' })).token
  const open = async (width, height) => {
    const page = await browser.newPage({ viewport: { width, height }, locale: 'zh-CN' })
    await page.goto(`${server.base}/dashboard/?hall=CA-ZWFW&rotate=600#token=${token}`)
    await page.locator('[data-screen="live"]').getByTestId('dashboard-live').filter({ hasText: '实时' }).waitFor()
    await page.getByTestId('kpi-tickets_issued').waitFor()
    assert.ok(!page.url().includes('token'), 'the token left the address bar')
    const box = await page.getByTestId('screen-live').boundingBox()
    return { page, box }
  }
  const hd = await open(1920, 1080)
  assert.ok(hd.box.width > 1800 && hd.box.width <= 1920, `1920 canvas: ${JSON.stringify(hd.box)}`)
  await hd.page.screenshot({ path: join(SHOTS, 'dashboard-1920.png') })
  const uhd = await open(3840, 2160)
  assert.ok(uhd.box.width > 3600 && uhd.box.width <= 3840, `scaled ×2 on 4K: ${JSON.stringify(uhd.box)}`)
  // Every figure on the first screen is inside the canvas (nothing cut off at 4K).
  const outside = await uhd.page.evaluate(() =>
    [...document.querySelectorAll('[data-screen="live"] .panel')].filter((p) => {
      const r = p.getBoundingClientRect()
      return r.right > window.innerWidth + 1 || r.bottom > window.innerHeight + 1
    }).length,
  )
  assert.equal(outside, 0)
  await uhd.page.close()

  // A citizen takes a number; a clerk calls it: the floor plan and the calls list show it.
  const issued = await ok(await ctx.request.post(`${H}/tickets`, { data: { line: 'A' }, headers: { authorization: `Bearer ${kiosk}` } }))
  await hd.page.getByTestId('waiting-now').filter({ hasText: /^[1-9]/ }).waitFor({ timeout: 5000 })
  const clerk = await counterAt(browser, server, 'clerk01', '01 1号综合受理窗口（综合窗口）')
  await clerk.keyboard.press('F1')
  const number = await clerk.getByTestId('current-number').textContent()
  const calledAt = Date.now()
  await hd.page.getByTestId('tile-01').filter({ hasText: number }).waitFor({ timeout: 5000 })
  await hd.page.getByTestId('dash-calls').filter({ hasText: number }).waitFor({ timeout: 5000 })
  const seen = Date.now() - calledAt
  assert.ok(seen <= 2500, `the call reached the big screen in ${seen} ms`)
  assert.ok(issued.ticket.number)
  await hd.page.screenshot({ path: join(SHOTS, 'dashboard-live-call.png') })

  // The filter box: one department's figures, named under the title and kept in the address.
  const focus = hd.page.locator('[data-screen="live"]').getByTestId('dashboard-focus')
  const dept = focus.locator('optgroup[label="部门"] option').first()
  const [label, value] = [await dept.textContent(), await dept.getAttribute('value')]
  const asked = hd.page.waitForRequest((r) => /analytics\/screen\?widget=today.*department=/.test(r.url()))
  await focus.selectOption(value)
  await asked
  await hd.page.locator('[data-screen="live"]').getByTestId('dashboard-sub').filter({ hasText: label.trim() }).waitFor()
  assert.match(hd.page.url(), /[?&]department=/)
  await hd.page.screenshot({ path: join(SHOTS, 'dashboard-focus.png') })
  await clerk.close()
  await hd.page.close()
  await ctx.close()
})

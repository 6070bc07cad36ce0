// End-to-end: a morning in the hall. Kiosk tickets (one for an elderly
// citizen), two windows calling at once, a recall, a transfer, a pause, a
// no-show, finishing, and a 差评 on the window's rating pad that opens a
// rectification ticket — while the hall screen shows every call and queues
// its announcement, and the window screen follows its window.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { SHOTS, launchBrowser, startServer } from './server.mjs'
import { counterAt, managerApi } from './hall.mjs'

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

/** The manager's API: lines, skills, devices; returns the kiosk and screen tokens and an API helper. */
async function setUp() {
  const { api, ctx, ok, H } = await managerApi(browser, server)
  // The demo hall's lines A 综合受理 and B 税务公积金, as `serve --demo` seeds them.
  const lines = Object.fromEntries((await api.get('/queue/lines')).map((l) => [l.prefix, l.id]))
  assert.ok(lines.A && lines.B, 'demo lines A and B')
  const windows = (await api.get('/windows?page_size=200')).items
  const win = (code) => windows.find((w) => w.code === code).id
  await api.put(`/windows/${win('01')}/skills`, [{ line_id: lines.A, level: 'primary' }])
  await api.put(`/windows/${win('02')}/skills`, [
    { line_id: lines.A, level: 'primary' },
    { line_id: lines.B, level: 'secondary' },
  ])
  const kiosk = (await api.post('/devices', { name: '1号取号机', purpose: 'kiosk' })).token
  const screen = (await api.post('/devices', { name: '大厅综合屏', purpose: 'screen' })).token
  const issue = async (body) =>
    ok(await ctx.request.post(`${H}/tickets`, { data: body, headers: { authorization: `Bearer ${kiosk}` } }))
  return { api, issue, screen, ctx }
}

async function screenPage(token, query, width = 1920, height = 1080) {
  const page = await browser.newPage({ viewport: { width, height }, locale: 'zh-CN' })
  const errors = []
  page.on('pageerror', (e) => errors.push(String(e)))
  await page.goto(`${server.base}/screen/?hall=CA-ZWFW&${query}#token=${token}`)
  await page.getByTestId('live').filter({ hasText: '实时' }).waitFor()
  return { page, errors }
}

/** The hall screen's announcement log: texts in order, with their state. */
async function announced(page) {
  return page.evaluate(() => window.__screen.announcer.log.map((a) => ({ text: a.text, status: a.status })))
}

test('a morning: kiosk tickets, two windows, recall, transfer, pause, no-show, finish, 差评 → rectification', async () => {
  const { api, issue, screen, ctx } = await setUp()
  const hall = await screenPage(screen, 'mode=hall')
  const win1 = await screenPage(screen, 'mode=window&window=01')
  const pad = await screenPage(screen, 'mode=pad&window=01', 1280, 800)
  // The token left the address bar once stored.
  assert.ok(!hall.page.url().includes('token'))

  const elder = await issue({ line: 'A', id_number: '610116195001011231', phone: '13812345678' })
  assert.equal(elder.ticket.green_reason, 'elderly')
  for (const line of ['A', 'A', 'B']) await issue({ line })
  // The elderly citizen follows the ticket on the phone (the slip's QR code), in large type.
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true })
  await phone.goto(`${server.base}/mobile/?hall=CA-ZWFW&ticket=${elder.ticket.id}#token=${elder.token}`)
  await phone.getByTestId('ticket-number').filter({ hasText: 'A001' }).waitFor()
  await phone.getByTestId('ticket-status').filter({ hasText: '排队中' }).waitFor()
  await phone.getByTestId('big-text').click()
  assert.ok(!phone.url().includes('token'))
  await hall.page.getByTestId('line').filter({ hasText: '综合受理' }).filter({ hasText: '3 人' }).waitFor()

  const c1 = await counterAt(browser, server, 'clerk01', '01 1号综合受理窗口（综合窗口）')
  const c2 = await counterAt(browser, server, 'clerk02', '02 2号综合受理窗口（综合窗口）')
  // Both windows call at the same moment: two different tickets.
  await Promise.all([c1.keyboard.press('F1'), c2.keyboard.press('F1')])
  const n1 = c1.getByTestId('current-number')
  const n2 = c2.getByTestId('current-number')
  await n1.waitFor()
  await n2.waitFor()
  const [t1, t2] = [await n1.textContent(), await n2.textContent()]
  assert.notEqual(t1, t2)
  assert.deepEqual([t1, t2].sort(), ['A001', 'A002'], 'the elderly citizen is among the first two calls')
  for (const [n, w] of [[t1, 1], [t2, 2]]) {
    await hall.page.getByTestId('recent-call').filter({ hasText: n }).waitFor()
    await hall.page.waitForFunction((text) => window.__screen.announcer.log.some((a) => a.text === text), `请${n}号到${w}号窗口办理`)
  }
  await win1.page.getByTestId('current-number').filter({ hasText: t1 }).waitFor()
  // The clerk's photo, uploaded in the admin, appears on the window screen.
  const staffName = (await win1.page.getByTestId('staff').textContent()).split('　')[0]
  const member = (await api.get(`/staff?q=${encodeURIComponent(staffName)}`)).items[0]
  const csrf = (await ctx.cookies()).find((c) => c.name === 'govhall_csrf').value
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64')
  const up = await ctx.request.put(`${server.base}/api/v1/halls/CA-ZWFW/staff/${member.id}/photo`, { data: png, headers: { 'x-csrf-token': csrf, 'content-type': 'image/png' } })
  assert.equal(up.status(), 204)
  await win1.page.reload()
  await win1.page.getByTestId('staff-photo').waitFor()
  await phone.getByTestId('ticket-status').filter({ hasText: '请前往窗口' }).waitFor()
  await phone.getByTestId('go-window').filter({ hasText: '综合受理窗口' }).waitFor()
  await phone.screenshot({ path: join(SHOTS, 'mobile-ticket.png') })
  await hall.page.screenshot({ path: join(SHOTS, 'screen-hall.png') })

  // Recall at window 1: the same call is announced again, after the others.
  await c1.keyboard.press('F2')
  await c1.getByText('已呼 2 次').waitFor()
  await hall.page.waitForFunction((text) => window.__screen.announcer.log.filter((a) => a.text === text).length === 2, `请${t1}号到1号窗口办理`)

  // Window 2 transfers its ticket to the front of line B, then pauses for a meeting.
  await c2.keyboard.press('F9')
  await c2.getByTestId('transfer-line').selectOption('B')
  await c2.getByTestId('transfer-go').click()
  await c2.getByTestId('counter-message').filter({ hasText: '已转到 B 队列' }).waitFor()
  await c2.keyboard.press('F10')
  await c2.getByTestId('pause-reason').selectOption('会议')
  await c2.getByTestId('pause-go').click()
  await c2.getByTestId('paused-banner').waitFor()
  await hall.page.getByTestId('window-chip').filter({ hasText: '暂停·会议' }).waitFor()
  await c2.keyboard.press('F1')
  await c2.getByTestId('counter-message').filter({ hasText: '暂停' }).waitFor()

  // Window 1: its citizen does not come (no-show), the next one is served and finished.
  await c1.keyboard.press('F6')
  await c1.getByTestId('counter-message').filter({ hasText: '已按过号处理' }).waitFor()
  await c1.keyboard.press('F1')
  await n1.filter({ hasText: 'A003' }).waitFor({ timeout: 5000 }).catch(async (e) => {
    await c1.screenshot({ path: join(SHOTS, 'debug-c1.png') })
    throw e
  })
  // The no-show went back in line, and stays in the hall screen's recent calls.
  await hall.page.getByTestId('recent-call').filter({ hasText: 'A003' }).waitFor()
  assert.ok(await hall.page.getByTestId('recent-call').filter({ hasText: t1 }).count(), `${t1} left the recent calls`)
  await c1.keyboard.press('F3')
  await c1.getByText('办理中').waitFor()
  await c1.screenshot({ path: join(SHOTS, 'counter-facts.png') })
  await c1.keyboard.press('F4')
  await c1.getByTestId('counter-message').filter({ hasText: '已办结' }).waitFor()

  // The window's pad asks A003 to rate; a 差评 needs a reason and opens a rectification ticket.
  const p = pad.page
  await p.getByTestId('rating-pad').filter({ hasText: 'A003' }).waitFor()
  // A pad that reloads still asks for the pending rating.
  await p.reload()
  await p.getByTestId('rating-pad').filter({ hasText: 'A003' }).waitFor()
  await p.getByRole('button', { name: /非常不满意/ }).click()
  assert.ok(await p.getByRole('button', { name: '提交评价' }).isDisabled())
  await p.getByRole('button', { name: '态度生硬' }).click()
  await p.screenshot({ path: join(SHOTS, 'screen-pad.png') })
  await p.getByRole('button', { name: '提交评价' }).click()
  await p.getByText('感谢您的评价！').waitFor()
  const rects = await api.get('/rectifications')
  assert.equal(rects.length, 1)
  assert.equal(rects[0].status_label, '待核实')
  assert.equal(rects[0].rating.number, 'A003')
  assert.deepEqual(rects[0].rating.tags, ['态度生硬'])

  // Every call reached the hall screen's announcement queue, in order, none dropped.
  const log = await announced(hall.page)
  const texts = log.map((a) => a.text)
  assert.ok(texts.includes('请A003号到1号窗口办理'), texts.join(' / '))
  assert.equal(texts.filter((t) => t === `请${t1}号到1号窗口办理`).length, 2)
  assert.ok(log.every((a) => a.status !== 'failed'), JSON.stringify(log))
  await win1.page.screenshot({ path: join(SHOTS, 'screen-window.png') })

  // A screen that reconnects catches up from the snapshot.
  await hall.page.reload()
  await hall.page.getByTestId('recent-call').filter({ hasText: 'A003' }).waitFor()
  for (const s of [hall, win1, pad]) assert.deepEqual(s.errors, [])

  // The center works the rectification ticket in the admin, and tunes the policy.
  const admin = await ctx.newPage()
  await admin.setViewportSize({ width: 1440, height: 900 })
  await admin.goto(`${server.base}/admin/#ratings`)
  const row = admin.locator('.el-table__row').filter({ hasText: 'A003' }).first()
  await row.getByText('待核实').waitFor()
  // Buttons say what the person does, not the state it leads to.
  await row.getByRole('button', { name: '开始核实' }).click()
  await admin.getByRole('button', { name: '确定' }).click()
  await admin.getByText('处理说明', { exact: false }).first().waitFor()
  await admin.locator('.el-dialog textarea').fill('调取窗口录像，情况属实')
  await admin.getByRole('button', { name: '确定' }).click()
  await row.getByText('核实中').waitFor()
  await admin.locator('.el-dialog').waitFor({ state: 'hidden' })
  await admin.screenshot({ path: join(SHOTS, 'admin-ratings.png') })
  await admin.goto(`${server.base}/admin/#queue-settings`)
  await admin.reload()
  await admin.getByText('过号后顺延位数').waitFor()
  await admin.getByTestId('save-settings').click()
  await admin.getByText('已保存，下一次叫号即按新策略执行').waitFor()
  await admin.screenshot({ path: join(SHOTS, 'admin-queue-settings.png'), fullPage: true })
  await ctx.close()
})


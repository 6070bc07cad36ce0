// End-to-end: the citizen's side of the queue. A booking made on the phone
// (SMS code) is checked in at the kiosk, which also takes a walk-in ticket and
// prints both slips; a remote ticket from the phone; the window serves the
// appointment first and transfers it to a named window; the admin sees the
// day's bookings and the SMS outbox.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { SHOTS, launchBrowser, startServer } from './server.mjs'
import { counterAt, managerApi, smsCode } from './hall.mjs'

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

test('kiosk and phone: book on the phone, check in and take tickets at the kiosk, remote ticket, appointment served first', async () => {
  const { api, ctx } = await managerApi(browser, server)
  const today = (await api.get('/queue')).day
  const csrf = (await ctx.cookies()).find((c) => c.name === 'govhall_csrf').value
  const cal = await ctx.request.put(`${server.base}/api/v1/halls/CA-ZWFW/calendar/days/${today}`, { data: { kind: 'open', name: '测试开放' }, headers: { 'x-csrf-token': csrf } })
  assert.ok(cal.ok())
  const y = await api.post('/queue/lines', { prefix: 'Y', name: '不动产登记', opens_at: '00:00', closes_at: '23:59', slot_minutes: 5, slot_quota: 3 })
  const windows = (await api.get('/windows?page_size=200')).items
  await api.put(`/windows/${windows.find((w) => w.code === '01').id}/skills`, [{ line_id: y.id, level: 'primary' }])
  const kioskToken = (await api.post('/devices', { name: '2号取号机', purpose: 'kiosk' })).token

  // The phone books the next slot after an SMS code.
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true })
  const phoneErrors = []
  phone.on('pageerror', (e) => phoneErrors.push(String(e)))
  await phone.goto(`${server.base}/mobile/?hall=CA-ZWFW`)
  await phone.getByTestId('hall-name').filter({ hasText: '长安区' }).waitFor()
  await phone.getByTestId('tab-book').click()
  await phone.locator('.choices button[data-prefix=Y]').click()
  await phone.locator('.slots button:not([disabled])').first().click()
  await phone.getByTestId('m-phone').fill('13600000001')
  await phone.getByTestId('m-send-code').click()
  await phone.getByTestId('m-code').fill(await smsCode(phone))
  await phone.screenshot({ path: join(SHOTS, 'mobile-book.png') })
  await phone.getByTestId('m-book').click()
  const checkinCode = (await phone.getByTestId('m-booked-code').textContent()).trim()
  assert.match(checkinCode, /^\d{6}$/)

  // The kiosk (portrait): check the booking in, then take an ordinary ticket; each slip is printed.
  const kiosk = await browser.newPage({ viewport: { width: 1080, height: 1920 }, locale: 'zh-CN' })
  const kioskErrors = []
  kiosk.on('pageerror', (e) => kioskErrors.push(String(e)))
  await kiosk.addInitScript(() => {
    window.__printed = 0
    window.print = () => { window.__printed += 1 }
  })
  await kiosk.goto(`${server.base}/kiosk/?hall=CA-ZWFW#token=${kioskToken}`)
  await kiosk.locator('.line[data-prefix=Y]').waitFor()
  assert.ok(!kiosk.url().includes('token'))
  await kiosk.screenshot({ path: join(SHOTS, 'kiosk-home.png') })
  await kiosk.getByTestId('open-checkin').click()
  await kiosk.getByTestId('checkin-code').fill(checkinCode)
  await kiosk.getByTestId('checkin').click()
  await kiosk.getByTestId('slip-number').filter({ hasText: 'Y001' }).waitFor()
  await kiosk.getByTestId('slip-note').filter({ hasText: '预约号' }).waitFor()
  assert.ok(await kiosk.getByTestId('slip-qr').isVisible())
  await kiosk.waitForFunction(() => window.__printed === 1)
  await kiosk.screenshot({ path: join(SHOTS, 'kiosk-slip.png') })
  await kiosk.getByRole('button', { name: '完成' }).click()
  await kiosk.locator('.line[data-prefix=Y]').click()
  await kiosk.getByTestId('phone').fill('13600000003')
  await kiosk.getByTestId('take').click()
  await kiosk.getByTestId('slip-number').filter({ hasText: 'Y002' }).waitFor()
  await kiosk.waitForFunction(() => window.__printed === 2)
  // The kiosk refuses a second ticket for the same phone in the same line, in Chinese.
  await kiosk.getByRole('button', { name: '完成' }).click()
  await kiosk.locator('.line[data-prefix=Y]').click()
  await kiosk.getByTestId('phone').fill('13600000003')
  await kiosk.getByTestId('take').click()
  await kiosk.getByTestId('kiosk-error').filter({ hasText: '只能持有一个有效号' }).waitFor()

  // 远程取号 on the phone: then it follows the ticket.
  await phone.goto(`${server.base}/mobile/?hall=CA-ZWFW`)
  await phone.getByTestId('tab-ticket').click()
  // The demo's line A lists its matters; each opens its guide.
  await phone.locator('.choices button[data-prefix=A]').click()
  await phone.getByTestId('guide').filter({ hasText: '个体工商户登记' }).click()
  await phone.getByTestId('guide-body').getByText('申请材料').waitFor()
  await phone.getByTestId('guide-body').getByText('可免提交').first().waitFor()
  await phone.screenshot({ path: join(SHOTS, 'mobile-guide.png'), fullPage: true })
  await phone.locator('.choices button[data-prefix=Y]').click()
  await phone.getByTestId('m-phone').fill('13600000002')
  await phone.getByTestId('m-send-code').click()
  await phone.getByTestId('m-code').fill(await smsCode(phone))
  await phone.getByTestId('m-take').click()
  await phone.getByTestId('ticket-number').filter({ hasText: 'Y003' }).waitFor()
  await phone.getByTestId('ticket-status').filter({ hasText: '排队中' }).waitFor()

  // Window 01 serves the appointment first, shows its slot, and sends it on to window 02.
  const c1 = await counterAt(browser, server, 'clerk01', '01 1号综合受理窗口（综合窗口）')
  await c1.keyboard.press('F1')
  await c1.getByTestId('current-number').filter({ hasText: 'Y001' }).waitFor()
  await c1.getByTestId('appointment-badge').filter({ hasText: '预约' }).waitFor()
  await c1.screenshot({ path: join(SHOTS, 'counter-appointment.png') })
  await c1.keyboard.press('F9')
  await c1.getByTestId('transfer-line').selectOption('Y')
  await c1.getByTestId('transfer-window').selectOption({ label: '指定 02 2号综合受理窗口' })
  await c1.getByTestId('transfer-go').click()
  await c1.getByTestId('counter-message').filter({ hasText: '已转到 2号综合受理窗口' }).waitFor()
  await c1.keyboard.press('F1')
  await c1.getByTestId('current-number').filter({ hasText: 'Y002' }).waitFor()

  // The center sees the day's bookings and every SMS in the outbox.
  const admin = await ctx.newPage()
  await admin.setViewportSize({ width: 1440, height: 900 })
  await admin.goto(`${server.base}/admin/#appointments`)
  await admin.getByTestId('appointments').getByText('已签到').waitFor()
  await admin.getByTestId('appointments').getByText('136****0001').waitFor()
  await admin.screenshot({ path: join(SHOTS, 'admin-appointments.png') })
  await admin.goto(`${server.base}/admin/#notifications`)
  await admin.reload()
  await admin.getByTestId('outbox').getByText('预约成功').first().waitFor()
  await admin.getByTestId('outbox').getByText('叫号').first().waitFor()
  await admin.screenshot({ path: join(SHOTS, 'admin-notifications.png') })
  await admin.goto(`${server.base}/admin/#skills`)
  await admin.reload()
  await admin.getByTestId('skills').getByText('Y 不动产登记').first().waitFor()
  await admin.screenshot({ path: join(SHOTS, 'admin-skills.png') })
  assert.deepEqual(phoneErrors, [])
  assert.deepEqual(kioskErrors, [])
  await ctx.close()
})

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

test('a touch kiosk: says at once when it is not registered, searches without a keyboard, and forgets the last citizen when left idle', async () => {
  const size = { viewport: { width: 1080, height: 1920 }, locale: 'zh-CN', hasTouch: true }
  // No device token: the first screen says so and how to register, before anyone queues.
  const bare = await browser.newPage(size)
  await bare.goto(`${server.base}/kiosk/?hall=CA-ZWFW`)
  await bare.getByTestId('kiosk-unregistered').getByText('终端设备').waitFor()
  await bare.screenshot({ path: join(SHOTS, 'kiosk-unregistered.png') })
  await bare.close()

  const { api, ctx } = await managerApi(browser, server)
  const token = (await api.post('/devices', { name: '3号取号机', purpose: 'kiosk' })).token
  await ctx.close()
  const kiosk = await browser.newPage(size)
  const errors = []
  kiosk.on('pageerror', (e) => errors.push(String(e)))
  await kiosk.goto(`${server.base}/kiosk/?hall=CA-ZWFW&idle=15#token=${token}`)
  await kiosk.getByTestId('hall-name').filter({ hasText: '长安区' }).waitFor()

  // 智能导办 by touch: topics by life event, and 拼音 with candidate characters.
  await kiosk.getByTestId('open-guide').click()
  await kiosk.getByTestId('guide-topics').waitFor()
  const keyboard = kiosk.getByTestId('pinyin-keyboard')
  const typeSyllable = async (letters, char) => {
    for (const l of letters) await keyboard.locator(`[data-skbtn="${l}"]`).click()
    await keyboard.locator('.hg-candidate-box-list-item', { hasText: char }).first().click()
  }
  await typeSyllable('she', '社')
  await typeSyllable('bao', '保')
  await typeSyllable('ka', '卡')
  assert.equal(await kiosk.getByTestId('guide-q').inputValue(), '社保卡')
  await kiosk.screenshot({ path: join(SHOTS, 'kiosk-pinyin.png') })
  await keyboard.locator('[data-skbtn="{enter}"]').click()
  await kiosk.getByTestId('guide-hit').first().waitFor()
  const reasons = await kiosk.getByTestId('guide-hit').first().locator('small').count()
  assert.equal(reasons, 0, 'the kiosk shows no internal match reasons')
  const box = await kiosk.getByTestId('guide-hit').first().boundingBox()
  assert.ok(box.height >= 88, `touch-sized results (${box.height} px)`)

  // A half-typed phone is gone after the idle time, with a countdown first; the keypad stops at 11 digits.
  await kiosk.getByTestId('guide-back').click()
  await kiosk.locator('.line').first().click()
  for (let i = 0; i < 13; i++) await kiosk.locator('.keypad button', { hasText: /^1$/ }).click()
  assert.equal(await kiosk.getByTestId('phone').inputValue(), '11111111111')
  await kiosk.getByTestId('idle-countdown').waitFor({ timeout: 15000 })
  await kiosk.screenshot({ path: join(SHOTS, 'kiosk-idle.png') })
  await kiosk.getByTestId('open-guide').waitFor({ timeout: 15000 })
  await kiosk.locator('.line').first().click()
  assert.equal(await kiosk.getByTestId('phone').inputValue(), '', 'the next citizen starts clean')
  assert.deepEqual(errors, [])
  await kiosk.close()
})

// End-to-end: the hall screen shows the rotating clock-in code; a clerk's
// phone opens it and is clocked in, and sees the month; a 补卡 asked on the
// phone is approved in the admin's 考勤月报, where a machine file with a bad
// row is refused with the row named; the manager paints next week's roster.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { SHOTS, serverAndBrowser } from './server.mjs'
import { managerApi } from './hall.mjs'

const shared = serverAndBrowser({ before, after })
const PHONE = { viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true }
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
// 补卡 is for a time already past, early enough to be the day's first mark,
// in this month (the demo closes last month's pay, and with it its
// attendance): yesterday at 07:30, or on the 1st today at 00:05.
const yesterday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() - 86_400_000))
const fixDay = () => (yesterday().slice(0, 7) === today().slice(0, 7) ? yesterday() : today())
const fixTime = () => (fixDay() === today() ? '00:05' : '07:30')

async function adminPage(section) {
  const admin = await shared.browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
  await admin.goto(`${shared.server.base}/admin/`)
  await admin.locator('input[name=username]').fill('manager')
  await admin.locator('input[name=password]').fill('Demo@2026cah')
  await admin.getByRole('button', { name: /登/ }).click()
  await admin.locator('.el-menu').waitFor()
  await admin.getByText(section, { exact: true }).click()
  return admin
}

test('a clerk clocks in from the screen code, asks a 补卡, and the manager approves it', async () => {
  const { api, ctx } = await managerApi(shared.browser, shared.server)
  const { token } = await api.post('/devices', { name: '员工通道考勤屏', purpose: 'screen' })

  // The screen: a QR code and its countdown.
  const screen = await shared.browser.newPage({ viewport: { width: 1280, height: 720 }, locale: 'zh-CN' })
  await screen.goto(`${shared.server.base}/screen/?hall=CA-ZWFW&mode=clock&silent=1#token=${token}`)
  await screen.getByTestId('clock-qr').waitFor()
  const code = (await screen.getByTestId('clock-code').textContent()).trim()
  assert.match(code, /^[0-9A-F]{8}$/)
  await screen.screenshot({ path: join(SHOTS, 'screen-clock.png') })

  // The phone opens what the QR holds: asked to sign in, then clocked in.
  const phoneCtx = await shared.browser.newContext(PHONE)
  const phone = await phoneCtx.newPage()
  await phone.goto(`${shared.server.base}/learn/#/clock/${code}`)
  await phone.getByText('登录后自动打卡').waitFor()
  await phone.locator('input[name=username]').fill('clerk01')
  await phone.locator('input[name=password]').fill('Demo@2026cah')
  await phone.getByRole('button', { name: '登录' }).click()
  await phone.getByTestId('clock-result').getByText('打卡成功').waitFor()
  await phone.getByTestId('my-figures').waitFor()
  await phone.screenshot({ path: join(SHOTS, 'learn-clock.png'), fullPage: true })
  // A made-up code is refused, saying what to do.
  await phone.goto(`${shared.server.base}/learn/#/clock/00000000`)
  await phone.getByTestId('clock-result').getByText('未能打卡').waitFor()
  await phone.getByText('请在大厅现场扫描').waitFor()

  // 补卡 asked on the phone.
  await phone.goto(`${shared.server.base}/learn/#/clock`)
  await phone.locator('input[name=correction-day]').fill(fixDay())
  await phone.locator('input[name=correction-time]').fill(fixTime())
  await phone.locator('input[name=correction-reason]').fill('门禁故障，未能扫码')
  await phone.getByTestId('correction-submit').click()
  await phone.getByText('已提交补卡申请').waitFor()

  // The manager: the month's sheet, a bad machine file, the 补卡 approved.
  const admin = await adminPage('考勤月报')
  await admin.getByTestId('sheet-row-CA0001').waitFor()
  await admin.getByTestId('sheet-totals').getByText('出勤率').waitFor()
  await admin.waitForTimeout(300)
  await admin.screenshot({ path: join(SHOTS, 'admin-attendance.png') })
  await admin.getByTestId('punch-import').setInputFiles({
    name: '考勤机导出.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`工号,姓名,打卡时间\nCA0001,,${today()} 08:50\nXX0001,无此人,${today()} 08:51\n`),
  })
  await admin.getByTestId('punch-import-problems').getByText('第 3 行「工号」').waitFor()
  await admin.getByRole('tab', { name: /补卡审批/ }).click()
  await admin.getByTestId('corrections').getByText('门禁故障').waitFor()
  await admin.getByTestId('approve-correction-CA0001').click()
  await admin.getByTestId('corrections').getByText('已批准').waitFor()
  await admin.close()

  const month = fixDay().slice(0, 7)
  const mine = await phone.evaluate(async (m) => (await fetch(`/api/v1/halls/CA-ZWFW/hr/my-attendance?month=${m}`)).json(), month)
  const day = mine.row.days.find((d) => d.day === fixDay())
  assert.equal(day.first, fixTime(), JSON.stringify(day))
  await phoneCtx.close()
  await screen.close()
  await ctx.close()
})

test('the manager paints next week on the roster', async () => {
  const admin = await adminPage('排班与班次')
  await admin.getByTestId('roster-grid').waitFor()
  await admin.getByTestId('next-week').click()
  await admin.waitForTimeout(300)
  await admin.getByTestId('brush').getByText('早班').click()
  const cell = admin.locator('[data-testid^="cell-CA0001-"]').first()
  const id = await cell.getAttribute('data-testid')
  await cell.click()
  await admin.getByTestId('save-roster').click()
  await admin.getByText('已保存 1 个班').waitFor()
  await admin.getByTestId(id).getByText('早班').waitFor()
  await admin.waitForTimeout(400)
  await admin.screenshot({ path: join(SHOTS, 'admin-roster.png') })
  await admin.close()
})

test('a uniform batch is recorded and a shirt issued by the person\'s size', async () => {
  const { api, ctx } = await managerApi(shared.browser, shared.server)
  const sizes = await api.get('/hr/uniform-sizes')
  const zhang = sizes.find((s) => s.employee_no === 'CA0001')
  await api.put(`/hr/uniform-sizes/${zhang.staff_id}`, { top: '170/92A', bottom: '170/76A', shoes: '42' })
  const admin = await adminPage('工装与福利')
  await admin.getByRole('tab', { name: '采购与库存' }).click()
  await admin.getByTestId('add-batch').click()
  await admin.getByTestId('batch-item').fill('衬衫')
  await admin.getByTestId('batch-supplier').fill('西安某服饰有限公司')
  await admin.getByTestId('batch-price').locator('input').fill('128')
  await admin.getByTestId('save-batch').click()
  await admin.getByTestId('uniform-batches').getByText('西安某服饰有限公司').waitFor()
  await admin.getByTestId('uniform-batches').getByRole('button', { name: '发放' }).first().click()
  await admin.getByTestId('issue-person').click()
  await admin.keyboard.type('CA0001')
  await admin.getByRole('option', { name: /CA0001/ }).click()
  await admin.getByTestId('save-issue').click()
  await admin.getByText('已登记发放').waitFor()
  await admin.getByRole('tab', { name: '发放记录' }).click()
  await admin.getByTestId('uniform-issues').getByText('170/92A').waitFor()
  await admin.waitForTimeout(400)
  await admin.screenshot({ path: join(SHOTS, 'admin-uniforms.png') })
  await admin.close()
  await ctx.close()
})

test('a candidate goes from application to hire on the 招聘 page', async () => {
  const admin = await adminPage('招聘')
  await admin.getByTestId('add-opening').click()
  await admin.getByTestId('opening-title').fill('综合窗口受理员')
  await admin.getByTestId('opening-reason').fill('离职补员')
  await admin.getByTestId('save-opening').click()
  await admin.getByTestId('opening-综合窗口受理员').waitFor()
  await admin.getByTestId('add-candidate').click()
  await admin.getByTestId('candidate-name').fill('刘洋')
  await admin.getByTestId('candidate-phone').fill('1391234567')
  await admin.getByTestId('save-candidate').click()
  await admin.getByText('手机号须为 11 位').first().waitFor()
  await admin.getByTestId('candidate-phone').fill('13912345678')
  await admin.getByTestId('save-candidate').click()
  await admin.getByTestId('candidates').getByText('139****5678').waitFor()
  await admin.getByTestId('interview-刘洋').click()
  const tomorrow = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() + 86_400_000))
  await admin.getByRole('dialog', { name: /安排面试/ }).locator('.el-date-editor input').first().fill(`${tomorrow} 10:00:00`)
  await admin.keyboard.press('Enter')
  await admin.getByTestId('interviewer').fill('周嘉怡')
  await admin.getByTestId('save-stage').click()
  await admin.getByTestId('candidates').getByText('待面试').waitFor()
  await admin.waitForTimeout(400)
  await admin.getByTestId('offer-刘洋').click()
  await admin.getByTestId('save-stage').click()
  await admin.getByTestId('candidates').getByText('已发录用通知').waitFor()
  await admin.waitForTimeout(400)
  await admin.getByTestId('hire-刘洋').click()
  await admin.getByTestId('hire-employee-no').fill('CA0901')
  await admin.getByTestId('hire-username').fill('liuyang')
  await admin.getByTestId('save-hire').click()
  await admin.getByTestId('one-time-password').waitFor()
  await admin.getByRole('button', { name: '知道了' }).click()
  await admin.getByTestId('candidates').getByText('已入职').waitFor()
  await admin.getByTestId('opening-综合窗口受理员').getByText('已结束').waitFor()
  await admin.getByTestId('candidates').getByText('刘洋').waitFor()
  await admin.waitForTimeout(400)
  await admin.screenshot({ path: join(SHOTS, 'admin-recruitment.png') })
  await admin.close()
})

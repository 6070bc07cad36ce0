// End-to-end: a clerk asks for leave on the phone, the manager approves it
// in the admin, and the counter refuses the clerk's window sign-in that day;
// 销假 on the phone lets them sign in again.
import { test, before, after } from 'node:test'
import { join } from 'node:path'
import { SHOTS, serverAndBrowser } from './server.mjs'
import { managerApi } from './hall.mjs'

const shared = serverAndBrowser({ before, after })
const PHONE = { viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true }

/** Today in the hall's time, `YYYY-MM-DD`. */
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())

async function counterSignIn(page) {
  await page.goto(`${shared.server.base}/counter/?hall=CA-ZWFW`)
  await page.locator('input[name=username]').fill('clerk01')
  await page.locator('input[name=password]').fill('Demo@2026cah')
  await page.getByRole('button', { name: '登 录' }).click()
  await page.getByTestId('window-pick').selectOption({ index: 1 })
  await page.getByTestId('take-window').click()
}

test('approved leave keeps the clerk from signing in at a window that day', async () => {
  // The hall counts 事假 in calendar days, so today is a day of leave whatever day it is.
  const { api, ctx } = await managerApi(shared.browser, shared.server)
  await api.put('/hr/leave-types/personal', { name: '事假', rule: 'unlimited', working_days: false, paid: false, source: '本中心考勤制度：事假按自然日计算' })

  const phoneCtx = await shared.browser.newContext(PHONE)
  const phone = await phoneCtx.newPage()
  await phone.goto(`${shared.server.base}/learn/#/login`)
  await phone.locator('input[name=username]').fill('clerk01')
  await phone.locator('input[name=password]').fill('Demo@2026cah')
  await phone.getByRole('button', { name: '登录' }).click()
  await phone.getByText('我的课程').waitFor()
  await phone.getByTestId('tab-leave').click()
  await phone.getByTestId('leave-balances').getByText('年休假').waitFor()
  // An end before the start is refused and named.
  await phone.locator('select[name=leave-type]').selectOption('personal')
  await phone.locator('input[name=starts-on]').fill(today())
  await phone.locator('input[name=ends-on]').fill('2000-01-01')
  await phone.locator('input[name=leave-reason]').fill('家中有事')
  await phone.getByTestId('leave-submit').click()
  await phone.getByText('结束日期不能早于开始日期').first().waitFor()
  await phone.locator('input[name=ends-on]').fill(today())
  await phone.getByTestId('leave-submit').click()
  await phone.getByTestId('leave-message').getByText('已提交').waitFor()
  await phone.getByTestId('my-leave').getByText('待审批').waitFor()
  await phone.screenshot({ path: join(SHOTS, 'learn-leave.png'), fullPage: true })

  // The manager approves it in 请假审批.
  const admin = await shared.browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
  await admin.goto(`${shared.server.base}/admin/`)
  await admin.locator('input[name=username]').fill('manager')
  await admin.locator('input[name=password]').fill('Demo@2026cah')
  await admin.getByRole('button', { name: /登/ }).click()
  await admin.locator('.el-menu').waitFor()
  await admin.getByText('请假审批', { exact: true }).click()
  await admin.getByTestId('leave-requests').getByText('家中有事').waitFor()
  await admin.screenshot({ path: join(SHOTS, 'admin-leave.png') })
  await admin.getByTestId('approve-CA0001').click()
  await admin.getByText('已批准').first().waitFor()
  await admin.close()

  // The counter refuses the sign-in, saying why.
  const counter = await shared.browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
  await counterSignIn(counter)
  await counter.getByText('请假期间').waitFor()
  await counter.screenshot({ path: join(SHOTS, 'counter-on-leave.png') })

  // 销假 on the phone: the sign-in goes through.
  await phone.reload()
  await phone.getByRole('button', { name: '销假' }).click()
  await phone.getByTestId('my-leave').getByText('已销假').waitFor()
  await counter.getByTestId('take-window').click()
  await counter.getByTestId('my-window').waitFor()
  await counter.close()
  await phoneCtx.close()
  await ctx.close()
})

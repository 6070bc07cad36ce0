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

test('a group member\'s leave is agreed by the 组长 on the phone before the manager', async () => {
  const { api, ctx } = await managerApi(shared.browser, shared.server)
  const people = await api.get('/hr/profiles')
  const id = (no) => people.find((p) => p.employee_no === no).staff_id
  await api.post('/hr/groups', { name: '综合受理一组', leader_staff_id: id('CA0002'), member_ids: [id('CA0001')] })
  const later = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() + 10 * 86_400_000))
  await api.put('/hr/leave-types/personal', { name: '事假', rule: 'unlimited', working_days: false, paid: false, source: '本中心考勤制度：事假按自然日计算' })

  const phoneAs = async (username) => {
    const c = await shared.browser.newContext(PHONE)
    const p = await c.newPage()
    await p.goto(`${shared.server.base}/learn/#/login`)
    await p.locator('input[name=username]').fill(username)
    await p.locator('input[name=password]').fill('Demo@2026cah')
    await p.getByRole('button', { name: '登录' }).click()
    await p.getByText('我的课程').waitFor()
    await p.getByTestId('tab-leave').click()
    return { c, p }
  }
  const member = await phoneAs('clerk01')
  await member.p.locator('select[name=leave-type]').selectOption('personal')
  await member.p.locator('input[name=starts-on]').fill(later)
  await member.p.locator('input[name=ends-on]').fill(later)
  await member.p.locator('input[name=leave-reason]').fill('孩子开家长会')
  await member.p.getByTestId('leave-submit').click()
  await member.p.getByTestId('my-leave').getByText('待组长审批').waitFor()

  const leader = await phoneAs('clerk02')
  await leader.p.getByTestId('my-group').getByText('孩子开家长会').waitFor()
  await leader.p.screenshot({ path: join(SHOTS, 'learn-group-leave.png'), fullPage: true })
  await leader.p.getByTestId('agree-CA0001').click()
  await leader.p.getByTestId('my-group').getByText('待审批').waitFor()
  const list = await api.get('/hr/leave-requests')
  const mine = list.find((r) => r.reason === '孩子开家长会')
  if (mine.status !== 'pending') throw new Error(`expected pending for the manager, got ${mine.status}`)
  await member.c.close()
  await leader.c.close()
  await ctx.close()
})

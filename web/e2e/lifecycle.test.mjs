// End-to-end: 入职 of a new hire in the admin — the account opens with a
// one-time password, the hire works only at the authorised window and finds
// the 岗前 training assigned on the phone; then 离职 with the last day past
// shuts the account out at once.
import { test, before, after } from 'node:test'
import { join } from 'node:path'
import { SHOTS, serverAndBrowser } from './server.mjs'
import { managerApi } from './hall.mjs'

const shared = serverAndBrowser({ before, after })
const NEW_PASSWORD = 'Xin#Yuan2026gong'

/** A date in the hall's time, `YYYY-MM-DD`, `days` from today. */
function day(days = 0) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() + days * 86400_000))
}

async function counterLogin(page, password) {
  await page.goto(`${shared.server.base}/counter/?hall=CA-ZWFW`)
  await page.locator('input[name=username]').fill('linxin')
  await page.locator('input[name=password]').fill(password)
  await page.getByRole('button', { name: '登 录' }).click()
}

test('a hire is onboarded end to end and shut out on leaving', async () => {
  // A 岗前 plan that takes in anyone who joined within 30 days.
  const { api, ctx, ok } = await managerApi(shared.browser, shared.server)
  const course = await api.post('/training/courses', { title: '新员工岗前综合培训', category: '服务礼仪' })
  await api.post('/training/plans', { title: '新员工岗前培训', kind: '岗前', course_ids: [course.id], joined_within_days: 30, due_on: day(30) })

  const admin = await shared.browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
  await admin.goto(`${shared.server.base}/admin/`)
  await admin.locator('input[name=username]').fill('manager')
  await admin.locator('input[name=password]').fill('Demo@2026cah')
  await admin.getByRole('button', { name: /登/ }).click()
  await admin.locator('.el-menu').waitFor()
  await admin.getByText('入转调离', { exact: true }).click()
  await admin.getByTestId('open-hire').click()
  const dialog = admin.getByRole('dialog')
  await dialog.getByTestId('hire-no').fill('CA0950')
  await dialog.getByTestId('hire-name').fill('林新')
  // Hired ten days ago (the paperwork follows the first day).
  await dialog.locator('.el-date-editor input').fill(day(-10))
  await dialog.locator('.el-date-editor input').press('Enter')
  await dialog.getByTestId('hire-username').fill('linxin')
  await dialog.getByTestId('hire-windows').click()
  await admin.getByRole('option', { name: /^03 / }).click()
  await admin.keyboard.press('Escape')
  await dialog.getByTestId('submit-hire').click()
  const alert = admin.getByRole('dialog', { name: '已办理入职' })
  await alert.waitFor()
  const text = await alert.textContent()
  const otp = text.match(/初始密码：(\S+)/)[1].replace(/仅显示.*/, '')
  await alert.getByRole('button', { name: '我已记下' }).click()
  // The checklist: account, windows and training seen by the system.
  await admin.getByTestId('changes').getByText('林新').click()
  const row = admin.getByTestId('changes').locator('tr', { hasText: '林新' })
  await row.locator('.el-table__expand-icon').click()
  for (const code of ['account', 'windows', 'training']) {
    await admin.getByTestId(`check-CA0950-${code}`).getByText('✔').waitFor()
  }
  await admin.screenshot({ path: join(SHOTS, 'admin-hr-onboarding.png') })
  // 劳动合同: one filed for the hire through the page.
  await admin.getByText('劳动合同', { exact: true }).click()
  await admin.getByTestId('add-contract').click()
  const contract = admin.getByRole('dialog', { name: '登记合同' })
  await contract.getByTestId('contract-staff').click()
  await admin.keyboard.type('CA0950')
  await admin.getByRole('option', { name: /CA0950/ }).click()
  await contract.getByTestId('contract-number').fill('CAHT-2026-0950')
  for (const i of [0, 1]) {
    await contract.locator('.el-date-editor input').nth(i).fill(day(-10))
    await contract.locator('.el-date-editor input').nth(i).press('Enter')
  }
  await contract.locator('.el-date-editor input').nth(2).fill(day(-20))
  await contract.locator('.el-date-editor input').nth(2).press('Enter')
  await contract.getByRole('button', { name: '保存' }).click()
  await contract.getByText('合同终止日期须晚于起始日期').waitFor()
  const ends = contract.locator('.el-date-editor input').nth(2)
  await ends.fill(day(1094))
  await ends.press('Enter')
  // Under load the picker may take a moment to hold the typed date.
  for (let i = 0; i < 50 && (await ends.inputValue()) !== day(1094); i++) await admin.waitForTimeout(100)
  await contract.getByRole('button', { name: '保存' }).click()
  await contract.waitFor({ state: 'hidden' }).catch(async (e) => {
    throw new Error(`合同未保存：${await contract.innerText()}`, { cause: e })
  })
  await admin.getByTestId('contracts').locator('tr', { hasText: 'CAHT-2026-0950' }).getByText('履行中').waitFor()
  await admin.screenshot({ path: join(SHOTS, 'admin-hr-contracts.png') })
  // Back on 入转调离, the checklist's contract item is ticked.
  await admin.getByText('入转调离', { exact: true }).click()
  await admin.getByTestId('changes').locator('tr', { hasText: '林新' }).locator('.el-table__expand-icon').click()
  await admin.getByTestId('check-CA0950-contract').getByText('✔').waitFor()

  // First sign-in: the one-time password is changed.
  const me = await shared.browser.newContext()
  await ok(await me.request.post(`${shared.server.base}/api/v1/auth/login`, { data: { username: 'linxin', password: otp } }))
  const csrf = (await me.cookies()).find((c) => c.name === 'govhall_csrf').value
  await ok(await me.request.post(`${shared.server.base}/api/v1/auth/password`, { data: { current_password: otp, new_password: NEW_PASSWORD }, headers: { 'x-csrf-token': csrf } }))
  await me.close()

  // The counter: only the authorised window.
  const counter = await shared.browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
  await counterLogin(counter, NEW_PASSWORD)
  await counter.getByTestId('window-pick').selectOption({ label: '04 4号综合受理窗口（综合窗口）' })
  await counter.getByTestId('take-window').click()
  await counter.getByText('未获授权').waitFor()
  await counter.getByTestId('window-pick').selectOption({ label: '03 3号综合受理窗口（综合窗口）' })
  await counter.getByTestId('take-window').click()
  await counter.getByTestId('my-window').waitFor()
  // The phone: the 岗前 plan is among the hire's tasks.
  const phoneCtx = await shared.browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true })
  const phone = await phoneCtx.newPage()
  await phone.goto(`${shared.server.base}/learn/#/login`)
  await phone.locator('input[name=username]').fill('linxin')
  await phone.locator('input[name=password]').fill(NEW_PASSWORD)
  await phone.getByRole('button', { name: '登录' }).click()
  await phone.getByTestId('tasks').getByText('新员工岗前培训').waitFor()

  // 离职 with the last working day yesterday: the account is shut at once.
  await admin.getByTestId('open-change').click()
  const change = admin.getByRole('dialog', { name: '转正 / 调岗 / 离职' })
  await change.getByTestId('change-staff').click()
  await admin.keyboard.type('CA0950')
  await admin.getByRole('option', { name: /CA0950/ }).click()
  await change.locator('.el-date-editor input').fill(day(-1))
  await change.locator('.el-date-editor input').press('Enter')
  await change.getByTestId('change-reason').fill('个人原因辞职')
  await change.getByTestId('submit-change').click()
  await change.waitFor({ state: 'hidden' })
  const leaving = admin.getByTestId('changes').locator('tr', { hasText: '离职' })
  await leaving.locator('.el-table__expand-icon').click()
  await admin.getByTestId('check-CA0950-accounts').getByText('✔').waitFor()
  await admin.screenshot({ path: join(SHOTS, 'admin-hr-leaving.png') })
  // The month's staff report names the joiner (and the leaver, when yesterday was this month).
  await admin.getByText('人员状态月报', { exact: true }).click()
  const monthPicker = admin.locator('.el-date-editor input').first()
  await monthPicker.fill(day(-10).slice(0, 7))
  await monthPicker.press('Enter')
  await admin.getByText('入职（1 人）').waitFor()
  await admin.getByRole('cell', { name: '林新' }).first().waitFor()
  await admin.screenshot({ path: join(SHOTS, 'admin-hr-report.png'), fullPage: true })
  // The phone's session ended with the account.
  const meNow = await phone.request.get(`${shared.server.base}/api/v1/auth/me`)
  if (meNow.status() !== 401) throw new Error(`the leaver's session still answers ${meNow.status()}`)
  await counterLogin(counter, NEW_PASSWORD)
  await counter.getByText(/账号或密码/).waitFor()
  await admin.close()
  await counter.close()
  await phoneCtx.close()
  await ctx.close()
})

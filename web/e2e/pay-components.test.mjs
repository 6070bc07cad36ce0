// End-to-end: finance writes a 薪资项目 as a formula — a divisor that can be
// zero is refused with the reason, the trial shows the result while typing —
// and the month's payroll puts it on every payslip under its own name.
import { test, before, after } from 'node:test'
import { join } from 'node:path'
import { SHOTS, serverAndBrowser } from './server.mjs'

const shared = serverAndBrowser({ before, after })

test('a formula component is tried, refused when it can divide by zero, saved and paid', async () => {
  const page = await shared.browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' })
  await page.goto(`${shared.server.base}/admin/`)
  await page.locator('input[name=username]').fill('manager')
  await page.locator('input[name=password]').fill('Demo@2026cah')
  await page.getByRole('button', { name: /登/ }).click()
  await page.locator('.el-menu').waitFor()
  await page.getByText('薪资项目', { exact: true }).click()
  // The demo's own: 全勤奖 and 事假扣款 from the attendance sheet.
  await page.getByTestId('components').getByText('事假扣款').waitFor()

  await page.getByTestId('add-component').click()
  const dialog = page.getByRole('dialog')
  await dialog.getByTestId('component-name').fill('通讯补贴')
  await dialog.getByTestId('component-kind').click()
  await page.getByRole('option', { name: '免税补贴' }).click()
  // A divisor nobody guarded: the trial says so, and so does saving.
  await dialog.getByTestId('component-formula').fill('3000 / 实出勤天数')
  await dialog.getByTestId('trial').getByText('公式可能除以零').waitFor()
  await dialog.getByTestId('save-component').click()
  await dialog.locator('.el-form-item__error').getByText('公式可能除以零').waitFor()

  // Written with a variable chip: the trial shows the figure on typical values.
  await dialog.getByTestId('component-formula').fill('MIN(300, ')
  await dialog.getByRole('button', { name: '月工资', exact: true }).click()
  await dialog.getByTestId('component-formula').press('End')
  await dialog.getByTestId('component-formula').pressSequentially(' * 10%)')
  await dialog.getByTestId('trial').getByText('= 300.00 元').waitFor()
  await page.mouse.move(0, 0) // no tooltip over the palette
  await page.waitForTimeout(400)
  await page.screenshot({ path: join(SHOTS, 'admin-pay-component.png') })
  await dialog.getByTestId('save-component').click()
  await dialog.waitFor({ state: 'hidden' })
  await page.getByTestId('components').getByText('MIN(300, 月工资 * 10%)').waitFor()
  await page.screenshot({ path: join(SHOTS, 'admin-pay-components.png') })

  // The month's payroll: the line under its name on the payslip.
  await page.getByText('月度工资', { exact: true }).click()
  await page.getByTestId('calculate').click()
  await page.getByTestId('run-status').getByText('待审核').waitFor()
  await page.getByTestId('register').locator('tbody tr').first().click()
  await page.getByTestId('payslip').getByText('通讯补贴（免税）').waitFor()
  await page.getByTestId('payslip').getByText('公式：MIN(300, 月工资 * 10%)').waitFor()
  await page.waitForTimeout(400) // the drawer's sliding in
  await page.screenshot({ path: join(SHOTS, 'admin-payslip-component.png') })
  await page.close()
})

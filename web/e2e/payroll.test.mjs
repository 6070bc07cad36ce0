// End-to-end: finance checks a withholding by hand in 个税试算 — the tax
// authority's worked example of the 累计预扣法 gives 555, 625 and 1,850.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { SHOTS, serverAndBrowser } from './server.mjs'

const shared = serverAndBrowser({ before, after })

test('个税试算 reproduces the 61号公告 example month by month', async () => {
  const page = await shared.browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' })
  await page.goto(`${shared.server.base}/admin/`)
  await page.locator('input[name=username]').fill('manager')
  await page.locator('input[name=password]').fill('Demo@2026cah')
  await page.getByRole('button', { name: /登/ }).click()
  await page.locator('.el-menu').waitFor()
  await page.getByText('个税试算').click()
  const first = page.getByTestId('iit-input').locator('tbody tr').first().locator('input')
  // 收入, 免税收入, 专项扣除, 专项附加扣除 …
  for (const [i, v] of [[0, '30000'], [2, '4500'], [3, '2000']]) {
    await first.nth(i).fill(v)
    await first.nth(i).press('Tab')
  }
  await page.getByRole('button', { name: '各月同首月' }).click()
  await page.getByTestId('iit-compute').click()
  const result = page.getByTestId('iit-result')
  const rows = result.locator('tbody tr')
  await rows.first().waitFor()
  for (const [i, tax] of [[0, '555.00'], [1, '625.00'], [2, '1,850.00']]) {
    // 本月应预扣 is the bold figure of the row.
    await rows.nth(i).locator('b').getByText(tax, { exact: true }).waitFor()
  }
  await page.screenshot({ path: join(SHOTS, 'admin-iit.png'), fullPage: true })
  await page.close()
})

/** The current month in the hall's time, `YYYY-MM`. */
function thisMonth() {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).formatToParts(new Date())
  return `${parts.find((p) => p.type === 'year').value}-${parts.find((p) => p.type === 'month').value}`
}

test('人事档案 refuses a wrong ID number and stores a right one masked', async () => {
  const page = await shared.browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' })
  await page.goto(`${shared.server.base}/admin/`)
  await page.locator('input[name=username]').fill('manager')
  await page.locator('input[name=password]').fill('Demo@2026cah')
  await page.getByRole('button', { name: /登/ }).click()
  await page.locator('.el-menu').waitFor()
  await page.getByText('人事档案', { exact: true }).click()
  await page.getByTestId('edit-CA0003').click()
  const dialog = page.getByRole('dialog')
  await dialog.getByTestId('id-card').fill('110105194912310021')
  await dialog.getByTestId('save-profile').click()
  await dialog.getByText('身份证号不正确').first().waitFor()
  await dialog.getByTestId('id-card').fill('11010519491231002X')
  await dialog.getByTestId('save-profile').click()
  await dialog.waitFor({ state: 'hidden' })
  await page.getByTestId('profiles').getByText('110105********002X').waitFor()
  await page.getByTestId('edit-CA0003').click()
  await dialog.getByTestId('id-card').waitFor()
  await page.waitForTimeout(400) // the dialog's opening animation
  await page.screenshot({ path: join(SHOTS, 'admin-hr-profile.png') })
  await page.close()
})

test('a month is computed, approved and paid; each person sees only their own payslip', async () => {
  const month = thisMonth()
  const page = await shared.browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN', acceptDownloads: true })
  await page.goto(`${shared.server.base}/admin/`)
  await page.locator('input[name=username]').fill('manager')
  await page.locator('input[name=password]').fill('Demo@2026cah')
  await page.getByRole('button', { name: /登/ }).click()
  await page.locator('.el-menu').waitFor()
  await page.getByText('月度工资', { exact: true }).click()
  await page.getByText('尚未核算', { exact: true }).waitFor()

  // 绩效 for clerk01 (CA0001), then compute: all 76 staff of the demo hall.
  await page.getByTestId('add-item').click()
  const dialog = page.getByRole('dialog')
  await dialog.getByTestId('item-staff').click()
  await page.keyboard.type('CA0001')
  await page.getByRole('option', { name: /CA0001/ }).click()
  await dialog.getByTestId('item-amount').locator('input').fill('888')
  await dialog.getByTestId('item-reason').fill('本月考核优秀')
  await dialog.getByTestId('save-item').click()
  await dialog.waitFor({ state: 'hidden' })
  await page.getByTestId('calculate').click()
  await page.getByTestId('run-status').getByText('待审核').waitFor()
  assert.equal(await page.getByTestId('register').locator('tbody tr').count(), 76)
  await page.getByTestId('register').locator('tbody tr').first().click()
  await page.getByTestId('payslip').getByText('本月考核优秀').waitFor()
  await page.waitForTimeout(400) // the drawer's sliding in
  await page.screenshot({ path: join(SHOTS, 'admin-payroll.png'), fullPage: true })
  await page.keyboard.press('Escape')

  await page.getByTestId('approve').click()
  await page.getByRole('button', { name: '审核关账' }).last().click()
  await page.getByTestId('run-status').getByText('已审核关账').waitFor()
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('bank-file').click()])
  assert.equal(download.suggestedFilename(), `代发工资-${month}.xlsx`)
  const bytes = await readFile(await download.path())
  assert.equal(bytes.subarray(0, 2).toString(), 'PK')
  await page.close()

  // clerk01 on the phone: this month's payslip with the 绩效; clerk02 sees their own.
  for (const [user, no, bonus] of [['clerk01', 'CA0001', true], ['clerk02', 'CA0002', false]]) {
    const phone = await shared.browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true })
    await phone.goto(`${shared.server.base}/learn/#/login`)
    await phone.locator('input[name=username]').fill(user)
    await phone.locator('input[name=password]').fill('Demo@2026cah')
    await phone.getByRole('button', { name: '登录' }).click()
    await phone.getByText('我的课程').waitFor()
    await phone.getByTestId('tab-pay').click()
    await phone.getByTestId('pay-month').first().waitFor()
    if (user === 'clerk01') await phone.screenshot({ path: join(SHOTS, 'learn-pay-list.png') })
    await phone.getByTestId('pay-month').first().click()
    await phone.getByTestId('payslip').waitFor()
    await phone.getByText(`工号 ${no}`).waitFor()
    assert.equal(await phone.getByText('本月考核优秀').count(), bonus ? 1 : 0)
    if (user === 'clerk01') await phone.screenshot({ path: join(SHOTS, 'learn-payslip.png'), fullPage: true })
    await phone.close()
  }
})

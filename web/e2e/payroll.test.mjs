// End-to-end: finance checks a withholding by hand in 个税试算 — the tax
// authority's worked example of the 累计预扣法 gives 555, 625 and 1,850.
import { test, before, after } from 'node:test'
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

// End-to-end: the reception desk (导服台) as a 导服人员 uses it — a ticket
// taken for a citizen in the green channel shows its number and QR, the
// queue follows, and a 代办 recorded against a catalog matter joins today's
// ledger with the phone masked.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { SHOTS, serverAndBrowser } from './server.mjs'

const shared = serverAndBrowser({ before, after })

test('reception: a proxy ticket in the green channel, and a 代办 in the ledger', async () => {
  const { server, browser } = shared
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
  const errors = []
  page.on('pageerror', (e) => errors.push(String(e)))
  await page.goto(`${server.base}/reception/?hall=CA-ZWFW`)
  await page.getByPlaceholder('账号').fill('guide01')
  await page.getByPlaceholder('密码').fill('Demo@2026cah')
  await page.getByTestId('login').click()

  const take = page.getByTestId('take-ticket')
  await take.locator('.line').first().waitFor()
  const before = Number((await page.getByTestId('waiting-total').textContent()).match(/\d+/)[0])
  await take.locator('.line').first().click()
  await page.getByTestId('ticket-phone').fill('13912345678')
  await page.getByTestId('ticket-green').click()
  await page.getByTestId('issue').click()
  const issued = page.getByTestId('issued')
  await issued.waitFor()
  assert.match(await page.getByTestId('issued-number').textContent(), /^[A-Z]\d{3}$/)
  assert.match(await issued.textContent(), /绿色通道：70岁以上老人/)
  await page.waitForFunction(
    (n) => Number(document.querySelector('[data-testid="waiting-total"]')?.textContent?.match(/\d+/)?.[0]) === n + 1,
    before,
  )

  // A 代办 of a matter found by its everyday name.
  await page.getByTestId('assist').getByText('代办', { exact: true }).click()
  await page.getByTestId('assist-name').fill('李秀兰')
  await page.getByTestId('assist-phone').fill('13987654321')
  await page.getByTestId('assist-item').fill('食品经营许可')
  await page.locator('.hits button').first().click()
  await page.getByTestId('assist-save').click()
  const entry = page.getByTestId('ledger').locator('.entry').first()
  await entry.waitFor()
  assert.match(await entry.textContent(), /李秀兰/)
  assert.match(await entry.textContent(), /139\*\*\*\*4321/)
  assert.match(await entry.textContent(), /食品经营许可/)
  await page.screenshot({ path: join(SHOTS, 'reception-desk.png') })

  // Nothing recorded without a name: the field is named.
  await page.getByTestId('assist-save').click()
  await page.getByTestId('assist-error').filter({ hasText: '群众姓名' }).waitFor()
  assert.equal(await page.getByTestId('ledger').locator('.entry').count(), 1)
  assert.deepEqual(errors, [])
})

// End-to-end: 一件事 at the counter as one joint intake. The clerk finds
// 开办餐饮店, answers each member's questions in turn, sees the shared papers
// listed once, receives the bundle (a member the answers make unnecessary is
// shown as such) and hands every member to its department in one step.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { SHOTS, serverAndBrowser } from './server.mjs'
import { counterAt } from './hall.mjs'

const shared = serverAndBrowser({ before, after })

test('joint intake: one 一件事, shared papers once, 联办交接 by department', async () => {
  const { server, browser } = shared
  const page = await counterAt(browser, server, 'clerk01', '01 1号综合受理窗口（综合窗口）')
  const errors = []
  page.on('pageerror', (e) => errors.push(String(e)))
  await page.keyboard.press('Alt+A')
  const intake = page.getByTestId('intake')
  await intake.getByTestId('matter-search').fill('开办餐饮店')
  await intake.getByTestId('matter-hit').filter({ hasText: '一件事' }).first().click()
  const joint = page.getByTestId('joint-intake')
  await joint.getByTestId('joint-member-questions').first().waitFor()

  // Each member's questions, answered with their first choice until none is left open.
  for (let i = 0; i < 40; i++) {
    const open = joint.getByTestId('question').filter({ hasNot: page.locator('button.on') })
    if (!(await open.count())) break
    await open.first().locator('button').first().click()
    await page.waitForTimeout(250)
  }
  const materials = joint.getByTestId('joint-materials')
  await materials.waitFor()
  assert.match(await materials.textContent(), /共用/, 'a paper several members need is listed once')
  await joint.getByTestId('applicant-name').fill('王小明')
  await joint.getByTestId('applicant-cert').fill('61011619900101123X')
  await joint.getByTestId('applicant-phone').fill('13912345678')
  await page.screenshot({ path: join(SHOTS, 'counter-joint-intake.png'), fullPage: true })
  await joint.getByTestId('joint-accept').click()

  const done = joint.getByTestId('joint-done')
  await done.waitFor()
  assert.match(await joint.getByTestId('joint-number').textContent(), /^YJS\d{12}$/)
  assert.ok((await joint.getByTestId('joint-member').count()) >= 2)
  // 仅销售预包装食品 (the first choice) makes the food licence unnecessary.
  assert.match(await joint.getByTestId('joint-not-needed').first().textContent(), /无需办理/)
  await joint.getByTestId('joint-hand-over').click()
  await joint.getByTestId('joint-sheets').filter({ hasText: 'JJ' }).waitFor()
  // The members' stage follows the sheets a moment later: wait for it, not a snapshot.
  await done.getByText(/材料已交接/).first().waitFor()
  await page.screenshot({ path: join(SHOTS, 'counter-joint-done.png'), fullPage: true })

  // The citizen follows the whole bundle on the phone with its number and code.
  const number = (await joint.getByTestId('joint-number').textContent()).trim()
  const code = (await joint.getByTestId('joint-code').textContent()).trim()
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true })
  phone.on('pageerror', (e) => errors.push(String(e)))
  await phone.goto(`${server.base}/mobile/?hall=CA-ZWFW&bundle=${number}#code=${code}`)
  await phone.getByTestId('joint-summary').waitFor()
  assert.ok((await phone.getByTestId('joint-page-member').count()) >= 2)
  assert.match(await phone.getByTestId('joint-page').textContent(), /按您的情形无需办理/)
  await phone.screenshot({ path: join(SHOTS, 'mobile-joint-progress.png'), fullPage: true })
  assert.deepEqual(errors, [])
})

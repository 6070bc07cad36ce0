// End-to-end: 智能导办 on the phone as a citizen sees it. A question the hall
// cannot answer is said to be not understood (with topics to browse), not
// guessed; a 一件事 found in everyday words asks each member's questions in
// turn and ends on one joint checklist with the shared materials once.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { SHOTS, serverAndBrowser } from './server.mjs'

const shared = serverAndBrowser({ before, after })

test('guidance: not understood is said, and a 一件事 ends on one joint checklist', async () => {
  const { server, browser } = shared
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true })
  const errors = []
  phone.on('pageerror', (e) => errors.push(String(e)))
  await phone.goto(`${server.base}/mobile/?hall=CA-ZWFW`)
  await phone.getByTestId('hall-name').waitFor()
  await phone.getByTestId('tab-guide').click()

  await phone.getByTestId('guide-q').fill('护照怎么办')
  await phone.getByTestId('guide-search').click()
  const lost = phone.getByTestId('guide-not-understood')
  await lost.waitFor()
  assert.equal(await phone.getByTestId('guide-hit').count(), 0)
  await phone.screenshot({ path: join(SHOTS, 'mobile-guidance-not-understood.png') })
  // A topic browses every matter it touches.
  await lost.getByRole('button', { name: '社保医保' }).click()
  await phone.getByTestId('guide-hit').first().waitFor()

  // A question about the hall itself is answered from its record and its list.
  await phone.getByTestId('guide-q').fill('大厅可以停车吗')
  await phone.getByTestId('guide-search').click()
  await phone.getByTestId('guide-hall-answer').filter({ hasText: '停车场' }).waitFor()
  await phone.getByTestId('guide-q').fill('你们几点上班')
  await phone.getByTestId('guide-search').click()
  await phone.getByTestId('guide-hall-answer').filter({ hasText: '09:00—17:00' }).waitFor()

  await phone.getByTestId('guide-q').fill('想开个餐馆')
  await phone.getByTestId('guide-search').click()
  const bundleHit = phone.getByTestId('guide-hit').filter({ hasText: '一件事' }).first()
  await bundleHit.waitFor()
  await bundleHit.click()
  await phone.getByTestId('guide-bundle-step').waitFor()
  // Each member's questions in turn (the first choice each time), then the joint checklist.
  const joint = phone.getByTestId('guide-bundle')
  for (let i = 0; i < 30 && !(await joint.count()); i++) {
    const q = phone.getByTestId('guide-question')
    if (await q.count()) await q.locator('.opts button').first().click()
    await phone.waitForTimeout(200)
  }
  await joint.waitFor()
  assert.ok((await phone.getByTestId('guide-bundle-member').count()) >= 2)
  assert.match(await joint.textContent(), /共用：/)
  assert.ok(await joint.getByTestId('guide-take').isVisible())
  await phone.screenshot({ path: join(SHOTS, 'mobile-guidance-bundle.png'), fullPage: true })
  assert.deepEqual(errors, [])
})

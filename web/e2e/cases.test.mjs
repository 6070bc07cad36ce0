// End-to-end: 无差别受理 and a case's life. A citizen asks the kiosk 我想开个小饭馆,
// answers the questions and takes a ticket; the comprehensive window that calls
// it intakes 食品经营许可 with the floor plan missing (一次性告知书 as PDF), the citizen's
// phone shows what to bring, the clerk accepts when it comes and hands the
// materials over, the department signs for, runs a 现场勘查, decides and sends
// the result back, the 出件 window delivers — and the phone shows each stage
// and takes the citizen's rating of the case (一事一评).
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { SHOTS, launchBrowser, startServer } from './server.mjs'
import { counterAt, managerApi, smsCode } from './hall.mjs'

let server
let browser

before(async () => {
  server = await startServer()
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  await server?.stop()
})

/** An 18-digit ID number with its GB 11643 check digit. */
function idNumber(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...first17].reduce((s, c, i) => s + Number(c) * w[i], 0)
  return first17 + '10X98765432'[sum % 11]
}

/** Signs in to the admin, checks the role lands on its own work, then opens 办件. */
async function adminAs(username, landing = 'cases') {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
  await page.goto(`${server.base}/admin/`)
  await page.locator('input[name=username]').fill(username)
  await page.locator('input[name=password]').fill('Demo@2026cah')
  await page.getByRole('button', { name: '登 录' }).click()
  await page.getByTestId('user-name').waitFor()
  await page.locator(`.el-menu-item.is-active[data-menu="${landing}"]`).waitFor()
  await page.locator('[data-menu=cases]').click()
  return page
}

/** Opens the case in the admin's 办件 page and takes one action through its dialog. */
async function act(page, number, action, fill = async () => {}) {
  await page.locator(`[data-testid=cases-table] [data-number="${number}"]`).click()
  await page.getByTestId(`case-${action}`).click()
  const dialog = page.locator('.case-dialog')
  await fill(dialog)
  await page.getByTestId('case-confirm').click()
  await dialog.waitFor({ state: 'hidden' })
  await page.keyboard.press('Escape')
}

test('a morning case: 我想开个小饭馆 at the kiosk, a ticket, intake with a material missing, correction, handover, review, decision, delivery and rating', async () => {
  const errors = []
  // The citizen asks the kiosk in everyday words and answers the matter's questions.
  const { api, ctx } = await managerApi(browser, server)
  const { token } = await api.post('/devices', { name: '导办取号机', purpose: 'kiosk' })
  const kiosk = await browser.newPage({ viewport: { width: 1080, height: 1920 }, locale: 'zh-CN' })
  kiosk.on('pageerror', (e) => errors.push(String(e)))
  await kiosk.addInitScript(() => {
    window.print = () => {}
  })
  await kiosk.goto(`${server.base}/kiosk/?hall=CA-ZWFW#token=${token}`)
  await kiosk.getByTestId('open-guide').click()
  await kiosk.getByTestId('guide-q').fill('我想开个小饭馆')
  await kiosk.getByTestId('guide-search').click()
  await kiosk.getByTestId('guide-hit').filter({ has: kiosk.locator('b', { hasText: /^食品经营许可$/ }) }).click()
  for (const [text, options] of [
    ['您要办理哪项业务', ['新办']],
    ['是否仅销售预包装食品', ['否']],
    ['经营项目', ['热食类食品制售', '下一步']],
    ['是否通过网络经营', ['是']],
    ['是否委托他人代办', ['否']],
  ]) {
    const q = kiosk.getByTestId('guide-question').filter({ hasText: text })
    await q.waitFor()
    for (const o of options) await q.getByRole('button', { name: o, exact: true }).click()
  }
  // Selling online adds the shop link to the list.
  await kiosk.getByTestId('guide-outcome').getByText('网络经营的网址或平台店铺链接说明').waitFor()
  await kiosk.getByTestId('guide-carry').locator('img').waitFor()
  await kiosk.screenshot({ path: join(SHOTS, 'kiosk-guidance.png') })
  // The QR code takes the same result to the citizen's phone.
  const carried = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' })
  carried.on('pageerror', (e) => errors.push(String(e)))
  await carried.goto(await kiosk.getByTestId('guide-carry').getAttribute('data-url'))
  await carried.getByTestId('guide-outcome').getByText('网络经营的网址或平台店铺链接说明').waitFor()
  assert.equal(await carried.getByTestId('guide-question').count(), 0, 'the answers came along: nothing is asked again')
  await carried.close()
  // Or printed on the kiosk's 80 mm slip (the screen stays on the guide).
  await kiosk.getByTestId('guide-print').click()
  await kiosk.getByTestId('guide-slip').getByText('食品经营许可申请书').waitFor({ state: 'attached' })
  await kiosk.emulateMedia({ media: 'print' })
  await kiosk.getByTestId('guide-slip').waitFor()
  await kiosk.screenshot({ path: join(SHOTS, 'kiosk-guide-slip-print.png'), fullPage: true })
  await kiosk.emulateMedia({ media: 'screen' })
  // Or texted: the SMS carries a short link that opens the same result.
  await kiosk.getByTestId('guide-sms-phone').fill('13912345678')
  await kiosk.getByTestId('guide-sms-send').click()
  await kiosk.getByTestId('guide-sms-sent').filter({ hasText: '139****5678' }).waitFor()
  const outbox = await (await ctx.request.get(`${server.base}/api/v1/notifications?channel=sms`)).json()
  const sms = outbox.items.find((n) => n.kind === 'guide_link')
  const link = sms.body.match(/https?:\/\/\S+/)[0]
  await ctx.close()
  const texted = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' })
  texted.on('pageerror', (e) => errors.push(String(e)))
  await texted.goto(link)
  await texted.getByTestId('guide-outcome').getByText('网络经营的网址或平台店铺链接说明').waitFor()
  await texted.close()
  await kiosk.getByTestId('guide-take').click()
  await kiosk.getByText('A · 综合受理').waitFor()
  await kiosk.getByTestId('take').click()
  const ticket = (await kiosk.getByTestId('slip-number').textContent()).trim()
  assert.match(ticket, /^A\d{3}$/)

  // A comprehensive window calls it; the intake starts from what the citizen answered.
  const counter = await counterAt(browser, server, 'clerk01', '01 1号综合受理窗口（综合窗口）')
  counter.on('pageerror', (e) => errors.push(String(e)))
  await counter.keyboard.press('F1')
  await counter.getByTestId('current-number').filter({ hasText: ticket }).waitFor()
  await counter.getByTestId('guided').waitFor()
  await counter.keyboard.press('Alt+A')
  const intake = counter.getByTestId('intake')
  await intake.getByTestId('matter').filter({ hasText: '食品经营许可' }).waitFor()
  await intake.getByTestId('way-wl').waitFor()
  await counter.screenshot({ path: join(SHOTS, 'counter-guided-intake.png'), fullPage: true })
  await intake.getByTestId('materials').waitFor()
  // E-licences replace the business licence and the ID card without asking.
  assert.equal(await intake.getByTestId('way-yyzz').inputValue(), 'elicence')
  await intake.getByTestId('way-pmt').selectOption('missing')
  await intake.getByTestId('applicant-name').fill('王小明')
  await intake.getByTestId('applicant-cert').fill(idNumber('61011619900101123'))
  await intake.getByTestId('applicant-phone').fill('13912345678')
  // The application form's fields: name and phone come from the applicant, only the address is typed.
  assert.equal(await intake.getByTestId('form-申请人').getAttribute('placeholder'), '同申请人')
  await intake.getByTestId('form-地址').fill('长安区韦曲街道航天大道 1 号')
  await intake.getByTestId('owed').filter({ hasText: '经营场所平面图' }).waitFor()
  assert.ok(await intake.getByTestId('outcome-accept').isDisabled(), 'no acceptance with a material owed')
  await counter.screenshot({ path: join(SHOTS, 'counter-intake.png'), fullPage: true })
  // A bad phone is named under its own field, and nothing is saved.
  await intake.getByTestId('applicant-phone').fill('1391234')
  await intake.getByTestId('outcome-correct').click()
  await intake.locator('.applicant label').filter({ hasText: '联系手机' }).locator('small.error').waitFor()
  await counter.screenshot({ path: join(SHOTS, 'counter-intake-field-error.png'), fullPage: true })
  await intake.getByTestId('applicant-phone').fill('13912345678')
  // A 代理人 applies for him: a bad ID number is named under its own field.
  await intake.getByTestId('by-agent').check()
  await intake.getByTestId('agent-name').fill('王大明')
  await intake.getByTestId('agent-id').fill('610116198502021231')
  await intake.getByTestId('outcome-correct').click()
  await intake.locator('.applicant label').filter({ hasText: '代理人身份证号' }).locator('small.error').waitFor()
  await intake.getByTestId('agent-id').fill(idNumber('61011619850202123'))
  await intake.getByTestId('outcome-correct').click()
  const done = intake.getByTestId('intake-done')
  await done.getByText('待补正').waitFor()
  const number = (await done.getByTestId('case-number').textContent()).replace(/\s/g, '')
  const code = (await done.getByTestId('query-code').textContent()).trim()
  assert.match(number, /^11610116MB2957101E4010100200000\d{12}$/)
  await counter.screenshot({ path: join(SHOTS, 'counter-intake-notice.png') })
  // The 一次性告知书 opens as a PDF (laid out by the server, with the progress QR code) to print.
  const [pdf] = await Promise.all([counter.waitForEvent('popup'), done.getByTestId('print-correction').click()])
  assert.match(pdf.url(), /\/cases\/[^/]+\/documents\/correction$/)
  const notice = await counter.request.get(pdf.url())
  assert.equal(notice.headers()['content-type'], 'application/pdf')
  assert.equal((await notice.body()).subarray(0, 4).toString(), '%PDF')
  await pdf.close()

  // The citizen's phone, from the notice's QR code.
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' })
  // Typed in on the phone's home page (办件查询), as from the paper receipt.
  await phone.goto(`${server.base}/mobile/?hall=CA-ZWFW`)
  await phone.getByTestId('tab-mine').click()
  await phone.getByTestId('lookup-number').fill(number)
  await phone.getByTestId('lookup-code').fill(code)
  await phone.screenshot({ path: join(SHOTS, 'mobile-case-lookup.png') })
  await phone.getByTestId('lookup-go').click()
  await phone.getByTestId('case-stage').filter({ hasText: '待补正' }).waitFor()
  await phone.getByTestId('case-owed').filter({ hasText: '经营场所平面图' }).waitFor()
  await phone.screenshot({ path: join(SHOTS, 'mobile-case-correcting.png') })

  // The citizen returns with the floor plan: the clerk accepts and hands the materials over.
  const clerk = await adminAs('clerk01')
  await act(clerk, number, 'accept', async (d) => {
    await d.locator('.el-form-item').filter({ hasText: '经营场所' }).locator('.el-select').click()
    await clerk.locator('.el-select-dropdown:visible').getByText('纸质原件', { exact: true }).click()
  })
  // A clerk starts on the cases they received; the tab counts the open ones.
  await clerk.locator('.el-tabs__item.is-active [data-testid=tab-mine]').waitFor()
  await clerk.screenshot({ path: join(SHOTS, 'admin-clerk-landing.png') })

  // The manager starts on today's operations, and is not offered the clerk's handover.
  const manager = await adminAs('manager', 'today')
  await manager.getByRole('tab', { name: /待交接/ }).click()
  await manager.locator(`[data-testid=cases-table] [data-number="${number}"]`).waitFor()
  assert.equal(await manager.getByTestId('make-sheet').count(), 0, 'a manager is offered 生成交接单')
  await manager.locator(`[data-testid=cases-table] [data-number="${number}"]`).click()
  await manager.locator('.case-drawer').getByText('承办部门').first().waitFor()
  // The centre may only 撤销 a case; the front desk's and the department's actions are not offered.
  assert.deepEqual(
    await manager.getByTestId('case-actions').locator('button').evaluateAll((bs) => bs.map((b) => b.dataset.testid)),
    ['case-revoke'],
    'a manager is offered the clerk\'s or the department\'s actions',
  )
  await manager.keyboard.press('Escape')
  await manager.locator('[data-menu=today]').click()
  await manager.getByTestId('today').waitFor()
  await manager.screenshot({ path: join(SHOTS, 'admin-manager-today.png') })

  // 待交接: tick it and make a 材料交接单 for its department.
  await clerk.getByRole('tab', { name: /待交接/ }).click()
  await clerk.getByTestId('cases-table').getByRole('row').filter({ has: clerk.locator(`[data-number="${number}"]`) }).locator('.el-checkbox').click()
  await clerk.getByTestId('make-sheet').click()
  await clerk.getByText(/已生成交接单 JJ\d{11}/).waitFor()

  // The department signs the sheet, runs a 现场勘查 (clock paused), decides, sends the result back.
  const reviewer = await adminAs('reviewer')
  // A reviewer starts on the department's inbox.
  await reviewer.locator('.el-tabs__item.is-active [data-testid=tab-dept]').waitFor()
  await reviewer.getByRole('tab', { name: '交接单' }).click()
  const sheets = reviewer.getByTestId('sheets-table')
  await sheets.locator('.el-tag:visible', { hasText: '待签收' }).waitFor()
  await reviewer.screenshot({ path: join(SHOTS, 'admin-handover-sheets.png') })
  await sheets.locator('button:visible', { hasText: '签收' }).click()
  await sheets.locator('button:visible', { hasText: '签收' }).waitFor({ state: 'detached' })
  await reviewer.getByRole('tab', { name: /部门办理中/ }).click()
  await act(reviewer, number, 'start_special', async (d) => d.locator('textarea').fill('核查经营场所布局'))
  await act(reviewer, number, 'end_special')
  await act(reviewer, number, 'decide', async (d) => {
    await d.locator('.el-form-item').filter({ hasText: '证照名称' }).locator('input').fill('食品经营许可证')
    await d.locator('.el-form-item').filter({ hasText: '证照编号' }).locator('input').fill('JY16101160000001')
  })
  await reviewer.getByRole('tab', { name: /待出件/ }).click()
  await reviewer.locator(`[data-testid=cases-table] [data-number="${number}"]`).click()
  await reviewer.getByText('准予 食品经营许可证').waitFor()
  await reviewer.getByTestId('case-form').getByText('长安区韦曲街道航天大道 1 号').waitFor()
  // The department gives the signed application form's original back (it keeps a copy).
  await reviewer.getByTestId('move-return-sqs').click()
  await reviewer.getByTestId('move-confirm').click()
  await reviewer.getByText('“食品经营许可申请书”已归还原件').waitFor()
  await reviewer.locator('.el-drawer').getByText('已归还').waitFor()
  // The licence itself is attached as the result file.
  await reviewer.getByTestId('result-file-input').setInputFiles({ name: '食品经营许可证.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') })
  await reviewer.getByTestId('result-file-link').filter({ hasText: '食品经营许可证.pdf' }).waitFor()
  await reviewer.waitForTimeout(500) // the drawer's slide-in, for the picture only
  await reviewer.screenshot({ path: join(SHOTS, 'admin-case.png') })
  await reviewer.getByTestId('case-return_result').click()
  await reviewer.getByTestId('case-confirm').click()
  await reviewer.locator('.case-dialog').waitFor({ state: 'hidden' })
  await reviewer.getByText('办理结果已回传窗口').waitFor()
  // 出件 is the front desk's: the reviewer is not offered it.
  assert.equal(await reviewer.getByTestId('case-deliver').count(), 0, 'a reviewer is offered 出件')
  await reviewer.keyboard.press('Escape')

  // Pickup at the 出件 window with an ID check.
  await counterAt(browser, server, 'clerk02', '25 1号出件窗口（出件窗口）')
  const delivery = await adminAs('clerk02')
  await delivery.getByRole('tab', { name: /待出件/ }).click()
  await act(delivery, number, 'deliver', async (d) => {
    await d.locator('.el-form-item').filter({ hasText: '身份证号' }).locator('input').fill(idNumber('61011619900101123'))
  })

  // The page dropped the code from its address; a reload finds it kept on the phone.
  await phone.reload()
  await phone.getByTestId('case-stage').filter({ hasText: '已出件' }).waitFor()
  const history = await phone.getByTestId('case-history').textContent()
  for (const stage of ['已收件', '待补正', '已受理', '材料已交接', '部门办理中', '特别程序中', '已办结', '待取件', '已出件']) {
    assert.ok(history.includes(stage), `${stage} missing from ${history}`)
  }
  assert.ok(!history.includes('核查经营场所布局'), 'review opinions stay internal')
  await phone.screenshot({ path: join(SHOTS, 'mobile-case-delivered.png'), fullPage: true })
  // 大字模式: the long case number wraps inside the card; nothing runs off the screen.
  await phone.getByRole('button', { name: '大字模式' }).click()
  assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'the page scrolls sideways in 大字模式')
  await phone.screenshot({ path: join(SHOTS, 'mobile-case-big.png'), fullPage: true })
  await phone.getByRole('button', { name: '标准字体' }).click()
  // 一事一评: the citizen rates the case once, on the same page.
  // A 差评 says why in the citizen's own words.
  const rating = phone.getByTestId('rate')
  await rating.getByRole('button', { name: '不满意', exact: true }).click()
  await rating.getByTestId('rate-comment').fill('补正来回跑了两趟')
  await phone.screenshot({ path: join(SHOTS, 'mobile-case-bad-rating.png') })
  await rating.getByRole('button', { name: '提交评价' }).click()
  await phone.getByTestId('rated').filter({ hasText: '感谢' }).waitFor()
  await phone.reload()
  await phone.getByText('您已评价本次办事').waitFor()

  // The centre's wording of the notices.
  await manager.locator('[data-menu=case-settings]').click()
  await manager.getByTestId('template-body').waitFor()
  assert.match(await manager.getByTestId('template-title').inputValue(), /受理通知书/)
  await manager.screenshot({ path: join(SHOTS, 'admin-document-templates.png') })
  // A draft is previewed on a sample case before saving.
  await manager.getByTestId('template-body').fill('{申请人}：\n本中心试行新措辞。')
  const [preview] = await Promise.all([manager.waitForEvent('popup'), manager.getByTestId('template-preview').click()])
  await preview.waitForURL(/^blob:/)
  await preview.close()
  // The case-number pattern: a bad one is refused naming the rule.
  await manager.getByRole('tab', { name: '编号规则' }).click()
  await manager.getByTestId('number-pattern').fill('CA-{序号}')
  await manager.getByTestId('save-pattern').click()
  await manager.getByTestId('pattern-error').filter({ hasText: '{年}' }).waitFor()
  await manager.getByTestId('number-pattern').fill('CA-{年}-{序号:6}')
  await manager.getByTestId('save-pattern').click()
  await manager.getByTestId('number-example').filter({ hasText: /^CA-\d{4}-000001$/ }).waitFor()
  await manager.screenshot({ path: join(SHOTS, 'admin-case-number-pattern.png') })
  // What the citizen answered at the kiosk is counted for the center, in words.
  await manager.locator('[data-menu=synonyms]').click()
  await manager.getByTestId('guidance-choices').locator('td:visible', { hasText: '是否通过网络经营？是' }).first().waitFor()
  assert.deepEqual(errors, [])
})

test('guidance: a citizen asks in everyday words, answers one question at a time and is sent to the right line', async () => {
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' })
  const errors = []
  phone.on('pageerror', (e) => errors.push(String(e)))
  await phone.goto(`${server.base}/mobile/?hall=CA-ZWFW`)
  // The phone opens on 智能导办.
  await phone.locator('[data-testid=tab-guide].on').waitFor()
  await phone.getByTestId('guide-q').fill('我想开个小饭馆')
  await phone.getByTestId('guide-search').click()
  // The matter itself, not the 一件事 that includes it.
  await phone.getByTestId('guide-hit').filter({ has: phone.locator('b', { hasText: /^食品经营许可$/ }) }).click()
  const ask = async (text, ...options) => {
    const q = phone.getByTestId('guide-question').filter({ hasText: text })
    await q.waitFor()
    for (const o of options) await q.getByRole('button', { name: o, exact: true }).click()
  }
  await ask('您要办理哪项业务', '新办')
  await ask('是否仅销售预包装食品', '否')
  await ask('经营项目', '热食类食品制售', '下一步')
  await ask('是否通过网络经营', '否')
  await ask('是否委托他人代办', '否')
  const outcome = phone.getByTestId('guide-outcome')
  await outcome.getByText('经营场所平面图和设备布局、工艺流程图').waitFor()
  await outcome.getByText('主要设备设施清单').waitFor()
  assert.equal(await outcome.getByText('网络经营的网址').count(), 0, 'not asked for when not selling online')
  await outcome.locator('li', { hasText: '营业执照' }).getByText('可免提交').waitFor()
  // How many visits it takes, the path step by step, and the matter's frequent questions with their answers.
  await outcome.getByTestId('guide-visits').filter({ hasText: '最多跑 1 次' }).waitFor()
  assert.ok((await outcome.getByTestId('guide-flow').locator('li').count()) >= 2)
  const faq = outcome.getByTestId('guide-faq').filter({ hasText: '开奶茶店需要办食品经营许可吗？' })
  await faq.locator('summary').click()
  await faq.getByText('需要办理').waitFor()
  await phone.screenshot({ path: join(SHOTS, 'mobile-guidance.png'), fullPage: true })
  await outcome.getByTestId('guide-take').click()
  await phone.locator('[data-prefix=A].on').waitFor()
  // 远程取号 with an SMS code: the ticket carries the matter and the answers to the window.
  await phone.getByTestId('m-phone').fill('13600000066')
  await phone.getByTestId('m-send-code').click()
  await phone.getByTestId('m-code').fill(await smsCode(phone))
  await phone.getByTestId('m-take').click()
  await phone.waitForURL(/[?&]ticket=/)
  const ticketId = new URL(phone.url()).searchParams.get('ticket')
  const token = await phone.evaluate((id) => localStorage.getItem(`govhall.ticket.${id}`), ticketId)
  const held = await (await phone.request.get(`${server.base}/api/v1/tickets/${ticketId}?token=${encodeURIComponent(token)}`)).json()
  assert.equal(held.guidance.item, '11610116MB2957101E4010100200000')
  assert.deepEqual(held.guidance.answers.online, { yes_no: false })
  assert.deepEqual(errors, [])
})

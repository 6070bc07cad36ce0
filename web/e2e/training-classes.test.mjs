// End-to-end: 线下培训 and 教材. A manager schedules a class in the admin and
// puts its sign-in QR on the room's screen; a clerk opens the QR's page on a
// phone, signs in with their account and is checked in; the attendance list
// shows it and a 补签 needs a reason. A category, an instructor and a
// textbook edition added in the admin; the edition reaches the clerk's phone.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { SHOTS, serverAndBrowser } from './server.mjs'
import { managerApi } from './hall.mjs'
import { cjkPdf } from './cjkPdf.mjs'

const shared = serverAndBrowser({ before, after })
const PHONE = { viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true }

async function adminPage() {
  const page = await shared.browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' })
  await page.goto(`${shared.server.base}/admin/`)
  await page.locator('input[name=username]').fill('manager')
  await page.locator('input[name=password]').fill('Demo@2026cah')
  await page.getByRole('button', { name: /登/ }).click()
  await page.locator('.el-menu').waitFor()
  return page
}

test('a clerk signs in at a class by scanning its QR, and a 补签 needs a reason', async () => {
  const { api, ctx } = await managerApi(shared.browser, shared.server)
  const start = new Date(Date.now() + 5 * 60_000)
  const cls = await api.post('/training/classes', {
    title: '窗口服务礼仪实训',
    place: '三楼培训室',
    starts_at: start.toISOString(),
    ends_at: new Date(start.getTime() + 90 * 60_000).toISOString(),
    position: 'window_staff',
  })

  // The admin shows the class and its sign-in screen with a live QR.
  const admin = await adminPage()
  await admin.getByText('线下培训', { exact: true }).click()
  await admin.getByRole('cell', { name: '窗口服务礼仪实训' }).waitFor()
  await admin.getByTestId('show-qr').click()
  const screen = admin.getByTestId('qr-screen')
  await screen.locator('img.qr').waitFor()
  await screen.getByText(/[1-9]\d* 秒后更换二维码/).waitFor()
  await admin.waitForTimeout(400) // the dialog's fade-in, for the picture
  await admin.screenshot({ path: join(SHOTS, 'training-class-qr.png') })
  await admin.keyboard.press('Escape')

  // The clerk's phone opens the QR's page, signs in, and is checked in.
  const code = await api.get(`/training/classes/${cls.id}/qr`)
  const phone = await (await shared.browser.newContext(PHONE)).newPage()
  await phone.goto(`${shared.server.base}${code.path}`)
  await phone.getByText('请先登录本人工作账号').waitFor()
  await phone.locator('input[name=username]').fill('clerk01')
  await phone.locator('input[name=password]').fill('Demo@2026cah')
  await phone.getByRole('button', { name: '登录' }).click()
  await phone.getByTestId('presence').getByText('签到成功').waitFor()
  await phone.screenshot({ path: join(SHOTS, 'learn-presence.png') })
  // A wrong code is refused with the reason.
  await phone.goto(`${shared.server.base}/learn/#/presence/${cls.id}/000000000000`)
  await phone.getByText(/签到码已失效/).waitFor()
  // The home page lists the class as signed in.
  await phone.goto(`${shared.server.base}/learn/#/`)
  await phone.getByTestId('my-classes').getByText(/已签到/).waitFor()
  await phone.getByTestId('my-classes').scrollIntoViewIfNeeded()
  await phone.screenshot({ path: join(SHOTS, 'learn-home-classes.png') })

  // The attendance list shows the clerk; 补签 without a reason is refused.
  await admin.getByRole('cell', { name: '窗口服务礼仪实训' }).click()
  const list = admin.getByTestId('attendance')
  await list.getByText('已签到').first().waitFor()
  const detail = await api.get(`/training/classes/${cls.id}`)
  assert.equal(detail.class.attended, 1)
  await admin.waitForTimeout(400) // the drawer's slide-in, for the picture
  await admin.screenshot({ path: join(SHOTS, 'training-class-attendance.png') })
  // 补签 without a reason is refused, the reason named.
  await list.getByTestId('manual-sign').first().click()
  await admin.getByTestId('manual-save').click()
  await admin.getByText('补签原因不能为空').waitFor()
  await phone.context().close()
  await admin.close()
  await ctx.close()
})

test('an instructor and a textbook edition added in the admin reach the phone', async () => {
  const { api, ctx } = await managerApi(shared.browser, shared.server)
  // The demo's PDF handout serves as the edition's file.
  const pdfLesson = (await api.get('/training/courses')).flatMap((c) => c.lessons).find((l) => l.kind === 'pdf')
  const dir = mkdtempSync(join(tmpdir(), 'govhall-book-'))
  const pdf = await ctx.request.get(`${shared.server.base}/api/v1/halls/CA-ZWFW/training/files/${pdfLesson.file_id}`)
  writeFileSync(join(dir, '指南汇编.pdf'), await pdf.body())
  await ctx.close()

  const admin = await adminPage()
  await admin.getByText('讲师、教材与分类').click()
  // A new top-level category, saved with the tree.
  await admin.getByTestId('new-category').fill('应急管理')
  await admin.getByTestId('new-category').press('Enter')
  await admin.getByTestId('save-categories').click()
  await admin.getByText('已保存培训分类').waitFor()
  await admin.getByTestId('new-instructor').click()
  await admin.locator('input[name=instructor-name]').fill('王敏')
  await admin.getByTestId('save-instructor').click()
  await admin.getByTestId('instructors').getByText('王敏').waitFor()

  await admin.getByTestId('new-textbook').click()
  await admin.locator('input[name=textbook-title]').fill('')
  await admin.getByTestId('save-textbook').click()
  await admin.getByText('教材名称不能为空').waitFor()
  await admin.locator('input[name=textbook-title]').fill('办事指南汇编')
  await admin.getByTestId('save-textbook').click()
  await admin.getByTestId('textbook').getByText('《办事指南汇编》').waitFor()
  await admin.getByTestId('new-edition').click()
  await admin.locator('input[name=edition-version]').fill('2027 版')
  await admin.getByTestId('edition-file').setInputFiles(join(dir, '指南汇编.pdf'))
  await admin.getByText(/指南汇编\.pdf · \d+ 页/).waitFor()
  await admin.getByTestId('save-edition').click()
  await admin.getByTestId('textbook').getByText('现行').waitFor()
  await admin.screenshot({ path: join(SHOTS, 'training-teaching.png') })
  await admin.close()

  const phone = await (await shared.browser.newContext(PHONE)).newPage()
  await phone.goto(`${shared.server.base}/learn/#/login`)
  await phone.locator('input[name=username]').fill('clerk02')
  await phone.locator('input[name=password]').fill('Demo@2026cah')
  await phone.getByRole('button', { name: '登录' }).click()
  await phone.getByText('我的课程').waitFor()
  await phone.getByRole('link', { name: '教材' }).click()
  await phone.getByTestId('book').getByText('《办事指南汇编》').click()
  await phone.locator('canvas').first().waitFor()
  await phone.screenshot({ path: join(SHOTS, 'learn-textbook.png') })
  await phone.context().close()
})

test('a textbook whose Chinese font is not embedded still shows its text', async () => {
  const { api, ctx, H } = await managerApi(shared.browser, shared.server)
  const csrf = (await ctx.cookies()).find((c) => c.name === 'govhall_csrf').value
  const up = await ctx.request.post(`${H}/training/files?name=${encodeURIComponent('不嵌字体.pdf')}`, {
    data: cjkPdf('政务服务中心'),
    headers: { 'x-csrf-token': csrf, 'content-type': 'application/octet-stream' },
  })
  assert.ok(up.ok(), await up.text())
  const file = await up.json()
  const book = await api.post('/training/textbooks', { title: '不嵌字体的教材', category: '政策法规' })
  await api.post(`/training/textbooks/${book.id}/versions`, { version: '1', file_id: file.id })
  await ctx.close()

  const phone = await (await shared.browser.newContext(PHONE)).newPage()
  await phone.goto(`${shared.server.base}/learn/#/login`)
  await phone.locator('input[name=username]').fill('clerk01')
  await phone.locator('input[name=password]').fill('Demo@2026cah')
  await phone.getByRole('button', { name: '登录' }).click()
  await phone.getByText('我的课程').waitFor()
  await phone.goto(`${shared.server.base}/learn/#/books/${book.id}`)
  const canvas = phone.locator('canvas').first()
  await canvas.waitFor()
  // The glyphs come from pdf.js's character maps (served by us): dark pixels
  // where the text is. Without them the page stays blank.
  const inked = await phone.waitForFunction(() => {
    const c = document.querySelector('canvas')
    const px = c.getContext('2d').getImageData(0, 0, c.width, Math.round(c.height / 4)).data
    let dark = 0
    for (let i = 0; i < px.length; i += 4) if (px[i] < 100 && px[i + 3] > 0) dark++
    return dark > 200 ? dark : false
  }, null, { timeout: 15_000 })
  assert.ok(await inked.jsonValue())
  await phone.screenshot({ path: join(SHOTS, 'learn-textbook-cjk.png') })
  await phone.context().close()
})

test("a matter's 办事指南 becomes a lesson, read on the phone", async () => {
  const admin = await adminPage()
  await admin.getByText('培训课程', { exact: true }).click()
  await admin.getByTestId('new-course').click()
  await admin.locator('input[name=course-title]').fill('备案事项学习')
  await admin.getByTestId('save-course').click()
  await admin.getByText('《备案事项学习》的课时').waitFor()
  await admin.getByRole('dialog').waitFor({ state: 'hidden' })
  await admin.getByRole('radio', { name: '事项指南' }).click({ force: true })
  await admin.getByTestId('lesson-matter').click()
  await admin.keyboard.type('预包装')
  await admin.locator('.el-select-dropdown__item:visible', { hasText: '仅销售预包装食品备案' }).first().click()
  await admin.getByTestId('add-lesson').click()
  await admin.getByText(/已添加课时“.*办事指南”/).waitFor()
  await admin.close()

  const phone = await (await shared.browser.newContext(PHONE)).newPage()
  await phone.goto(`${shared.server.base}/learn/#/login`)
  await phone.locator('input[name=username]').fill('clerk02')
  await phone.locator('input[name=password]').fill('Demo@2026cah')
  await phone.getByRole('button', { name: '登录' }).click()
  await phone.getByRole('link', { name: /备案事项学习/ }).click()
  await phone.getByRole('link', { name: /办事指南/ }).click()
  const guide = phone.getByTestId('guide-body')
  await guide.getByRole('heading', { name: '申请材料' }).waitFor()
  await phone.getByText('已学习').waitFor()
  await phone.screenshot({ path: join(SHOTS, 'learn-matter-lesson.png') })
  await phone.context().close()
})

// End-to-end: 培训学习 on a phone (390×844). A clerk signs in, plays the
// demo's video lesson (seeking past the watched part is undone and the
// seconds played are counted), reads the 上岗认证 course's text, passes its
// exam and gets a certificate whose QR page anyone can open; a citizen opens
// a 政务公开课 and plays it without signing in, and walks the 云游大厅.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { SHOTS, serverAndBrowser } from './server.mjs'
import { managerApi } from './hall.mjs'
import { before, after } from 'node:test'

const shared = serverAndBrowser({ before, after })
const PHONE = { viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true }

async function phoneSignedIn(username) {
  const ctx = await shared.browser.newContext(PHONE)
  const page = await ctx.newPage()
  await page.goto(`${shared.server.base}/learn/#/login`)
  await page.locator('input[name=username]').fill(username)
  await page.locator('input[name=password]').fill('Demo@2026cah')
  await page.getByRole('button', { name: '登录' }).click()
  await page.getByText('我的课程').waitFor()
  return page
}

test('a clerk watches a video lesson: seeking ahead is undone, real seconds count', async () => {
  const page = await phoneSignedIn('clerk01')
  await page.getByRole('link', { name: /窗口服务礼仪/ }).click()
  await page.getByRole('link', { name: '礼仪示范' }).click()
  const video = page.locator('video')
  await video.waitFor()
  await page.waitForFunction(() => document.querySelector('video').readyState >= 2)
  await page.evaluate(() => {
    const v = document.querySelector('video')
    v.muted = true
    return v.play()
  })
  await page.waitForFunction(() => document.querySelector('video').currentTime > 4)
  // A jump to 30 s, far past what was watched: put back, and told why.
  await page.evaluate(() => (document.querySelector('video').currentTime = 30))
  await page.getByText('本课程不允许拖动到未观看的部分').waitFor()
  const at = await page.evaluate(() => document.querySelector('video').currentTime)
  assert.ok(at < 12, `seek was not undone: ${at}`)
  // Speeding up is undone too.
  await page.evaluate(() => (document.querySelector('video').playbackRate = 2))
  await page.getByText('本课程不允许倍速播放').waitFor()
  await page.waitForFunction(() => document.querySelector('video').currentTime > 7)
  await page.evaluate(() => document.querySelector('video').pause())
  // The pause reports what was played; the page shows the server's count.
  await page.getByText(/已观看 [5-9] 秒|已观看 1[0-9] 秒/).waitFor()
  await page.screenshot({ path: join(SHOTS, 'learn-video.png') })
  await page.context().close()
})

test('a clerk passes the 上岗认证 exam and gets a certificate anyone can check', async () => {
  const { api, ctx } = await managerApi(shared.browser, shared.server)
  const bank = await api.get('/training/questions')
  await ctx.close()
  const page = await phoneSignedIn('clerk02')
  await page.screenshot({ path: join(SHOTS, 'learn-home.png') })
  await page.getByRole('link', { name: /预包装食品经营备案上岗认证/ }).click()
  await page.getByRole('link', { name: '受理要点', exact: true }).click()
  await page.getByText('已学习').waitFor()
  await page.goBack()
  // A locked course says which one comes first (none here): the course opens.
  assert.equal(await page.getByTestId('locked').count(), 0)
  // The PDF handout: each page two seconds on screen counts; all five complete it.
  await page.getByRole('link', { name: '受理要点（PDF）' }).click()
  await page.locator('canvas[data-page="5"]').waitFor()
  for (let n = 1; n <= 5; n++) {
    await page.locator(`canvas[data-page="${n}"]`).scrollIntoViewIfNeeded()
    await page.waitForTimeout(2600)
  }
  await page.getByText('已计入 5 页').waitFor({ timeout: 20000 })
  await page.screenshot({ path: join(SHOTS, 'learn-pdf.png') })
  await page.goBack()
  await page.getByRole('link', { name: '上岗考试' }).click()
  await page.getByRole('button', { name: '开始考试' }).click()
  await page.getByText('剩余时间').waitFor()
  const cards = page.locator('.card').filter({ has: page.locator('h3') })
  const n = await cards.count()
  assert.equal(n, 5)
  for (let i = 0; i < n; i++) {
    const card = cards.nth(i)
    const stem = (await card.locator('h3').innerText()).trim()
    const q = bank.find((b) => b.stem === stem)
    assert.ok(q, `not in the bank: ${stem}`)
    if (q.kind === 'single' || q.kind === 'multiple') {
      for (const letter of q.answer) {
        const text = q.options[letter.charCodeAt(0) - 65]
        await card.locator('.option').filter({ hasText: text }).click()
      }
    } else if (q.kind === 'judge') {
      await card.locator('.option').filter({ hasText: q.answer }).click()
    } else if (q.kind === 'fill') {
      await card.locator('input').first().fill(q.answer.split('|')[0])
    }
  }
  await page.screenshot({ path: join(SHOTS, 'learn-exam.png'), fullPage: true })
  await page.getByRole('button', { name: '交卷' }).click()
  await page.getByText('考试通过').waitFor()
  assert.match(await page.locator('.score').innerText(), /^100/)
  // Points: a passed exam, a completed course and a certificate put the clerk first.
  await page.getByRole('link', { name: '学习' }).click()
  await page.getByTestId('my-points').getByText('第 1 名').waitFor()
  await page.getByTestId('my-points').click()
  await page.locator('main').getByRole('heading', { name: '积分排行' }).waitFor()
  await page.screenshot({ path: join(SHOTS, 'learn-ranking.png') })
  await page.getByRole('link', { name: '证书' }).click()
  await page.getByText('预包装食品经营备案上岗认证').waitFor()
  await page.screenshot({ path: join(SHOTS, 'learn-certificates.png') })
  const number = (await page.locator('.card .muted').first().innerText()).trim()
  assert.match(number, /^PX\d{8}[A-Z0-9]{10}$/)
  const pdf = await page.context().request.get(await page.getByRole('link', { name: '查看证书 PDF' }).getAttribute('href').then((h) => `${shared.server.base}${h}`))
  assert.equal(pdf.headers()['content-type'], 'application/pdf')
  await page.context().close()

  // The QR code's page, on anyone's phone.
  const anyone = await shared.browser.newContext(PHONE)
  const check = await anyone.newPage()
  await check.goto(`${shared.server.base}/learn/#/verify/${number}`)
  await check.getByText('✔ 证书有效').waitFor()
  assert.ok((await check.locator('main').innerText()).includes('*'), 'the holder is masked')
  await check.screenshot({ path: join(SHOTS, 'learn-verify.png') })
  await anyone.close()

  // The course now certifies for 预包装食品经营备案; the matter's 受理条件 changes and
  // is published: the clerk is sent a refresher and passes its three statements.
  const { api: m, ctx: mctx } = await managerApi(shared.browser, shared.server)
  const certified = (await m.get('/training/courses')).find((c) => c.title === '预包装食品经营备案上岗认证')
  const PREPACKED = '11610116MB2957101E4110100300000'
  await m.put(`/training/requirements/${PREPACKED}`, { course_id: certified.id })
  const found = await m.get(`/catalog/items?q=${PREPACKED}`)
  const itemId = found.items[0].id
  const detail = await m.get(`/catalog/items/${itemId}`)
  await m.put(`/catalog/items/${itemId}`, { ...detail.doc, accept_condition: '仅销售预包装食品，且须在经营场所显著位置公示备案信息。' })
  await m.post(`/catalog/items/${itemId}/submit`, {})
  await m.post(`/catalog/items/${itemId}/publish`, {})
  await mctx.close()
  const again = await phoneSignedIn('clerk02')
  const card = again.getByTestId('refresher')
  await card.getByText('公示备案信息').first().waitFor()
  const statements = card.locator('.judge')
  for (let i = 0; i < (await statements.count()); i++) {
    const text = await statements.nth(i).locator('p').innerText()
    const isFalse = text.includes('仍为') || text.includes('仍可按旧版本') || text.includes('仍须')
    await statements.nth(i).getByRole('button', { name: isFalse ? '✘ 错' : '✔ 对' }).click()
  }
  await again.screenshot({ path: join(SHOTS, 'learn-refresher.png') })
  await card.getByRole('button', { name: '提交' }).click()
  await again.getByText('我的课程').waitFor()
  await again.getByTestId('refresher').waitFor({ state: 'detached' })
  await again.context().close()
})

test('a citizen opens a 政务公开课 and the 云游大厅 without signing in', async () => {
  const ctx = await shared.browser.newContext(PHONE)
  const page = await ctx.newPage()
  await page.goto(`${shared.server.base}/learn/`)
  await page.getByText('如何申领电子营业执照').waitFor()
  await page.screenshot({ path: join(SHOTS, 'learn-public.png') })
  await page.getByRole('link', { name: /自助取号机使用指南/ }).click()
  await page.getByRole('link', { name: '取号演示' }).click()
  await page.waitForFunction(() => document.querySelector('video')?.readyState >= 2)
  await page.evaluate(() => {
    const v = document.querySelector('video')
    v.muted = true
    return v.play()
  })
  await page.waitForFunction(() => document.querySelector('video').currentTime > 1.5)
  assert.equal(await page.locator('.bar').count(), 0, 'no tracking without signing in')
  // Staff courses stay closed.
  assert.equal(await page.getByText('窗口服务礼仪').count(), 0)

  // 云游大厅: the first area's panorama with its windows; a window shows its state and matters;
  // the door leads to the second area.
  await page.goto(`${shared.server.base}/learn/#/tour`)
  await page.getByRole('heading', { name: '一楼 综合受理区' }).waitFor()
  // The view opens facing the middle of the counter row (window 08 of 16).
  await page.locator('.psv-marker', { hasText: '08 ·' }).waitFor()
  await page.waitForTimeout(800)
  await page.screenshot({ path: join(SHOTS, 'learn-tour.png') })
  await page.locator('.psv-marker', { hasText: '08 ·' }).click()
  await page.getByTestId('tour-window').getByText('开放').waitFor()
  await page.getByTestId('tour-matters').locator('li').first().waitFor()
  await page.getByTestId('tour-window').scrollIntoViewIfNeeded()
  await page.screenshot({ path: join(SHOTS, 'learn-tour-window.png') })
  await page.getByRole('link', { name: '二楼 专业窗口与出件区' }).click()
  await page.getByRole('heading', { name: '二楼 专业窗口与出件区' }).waitFor()
  await page.locator('.psv-marker:visible').first().waitFor()
  await page.waitForTimeout(800)
  await page.screenshot({ path: join(SHOTS, 'learn-tour-second.png') })
  await ctx.close()
})

test('a manager builds a course with a video, a PDF and an exam in the admin', async () => {
  const { api, ctx } = await managerApi(shared.browser, shared.server)
  // Courseware to upload: the demo's own video and handout, saved as files.
  const courses = await api.get('/training/courses')
  const lessons = courses.flatMap((c) => c.lessons)
  const { writeFileSync, mkdtempSync } = await import('node:fs')
  const { tmpdir } = await import('node:os')
  const dir = mkdtempSync(join(tmpdir(), 'courseware-'))
  const save = async (lesson, name) => {
    const r = await ctx.request.get(`${shared.server.base}/api/v1/halls/CA-ZWFW/training/files/${lesson.file_id}`)
    writeFileSync(join(dir, name), await r.body())
    return join(dir, name)
  }
  const video = await save(lessons.find((l) => l.kind === 'video'), '办事礼仪.mp4')
  const pdf = await save(lessons.find((l) => l.kind === 'pdf'), '讲义.pdf')
  writeFileSync(join(dir, 'bad.xlsx'), 'not a workbook')
  await ctx.close()

  const page = await shared.browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' })
  await page.goto(`${shared.server.base}/admin/`)
  await page.locator('input[name=username]').fill('manager')
  await page.locator('input[name=password]').fill('Demo@2026cah')
  await page.getByRole('button', { name: /登/ }).click()
  await page.locator('.el-menu').waitFor()

  // The bank: a file that is not a workbook is refused with the reason.
  await page.getByText('题库与考试').click()
  await page.getByTestId('question-import').setInputFiles(join(dir, 'bad.xlsx'))
  await page.getByTestId('import-problems').getByText('不是有效的 Excel').waitFor()
  // An exam of two 窗口服务 questions.
  await page.getByRole('button', { name: '新建考试' }).click()
  await page.getByTestId('exam-title').fill('窗口服务小测')
  await page.locator('.rule .el-select').first().click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '窗口服务' }).click()
  await page.locator('.rule .el-input-number').first().locator('input').fill('2')
  await page.getByTestId('save-exam').click()
  await page.getByRole('cell', { name: '窗口服务小测' }).waitFor()

  // The course and its three lessons.
  await page.getByText('培训课程', { exact: true }).click()
  await page.getByTestId('new-course').click()
  await page.locator('input[name=course-title]').fill('窗口服务入门')
  await page.getByTestId('save-course').click()
  await page.getByText('《窗口服务入门》的课时').waitFor()
  await page.getByTestId('courseware').setInputFiles(video)
  await page.getByTestId('uploaded').getByText('40 秒').waitFor()
  // The poster frame is taken from the video in the browser.
  await page.getByTestId('poster').waitFor()
  await page.getByTestId('add-lesson').click()
  await page.getByTestId('lessons').getByText('需观看 90%').waitFor()
  await page.getByRole('radio', { name: 'PDF 文档' }).click({ force: true })
  await page.getByTestId('courseware').setInputFiles(pdf)
  await page.getByTestId('uploaded').getByText('5 页').waitFor()
  await page.getByTestId('add-lesson').click()
  await page.getByTestId('lessons').getByText('需浏览 5 页').waitFor()
  await page.getByRole('radio', { name: '考试' }).click({ force: true })
  await page.locator('input[name=lesson-title]').fill('结业考试')
  await page.getByTestId('lesson-exam').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '窗口服务小测' }).click()
  await page.getByTestId('add-lesson').click()
  await page.getByTestId('lessons').getByText('结业考试').waitFor()
  assert.equal(await page.getByTestId('lessons').locator('tbody tr').count(), 3)
  await page.screenshot({ path: join(SHOTS, 'admin-training-course.png'), fullPage: true })

  // Assigned to every window clerk by a date: 56 learners, none finished yet.
  await page.getByText('培训方案', { exact: true }).click()
  await page.getByTestId('new-plan').click()
  await page.locator('input[name=plan-title]').fill('窗口服务入门培训')
  await page.getByTestId('plan-courses').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '窗口服务入门' }).click()
  await page.keyboard.press('Escape')
  await page.locator('.el-dialog .el-select').nth(2).click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '窗口人员' }).click()
  const due = new Date(Date.now() + 30 * 86400000).toISOString().slice(0, 10)
  await page.locator('.el-dialog .el-date-editor input').fill(due)
  await page.keyboard.press('Enter')
  await page.getByTestId('save-plan').click()
  await page.getByTestId('plans').getByText('0 / 56').waitFor()
  await page.getByTestId('plans').getByText('窗口服务入门培训').click()
  await page.locator('.el-drawer').getByText('CA0001').waitFor()
  await page.screenshot({ path: join(SHOTS, 'admin-training-plan.png') })
  await page.keyboard.press('Escape')

  // 云游大厅: a click on the panorama places a hotspot for a window; saved.
  await page.getByText('云游大厅', { exact: true }).click()
  const viewer = page.getByTestId('tour-viewer')
  await viewer.locator('canvas').waitFor()
  await page.waitForTimeout(1000)
  const box = await viewer.boundingBox()
  await page.mouse.click(box.x + box.width / 2, box.y + box.height * 0.8)
  await page.locator('.el-dialog').getByText('放置热点').waitFor()
  await page.locator('.el-dialog .el-select').first().click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '咨询台' }).first().click()
  await page.getByRole('button', { name: '放置' }).click()
  await page.getByRole('button', { name: '保存热点' }).click()
  await page.getByText('热点已保存').waitFor()
  await page.screenshot({ path: join(SHOTS, 'admin-training-tour.png') })

  // 培训统计 by department, and its Excel export.
  await page.getByText('培训统计', { exact: true }).click()
  await page.getByText('按部门').click()
  await page.getByTestId('stats').getByText('中心（未分部门）').waitFor()
  const href = await page.getByTestId('stats-export').getAttribute('href')
  const sheet = await page.context().request.get(`${shared.server.base}${href}`)
  assert.equal(sheet.status(), 200)
  assert.ok((await sheet.body()).subarray(0, 2).toString() === 'PK')
  await page.screenshot({ path: join(SHOTS, 'admin-training-stats.png') })
  await page.close()
})

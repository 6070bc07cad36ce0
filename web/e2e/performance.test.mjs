// End-to-end: the manager writes next quarter's KPI scheme (weights that do
// not add up are refused), computes this quarter from the evidence and opens
// the records behind a figure; a clerk reads their quarter on the phone,
// writes a self-assessment, and after the review appeals; the manager
// answers; setting the grades is refused while others await their review.
import { test, before, after } from 'node:test'
import { join } from 'node:path'
import { SHOTS, serverAndBrowser } from './server.mjs'
import { counterAt, managerApi } from './hall.mjs'

const shared = serverAndBrowser({ before, after })
const PHONE = { viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true }

async function adminPage(section) {
  const admin = await shared.browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
  await admin.goto(`${shared.server.base}/admin/`)
  await admin.locator('input[name=username]').fill('manager')
  await admin.locator('input[name=password]').fill('Demo@2026cah')
  await admin.getByRole('button', { name: /登/ }).click()
  await admin.locator('.el-menu').waitFor()
  await admin.getByText(section, { exact: true }).click()
  return admin
}

/** A phone signed in as `username` on the 考核与积分 tab. */
async function kpiPhone(username) {
  const phoneCtx = await shared.browser.newContext(PHONE)
  const phone = await phoneCtx.newPage()
  await phone.goto(`${shared.server.base}/learn/#/login`)
  await phone.locator('input[name=username]').fill(username)
  await phone.locator('input[name=password]').fill('Demo@2026cah')
  await phone.getByRole('button', { name: '登录' }).click()
  await phone.getByText('我的课程').waitFor()
  await phone.getByTestId('tab-kpi').click()
  return { phoneCtx, phone }
}

test('a scheme is checked, a quarter assessed from evidence, reviewed and appealed', async () => {
  // Next quarter's scheme: the suggestion, a weight changed so they sum to 110.
  const admin = await adminPage('考核方案')
  const rows = admin.getByTestId('scheme-indicators').locator('tbody tr')
  await rows.first().waitFor()
  await rows.first().locator('.el-input-number input').fill('40')
  await admin.getByTestId('weight-sum').getByText('权重合计 110%').waitFor()
  await admin.getByTestId('save-scheme').click()
  await admin.getByText('各项权重之和须为 100%（现为 110%）').first().waitFor()
  await rows.first().locator('.el-input-number input').fill('30')
  await admin.getByTestId('weight-sum').getByText('权重合计 100%').waitFor()
  await admin.getByTestId('save-scheme').click()
  await admin.getByText('已保存考核方案').waitFor()
  await admin.waitForTimeout(300)
  await admin.screenshot({ path: join(SHOTS, 'admin-kpi-scheme.png'), fullPage: true })

  // This quarter: computed from the evidence; a figure's records.
  await admin.getByText('季度考核', { exact: true }).click()
  await admin.getByTestId('assessments').locator('tbody tr').first().waitFor()
  await admin.getByTestId('assess-calculate').click()
  await admin.getByText('已按证据核算').waitFor()
  await admin.getByTestId('assess-CA0001').click()
  await admin.getByTestId('assess-detail').waitFor()
  await admin.getByTestId('evidence-tickets_served').click()
  await admin.getByTestId('assess-evidence').getByText(/办理量（号） · 依据 \d+ 条/).waitFor()

  // The clerk on the phone: figures, then a self-assessment.
  const { phoneCtx, phone } = await kpiPhone('clerk01')
  await phone.getByTestId('kpi-figures').getByText('领导评价').waitFor()
  await phone.locator('textarea[name=self-review]').fill('本季度窗口受理零差错，获群众表扬两次')
  await phone.getByTestId('self-submit').click()
  await phone.getByText('已提交自评').waitFor()
  await phone.getByTestId('evidence-attendance_rate').click()
  await phone.getByTestId('kpi-evidence').getByText('出勤率 · 依据').waitFor()

  // The manager's review; the clerk appeals; the manager answers.
  await admin.reload()
  await admin.getByTestId('assess-CA0001').click()
  await admin.getByTestId('assess-detail').getByText('已自评').waitFor()
  await admin.getByTestId('review-score').locator('input').fill('82')
  await admin.getByTestId('review-comment').fill('服务规范，业务熟练')
  await admin.getByTestId('review-save').click()
  await admin.getByText('已评定', { exact: true }).waitFor()
  await admin.waitForTimeout(400)
  await admin.screenshot({ path: join(SHOTS, 'admin-kpi-assessment.png') })

  await phone.reload()
  await phone.getByTestId('kpi-review').getByText('服务规范，业务熟练').waitFor()
  await phone.getByTestId('kpi-appeal-open').click()
  await phone.locator('textarea[name=appeal-reason]').fill('表扬信两封未计入')
  await phone.getByTestId('kpi-appeal').click()
  await phone.getByText('已提交申诉').waitFor()

  await admin.reload()
  await admin.getByTestId('assess-CA0001').click()
  await admin.getByTestId('appeal-reply').fill('经核实，表扬已计入好评率，维持原评价')
  await admin.getByTestId('appeal-decide').click()
  await admin.getByText('已答复申诉').waitFor()
  await admin.keyboard.press('Escape')
  // The grades wait for everyone's review.
  await admin.getByTestId('assess-finalize').click()
  await admin.getByRole('button', { name: '确定等次' }).last().click()
  await admin.getByText(/还有 \d+ 人的考核未评定/).waitFor()

  await phone.reload()
  await phone.getByTestId('kpi-review').getByText('复核意见：经核实，表扬已计入好评率').waitFor()
  await phone.screenshot({ path: join(SHOTS, 'learn-kpi.png'), fullPage: true })
  await phoneCtx.close()
  await admin.close()
})

test('points: a deduction without evidence is refused, an award ranks a 服务之星 on the screen and the phone', async () => {
  const admin = await adminPage('积分与光荣榜')
  await admin.getByTestId('ranking').locator('tbody tr').first().waitFor()
  await admin.getByTestId('points-settle').click()
  await admin.getByText(/已结算|没有可结算/).first().waitFor()

  // A deduction needs its evidence; an award needs only its reason.
  await admin.getByTestId('points-award').click()
  const dialog = admin.getByRole('dialog', { name: '奖励与扣分' })
  await dialog.getByTestId('award-staff').click()
  await admin.keyboard.type('CA0001')
  await admin.getByRole('option', { name: /CA0001/ }).click()
  await dialog.getByTestId('award-points').locator('input').fill('-5')
  await dialog.getByTestId('award-reason').fill('窗口脱岗')
  await dialog.getByTestId('award-save').click()
  await dialog.getByText('扣分须写明依据').waitFor()
  await dialog.getByTestId('award-points').locator('input').fill('20')
  await dialog.getByTestId('award-reason').fill('群众表扬信')
  await dialog.getByTestId('award-evidence').fill('表扬信第 3 号')
  await dialog.getByTestId('award-save').click()
  await dialog.waitFor({ state: 'hidden' })
  await admin.getByTestId('stars').getByText('王静').waitFor()
  await admin.waitForTimeout(300)
  await admin.screenshot({ path: join(SHOTS, 'admin-points.png') })
  await admin.close()

  // The hall screen's 光荣榜, through a screen device.
  const { api, ctx } = await managerApi(shared.browser, shared.server)
  const { token } = await api.post('/devices', { name: '大厅光荣榜屏', purpose: 'screen' })
  const screen = await shared.browser.newPage({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' })
  await screen.goto(`${shared.server.base}/screen/?hall=CA-ZWFW&mode=honor&silent=1#token=${token}`)
  await screen.getByTestId('honor-star').first().getByText('王静').waitFor()
  await screen.screenshot({ path: join(SHOTS, 'screen-honor.png') })
  await screen.close()
  await ctx.close()

  // The clerk's phone: last month's points with the award and its evidence.
  const { phoneCtx, phone } = await kpiPhone('clerk01')
  await phone.getByTestId('my-points').getByText('第 1 名').waitFor()
  await phone.getByTestId('points-ledger').click()
  await phone.getByTestId('my-points').getByText('依据：表扬信第 3 号').waitFor()
  await phone.screenshot({ path: join(SHOTS, 'learn-points.png') })
  await phoneCtx.close()
})

test('异常服务行为: off duty is refused, an on-duty finding is explained on the phone, upheld, in the bulletin; the hall sets its rules', async () => {
  // clerk01 is at a window today (on duty); clerk02 is not.
  const counter = await counterAt(shared.browser, shared.server, 'clerk01', '01 1号综合受理窗口（综合窗口）')
  const admin = await adminPage('异常服务行为')
  await admin.getByTestId('findings-scan').click()
  await admin.getByText(/检查完毕/).waitFor()
  const raise = async (who) => {
    await admin.getByRole('button', { name: '人工登记' }).click()
    const dialog = admin.getByRole('dialog', { name: '人工登记异常服务行为' })
    await dialog.locator('.el-select').click()
    await admin.keyboard.type(who)
    await admin.getByRole('option', { name: new RegExp(who) }).click()
    await dialog.getByPlaceholder('如 窗口内长时间使用手机').fill('窗口内长时间使用手机')
    await dialog.locator('textarea').fill('10:20 至 10:35 在窗口内使用手机，群众等候')
    await dialog.getByPlaceholder(/监控录像/).fill('监控录像 10:20–10:35')
    await dialog.getByRole('button', { name: '登记' }).click()
    return dialog
  }
  const refused = await raise('CA0002')
  await refused.getByText(/不在岗/).first().waitFor()
  await refused.getByRole('button', { name: '取消' }).click()
  const ok = await raise('CA0001')
  await ok.waitFor({ state: 'hidden' })
  await admin.getByTestId('findings').getByText('窗口内长时间使用手机').waitFor()

  // The clerk explains on the phone.
  const { phoneCtx, phone } = await kpiPhone('clerk01')
  const card = phone.getByTestId('my-findings')
  await card.getByText('窗口内长时间使用手机').waitFor()
  await card.locator('textarea').fill('当时在用手机回复群众的办件咨询')
  await card.getByRole('button', { name: '提交说明' }).click()
  await card.getByText('我的说明：当时在用手机回复群众的办件咨询').waitFor()
  await phone.screenshot({ path: join(SHOTS, 'learn-findings.png') })
  await phoneCtx.close()

  // Upheld; the bulletin is a PDF.
  await admin.reload()
  await admin.getByTestId('close-CA0001').first().click()
  const close = admin.getByRole('dialog', { name: '处理异常服务行为' })
  await close.getByText('本人说明：当时在用手机').waitFor()
  await close.getByTestId('close-note').fill('已谈话提醒，本人已改正')
  await close.getByTestId('close-save').click()
  await admin.getByTestId('findings').getByText('属实，已整改').first().waitFor()
  await close.waitFor({ state: 'hidden' })
  await admin.waitForTimeout(400)
  await admin.screenshot({ path: join(SHOTS, 'admin-findings.png') })
  const pdf = await admin.evaluate(async () => {
    const r = await fetch(`/api/v1/halls/CA-ZWFW/performance/findings/bulletin`)
    return { type: r.headers.get('content-type'), head: new TextDecoder().decode((await r.arrayBuffer()).slice(0, 4)) }
  })
  if (pdf.type !== 'application/pdf' || pdf.head !== '%PDF') throw new Error(JSON.stringify(pdf))

  // The hall's rules: a limit kept, a rule switched off, both read back.
  await admin.getByTestId('findings-rules').click()
  const rules = admin.getByRole('dialog', { name: '异常服务行为监测规则' })
  await rules.getByTestId('rules-pause').locator('input').fill('45')
  await rules.getByTestId('rules-idle').locator('input').fill('15')
  await rules.getByText('办件超期').click()
  await admin.waitForTimeout(400)
  await admin.screenshot({ path: join(SHOTS, 'admin-finding-rules.png') })
  await rules.getByTestId('rules-save').click()
  await admin.getByText('监测规则已保存').waitFor()
  await rules.waitFor({ state: 'hidden' })
  const saved = await admin.evaluate(async () => (await fetch('/api/v1/halls/CA-ZWFW/performance/finding-rules')).json())
  if (saved.pause_limit_minutes !== 45 || saved.idle_limit_minutes !== 15 || JSON.stringify(saved.disabled) !== '["overdue_case"]') throw new Error(JSON.stringify(saved))
  await admin.close()
  await counter.close()
})

/** A 统一社会信用代码 with its GB 32100 check character. */
function creditCode(first17) {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY'
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
  const sum = [...first17].reduce((a, c, i) => a + alphabet.indexOf(c) * weights[i], 0)
  return first17 + alphabet[(31 - (sum % 31)) % 31]
}

test('金牌管家: graded, an enterprise assigned by its checked code, a visit recorded on the phone', async () => {
  const admin = await adminPage('金牌管家')
  await admin.getByTestId('butler-grade').click()
  const grade = admin.getByRole('dialog', { name: '管家定级' })
  await grade.getByTestId('grade-staff').click()
  await admin.keyboard.type('CA0001')
  await admin.getByRole('option', { name: /CA0001/ }).click()
  await grade.getByText('金牌管家').click()
  await grade.getByTestId('grade-save').click()
  await admin.getByTestId('butlers').getByText('金牌管家').waitFor()

  const code = creditCode('91610116MA6TG1234')
  await admin.getByTestId('butler-assign').click()
  const assign = admin.getByRole('dialog', { name: '分配联系企业' })
  await assign.getByTestId('assign-code').fill(code.slice(0, 17) + (code.endsWith('0') ? '1' : '0'))
  await assign.getByTestId('assign-name').fill('西安长安某科技有限公司')
  await assign.getByTestId('assign-save').click()
  await assign.getByText(/统一社会信用代码/).last().waitFor()
  await assign.locator('.el-form-item__error').first().waitFor()
  await assign.getByTestId('assign-code').fill(code)
  await assign.getByTestId('assign-save').click()
  await assign.waitFor({ state: 'hidden' })
  await admin.getByTestId('butler-enterprises').getByText(code).waitFor()

  const { phoneCtx, phone } = await kpiPhone('clerk01')
  const card = phone.getByTestId('my-butler')
  await card.locator('textarea[name=butler-what]').fill('上门指导办理食品经营许可变更')
  await card.locator('input[name=butler-result]').fill('当场收齐材料，已受理')
  await card.getByTestId('butler-submit').click()
  await card.getByText('已登记服务').waitFor()
  await phone.screenshot({ path: join(SHOTS, 'learn-butler.png'), fullPage: true })
  await phoneCtx.close()

  await admin.reload()
  await admin.getByTestId('butler-services').getByText('上门指导办理食品经营许可变更').waitFor()
  await admin.waitForTimeout(300)
  await admin.screenshot({ path: join(SHOTS, 'admin-butlers.png'), fullPage: true })
  await admin.close()
})

test('能力画像与轮岗: the page shows the plan, the portraits and which lines nobody is certified for', async () => {
  const admin = await adminPage('能力画像与轮岗')
  await admin.getByTestId('portraits').locator('tbody tr').first().waitFor()
  // A fresh demo has no history yet: nobody is certified, and the page says so.
  await admin.getByText(/无人持证/).waitFor()
  await admin.waitForTimeout(300)
  await admin.screenshot({ path: join(SHOTS, 'admin-rotation.png'), fullPage: true })
  // 王静 authorised at window 02 is certified for its lines: a plan with her
  // scheduled for the first of next month (the default) shows until it is
  // cancelled, then is listed among the rotations.
  const { api, ctx } = await managerApi(shared.browser, shared.server)
  const caps = await api.get('/performance/capabilities')
  const wang = caps.portraits.find((p) => p.employee_no === 'CA0001').staff_id
  const w02 = caps.plan.find((r) => r.window_code === '02').window_id
  await api.put(`/hr/window-grants/${wang}`, [w02])
  await admin.reload()
  await admin.getByTestId('rotation-plan').getByText('CA0001 王静').first().waitFor()
  await admin.getByTestId('rotation-apply').click()
  await admin.locator('.el-message-box').getByRole('button', { name: '安排', exact: true }).click()
  await admin.getByTestId('rotation-scheduled').getByText('当天将再次核验').waitFor()
  await admin.waitForTimeout(400)
  await admin.screenshot({ path: join(SHOTS, 'admin-rotation-scheduled.png') })
  await admin.getByTestId('rotation-cancel').click()
  await admin.locator('.el-message-box').getByRole('button', { name: '取消安排', exact: true }).click()
  await admin.getByTestId('rotation-scheduled').waitFor({ state: 'hidden' })
  await admin.getByTestId('rotation-history').getByText('已取消').waitFor()
  await api.put(`/hr/window-grants/${wang}`, [])
  await ctx.close()
  await admin.close()
})

test('导师结对: the mentor signs the checklist off on the phone, then the mentee is certified', async () => {
  const admin = await adminPage('导师结对')
  await admin.getByTestId('mentor-add').click()
  const dialog = admin.getByRole('dialog', { name: '新建导师结对' })
  for (const [i, who] of [[0, 'CA0001'], [1, 'CA0002']]) {
    await dialog.locator('.el-select').nth(i).click()
    await admin.keyboard.type(who)
    await admin.getByRole('option', { name: new RegExp(who) }).last().click()
  }
  await dialog.locator('textarea').fill('不动产登记受理要点\n一次性告知书的写法')
  await admin.waitForTimeout(400)
  await admin.screenshot({ path: join(SHOTS, 'admin-mentor-new.png') })
  await dialog.getByRole('button', { name: '结对' }).click()
  await dialog.waitFor({ state: 'hidden' })
  await admin.getByTestId('mentorships').getByText('带训中').waitFor()

  const { phoneCtx, phone } = await kpiPhone('clerk01')
  const card = phone.getByTestId('my-mentoring')
  for (const n of [2, 1]) {
    await card.getByText(`0/2`).or(card.getByText(`1/2`)).first().waitFor()
    await card.getByRole('button', { name: '签认' }).first().click()
    await card.getByText(`${3 - n}/2`).waitFor()
  }
  await phone.screenshot({ path: join(SHOTS, 'learn-mentoring.png') })
  await phoneCtx.close()

  await admin.reload()
  await admin.getByRole('button', { name: '确认出师' }).click()
  await admin.getByText(/已出师，导师积分已记入台账/).waitFor()
  await admin.getByTestId('mentorships').getByText(/出师/).waitFor()
  await admin.screenshot({ path: join(SHOTS, 'admin-mentors.png') })
  await admin.close()
})

test('组长评议: the group leader comments on a member on the phone; the manager sees it', async () => {
  const { api, ctx } = await managerApi(shared.browser, shared.server)
  const profiles = await api.get('/hr/profiles')
  const id = (no) => profiles.find((p) => p.employee_no === no).staff_id
  await api.post('/hr/groups', { name: '综合受理二组', leader_staff_id: id('CA0001'), member_ids: [id('CA0001'), id('CA0003')] })
  await ctx.close()
  const { phoneCtx, phone } = await kpiPhone('clerk01')
  const card = phone.getByTestId('group-kpi')
  await card.locator('textarea').fill('业务熟练，主动帮带新人')
  await card.getByTestId('leader-review-CA0003').click()
  await card.getByText('我的意见：业务熟练，主动帮带新人').waitFor()
  await phoneCtx.close()
  const admin = await adminPage('季度考核')
  await admin.getByTestId('assess-CA0003').click()
  await admin.getByTestId('leader-comment').getByText('业务熟练，主动帮带新人').waitFor()
  await admin.close()
})

test('业务竞赛: set up in the admin, the exam sat on the phone, a judge scores on the phone, ranked with certificates', async () => {
  // The exam round's paper: two questions of a category of its own.
  const { api, ctx } = await managerApi(shared.browser, shared.server)
  for (const stem of ['群众材料不全时，窗口应当：', '首问负责制要求：']) {
    await api.post('/training/questions', { category: '业务竞赛题', difficulty: 1, kind: 'single', stem, options: ['一次性告知并负责到底', '让群众自行咨询', '拒绝受理'], answer: 'A' })
  }
  await api.post('/training/exams', { title: '业务知识竞赛笔试', rules: [{ category: '业务竞赛题', count: 2, points: 50 }], shuffle: false, attempts_limit: 2 })
  await ctx.close()

  // The admin: a round without its exam is refused by the round, then created.
  const admin = await adminPage('业务竞赛')
  await admin.getByTestId('competition-add').click()
  await admin.getByTestId('competition-title').fill('窗口业务技能竞赛')
  // A multiple select: each typed and picked, then closed by clicking the title.
  const pick = async (testid, texts) => {
    await admin.getByTestId(testid).click()
    for (const text of texts) {
      await admin.getByTestId(testid).locator('input').fill(text)
      await admin.getByRole('option', { name: new RegExp(text) }).click()
    }
    await admin.locator('.el-dialog__title').click()
  }
  await pick('competition-entrants', ['CA0001', 'CA0002'])
  await pick('competition-judges', ['CA0074'])
  await admin.getByTestId('competition-save').click()
  await admin.getByText('请从培训题库的考试中选择本环节的试卷').first().waitFor()
  await admin.getByTestId('round-0-exam').click()
  await admin.getByRole('option', { name: /业务知识竞赛笔试/ }).click()
  await admin.getByTestId('competition-save').click()
  await admin.getByText('竞赛已创建').waitFor()
  const board = admin.getByTestId('competition-board')
  await board.getByText('还有 4 项成绩未出').waitFor()
  // Open from today: renamed, while its rounds are shown as fixed.
  await board.getByTestId('competition-edit').click()
  await admin.getByText('竞赛已开始：开始日期、环节和已有选手不再改动').waitFor()
  await admin.getByTestId('competition-title').fill('窗口业务技能竞赛（第四季度）')
  await admin.waitForTimeout(400)
  await admin.screenshot({ path: join(SHOTS, 'admin-competition-edit.png') })
  await admin.getByTestId('competition-save').click()
  await admin.getByText('竞赛已修改').waitFor()
  await board.getByText('窗口业务技能竞赛（第四季度）').waitFor()

  // The entrant sits the exam from the 考核 tab.
  const entrant = await kpiPhone('clerk01')
  await entrant.phone.getByTestId('my-competition').getByText('窗口业务技能竞赛').waitFor()
  await entrant.phone.waitForTimeout(400)
  await entrant.phone.screenshot({ path: join(SHOTS, 'learn-competition.png'), fullPage: true })
  await entrant.phone.getByRole('link', { name: /参加考试：业务知识竞赛笔试/ }).click()
  await entrant.phone.getByRole('button', { name: '开始考试' }).click()
  await entrant.phone.getByText('一次性告知并负责到底').nth(1).waitFor()
  for (const option of await entrant.phone.getByText('一次性告知并负责到底').all()) await option.click()
  await entrant.phone.getByRole('button', { name: '交卷' }).click()
  await entrant.phone.getByText('考试通过').waitFor()
  await entrant.phone.getByRole('link', { name: '返回', exact: true }).click()
  await entrant.phone.getByTestId('my-competition').getByText('考试 100/100 分').waitFor()

  // The judge scores both on the phone; over full marks is refused.
  const judge = await kpiPhone('guide01')
  const sheet = judge.phone.getByTestId('judge-sheet')
  await sheet.waitFor()
  const rows = sheet.locator('.judged')
  await rows.nth(0).locator('input').fill('120')
  await rows.nth(0).getByRole('button').click()
  await judge.phone.getByText('评分须在 0–100 分之间').waitFor()
  await rows.nth(0).locator('input').fill('88')
  await rows.nth(0).getByRole('button').click()
  await judge.phone.getByText(/已评 CA0001 .*88 分/).waitFor()
  await rows.nth(1).locator('input').fill('92')
  await rows.nth(1).getByRole('button', { name: '评分' }).click()
  await judge.phone.getByText(/已评 CA0002 .*92 分/).waitFor()
  await judge.phone.waitForTimeout(400)
  await judge.phone.screenshot({ path: join(SHOTS, 'learn-judge.png'), fullPage: true })

  // Ranked today, its last day: the one who never sat the exam counts 0 for it.
  await admin.reload()
  await admin.getByTestId('competition-board').waitFor()
  await admin.getByTestId('competition-rank').click()
  await admin.getByText('名次已确定').waitFor()
  const standings = admin.getByTestId('competition-standings').locator('tbody tr')
  await standings.first().getByText('第一名').waitFor()
  await standings.first().getByText(/CA0001/).waitFor()
  await standings.nth(1).getByText('缺考').waitFor()
  await admin.getByTestId('competition-certificates').waitFor()
  await admin.waitForTimeout(400)
  await admin.screenshot({ path: join(SHOTS, 'admin-competition.png'), fullPage: true })

  await entrant.phone.reload()
  await entrant.phone.getByTestId('my-competition').getByText('我的获奖证书').waitFor()
  await Promise.all([entrant.phoneCtx.close(), judge.phoneCtx.close(), admin.close()])
})

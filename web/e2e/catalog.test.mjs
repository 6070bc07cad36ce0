// End-to-end: the catalog admin in real Chromium — create an item with two
// scenarios, publish it, and resolve it in the scenario tester.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { SHOTS, launchBrowser, startServer } from './server.mjs'

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

/** The input behind a data-testid, whether the attribute landed on the input or its wrapper. */
const inputs = (scope, id) => scope.locator(`:is(input,textarea)[data-testid="${id}"], [data-testid="${id}"] :is(input,textarea)`)
const input = (scope, id) => inputs(scope, id).first()

/** Opens an Element Plus select and picks the option with exactly this label. */
async function choose(page, select, label) {
  await select.click()
  await page.getByRole('option', { name: label, exact: true }).click()
}

test('catalog: create an item with two scenarios, publish it, resolve it in the tester', async () => {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
  const errors = []
  page.on('pageerror', (e) => errors.push(String(e)))
  await page.goto(`${server.base}/admin/`)
  await page.locator('input[name=username]').fill('manager')
  await page.locator('input[name=password]').fill('Demo@2026cah')
  await page.getByRole('button', { name: '登 录' }).click()
  await page.getByTestId('user-name').waitFor()

  await page.locator('[data-menu=catalog]').click()
  await page.getByText('共 46 条').waitFor()
  await page.screenshot({ path: join(SHOTS, 'catalog-list.png') })

  // An existing item's 情形 tab shows its questions and rules; leaving with an
  // unsaved change asks first.
  const search = page.getByTestId('item-search')
  await search.fill('食品经营许可')
  await search.press('Enter')
  await page.getByTestId('item-table').getByText('食品经营许可', { exact: true }).click()
  await page.getByRole('tab', { name: /情形（[1-9]\d* 问/ }).click()
  await page.getByTestId('question-0').getByTestId('q-text').waitFor()
  assert.notEqual(await page.getByTestId('question-0').getByTestId('q-text').inputValue(), '')
  await page.getByTestId('rule-0').waitFor()
  await page.screenshot({ path: join(SHOTS, 'catalog-item-scenarios.png') })
  await page.getByTestId('question-0').getByTestId('q-text').fill('改过的题目')
  await page.getByTestId('unsaved').waitFor()
  await page.getByTestId('editor-back').click()
  await page.getByRole('button', { name: '继续编辑' }).click()
  assert.equal(await page.getByTestId('question-0').getByTestId('q-text').inputValue(), '改过的题目')
  await page.getByTestId('editor-back').click()
  await page.getByRole('button', { name: '放弃修改并离开' }).click()
  await search.fill('')
  await search.press('Enter')
  await page.getByText('共 46 条').waitFor()

  // An empty item is refused with every missing field named.
  await page.getByTestId('new-item').click()
  await page.getByTestId('save-draft').click()
  const problems = page.getByTestId('problems')
  await problems.getByText('事项名称为必填项').waitFor()
  await problems.getByText('至少配置一个业务办理项').waitFor()

  await input(page, 'f-task_name').fill('户外招牌设置备案')
  await input(page, 'f-catalog_code').fill('111100900000')
  await choose(page, page.getByTestId('f-department'), '西安市长安区行政审批服务局')
  await page.getByRole('button', { name: '按规则生成' }).click()
  assert.equal(await input(page, 'f-task_code').inputValue(), '11610116MB2957111F4111100900000')
  await input(page, 'f-by_law').fill('《陕西省城市市容和环境卫生管理条例》第十四条')
  await input(page, 'f-accept_condition').fill('招牌设置符合街区规划，结构安全。')
  await input(page, 'f-link_way').fill('029-85291211')

  await page.getByRole('tab', { name: /办理项/ }).click()
  await page.getByTestId('add-handling').click()
  await page.getByTestId('add-handling').click()
  await inputs(page, 'h-name').nth(0).fill('户外招牌设置')
  await inputs(page, 'h-name').nth(1).fill('户外招牌设置变更')

  await page.getByRole('tab', { name: /材料/ }).click()
  for (const name of ['营业执照', '招牌设置方案及效果图', '变更情况说明']) {
    await page.getByTestId('add-material').click()
    await inputs(page, 'm-name').last().fill(name)
  }
  // Only the first is needed in every scenario.
  const switches = page.locator('.el-table__body .el-switch')
  await switches.nth(1).click()
  await switches.nth(2).click()

  await page.getByRole('tab', { name: /情形/ }).click()
  await page.getByTestId('add-question').click()
  await input(page, 'q-text').fill('您要办理哪项业务？')
  await inputs(page, 'o-label').nth(0).fill('首次设置')
  await inputs(page, 'o-label').nth(1).fill('变更')
  for (const [i, option, handling, material] of [[0, '首次设置', '户外招牌设置', '招牌设置方案及效果图'], [1, '变更', '户外招牌设置变更', '变更情况说明']]) {
    await page.getByTestId('add-rule').click()
    const rule = page.getByTestId(`rule-${i}`)
    await rule.getByTestId('add-clause').click()
    await choose(page, rule.locator('.clause .el-select').nth(2), option)
    await rule.getByTestId('add-effect').click()
    await choose(page, rule.getByTestId(`effect-${i}-0`).getByTestId('e-kind'), '选定办理项')
    await choose(page, rule.getByTestId(`effect-${i}-0`).getByTestId('e-handling'), handling)
    await rule.getByTestId('add-effect').click()
    await choose(page, rule.getByTestId(`effect-${i}-1`).getByTestId('e-material'), material)
  }
  await page.screenshot({ path: join(SHOTS, 'catalog-scenarios.png'), fullPage: true })

  await page.getByTestId('save-draft').click()
  await page.getByTestId('item-status').filter({ hasText: '草稿' }).waitFor()
  await page.getByTestId('submit-item').click()
  await page.getByTestId('item-status').filter({ hasText: '待发布' }).waitFor()
  await page.getByTestId('publish-item').click()
  await page.getByTestId('item-status').filter({ hasText: '已发布' }).waitFor()

  await page.getByRole('tab', { name: '情形测试' }).click()
  const tester = page.getByTestId('tester')
  await tester.getByTestId('ask-q1').getByText('变更', { exact: true }).click()
  await page.getByTestId('resolved-handling').filter({ hasText: '户外招牌设置变更' }).waitFor()
  const materials = await page.getByTestId('resolved-materials').textContent()
  assert.ok(materials.includes('变更情况说明') && materials.includes('营业执照'), materials)
  assert.ok(!materials.includes('招牌设置方案'), materials)
  await page.screenshot({ path: join(SHOTS, 'catalog-tester.png'), fullPage: true })

  await tester.getByTestId('ask-q1').getByText('首次设置', { exact: true }).click()
  await page.getByTestId('resolved-handling').filter({ hasText: /^户外招牌设置$/ }).waitFor()

  // The published item is found by search on the kiosk API at once.
  const hits = await page.evaluate(async (q) => (await fetch(`/api/v1/public/halls/CA-ZWFW/catalog/search?q=${encodeURIComponent(q)}`)).json(), '招牌备案')
  assert.equal(hits[0].title, '户外招牌设置备案')

  for (const [menu, shot, ready] of [['bundles', 'catalog-bundles', '开办餐饮店'], ['completeness', 'catalog-completeness', '事项完整性报告'], ['catalog-io', 'catalog-io', '导出 Excel']]) {
    await page.locator(`[data-menu="${menu}"]`).click()
    await page.getByText(ready).first().waitFor()
    await page.screenshot({ path: join(SHOTS, `${shot}.png`), fullPage: true })
  }
  // Re-import the export through the page: checked whole, written as a job with progress, nothing duplicated.
  const exported = await page.evaluate(async () => (await fetch('/api/v1/halls/CA-ZWFW/catalog/export')).text())
  const broken = exported.replace('"task_type": "行政许可"', '"task_type": "行政审批"')
  await page.getByTestId('import-file').setInputFiles({ name: 'catalog.json', mimeType: 'application/json', buffer: Buffer.from(broken) })
  await page.getByTestId('import-run').click()
  await page.getByTestId('import-problems').getByText('不在允许范围内').first().waitFor()
  await page.screenshot({ path: join(SHOTS, 'catalog-import-problems.png'), fullPage: true })
  await page.getByTestId('import-file').setInputFiles({ name: 'catalog.json', mimeType: 'application/json', buffer: Buffer.from(exported) })
  await page.getByTestId('import-run').click()
  await page.getByTestId('import-outcome').getByText('未变化 47').waitFor()
  await page.screenshot({ path: join(SHOTS, 'catalog-import-done.png'), fullPage: true })

  assert.deepEqual(errors, [])
  await page.close()
})

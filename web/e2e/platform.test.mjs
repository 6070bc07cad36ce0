// End-to-end: the real server, real Chromium.
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

async function newPage(width = 1440, height = 900) {
  const page = await browser.newPage({ viewport: { width, height }, locale: 'zh-CN' })
  const errors = []
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
  page.on('pageerror', (e) => errors.push(String(e)))
  return { page, errors }
}

test('an unbound big screen asks for its device token instead of showing empty figures', async () => {
  const { page, errors } = await newPage(1920, 1080)
  await page.goto(`${server.base}/dashboard/?hall=CA-ZWFW`)
  await page.getByTestId('dashboard-bind').filter({ hasText: '本屏幕尚未绑定设备' }).waitFor()
  await page.screenshot({ path: join(SHOTS, 'dashboard-unbound.png') })
  // The refused requests are the only errors: nothing in the page itself failed.
  assert.deepEqual(errors.filter((e) => !/401|403|Failed to load resource/.test(e)), [])
  await page.close()
})

test('admin: sign in, browse the directory, refuse bad input, add a window', async () => {
  const { page, errors } = await newPage()
  await page.goto(`${server.base}/admin/`)
  await page.locator('input[name=username]').fill('manager')
  await page.locator('input[name=password]').fill('wrong-password')
  await page.getByRole('button', { name: '登 录' }).click()
  await page.getByText('账号或密码错误').waitFor()
  await page.locator('input[name=password]').fill('Demo@2026cah')
  await page.getByRole('button', { name: '登 录' }).click()
  await page.getByTestId('user-name').waitFor()
  // From November on, a missing notice for next year's holidays is said on the home page.
  if (new Date().getMonth() >= 10) await page.getByTestId('calendar-warning').waitFor()
  // A center manager has no halls.edit, but sees the directory.
  await page.locator('[data-menu=windows]').click()
  await page.getByText('共 30 条').waitFor()
  await page.screenshot({ path: join(SHOTS, 'admin-windows.png') })

  await page.getByTestId('create').click()
  const dialog = page.getByRole('dialog')
  await dialog.locator('[data-field=code] input').fill('01')
  await dialog.locator('[data-field=name] input').fill('测试窗口')
  await page.getByTestId('save').click()
  await dialog.getByText('窗口编号“01”已被“1号综合受理窗口”使用').first().waitFor()
  await page.screenshot({ path: join(SHOTS, 'admin-window-error.png') })

  await dialog.locator('[data-field=code] input').fill('50')
  await page.getByTestId('save').click()
  await page.getByText('共 31 条').waitFor()

  await page.locator('[data-menu=staff]').click()
  await page.getByText('共 76 条').waitFor()
  const body = await page.content()
  assert.ok(!/139\d{8}/.test(body), 'a full phone number is on screen')
  await page.screenshot({ path: join(SHOTS, 'admin-staff.png') })

  await page.locator('[data-menu=events]').click()
  await page.getByTestId('live-status').filter({ hasText: '实时连接中' }).waitFor()
  // Read in Chinese, who did what to which; the raw type one click away.
  const created = page.getByTestId('event-row').filter({ hasText: '窗口·新增' }).first()
  await created.waitFor()
  await created.getByTestId('event-raw').click()
  await page.getByText('directory.window.created').first().waitFor()
  await page.screenshot({ path: join(SHOTS, 'admin-events.png') })

  await page.locator('[data-menu=devices]').click()
  await page.getByRole('button', { name: '登记设备' }).click()
  await page.getByPlaceholder('如：一楼综合叫号屏').fill('一楼综合叫号屏')
  await page.getByRole('button', { name: '登记', exact: true }).click()
  // The token dialog: copy buttons, addresses with the hall's code, the window chosen from a list.
  const tokenDialog = page.getByTestId('token-dialog')
  await tokenDialog.getByTestId('device-token').waitFor()
  assert.equal(await tokenDialog.getByTestId('device-link').count(), 1, 'a hall screen before a window is chosen')
  await tokenDialog.getByTestId('token-window').click()
  await page.locator('.el-select-dropdown__item:visible').first().click()
  await tokenDialog.getByTestId('device-link').nth(2).waitFor()
  const links = await tokenDialog.getByTestId('device-link').allTextContents()
  assert.ok(links.every((l) => l.includes('hall=CA-ZWFW') && l.includes('#token=')), links.join('\n'))
  assert.ok(links.some((l) => /mode=pad&window=[^&#]+#token=/.test(l)), links.join('\n'))
  assert.ok(!links.some((l) => l.includes('窗口编号')), links.join('\n'))
  await page.screenshot({ path: join(SHOTS, 'admin-device-token.png') })
  await tokenDialog.getByTestId('token-done').click()
  // Closing the dialog refreshes the list.
  await page.getByRole('cell', { name: '一楼综合叫号屏' }).waitFor()
  await page.screenshot({ path: join(SHOTS, 'admin-devices.png') })
  assert.deepEqual(errors.filter((e) => !e.includes('401') && !e.includes('409')), [])
  await page.close()
})

test('API documentation renders under the content security policy', async () => {
  const { page, errors } = await newPage()
  await page.goto(`${server.base}/api/docs/`)
  await page.locator('.swagger-ui .info .title').filter({ hasText: 'govhall API' }).waitFor()
  await page.screenshot({ path: join(SHOTS, 'api-docs.png') })
  assert.deepEqual(errors, [])
  await page.close()
})

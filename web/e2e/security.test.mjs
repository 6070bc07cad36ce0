// End-to-end: the security and audit administrators, who sign in with TOTP.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import * as OTPAuth from 'otpauth'
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

// The server accepts each 30-second code once and one period ahead of the
// clock: enrolment uses the current code, the next sign-in the next one.
const code = (secret, periodsAhead = 0) =>
  new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: Date.now() + periodsAhead * 30000 })

async function signIn(page, username) {
  await page.goto(`${server.base}/admin/`)
  await page.locator('input[name=username]').fill(username)
  await page.locator('input[name=password]').fill('Demo@2026cah')
  await page.getByRole('button', { name: '登 录' }).click()
}

async function enrolTotp(page) {
  await page.getByTestId('totp-qr').locator('svg').waitFor()
  const secret = (await page.getByTestId('totp-secret').textContent()).trim()
  await page.getByPlaceholder('6 位动态验证码').fill(code(secret))
  await page.getByTestId('totp-confirm').click()
  await page.getByText('动态口令已绑定').waitFor()
  return secret
}

test('security administrator binds TOTP, creates an account and signs in again with a code', async () => {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
  await signIn(page, 'security')
  const secret = await enrolTotp(page)
  // The security administrator lands on accounts.
  await page.locator('.el-menu-item.is-active[data-menu=accounts]').waitFor()
  await page.getByTestId('create-account').click()
  await page.getByPlaceholder('字母、数字、下划线').fill('clerk77')
  await page.getByPlaceholder('真实姓名').fill('新窗口人员')
  await page.locator('[data-role=window_staff]').click()
  await page.getByTestId('submit-account').click()
  await page.getByText(/一次性密码：/).waitFor()
  await page.screenshot({ path: join(SHOTS, 'security-account-created.png') })
  await page.getByRole('button', { name: '我已记下' }).click()
  await page.getByRole('cell', { name: 'clerk77' }).waitFor()

  await page.getByRole('button', { name: '退出' }).click()
  // Signed out only once the form is back (a busy server may take a moment).
  await page.locator('input[name=username]').waitFor()
  await signIn(page, 'security')
  await page.locator('input[name=totp_code]').waitFor()
  await page.screenshot({ path: join(SHOTS, 'login-totp.png') })
  await page.locator('input[name=totp_code]').fill(code(secret, 1))
  await page.getByRole('button', { name: '登 录' }).click()
  await page.getByRole('cell', { name: 'clerk77' }).waitFor()
  await page.screenshot({ path: join(SHOTS, 'security-accounts.png') })
  await page.getByRole('tab', { name: '角色与权限' }).click()
  await page.getByTestId('create-role').click()
  await page.getByPlaceholder('如：综合受理组长').fill('综合受理组长')
  await page.getByRole('dialog').getByText('查看大厅目录').click()
  await page.getByRole('dialog').getByRole('button', { name: '保存' }).click()
  const row = page.getByRole('row').filter({ hasText: '综合受理组长' })
  await row.getByText('自定义').waitFor()
  await row.getByText('查看大厅目录').waitFor()
  await page.getByRole('dialog').waitFor({ state: 'hidden' })
  await page.screenshot({ path: join(SHOTS, 'security-roles.png') })
  await page.close()
})

test('audit administrator reads and verifies the audit log', async () => {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
  await signIn(page, 'auditor')
  await enrolTotp(page)
  // The auditor lands on the log, which reads in Chinese; the raw request is one click away.
  await page.locator('.el-menu-item.is-active[data-menu=audit]').waitFor()
  const entry = page.getByTestId('audit-entry').filter({ hasText: '新增账号' }).first()
  await entry.waitFor()
  await entry.getByTestId('audit-raw').click()
  await entry.getByText('POST /api/v1/security/users').waitFor()
  await page.getByTestId('verify').click()
  const verdict = await page.getByTestId('verdict').textContent()
  assert.match(verdict, /哈希链完整/)
  await page.screenshot({ path: join(SHOTS, 'audit-log.png') })
  await page.close()
})

// WeChat reminders on the phone: a citizen following a ticket inside WeChat
// taps 用微信接收叫号提醒, is sent to the 公众号's authorization page and back,
// and the page says reminders are on. A small stand-in plays WeChat (its
// authorize page redirects straight back with a code, as WeChat does for the
// silent `snsapi_base` scope; its API turns the code into an openid).
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { SHOTS, launchBrowser, startServer } from './server.mjs'
import { managerApi } from './hall.mjs'

const WECHAT_UA =
  'Mozilla/5.0 (Linux; Android 13; V2244A) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0 Mobile Safari/537.36 MicroMessenger/8.0.49.2600 NetType/WIFI Language/zh_CN'

let wechat, wechatBase, server, browser
const asked = []

before(async () => {
  wechat = createServer((req, res) => {
    const url = new URL(req.url, 'http://wechat')
    asked.push(url.pathname)
    if (url.pathname === '/connect/oauth2/authorize') {
      assert.equal(url.searchParams.get('appid'), 'wx-e2e')
      assert.equal(url.searchParams.get('scope'), 'snsapi_base')
      const back = new URL(url.searchParams.get('redirect_uri'))
      back.searchParams.set('code', 'code-from-wechat')
      back.searchParams.set('state', url.searchParams.get('state'))
      res.writeHead(302, { location: back.toString() }).end()
    } else if (url.pathname === '/sns/oauth2/access_token') {
      const ok = url.searchParams.get('code') === 'code-from-wechat' && url.searchParams.get('secret') === 'e2e-secret'
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(ok ? { access_token: 't', expires_in: 7200, openid: 'oE2eCitizen000001', scope: 'snsapi_base' } : { errcode: 40029, errmsg: 'invalid code' }))
    } else {
      res.writeHead(404).end()
    }
  })
  await new Promise((ok) => wechat.listen(0, '127.0.0.1', ok))
  wechatBase = `http://127.0.0.1:${wechat.address().port}`
  server = await startServer({
    env: {
      GOVHALL_WECHAT_APP_ID: 'wx-e2e',
      GOVHALL_WECHAT_APP_SECRET: 'e2e-secret',
      GOVHALL_WECHAT_API_BASE: wechatBase,
      GOVHALL_WECHAT_OAUTH_BASE: wechatBase,
    },
  })
  browser = await launchBrowser()
})

after(async () => {
  await browser?.close()
  await server?.stop()
  wechat?.close()
})

test('wechat: a holder in WeChat turns on reminders for the ticket and comes back to it', async () => {
  const { api } = await managerApi(browser, server)
  const device = await api.post('/devices', { name: '微信测试取号机', purpose: 'kiosk' })
  const resp = await fetch(`${server.base}/api/v1/halls/CA-ZWFW/tickets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${device.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ line: 'A', channel: 'kiosk' }),
  })
  assert.equal(resp.status, 201, await resp.clone().text())
  const issued = await resp.json()

  const ctx = await browser.newContext({ userAgent: WECHAT_UA, viewport: { width: 390, height: 780 }, locale: 'zh-CN' })
  const phone = await ctx.newPage()
  await phone.goto(`${server.base}/mobile/?hall=CA-ZWFW&ticket=${issued.ticket.id}#token=${issued.token}`)
  await phone.getByTestId('ticket-number').filter({ hasText: issued.ticket.number }).waitFor()
  await phone.getByTestId('wechat-bind').waitFor()
  await phone.screenshot({ path: join(SHOTS, 'mobile-wechat-offer.png') })
  // Outside WeChat the offer is not shown.
  const plain = await browser.newPage()
  await plain.goto(`${server.base}/mobile/?hall=CA-ZWFW&ticket=${issued.ticket.id}#token=${issued.token}`)
  await plain.getByTestId('ticket-status').filter({ hasText: '排队中' }).waitFor()
  assert.equal(await plain.getByTestId('wechat-bind').count(), 0)
  await plain.close()
  await phone.getByTestId('wechat-bind').click()
  await phone.waitForURL(/wx=on/)
  await phone.getByTestId('wechat-on').waitFor()
  await phone.screenshot({ path: join(SHOTS, 'mobile-wechat-on.png') })
  assert.deepEqual(asked, ['/connect/oauth2/authorize', '/sns/oauth2/access_token'])
  assert.equal(await phone.getByTestId('wechat-bind').count(), 0)
  await ctx.close()
})

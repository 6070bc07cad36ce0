// End-to-end: SIGKILL the server in the middle of a load of kiosks taking
// tickets. After a restart on the same data, every ticket whose issue was
// acknowledged is there, the numbering continues without a gap or a reuse,
// and a screen that was connected catches up on its own.
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { launchBrowser, startServer } from './server.mjs'

let browser
let server

after(async () => {
  await browser?.close()
  await server?.stop()
})

async function managerApi(base) {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'manager', password: 'Demo@2026cah' }),
  })
  assert.equal(login.status, 200)
  const cookies = login.headers.getSetCookie().map((c) => c.split(';')[0])
  const csrf = cookies.find((c) => c.startsWith('govhall_csrf=')).split('=')[1]
  const headers = { 'content-type': 'application/json', cookie: cookies.join('; '), 'x-csrf-token': csrf }
  return async (path, body) => {
    const r = await fetch(`${base}/api/v1/halls/CA-ZWFW${path}`, { method: 'POST', headers, body: JSON.stringify(body) })
    const text = await r.text()
    assert.ok(r.ok, `${path} → ${r.status} ${text}`)
    return JSON.parse(text)
  }
}

test('SIGKILL during a load loses no acknowledged ticket; a screen catches up after the restart', async () => {
  server = await startServer()
  const post = await managerApi(server.base)
  const kiosk = (await post('/devices', { name: '取号机', purpose: 'kiosk' })).token
  const screen = (await post('/devices', { name: '综合屏', purpose: 'screen' })).token

  browser = await launchBrowser()
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
  await page.goto(`${server.base}/screen/?hall=CA-ZWFW&mode=hall&silent=1#token=${screen}`)
  await page.getByTestId('live').filter({ hasText: '实时' }).waitFor()

  // Eight kiosks issue as fast as they can; the server dies under them.
  const acked = []
  let stop = false
  const kiosks = Array.from({ length: 8 }, async () => {
    while (!stop) {
      try {
        const r = await fetch(`${server.base}/api/v1/halls/CA-ZWFW/tickets`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${kiosk}` },
          body: JSON.stringify({ line: 'A' }),
        })
        if (r.status === 201) acked.push(await r.json())
      } catch {
        // The connection died with the server: not acknowledged, so not counted.
      }
    }
  })
  while (acked.length < 150) await new Promise((r) => setTimeout(r, 5))
  await server.crash()
  stop = true
  await Promise.all(kiosks)
  const base = server.base
  const port = new URL(base).port
  assert.ok(acked.length >= 150)

  // Restart on the same data (and port, so the open screen reconnects by itself).
  server = await startServer({ dir: server.dir, listen: `127.0.0.1:${port}` })
  for (const t of acked) {
    const r = await fetch(`${server.base}/api/v1/tickets/${t.ticket.id}?token=${t.token}`)
    assert.equal(r.status, 200, `ticket ${t.ticket.number} acknowledged before the crash is gone`)
  }
  const numbers = new Set(acked.map((t) => t.ticket.number))
  assert.equal(numbers.size, acked.length, 'a number was issued twice')
  // Numbering continues after the highest number that survived.
  const next = await fetch(`${server.base}/api/v1/halls/CA-ZWFW/tickets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${kiosk}` },
    body: JSON.stringify({ line: 'A' }),
  }).then((r) => r.json())
  assert.ok(!numbers.has(next.ticket.number), `${next.ticket.number} reused`)

  // The screen reconnects and shows the queue as it is now.
  const queue = await fetch(`${server.base}/api/v1/halls/CA-ZWFW/queue`).then((r) => r.json())
  const waiting = queue.lines[0].waiting
  assert.ok(waiting >= acked.length + 1)
  await page.getByTestId('live').filter({ hasText: '实时' }).waitFor({ timeout: 30000 })
  await page.getByTestId('line').filter({ hasText: `${waiting} 人` }).waitFor({ timeout: 15000 })
})

// The big screen's first paint, for `govhall bench analytics`: against a
// running server (argv[2]) it registers a 数据大屏 device, then opens
// /dashboard/ at 1920×1080 in a fresh browser context (cold cache) `argv[3]`
// times and prints one JSON line per run: the first contentful paint, and
// the time until every panel on the page shows fetched figures (its
// freshness stamp carries a time).
import { launchBrowser } from '../e2e/server.mjs'
import { managerApi } from '../e2e/hall.mjs'

const base = process.argv[2]
const runs = Number(process.argv[3] ?? 5)
const browser = await launchBrowser()
try {
  const { api } = await managerApi(browser, { base })
  const { token } = await api.post('/devices', { name: '首屏测量', purpose: 'dashboard' })
  const url = `${base}/dashboard/?hall=CA-ZWFW&screens=live,effect&rotate=600#token=${token}`
  for (let i = 0; i < runs; i++) {
    const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' })
    const page = await ctx.newPage()
    const started = Date.now()
    await page.goto(url)
    await page.waitForFunction(
      () => {
        const stamps = [...document.querySelectorAll('[data-testid=fresh]')]
        return stamps.length > 0 && stamps.every((s) => /\d{2}:\d{2}/.test(s.textContent ?? ''))
      },
      null,
      { timeout: 60000, polling: 20 },
    )
    const ready = Date.now() - started
    const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null)
    const panels = await page.locator('[data-testid=fresh]').count()
    console.log(JSON.stringify({ fcp, ready, panels }))
    await ctx.close()
  }
} finally {
  await browser.close()
}

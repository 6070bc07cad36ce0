// Starts the real server on a free port with a temporary database and
// the demo hall, and launches Debian's Chromium through playwright-core.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium } from 'playwright-core'

const BIN = process.env.GOVHALL_BIN ?? resolve(import.meta.dirname, '../../target/release/govhall')
export const SHOTS = resolve(import.meta.dirname, '../test-results')

/** `dir`: reuse a data directory (a restart after a crash); otherwise a fresh one. `env`: extra settings (`GOVHALL_*`). */
export async function startServer({ dir = mkdtempSync(join(tmpdir(), 'govhall-e2e-')), listen = '127.0.0.1:0', env = {} } = {}) {
  const child = spawn(BIN, ['--data-dir', dir, 'serve', '--demo', '--listen', listen], {
    // No generated past unless a test asks for it (it would slow every start).
    env: { ...process.env, GOVHALL_DATABASE_URL: '', GOVHALL_DEMO_HISTORY_DAYS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const base = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start:\n${output}`)), 30000)
    const onData = (d) => {
      output += d.toString()
      const m = output.match(/govhall 已启动：(http:\/\/[0-9.:]+)/)
      if (m) {
        clearTimeout(timer)
        ok(m[1])
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', (d) => (output += d.toString()))
    child.on('exit', (code) => fail(new Error(`server exited with ${code}:\n${output}`)))
  })
  return {
    base,
    dir,
    /** SIGKILL: no shutdown, no flush; the data directory is kept for a restart. */
    async crash() {
      child.kill('SIGKILL')
      await new Promise((r) => child.once('exit', r))
    },
    async stop() {
      child.kill('SIGTERM')
      await new Promise((r) => child.once('exit', r))
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export async function launchBrowser() {
  mkdirSync(SHOTS, { recursive: true })
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--autoplay-policy=no-user-gesture-required', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}

/** One server and one browser for a test file: started before its tests, stopped after. */
export function serverAndBrowser(hooks) {
  const shared = { server: null, browser: null }
  hooks.before(async () => {
    shared.server = await startServer()
    shared.browser = await launchBrowser()
  })
  hooks.after(async () => {
    await shared.browser?.close()
    await shared.server?.stop()
  })
  return shared
}

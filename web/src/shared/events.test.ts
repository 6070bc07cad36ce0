// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createClient } from '@hey-api/openapi-ts'
import { PAYLOAD_SCHEMAS, payloadOf } from './events'

const web = resolve(import.meta.dirname, '../..')

describe('typed events', () => {
  it('list every event of the server catalogue with its payload schema', () => {
    const catalogue = JSON.parse(readFileSync(join(web, '../docs/events.json'), 'utf8')) as { events: { type: string; payload: string }[] }
    expect(Object.fromEntries(catalogue.events.map((e) => [e.type, e.payload]))).toEqual(PAYLOAD_SCHEMAS)
  })

  it('read a payload only from its own type', () => {
    const e = { seq: 1, event_type: 'queue.ticket.called', occurred_at: '', payload: { number: 'A001' } }
    expect(payloadOf(e, 'queue.ticket.called')?.number).toBe('A001')
    expect(payloadOf(e, 'queue.ticket.recalled')).toBeNull()
  })

  it('come from the current OpenAPI document (npm run api-types)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'api-types-'))
    // The same input as the config, so the generated client options match.
    process.chdir(web)
    await createClient({ input: 'openapi.json', output: { path: out }, plugins: ['@hey-api/typescript'], logs: { level: 'silent' } })
    for (const f of readdirSync(out)) {
      expect(readFileSync(join(out, f), 'utf8'), `src/shared/api-types/${f} is stale: npm run api-types`).toBe(readFileSync(join(web, 'src/shared/api-types', f), 'utf8'))
    }
  }, 60_000)
})

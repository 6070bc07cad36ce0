import { describe, expect, it } from 'vitest'
import { auditLink, eventLink, objectOf } from './logs'

describe('log entries', () => {
  it('name their object from the payload', () => {
    expect(objectOf({ number: '1161202612020001', item_name: '食品经营许可' })).toBe('1161202612020001 食品经营许可')
    expect(objectOf({ name: '综合窗口', code: '01' })).toBe('综合窗口 01')
    expect(objectOf(null)).toBe('')
  })

  it('link a case’s audit entry and events to the case', () => {
    expect(auditLink('POST /api/v1/halls/{hall}/cases/{id}/actions', '/api/v1/halls/h1/cases/c9/actions')).toEqual({ page: 'cases', id: 'c9', label: '查看办件' })
    expect(auditLink('PUT /api/v1/halls/{hall}/windows/{id}', '/api/v1/halls/h1/windows/w1')).toBeNull()
    expect(auditLink('POST /api/v1/halls/{hall}/cases', '/api/v1/halls/h1/cases')).toBeNull()
    expect(eventLink('cases.case.deliver', { id: 'c1' })).toEqual({ page: 'cases', id: 'c1', label: '查看办件' })
    expect(eventLink('queue.ticket.called', { id: 't1' })).toBeNull()
  })
})

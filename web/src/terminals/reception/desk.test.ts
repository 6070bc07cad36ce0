import { describe, expect, it } from 'vitest'
import { assistBody, emptyAssist, lineState, proxyTicketBody, type LineQueue } from './desk'

describe('the reception desk', () => {
  it('takes a proxy ticket and sends the green class only with the green channel', () => {
    const base = { line: 'A', idNumber: ' ', phone: '', green: false, greenReason: 'elderly' }
    expect(proxyTicketBody(base)).toMatchObject({ channel: 'proxy', green: false, green_reason: null, id_number: null, phone: null })
    expect(proxyTicketBody({ ...base, green: true, phone: ' 13912345678 ' })).toMatchObject({ green: true, green_reason: 'elderly', phone: '13912345678' })
  })

  it('says how a line stands', () => {
    const l: LineQueue = { line_id: '1', prefix: 'A', name: '综合', waiting: 0, next: [], wait_minutes: 0, open_windows: 2 }
    expect(lineState(l)).toBe('无人等候，可直接办理')
    expect(lineState({ ...l, waiting: 5, wait_minutes: 18 })).toBe('等候 5 人 · 约 18 分钟')
    expect(lineState({ ...l, waiting: 3, open_windows: 0 })).toContain('暂无窗口在岗')
  })

  it('records a catalog matter by code and anything else in words', () => {
    const f = { ...emptyAssist(), citizenName: '李秀兰', item: '11610116MB2957101E4010100200000', itemName: '食品经营许可' }
    expect(assistBody(f)).toMatchObject({ item: f.item, item_name: null, citizen_phone: null })
    expect(assistBody({ ...f, item: '', itemName: ' 咨询灵活就业 ' })).toMatchObject({ item: null, item_name: '咨询灵活就业' })
  })
})

import { describe, expect, it } from 'vitest'
import { followUrl, qrDataUrl } from './slip'

const t = {
  ticket: { id: 'T1', number: 'A001', line_name: '综合受理', ahead: 2, quoted_wait: 10, issued_at: '', class: 'normal', green_reason: null, green_label: null, appointment_slot: null },
  token: 'ab cd',
}

describe('slip', () => {
  it('puts the token in the fragment, never the query', () => {
    const url = followUrl('https://hall.example', 'CA-ZWFW', t)
    expect(url).toBe('https://hall.example/mobile/?hall=CA-ZWFW&ticket=T1#token=ab%20cd')
    expect(url.split('#')[0]).not.toContain('ab')
  })
  it('draws a QR code as an image', async () => {
    expect(await qrDataUrl('https://hall.example/mobile/')).toMatch(/^data:image\/png;base64,/)
  })
})

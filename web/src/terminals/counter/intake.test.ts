import { describe, expect, it } from 'vitest'
import { answerOf, defaultWay, progressUrl } from './intake'

describe('intake form rules', () => {
  it('encodes answers the way the resolver reads them', () => {
    expect(answerOf('single', 'new')).toEqual({ choice: 'new' })
    expect(answerOf('multi', ['hot', 'cold'])).toEqual({ choices: ['hot', 'cold'] })
    expect(answerOf('yes_no', false)).toEqual({ yes_no: false })
    expect(answerOf('number', '16')).toEqual({ number: 16 })
  })

  it('does not ask for paper an e-licence or shared data replaces', () => {
    expect(defaultWay({ exempt_way: '电子证照' })).toBe('elicence')
    expect(defaultWay({ exempt_way: null, elicence_type: '营业执照' })).toBe('elicence')
    expect(defaultWay({ exempt_way: '数据共享' })).toBe('shared')
    expect(defaultWay({ exempt_way: '告知承诺' })).toBe('paper_original')
    expect(defaultWay(null)).toBe('paper_original')
  })

  it('keeps the query code out of the part of the link a server sees', () => {
    const url = new URL(progressUrl('https://hall.example', 'CA-ZWFW', { number: 'N1', query_code: 'AB3D' }))
    expect(url.searchParams.get('case')).toBe('N1')
    expect(url.search).not.toContain('AB3D')
    expect(url.hash).toBe('#code=AB3D')
  })
})

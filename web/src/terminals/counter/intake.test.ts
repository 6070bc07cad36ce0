import { describe, expect, it } from 'vitest'
import { answerOf, defaultWay, documentUrl, documentsToPrint, formFields, knownField } from './intake'

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

  it('offers the document the outcome calls for first, the receipt last', () => {
    const named = (...codes: string[]) => codes.map((code) => ({ code, label: `«${code}»` }))
    expect(documentsToPrint(named('receipt', 'correction')).map((d) => d.label)).toEqual(['«correction»', '«receipt»'])
    expect(documentsToPrint(named('receipt', 'acceptance', 'completion'))[0].kind).toBe('acceptance')
    expect(documentsToPrint(named('handover'))).toEqual([])
  })

  it('asks the server for a case document by hall, case and kind', () => {
    expect(documentUrl('CA-ZWFW', 'c 1', 'receipt')).toBe('/api/v1/halls/CA-ZWFW/cases/c%201/documents/receipt')
  })

  it('asks the form fields of received materials once', () => {
    const f = formFields([
      { received: true, fields: [{ name: '申请人', required: true }, { name: '地址', required: false }] },
      { received: true, fields: [{ name: '地址', required: true }] },
      { received: false, fields: [{ name: '注册资本', required: true }] },
      { received: true },
    ])
    expect(f).toEqual([{ name: '申请人', required: true }, { name: '地址', required: true }])
  })

  it('says which fields the applicant already answers, by applicant type', () => {
    expect(knownField('申请人', false)).toBe('同申请人')
    expect(knownField('身份证号', false)).toBe('同证件号码')
    expect(knownField('身份证号', true)).toBeUndefined()
    expect(knownField('统一社会信用代码', true)).toBe('同证件号码')
    expect(knownField('经营地址', false)).toBeUndefined()
  })
})

import { describe, expect, it } from 'vitest'
import { answerFor, blankItem, describeEffect, fromCond, suggestTaskCode, toCond, type Clause, type Cond } from './model'

describe('condition form', () => {
  it('round-trips the clauses it can show', () => {
    const clauses: Clause[] = [
      { question: 'kind', op: 'chose', value: 'new' },
      { question: 'agent', op: 'yes', value: '' },
      { question: 'age', op: 'below', value: '16' },
      { question: 'items', op: 'not_chose', value: 'hot' },
    ]
    const cond = toCond(clauses)
    expect(cond).toEqual({ all: [
      { chose: { question: 'kind', value: 'new' } },
      { is: { question: 'agent', value: true } },
      { not: { at_least: { question: 'age', min: 16 } } },
      { not: { chose: { question: 'items', value: 'hot' } } },
    ] })
    expect(fromCond(cond)).toEqual(clauses)
    expect(toCond([])).toEqual({ all: [] })
    expect(toCond([clauses[0]])).toEqual({ chose: { question: 'kind', value: 'new' } })
  })

  it('leaves any-of and nested conditions to the JSON editor', () => {
    const any: Cond = { any: [{ chose: { question: 'a', value: 'x' } }, { is: { question: 'b', value: true } }] }
    expect(fromCond(any)).toBeNull()
    expect(fromCond({ all: [any] })).toBeNull()
    expect(fromCond(null)).toEqual([])
  })
})

describe('answers and summaries', () => {
  it('shapes answers by question kind', () => {
    expect(answerFor({ id: 'q', text: '', kind: 'single', options: [] }, 'new')).toEqual({ choice: 'new' })
    expect(answerFor({ id: 'q', text: '', kind: 'yes_no', options: [] }, false)).toEqual({ yes_no: false })
    expect(answerFor({ id: 'q', text: '', kind: 'number', options: [] }, '3.7')).toEqual({ number: 3 })
    expect(answerFor({ id: 'q', text: '', kind: 'multi', options: [] }, ['a'])).toEqual({ choices: ['a'] })
    expect(answerFor({ id: 'q', text: '', kind: 'single', options: [] }, '')).toBeUndefined()
  })

  it('describes effects with names, not ids', () => {
    const doc = blankItem()
    doc.materials.push({ ...doc.materials[0], id: 'sfz', name: '居民身份证' } as never)
    expect(describeEffect({ require_material: { material: 'sfz', necessity: '必要', copies: 2 } }, doc)).toBe('需要：居民身份证（必要，2 份）')
    expect(describeEffect({ add_fee: { name: '工本费', fen: 2000 } }, doc)).toBe('收费：工本费 20.00 元')
  })

  it('suggests the 31-character 实施编码', () => {
    expect(suggestTaskCode('11610116MB2957101E', '010100100000')).toHaveLength(31)
    expect(suggestTaskCode('', '010100100000')).toBe('')
  })
})

import { describe, expect, it } from 'vitest'
import { answersFromFragment, guideUrl, nextQuestion, type Question } from './guidance'

const q = (id: string): Question => ({ id, text: id, kind: 'yes_no', options: [] })

describe('guidance asks one question at a time', () => {
  it('asks the first visible question not yet answered', () => {
    expect(nextQuestion([q('a'), q('b')], {})?.id).toBe('a')
    expect(nextQuestion([q('a'), q('b')], { a: { yes_no: true } })?.id).toBe('b')
    expect(nextQuestion([q('a')], { a: { yes_no: false } })).toBeNull()
  })
})

describe('a guidance result travels to the phone', () => {
  it('carries the matter and the answers, and reads them back', () => {
    const answers = { kind: { choice: 'new' }, items: { choices: ['hot', 'cold'] }, online: { yes_no: false } }
    const url = new URL(guideUrl('https://hall.example', 'CA-ZWFW', '116101', answers))
    expect(url.pathname).toBe('/mobile/')
    expect(url.searchParams.get('guide')).toBe('116101')
    expect(answersFromFragment(url.hash)).toEqual(answers)
  })

  it('ignores a fragment that is not a set of answers', () => {
    expect(answersFromFragment('#answers=%5B1%5D')).toEqual({})
    expect(answersFromFragment('#answers=oops')).toEqual({})
    expect(answersFromFragment('')).toEqual({})
  })
})

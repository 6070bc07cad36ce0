import { describe, expect, it } from 'vitest'
import { nextQuestion, type Question } from './guidance'

const q = (id: string): Question => ({ id, text: id, kind: 'yes_no', options: [] })

describe('guidance asks one question at a time', () => {
  it('asks the first visible question not yet answered', () => {
    expect(nextQuestion([q('a'), q('b')], {})?.id).toBe('a')
    expect(nextQuestion([q('a'), q('b')], { a: { yes_no: true } })?.id).toBe('b')
    expect(nextQuestion([q('a')], { a: { yes_no: false } })).toBeNull()
  })
})

import { describe, expect, it } from 'vitest'
import { blockedMaterials, jointBody, type JointMaterial } from './joint'

const licence: JointMaterial = {
  identity: '营业执照', name: '营业执照', necessity: '必要', copies: 1,
  needed_by: [
    { task_code: 'A', task_name: '食品经营许可', material_id: 'yyzz' },
    { task_code: 'B', task_name: '发票领用', material_id: 'yyzz' },
  ],
}
const plan: JointMaterial = { identity: 'pmt', name: '平面图', necessity: '容缺', copies: 1, needed_by: [] }
const note: JointMaterial = { identity: 'sm', name: '说明', necessity: '非必要', copies: 1, needed_by: [] }

describe('the joint intake', () => {
  it('blocks on a required paper missing or only promised, a 容缺 one only when missing', () => {
    const all = [licence, plan, note]
    expect(blockedMaterials(all, {})).toEqual([licence, plan])
    expect(blockedMaterials(all, { 营业执照: { way: 'deferred', promised_on: '' }, pmt: { way: 'deferred', promised_on: '2026-12-10' } })).toEqual([licence])
    expect(blockedMaterials(all, { 营业执照: { way: 'elicence', promised_on: '' }, pmt: { way: 'paper_copy', promised_on: '' } })).toEqual([])
  })

  it('sends each shared paper once and every member its own answers', () => {
    const body = jointBody({
      bundle: 'YJS-KBCYD', windowId: 'w', ticketId: null,
      members: [{ task_code: 'A', answers: { kind: { choice: 'new' } } }, { task_code: 'B', answers: {} }],
      applicant: { kind: 'person', name: '王小明', cert_no: '', phone: '13912345678', legal_rep: '' },
      agent: null, ticks: { 营业执照: { way: 'elicence', promised_on: '' } }, materials: [licence, plan], outcome: 'correct', others: '申请书未签字\n\n',
    })
    expect(body.materials).toEqual([
      { identity: '营业执照', way: 'elicence', promised_on: null },
      { identity: 'pmt', way: 'missing', promised_on: null },
    ])
    expect(body.members).toEqual([{ item: 'A', answers: { kind: { choice: 'new' } } }, { item: 'B', answers: {} }])
    expect(body.other_problems).toEqual(['申请书未签字'])
    expect((body.applicant as { legal_rep: unknown }).legal_rep).toBeNull()
  })
})

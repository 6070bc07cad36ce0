import { describe, expect, it } from 'vitest'
import { courseShare, lessonState } from './standing'
import type { CourseDto, LessonDto, MyLearningDto } from '../../shared/api-types'

const lesson = (id: string, kind: string, required_s = 100): LessonDto => ({ id, title: id, kind, file_id: null, exam_id: null, body: '', duration_s: required_s, pages: 0, required_pct: 100, required_s, required_pages: 0 })
const course: CourseDto = {
  id: 'c', title: '课程', category: '日常培训', summary: '', public: false, forbid_seek: false, forbid_speed: false, rule: 'all', certificate_months: 0,
  lessons: [lesson('v', 'video'), lesson('t', 'text'), lesson('e', 'exam')], created_at: '2026-12-01T00:00:00Z',
}

describe('standing', () => {
  it('counts completed lessons, and a completed course as whole', () => {
    const s: MyLearningDto = { lessons: [{ lesson_id: 't', course_id: 'c', watched_s: 0, position: 0, completed: true }], completed_courses: [] }
    expect(courseShare(course, s)).toBeCloseTo(1 / 3)
    expect(courseShare(course, { ...s, completed_courses: ['c'] })).toBe(1)
  })

  it('labels a video by the share watched, never 100% before it is completed', () => {
    const s: MyLearningDto = { lessons: [{ lesson_id: 'v', course_id: 'c', watched_s: 99.9, position: 99, completed: false }], completed_courses: [] }
    expect(lessonState(course.lessons[0], s)).toEqual({ done: false, label: '已看 99%' })
    expect(lessonState(course.lessons[2], s).label).toBe('未考试')
  })
})

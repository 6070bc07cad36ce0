// Where a learner stands in a course and its lessons, from the server's
// progress (what the course list and lesson list show).
import type { CourseDto, LessonDto, MyLearningDto } from '../../shared/api-types'

/** The share of a course's lessons completed (1 once the course is). */
export function courseShare(c: CourseDto, s: MyLearningDto): number {
  if (s.completed_courses.includes(c.id)) return 1
  if (c.lessons.length === 0) return 0
  const done = c.lessons.filter((l) => s.lessons.some((x) => x.lesson_id === l.id && x.completed)).length
  return done / c.lessons.length
}

/** A lesson's state as a short label. */
export function lessonState(l: LessonDto, s: MyLearningDto): { done: boolean; label: string } {
  const x = s.lessons.find((p) => p.lesson_id === l.id)
  if (x?.completed) return { done: true, label: l.kind === 'exam' ? '已通过' : '已完成' }
  if (x && l.kind === 'video' && x.watched_s > 0) {
    return { done: false, label: `已看 ${Math.min(99, Math.floor((x.watched_s / Math.max(1, l.required_s)) * 100))}%` }
  }
  return { done: false, label: l.kind === 'exam' ? '未考试' : '未开始' }
}

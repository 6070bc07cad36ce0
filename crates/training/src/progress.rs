//! A learner's progress: starting a lesson opens a viewing session on that
//! page (and closes any other page's); the player then reports what it
//! played, checked by `watch::check` against the wall clock since the last
//! accepted report. A refused report changes nothing and is recorded as an
//! event. When the watched seconds reach the lesson's requirement the lesson
//! is completed, and with it, by the course's rule, the course.

use crate::courses::{self, required_pages, required_seconds};
use crate::entity::{completion, course, lesson, progress};
use crate::events::{
    COURSE_COMPLETED, Completed, LESSON_COMPLETED, PROGRESS_REJECTED, ProgressRejected,
};
use crate::watch::{self, ProgressReport, Refusal, Rules, Span};
use chrono::{DateTime, Utc};
use govhall_kernel::{AppError, error::AppResult, new_id};
use govhall_platform::{
    AppState,
    auth::CurrentUser,
    db::{DbResultExt, begin_write},
    events::{NewEvent, commit_with},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait,
    IntoActiveModel, QueryFilter, QuerySelect,
};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LessonProgressDto {
    pub lesson_id: String,
    /// The page's viewing session: send it with every report.
    pub session: String,
    /// The merged stretches watched, `[[from, to], …]` seconds.
    #[schema(value_type = Vec<Vec<f64>>)]
    pub spans: Vec<Span>,
    pub watched_s: f64,
    /// Where to resume.
    pub position: f64,
    /// Seconds to watch to complete the lesson.
    pub required_s: f64,
    /// A PDF's pages viewed, and how many complete the lesson.
    pub pages_seen: Vec<i32>,
    pub required_pages: i32,
    pub completed: bool,
    /// The course is completed too.
    pub course_completed: bool,
}

/// Who learns: the account (a trainee without a 工号 has one too), the
/// staff member behind it, and the name a certificate carries.
#[derive(Debug, Clone)]
pub struct Learner {
    pub id: String,
    pub staff_id: Option<String>,
    pub name: String,
}

impl Learner {
    pub fn of(user: &CurrentUser) -> Learner {
        Learner {
            id: user.id.clone(),
            staff_id: user.staff_id.clone(),
            name: user.display_name.clone(),
        }
    }
}

fn learner(user: &CurrentUser) -> String {
    user.id.clone()
}

async fn lesson_of(
    state: &AppState,
    hall_id: &str,
    id: &str,
) -> AppResult<(lesson::Model, course::Model)> {
    let l = lesson::Entity::find_by_id(id.to_string())
        .filter(lesson::Column::HallId.eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("课时"))?;
    // The course row only: a report is frequent, its lessons are not needed.
    let c = course::Entity::find_by_id(l.course_id.clone())
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("课程"))?;
    Ok((l, c))
}

fn pages_of(p: &progress::Model) -> Vec<i32> {
    serde_json::from_str(&p.pages_seen).unwrap_or_default()
}

fn spans_of(p: &progress::Model) -> Vec<Span> {
    serde_json::from_str(&p.spans).unwrap_or_default()
}

async fn course_done(
    txn: &DatabaseTransaction,
    c: &course::Model,
    learner: &str,
) -> AppResult<bool> {
    Ok(
        completion::Entity::find_by_id((c.id.clone(), learner.to_string()))
            .one(txn)
            .await
            .db_err()?
            .is_some(),
    )
}

/// Opens a viewing session for this page; a text lesson counts as read.
pub async fn start(
    state: &AppState,
    user: &CurrentUser,
    hall_id: &str,
    lesson_id: &str,
) -> AppResult<LessonProgressDto> {
    let (l, c) = lesson_of(state, hall_id, lesson_id).await?;
    let who = learner(user);
    courses::ensure_open(state, &c, &who).await?;
    let now = Utc::now();
    let txn = begin_write(&state.db).await.db_err()?;
    let found = progress::Entity::find_by_id((l.id.clone(), who.clone()))
        .one(&txn)
        .await
        .db_err()?;
    let session = new_id().to_string();
    let row = match found {
        Some(p) => {
            let mut a = p.into_active_model();
            a.session = Set(session.clone());
            a.last_report_at = Set(now);
            a.updated_at = Set(now);
            a.update(&txn).await.db_err()?
        }
        None => progress::ActiveModel {
            lesson_id: Set(l.id.clone()),
            learner_id: Set(who.clone()),
            hall_id: Set(hall_id.to_string()),
            course_id: Set(c.id.clone()),
            spans: Set("[]".into()),
            pages_seen: Set("[]".into()),
            watched_s: Set(0.0),
            position: Set(0.0),
            session: Set(session),
            last_report_at: Set(now),
            completed_at: Set(None),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await
        .db_err()?,
    };
    // Read when opened: a text, a picture, a matter's guide.
    let due = matches!(l.kind.as_str(), "text" | "image" | "matter");
    settle(state, user, txn, (hall_id, &l, &c), row, due).await
}

/// Completes what is due (the lesson, and the course by its rule), commits
/// with the completion events, and answers the learner's progress.
async fn settle(
    state: &AppState,
    user: &CurrentUser,
    txn: DatabaseTransaction,
    (hall_id, l, c): (&str, &lesson::Model, &course::Model),
    row: progress::Model,
    due: bool,
) -> AppResult<LessonProgressDto> {
    let (row, events) = if due && row.completed_at.is_none() {
        complete(&txn, &Learner::of(user), hall_id, l, c, row, Utc::now()).await?
    } else {
        (row, vec![])
    };
    let course_completed = course_done(&txn, c, &row.learner_id).await?;
    commit_with(state, txn, &user.actor(), events).await?;
    Ok(dto(l, &row, course_completed))
}

fn dto(l: &lesson::Model, p: &progress::Model, course_completed: bool) -> LessonProgressDto {
    LessonProgressDto {
        lesson_id: l.id.clone(),
        session: p.session.clone(),
        spans: spans_of(p),
        watched_s: p.watched_s,
        position: p.position,
        required_s: required_seconds(l),
        pages_seen: pages_of(p),
        required_pages: required_pages(l),
        completed: p.completed_at.is_some(),
        course_completed,
    }
}

/// Marks the lesson completed, and the course when its rule is met (issuing
/// its certificate when it has one and the learner holds no valid one).
async fn complete(
    txn: &DatabaseTransaction,
    who: &Learner,
    hall_id: &str,
    l: &lesson::Model,
    c: &course::Model,
    row: progress::Model,
    now: DateTime<Utc>,
) -> AppResult<(progress::Model, Vec<NewEvent>)> {
    let mut a = row.into_active_model();
    a.completed_at = Set(Some(now));
    let row = a.update(txn).await.db_err()?;
    let done = |lesson_id: Option<String>| Completed {
        course_id: c.id.clone(),
        lesson_id,
        learner_id: row.learner_id.clone(),
        staff_id: who.staff_id.clone(),
        watched_s: row.watched_s,
    };
    let mut events = vec![LESSON_COMPLETED.event(Some(hall_id), &done(Some(l.id.clone())))];
    let lessons = lesson::Entity::find()
        .filter(lesson::Column::CourseId.eq(&c.id))
        .all(txn)
        .await
        .db_err()?;
    let finished = progress::Entity::find()
        .filter(progress::Column::CourseId.eq(&c.id))
        .filter(progress::Column::LearnerId.eq(&row.learner_id))
        .filter(progress::Column::CompletedAt.is_not_null())
        .all(txn)
        .await
        .db_err()?;
    let is_done = |id: &str| finished.iter().any(|p| p.lesson_id == id);
    let met = if c.rule == "any" {
        lessons.iter().any(|x| is_done(&x.id))
    } else {
        lessons.iter().all(|x| is_done(&x.id))
    };
    if !met {
        return Ok((row, events));
    }
    events.extend(crate::certificates::issue_if_due(txn, hall_id, c, who, now).await?);
    if !course_done(txn, c, &row.learner_id).await? {
        completion::ActiveModel {
            course_id: Set(c.id.clone()),
            learner_id: Set(row.learner_id.clone()),
            hall_id: Set(hall_id.to_string()),
            completed_at: Set(now),
        }
        .insert(txn)
        .await
        .db_err()?;
        events.push(COURSE_COMPLETED.event(Some(hall_id), &done(None)));
    }
    Ok((row, events))
}

/// Completes, for a learner who passed an exam, every lesson sitting that
/// exam (and their courses by their rules); the events to commit.
pub async fn complete_exam_lessons(
    txn: &DatabaseTransaction,
    hall_id: &str,
    exam_id: &str,
    who: &Learner,
) -> AppResult<Vec<NewEvent>> {
    let now = Utc::now();
    let lessons = lesson::Entity::find()
        .filter(lesson::Column::HallId.eq(hall_id))
        .filter(lesson::Column::ExamId.eq(exam_id))
        .all(txn)
        .await
        .db_err()?;
    let mut events = Vec::new();
    for l in lessons {
        let Some(c) = course::Entity::find_by_id(l.course_id.clone())
            .one(txn)
            .await
            .db_err()?
        else {
            continue;
        };
        let found = progress::Entity::find_by_id((l.id.clone(), who.id.clone()))
            .one(txn)
            .await
            .db_err()?;
        let row = match found {
            // Passed again (re-certification): a new certificate if the last expired.
            Some(p) if p.completed_at.is_some() => {
                if course_done(txn, &c, &who.id).await? {
                    events.extend(
                        crate::certificates::issue_if_due(txn, hall_id, &c, who, now).await?,
                    );
                }
                continue;
            }
            Some(p) => p,
            None => progress::ActiveModel {
                lesson_id: Set(l.id.clone()),
                learner_id: Set(who.id.clone()),
                hall_id: Set(hall_id.to_string()),
                course_id: Set(c.id.clone()),
                spans: Set("[]".into()),
                pages_seen: Set("[]".into()),
                watched_s: Set(0.0),
                position: Set(0.0),
                session: Set(String::new()),
                last_report_at: Set(now),
                completed_at: Set(None),
                updated_at: Set(now),
            }
            .insert(txn)
            .await
            .db_err()?,
        };
        let (_, more) = complete(txn, who, hall_id, &l, &c, row, now).await?;
        events.extend(more);
    }
    Ok(events)
}

/// The learner's progress in a lesson they started (a report needs a session).
async fn begun(
    txn: &DatabaseTransaction,
    l: &lesson::Model,
    who: &str,
) -> AppResult<progress::Model> {
    // FOR UPDATE on PostgreSQL: two reports racing are taken one after the
    // other, the second measured against the first's time. (SQLite's
    // BEGIN IMMEDIATE already serializes them.)
    progress::Entity::find_by_id((l.id.clone(), who.to_string()))
        .lock_exclusive()
        .one(txn)
        .await
        .db_err()?
        .ok_or_else(|| AppError::field("session", "请先开始学习本课时（打开课时页面）"))
}

/// Takes one report of the player; refused reports change nothing, are
/// recorded, and answer 422 with the reason.
pub async fn report(
    state: &AppState,
    user: &CurrentUser,
    hall_id: &str,
    lesson_id: &str,
    r: &ProgressReport,
) -> AppResult<LessonProgressDto> {
    let (l, c) = lesson_of(state, hall_id, lesson_id).await?;
    if l.kind != "video" {
        return Err(AppError::field("spans", "只有视频课时上报播放进度"));
    }
    let who = learner(user);
    let now = Utc::now();
    let txn = begin_write(&state.db).await.db_err()?;
    let p = begun(&txn, &l, &who).await?;
    let checked = if p.session != r.session {
        Err(Refusal::OtherSession)
    } else {
        let elapsed = (now - p.last_report_at).num_milliseconds() as f64 / 1000.0;
        let rules = Rules {
            forbid_seek: c.forbid_seek,
            forbid_speed: c.forbid_speed,
        };
        watch::check(&spans_of(&p), r, l.duration_s, elapsed, rules)
    };
    let spans = match checked {
        Ok(s) => s,
        Err(refusal) => {
            drop(txn);
            return Err(refuse(state, user, hall_id, &l, &refusal).await);
        }
    };
    let watched = watch::covered(&spans);
    let mut a = p.into_active_model();
    a.spans = Set(serde_json::to_string(&spans).unwrap_or_else(|_| "[]".into()));
    a.watched_s = Set(watched);
    a.position = Set(r.position.clamp(0.0, l.duration_s));
    a.last_report_at = Set(now);
    a.updated_at = Set(now);
    let row = a.update(&txn).await.db_err()?;
    let due = watched + 0.5 >= required_seconds(&l);
    settle(state, user, txn, (hall_id, &l, &c), row, due).await
}

/// The PDF pages a reader reports having viewed since the last report.
#[derive(Debug, Clone, serde::Deserialize, ToSchema)]
pub struct PagesReport {
    /// The viewing session (from starting the lesson on this page).
    pub session: String,
    /// Page numbers, from 1.
    pub pages: Vec<i32>,
}

/// Seconds a page must at least be on screen to count: faster page
/// reports (a script) are refused.
const SECONDS_PER_PAGE: f64 = 2.0;

/// Takes a PDF lesson's pages viewed; refused reports change nothing, are
/// recorded, and answer 422 with the reason.
pub async fn view_pages(
    state: &AppState,
    user: &CurrentUser,
    hall_id: &str,
    lesson_id: &str,
    r: &PagesReport,
) -> AppResult<LessonProgressDto> {
    let (l, c) = lesson_of(state, hall_id, lesson_id).await?;
    if l.kind != "pdf" {
        return Err(AppError::field("pages", "只有 PDF 课时上报浏览页码"));
    }
    if let Some(p) = r.pages.iter().find(|p| !(1..=l.pages).contains(*p)) {
        return Err(AppError::field(
            "pages",
            format!("第 {p} 页不存在（本文档共 {} 页）", l.pages),
        ));
    }
    let now = Utc::now();
    let txn = begin_write(&state.db).await.db_err()?;
    let p = begun(&txn, &l, &learner(user)).await?;
    let mut seen = pages_of(&p);
    let new: Vec<i32> = r
        .pages
        .iter()
        .copied()
        .filter(|x| !seen.contains(x))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let elapsed = (now - p.last_report_at).num_milliseconds() as f64 / 1000.0;
    let allowed = (elapsed / SECONDS_PER_PAGE).floor() as usize + 1;
    let refusal = if p.session != r.session {
        Some(Refusal::OtherSession.message())
    } else if new.len() > allowed {
        Some(format!(
            "{:.0} 秒内上报浏览了 {} 页，每页至少需停留 {SECONDS_PER_PAGE:.0} 秒，未计入学习进度",
            elapsed,
            new.len()
        ))
    } else {
        None
    };
    if let Some(message) = refusal {
        drop(txn);
        let field = if p.session != r.session {
            "session"
        } else {
            "pages"
        };
        return Err(record_refusal(state, user, hall_id, &l, field, message).await);
    }
    seen.extend(new);
    seen.sort_unstable();
    let done = seen.len() as i32 >= required_pages(&l);
    let mut a = p.into_active_model();
    a.pages_seen = Set(serde_json::to_string(&seen).unwrap_or_else(|_| "[]".into()));
    a.position = Set(r.pages.last().copied().unwrap_or(1) as f64);
    a.last_report_at = Set(now);
    a.updated_at = Set(now);
    let row = a.update(&txn).await.db_err()?;
    settle(state, user, txn, (hall_id, &l, &c), row, done).await
}

/// Records a refused report (an event an auditor can list) and the error to answer.
async fn refuse(
    state: &AppState,
    user: &CurrentUser,
    hall_id: &str,
    l: &lesson::Model,
    refusal: &Refusal,
) -> AppError {
    let field = match refusal {
        Refusal::OtherSession => "session",
        _ => "spans",
    };
    record_refusal(state, user, hall_id, l, field, refusal.message()).await
}

/// Records a refused report as an event an auditor can list; the error to answer.
async fn record_refusal(
    state: &AppState,
    user: &CurrentUser,
    hall_id: &str,
    l: &lesson::Model,
    field: &str,
    message: String,
) -> AppError {
    let recorded = async {
        let txn = begin_write(&state.db).await.db_err()?;
        let ev = PROGRESS_REJECTED.event(
            Some(hall_id),
            &ProgressRejected {
                lesson_id: l.id.clone(),
                learner_id: learner(user),
                reason: message.clone(),
            },
        );
        commit_with(state, txn, &user.actor(), vec![ev]).await
    }
    .await;
    if let Err(e) = recorded {
        return e;
    }
    AppError::field(field, message)
}

/// Where a learner stands in one lesson.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LessonState {
    pub lesson_id: String,
    pub course_id: String,
    pub watched_s: f64,
    /// Where to resume.
    pub position: f64,
    pub completed: bool,
}

/// A learner's standing across the hall's courses.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyLearningDto {
    pub lessons: Vec<LessonState>,
    /// The courses completed.
    pub completed_courses: Vec<String>,
}

/// The signed-in learner's lessons begun and courses completed.
pub async fn mine(state: &AppState, user: &CurrentUser, hall_id: &str) -> AppResult<MyLearningDto> {
    let who = learner(user);
    let rows = progress::Entity::find()
        .filter(progress::Column::HallId.eq(hall_id))
        .filter(progress::Column::LearnerId.eq(&who))
        .all(&state.db)
        .await
        .db_err()?;
    let done = completion::Entity::find()
        .filter(completion::Column::HallId.eq(hall_id))
        .filter(completion::Column::LearnerId.eq(&who))
        .all(&state.db)
        .await
        .db_err()?;
    Ok(MyLearningDto {
        lessons: rows
            .into_iter()
            .map(|p| LessonState {
                completed: p.completed_at.is_some(),
                lesson_id: p.lesson_id,
                course_id: p.course_id,
                watched_s: p.watched_s,
                position: p.position,
            })
            .collect(),
        completed_courses: done.into_iter().map(|c| c.course_id).collect(),
    })
}

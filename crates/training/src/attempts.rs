//! Sitting an exam: a paper drawn for the sitting (questions and options in
//! random order when the exam says so), a deadline, one submission marked
//! at once (简答 left to an instructor), and a review that shows the keys
//! only after submission. A late submission, an answer to a question not on
//! the paper, or a second submission is refused and changes nothing.

use crate::bank::options_of;
use crate::entity::{attempt, exam, question};
use crate::events::{EXAM_MARKED, ExamMarked};
use crate::exams::{self, rules_of};
use crate::marking::{self, kind_label, mark, shuffle_key, unshuffle};
use crate::progress::{Learner, complete_exam_lessons};
use chrono::{DateTime, Duration, Utc};
use govhall_kernel::{AppError, error::AppResult, new_id, validate::Checker};
use govhall_platform::{
    AppState,
    auth::CurrentUser,
    db::{DbResultExt, begin_write},
    events::{NewEvent, commit_with},
};
use rand::seq::SliceRandom;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use utoipa::ToSchema;

/// Seconds after the deadline a submission is still taken (a slow network).
const GRACE_S: i64 = 60;

/// One question of a drawn paper, as stored.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Drawn {
    question_id: String,
    points: f64,
    /// `order[i]`: the stored option shown as the i-th letter.
    order: Vec<usize>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PaperQuestion {
    pub id: String,
    pub kind: String,
    pub kind_label: String,
    pub stem: String,
    /// In the order shown (A, B, C …).
    pub options: Vec<String>,
    /// A 填空 question's number of blanks.
    pub blanks: usize,
    pub points: f64,
    /// The answer given.
    pub answer: Option<String>,
    /// After submission: the key, in the letters shown.
    pub key: Option<String>,
    /// After marking: the points earned.
    pub earned: Option<f64>,
    pub explanation: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AttemptDto {
    pub id: String,
    pub exam_id: String,
    pub exam_title: String,
    pub learner_name: String,
    /// open, marking (awaits an instructor), passed, failed, expired.
    pub status: String,
    pub started_at: DateTime<Utc>,
    pub deadline: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub score: f64,
    pub max_score: f64,
    pub pass_pct: i32,
    /// Sittings left after this one (None: unlimited).
    pub attempts_left: Option<i32>,
    pub questions: Vec<PaperQuestion>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SubmissionInput {
    /// Answer per question id, in the written form of the question's kind
    /// (letters as shown on this paper).
    pub answers: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct MarksInput {
    /// Points per 简答 question id (0 to the question's points).
    pub marks: BTreeMap<String, f64>,
}

fn paper_of(a: &attempt::Model) -> Vec<Drawn> {
    serde_json::from_str(&a.paper).unwrap_or_default()
}

fn map_of<T: serde::de::DeserializeOwned>(text: &str) -> BTreeMap<String, T> {
    serde_json::from_str(text).unwrap_or_default()
}

/// An open sitting past its deadline and grace is expired.
fn status_now(a: &attempt::Model, now: DateTime<Utc>) -> String {
    if a.status == "open" && now > a.deadline + Duration::seconds(GRACE_S) {
        "expired".into()
    } else {
        a.status.clone()
    }
}

async fn questions_of(state: &AppState, paper: &[Drawn]) -> AppResult<Vec<question::Model>> {
    let ids: Vec<String> = paper.iter().map(|d| d.question_id.clone()).collect();
    question::Entity::find()
        .filter(question::Column::Id.is_in(ids))
        .all(&state.db)
        .await
        .db_err()
}

async fn sittings(state: &AppState, exam_id: &str, learner_id: &str) -> AppResult<i32> {
    Ok(attempt::Entity::find()
        .filter(attempt::Column::ExamId.eq(exam_id))
        .filter(attempt::Column::LearnerId.eq(learner_id))
        .count(&state.db)
        .await
        .db_err()? as i32)
}

async fn dto(state: &AppState, a: attempt::Model, e: &exam::Model) -> AppResult<AttemptDto> {
    let bank = questions_of(state, &paper_of(&a)).await?;
    dto_with(state, a, e, &bank).await
}

/// The sitting as shown, with its questions already read.
async fn dto_with(
    state: &AppState,
    a: attempt::Model,
    e: &exam::Model,
    bank: &[question::Model],
) -> AppResult<AttemptDto> {
    let now = Utc::now();
    let status = status_now(&a, now);
    let paper = paper_of(&a);
    let answers: BTreeMap<String, String> = map_of(&a.answers);
    let marks: BTreeMap<String, f64> = map_of(&a.marks);
    let shown_key = status != "open";
    let questions = paper
        .iter()
        .filter_map(|d| {
            let q = bank.iter().find(|q| q.id == d.question_id)?;
            let stored = options_of(q);
            Some(PaperQuestion {
                id: q.id.clone(),
                kind: q.kind.clone(),
                kind_label: kind_label(&q.kind).to_string(),
                stem: q.stem.clone(),
                options: d
                    .order
                    .iter()
                    .filter_map(|&i| stored.get(i).cloned())
                    .collect(),
                blanks: if q.kind == "fill" {
                    marking::blank_count(&q.answer)
                } else {
                    0
                },
                points: d.points,
                answer: answers.get(&q.id).cloned(),
                key: shown_key.then(|| {
                    if matches!(q.kind.as_str(), "single" | "multiple") {
                        shuffle_key(&q.answer, &d.order)
                    } else {
                        q.answer.clone()
                    }
                }),
                earned: marks.get(&q.id).copied(),
                explanation: shown_key.then(|| q.explanation.clone()),
            })
        })
        .collect();
    let used = sittings(state, &e.id, &a.learner_id).await?;
    Ok(AttemptDto {
        id: a.id,
        exam_id: e.id.clone(),
        exam_title: e.title.clone(),
        learner_name: a.learner_name,
        status,
        started_at: a.started_at,
        deadline: a.deadline,
        submitted_at: a.submitted_at,
        score: a.score,
        max_score: a.max_score,
        pass_pct: e.pass_pct,
        attempts_left: (e.attempts_limit > 0).then(|| (e.attempts_limit - used).max(0)),
        questions,
    })
}

/// Draws a paper by the exam's rules: no question twice, in the rules'
/// order or shuffled, with each choice question's options shuffled too.
async fn draw(state: &AppState, e: &exam::Model) -> AppResult<Vec<Drawn>> {
    let mut taken: HashSet<String> = HashSet::new();
    let mut paper = Vec::new();
    for (i, r) in rules_of(e).iter().enumerate() {
        let pool: Vec<question::Model> = crate::bank::pool(
            &state.db,
            &e.hall_id,
            &r.category,
            r.difficulty,
            r.kind.as_deref(),
        )
        .await?
        .into_iter()
        .filter(|q| !taken.contains(&q.id))
        .collect();
        if pool.len() < r.count as usize {
            return Err(AppError::field(
                "exam",
                format!(
                    "题库中“{}”的题目已不足第 {} 条组卷规则的 {} 道（现有 {} 道），请联系培训管理员补充题目",
                    r.category,
                    i + 1,
                    r.count,
                    pool.len()
                ),
            ));
        }
        let mut rng = rand::thread_rng();
        for q in pool.choose_multiple(&mut rng, r.count as usize) {
            taken.insert(q.id.clone());
            let mut order: Vec<usize> = (0..options_of(q).len()).collect();
            if e.shuffle {
                order.shuffle(&mut rng);
            }
            paper.push(Drawn {
                question_id: q.id.clone(),
                points: r.points,
                order,
            });
        }
    }
    if e.shuffle {
        paper.shuffle(&mut rand::thread_rng());
    }
    Ok(paper)
}

/// Starts a sitting, or resumes the learner's open one.
pub async fn start(
    state: &AppState,
    user: &CurrentUser,
    hall_id: &str,
    exam_id: &str,
) -> AppResult<AttemptDto> {
    let e = exams::get(state, hall_id, exam_id).await?;
    let who = Learner::of(user);
    let now = Utc::now();
    let open = attempt::Entity::find()
        .filter(attempt::Column::ExamId.eq(&e.id))
        .filter(attempt::Column::LearnerId.eq(&who.id))
        .filter(attempt::Column::Status.eq("open"))
        .order_by_desc(attempt::Column::StartedAt)
        .one(&state.db)
        .await
        .db_err()?;
    if let Some(a) = open.filter(|a| status_now(a, now) == "open") {
        return dto(state, a, &e).await;
    }
    opened_by_a_course(state, &e, &who.id).await?;
    let used = sittings(state, &e.id, &who.id).await?;
    if e.attempts_limit > 0 && used >= e.attempts_limit {
        return Err(AppError::field(
            "exam",
            format!(
                "《{}》最多可考 {} 次，您的考试机会已用完",
                e.title, e.attempts_limit
            ),
        ));
    }
    let paper = draw(state, &e).await?;
    let max: f64 = paper.iter().map(|d| d.points).sum();
    let row = attempt::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall_id.to_string()),
        exam_id: Set(e.id.clone()),
        lesson_id: Set(None),
        learner_id: Set(who.id),
        learner_name: Set(who.name),
        staff_id: Set(who.staff_id),
        paper: Set(serde_json::to_string(&paper).unwrap_or_else(|_| "[]".into())),
        answers: Set("{}".into()),
        marks: Set("{}".into()),
        started_at: Set(now),
        deadline: Set(now + Duration::minutes(i64::from(e.time_limit_min))),
        submitted_at: Set(None),
        score: Set(0.0),
        max_score: Set(max),
        status: Set("open".into()),
        marked_by: Set(None),
    };
    let a = attempt::Entity::insert(row)
        .exec_with_returning(&state.db)
        .await
        .db_err()?;
    dto(state, a, &e).await
}

/// An exam sat through courses opens when one of them is open to the
/// learner (its prerequisite completed); an exam in no course is open.
async fn opened_by_a_course(state: &AppState, e: &exam::Model, learner: &str) -> AppResult<()> {
    use crate::entity::{course, lesson};
    let lessons = lesson::Entity::find()
        .filter(lesson::Column::ExamId.eq(&e.id))
        .all(&state.db)
        .await
        .db_err()?;
    let mut refusal = None;
    for l in lessons {
        let Some(c) = course::Entity::find_by_id(l.course_id)
            .one(&state.db)
            .await
            .db_err()?
        else {
            continue;
        };
        match crate::courses::ensure_open(state, &c, learner).await {
            Ok(()) => return Ok(()),
            Err(e) => refusal = Some(e),
        }
    }
    refusal.map_or(Ok(()), Err)
}

async fn find(
    state: &AppState,
    hall_id: &str,
    id: &str,
) -> AppResult<(attempt::Model, exam::Model)> {
    let a = attempt::Entity::find_by_id(id.to_string())
        .filter(attempt::Column::HallId.eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("答卷"))?;
    let e = exams::get(state, hall_id, &a.exam_id).await?;
    Ok((a, e))
}

/// A sitting: the learner's own, or any for a training manager.
pub async fn review(
    state: &AppState,
    user: &CurrentUser,
    hall_id: &str,
    id: &str,
) -> AppResult<AttemptDto> {
    let (a, e) = find(state, hall_id, id).await?;
    if a.learner_id != user.id && !user.can(crate::permissions::MANAGE) {
        return Err(AppError::not_found("答卷"));
    }
    dto(state, a, &e).await
}

/// The sittings waiting for an instructor's marks, oldest first.
pub async fn awaiting_marks(state: &AppState, hall_id: &str) -> AppResult<Vec<AttemptDto>> {
    let rows = attempt::Entity::find()
        .filter(attempt::Column::HallId.eq(hall_id))
        .filter(attempt::Column::Status.eq("marking"))
        .order_by_asc(attempt::Column::SubmittedAt)
        .all(&state.db)
        .await
        .db_err()?;
    let mut out = Vec::new();
    for a in rows {
        let e = exams::get(state, hall_id, &a.exam_id).await?;
        out.push(dto(state, a, &e).await?);
    }
    Ok(out)
}

/// The final status for a score.
fn verdict(score: f64, max: f64, pass_pct: i32) -> &'static str {
    if score + 1e-9 >= max * f64::from(pass_pct) / 100.0 {
        "passed"
    } else {
        "failed"
    }
}

/// Takes the learner's answers once, before the deadline, and marks them.
pub async fn submit(
    state: &AppState,
    user: &CurrentUser,
    hall_id: &str,
    id: &str,
    input: &SubmissionInput,
) -> AppResult<AttemptDto> {
    let (a, e) = find(state, hall_id, id).await?;
    if a.learner_id != user.id {
        return Err(AppError::not_found("答卷"));
    }
    let now = Utc::now();
    match status_now(&a, now).as_str() {
        "open" => {}
        "expired" => {
            return Err(AppError::field(
                "answers",
                format!(
                    "已超过交卷时间（截止 {}），本次答卷不再接收",
                    govhall_kernel::time::local(a.deadline).format("%H:%M:%S")
                ),
            ));
        }
        _ => return Err(AppError::field("answers", "本次考试已经交卷，不能重复提交")),
    }
    let paper = paper_of(&a);
    let mut ch = Checker::new();
    for (qid, answer) in &input.answers {
        if !paper.iter().any(|d| &d.question_id == qid) {
            ch.fail(&format!("answers.{qid}"), "该题不在本次试卷上");
        } else if answer.chars().count() > 5000 {
            ch.fail(&format!("answers.{qid}"), "答案不超过 5000 字");
        }
    }
    ch.finish()?;
    let bank = questions_of(state, &paper).await?;
    let mut marks: BTreeMap<String, f64> = BTreeMap::new();
    let answers_json = serde_json::to_string(&input.answers).unwrap_or_default();
    let mut manual = false;
    for d in &paper {
        let Some(q) = bank.iter().find(|q| q.id == d.question_id) else {
            continue;
        };
        let given = input.answers.get(&q.id).cloned().unwrap_or_default();
        let given = if matches!(q.kind.as_str(), "single" | "multiple") {
            unshuffle(&given, &d.order)
        } else {
            given
        };
        match mark(&q.kind, &q.answer, &given, options_of(q).len(), d.points) {
            Some(p) => {
                marks.insert(q.id.clone(), p);
            }
            None => manual = true,
        }
    }
    let score: f64 = marks.values().sum();
    let status = if manual {
        "marking"
    } else {
        verdict(score, a.max_score, e.pass_pct)
    };
    let txn = begin_write(&state.db).await.db_err()?;
    // Only an open sitting takes answers: of two submissions racing, one wins.
    let taken = attempt::Entity::update_many()
        .col_expr(attempt::Column::Answers, answers_json.clone().into())
        .col_expr(
            attempt::Column::Marks,
            serde_json::to_string(&marks).unwrap_or_default().into(),
        )
        .col_expr(attempt::Column::Score, score.into())
        .col_expr(attempt::Column::Status, status.into())
        .col_expr(attempt::Column::SubmittedAt, Some(now).into())
        .filter(attempt::Column::Id.eq(&a.id))
        .filter(attempt::Column::Status.eq("open"))
        .exec(&txn)
        .await
        .db_err()?;
    if taken.rows_affected == 0 {
        return Err(AppError::field("answers", "本次考试已经交卷，不能重复提交"));
    }
    let events = if manual {
        vec![]
    } else {
        finish(&txn, hall_id, &a, &e, score, status == "passed").await?
    };
    commit_with(state, txn, &user.actor(), events).await?;
    // The sitting as now stored, without reading it and its questions again.
    let marked = attempt::Model {
        answers: answers_json,
        marks: serde_json::to_string(&marks).unwrap_or_default(),
        score,
        status: status.to_string(),
        submitted_at: Some(now),
        ..a
    };
    dto_with(state, marked, &e, &bank).await
}

/// The final mark's events, and the lessons a pass completes.
async fn finish(
    txn: &DatabaseTransaction,
    hall_id: &str,
    a: &attempt::Model,
    e: &exam::Model,
    score: f64,
    passed: bool,
) -> AppResult<Vec<NewEvent>> {
    let mut events = vec![EXAM_MARKED.event(
        Some(hall_id),
        &ExamMarked {
            attempt_id: a.id.clone(),
            exam_id: e.id.clone(),
            learner_id: a.learner_id.clone(),
            staff_id: a.staff_id.clone(),
            score,
            max_score: a.max_score,
            passed,
        },
    )];
    if passed {
        let who = Learner {
            id: a.learner_id.clone(),
            staff_id: a.staff_id.clone(),
            name: a.learner_name.clone(),
        };
        events.extend(complete_exam_lessons(txn, hall_id, &e.id, &who).await?);
    }
    Ok(events)
}

/// An instructor marks a sitting's 简答 questions; the sitting then passes
/// or fails like any other.
pub async fn mark_by_hand(
    state: &AppState,
    user: &CurrentUser,
    hall_id: &str,
    id: &str,
    input: &MarksInput,
) -> AppResult<AttemptDto> {
    let (a, e) = find(state, hall_id, id).await?;
    if a.status != "marking" {
        return Err(AppError::field("marks", "这份答卷不在待阅卷状态"));
    }
    let paper = paper_of(&a);
    let bank = questions_of(state, &paper).await?;
    let mut marks: BTreeMap<String, f64> = map_of(&a.marks);
    let mut ch = Checker::new();
    for d in &paper {
        let Some(q) = bank
            .iter()
            .find(|q| q.id == d.question_id && q.kind == "essay")
        else {
            continue;
        };
        match input.marks.get(&q.id) {
            Some(p) if (0.0..=d.points).contains(p) => {
                marks.insert(q.id.clone(), *p);
            }
            Some(_) => ch.fail(
                &format!("marks.{}", q.id),
                format!("得分须在 0 至 {} 分之间", d.points),
            ),
            None => ch.fail(&format!("marks.{}", q.id), "这道简答题还没有评分"),
        }
    }
    for qid in input.marks.keys() {
        if !paper.iter().any(|d| {
            &d.question_id == qid && bank.iter().any(|q| &q.id == qid && q.kind == "essay")
        }) {
            ch.fail(&format!("marks.{qid}"), "该题不是本答卷上的简答题");
        }
    }
    ch.finish()?;
    let score: f64 = marks.values().sum();
    let status = verdict(score, a.max_score, e.pass_pct);
    let txn = begin_write(&state.db).await.db_err()?;
    let taken = attempt::Entity::update_many()
        .col_expr(
            attempt::Column::Marks,
            serde_json::to_string(&marks).unwrap_or_default().into(),
        )
        .col_expr(attempt::Column::Score, score.into())
        .col_expr(attempt::Column::Status, status.into())
        .col_expr(attempt::Column::MarkedBy, Some(user.id.clone()).into())
        .filter(attempt::Column::Id.eq(&a.id))
        .filter(attempt::Column::Status.eq("marking"))
        .exec(&txn)
        .await
        .db_err()?;
    if taken.rows_affected == 0 {
        return Err(AppError::field("marks", "这份答卷已由他人阅卷"));
    }
    let events = finish(&txn, hall_id, &a, &e, score, status == "passed").await?;
    commit_with(state, txn, &user.actor(), events).await?;
    let (a, e) = find(state, hall_id, id).await?;
    dto(state, a, &e).await
}

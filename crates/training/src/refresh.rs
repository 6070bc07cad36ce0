//! 更新提示: when a matter that requires a course is published in a new
//! version whose 受理条件 or 申请材料 changed, the clerks certified for it get
//! a short refresher — the changes, line by line (the catalog's own diff),
//! and three true/false questions made from them. They keep the matter for
//! the requirement's grace period; after it, the counter refuses the matter
//! until they pass. A clerk certified after the change is not asked.
//!
//! The check is made when it matters — at the counter's gate, on the
//! learner's task list and the manager's requirement list — so the grace
//! period starts when the new version is first seen there.

use crate::entity::{completion, refresher, refresher_pass, requirement};
use chrono::{DateTime, Duration, Utc};
use govhall_catalog::diff::Change;
use govhall_kernel::{AppError, error::AppResult, new_id};
use govhall_platform::{AppState, db::DbResultExt};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, sea_query::OnConflict,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A true/false question of a refresher.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Question {
    pub stem: String,
    pub answer: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RefresherDto {
    pub id: String,
    pub task_code: String,
    pub task_name: String,
    pub from_version: i32,
    pub to_version: i32,
    /// What changed, one line each.
    pub changes: Vec<String>,
    /// The three statements to judge (对/错).
    pub questions: Vec<String>,
    /// Until then the matter stays open to certified clerks without it.
    pub grace_until: DateTime<Utc>,
    pub passed: bool,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct QuizAnswers {
    /// One judgement per question, in order (true: 对).
    pub answers: Vec<bool>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QuizResult {
    pub passed: bool,
    /// Per question: judged right.
    pub correct: Vec<bool>,
}

/// A value quoted in a line: at most 60 characters, without its full stop
/// (the sentence around it has one).
fn short(s: &str) -> String {
    let s = s.trim_end_matches('。');
    let t: String = s.chars().take(60).collect();
    if t.chars().count() < s.chars().count() {
        format!("{t}…")
    } else {
        t
    }
}

/// The changes a certified clerk must know: 受理条件 and 申请材料.
fn relevant(changes: Vec<Change>) -> Vec<Change> {
    changes
        .into_iter()
        .filter(|c| c.path.starts_with("accept_condition") || c.path.starts_with("materials"))
        .collect()
}

/// One line per change.
pub fn describe(c: &Change) -> String {
    match (&c.before, &c.after) {
        (None, Some(a)) => format!("新增 {}：{}", c.label, short(a)),
        (Some(b), None) => format!("删除 {}（原为：{}）", c.label, short(b)),
        (Some(b), Some(a)) => format!("{}：由“{}”改为“{}”", c.label, short(b), short(a)),
        (None, None) => c.label.clone(),
    }
}

/// Three true/false statements from the changes: the new value is right,
/// the old one wrong, a removed entry no longer applies; padded with the
/// rule every change carries.
pub fn quiz(changes: &[Change]) -> Vec<Question> {
    let mut out = Vec::new();
    for c in changes {
        match (&c.before, &c.after) {
            (Some(b), Some(a)) => {
                out.push(Question {
                    stem: format!("变更后，{} 为“{}”。", c.label, short(a)),
                    answer: true,
                });
                out.push(Question {
                    stem: format!("变更后，{} 仍为“{}”。", c.label, short(b)),
                    answer: false,
                });
            }
            (None, Some(a)) => out.push(Question {
                stem: format!("变更后新增了 {}：“{}”。", c.label, short(a)),
                answer: true,
            }),
            (Some(b), None) => out.push(Question {
                stem: format!("变更后仍须提交或满足 {}（“{}”）。", c.label, short(b)),
                answer: false,
            }),
            (None, None) => {}
        }
    }
    out.dedup();
    out.truncate(3);
    while out.len() < 3 {
        out.push(Question {
            stem: "事项的受理条件或申请材料更新后，窗口应按新版本一次性告知并核对材料。".into(),
            answer: true,
        });
        out.dedup();
        if out.len() < 3 {
            out.push(Question {
                stem: "事项更新后，窗口仍可按旧版本的材料清单收件。".into(),
                answer: false,
            });
        }
    }
    out
}

/// The requirement's latest refresher, creating one when the matter's
/// published version moved on with relevant changes.
pub async fn current(
    state: &AppState,
    req: &requirement::Model,
) -> AppResult<Option<refresher::Model>> {
    let latest = || async {
        refresher::Entity::find()
            .filter(refresher::Column::HallId.eq(&req.hall_id))
            .filter(refresher::Column::TaskCode.eq(&req.task_code))
            .order_by_desc(refresher::Column::ToVersion)
            .one(&state.db)
            .await
            .db_err()
    };
    let Ok(item) = govhall_catalog::service::item(state, &req.hall_id, &req.task_code).await else {
        return latest().await;
    };
    let Some(now_version) = item.published_version else {
        return latest().await;
    };
    let checked = req.version.unwrap_or(now_version);
    if checked < now_version {
        let before = govhall_catalog::service::version_doc(state, &item.id, checked).await?;
        let after = govhall_catalog::service::version_doc(state, &item.id, now_version).await?;
        let as_json = |d| serde_json::to_value(d).unwrap_or_default();
        let changes = relevant(govhall_catalog::diff::diff(
            &as_json(&before),
            &as_json(&after),
        ));
        if !changes.is_empty() {
            let now = Utc::now();
            // The grace runs from the change's publication, not from when
            // it was first noticed here.
            let published =
                govhall_catalog::service::version_published_at(state, &item.id, now_version)
                    .await?
                    .unwrap_or(now);
            refresher::Entity::insert(refresher::ActiveModel {
                id: Set(new_id().to_string()),
                hall_id: Set(req.hall_id.clone()),
                task_code: Set(req.task_code.clone()),
                task_name: Set(item.task_name.clone()),
                course_id: Set(req.course_id.clone()),
                from_version: Set(checked),
                to_version: Set(now_version),
                changes: Set(serde_json::to_string(
                    &changes.iter().map(describe).collect::<Vec<_>>(),
                )
                .unwrap_or_default()),
                quiz: Set(serde_json::to_string(&quiz(&changes)).unwrap_or_default()),
                grace_until: Set(published + Duration::days(i64::from(req.grace_days))),
                created_at: Set(now),
            })
            .on_conflict(
                OnConflict::columns([
                    refresher::Column::HallId,
                    refresher::Column::TaskCode,
                    refresher::Column::ToVersion,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(&state.db)
            .await
            .db_err()?;
        }
    }
    if req.version != Some(now_version) {
        let mut a = req.clone().into_active_model();
        a.version = Set(Some(now_version));
        a.update(&state.db).await.db_err()?;
    }
    latest().await
}

async fn passed(state: &AppState, r: &refresher::Model, learner: &str) -> AppResult<bool> {
    Ok(
        refresher_pass::Entity::find_by_id((r.id.clone(), learner.to_string()))
            .one(&state.db)
            .await
            .db_err()?
            .is_some(),
    )
}

/// Whether a certified learner must pass the refresher before accepting the
/// matter: a change they were certified before, not passed, grace over.
pub async fn blocks(
    state: &AppState,
    r: &refresher::Model,
    learner: &str,
    certified_at: DateTime<Utc>,
) -> AppResult<bool> {
    Ok(certified_at < r.created_at
        && Utc::now() >= r.grace_until
        && !passed(state, r, learner).await?)
}

fn dto(r: &refresher::Model, passed: bool) -> RefresherDto {
    let quiz: Vec<Question> = serde_json::from_str(&r.quiz).unwrap_or_default();
    RefresherDto {
        id: r.id.clone(),
        task_code: r.task_code.clone(),
        task_name: r.task_name.clone(),
        from_version: r.from_version,
        to_version: r.to_version,
        changes: serde_json::from_str(&r.changes).unwrap_or_default(),
        questions: quiz.into_iter().map(|q| q.stem).collect(),
        grace_until: r.grace_until,
        passed,
    }
}

/// The refreshers the learner is sent: matters whose course they completed
/// before the change, passed or not (the latest per matter).
pub async fn mine(state: &AppState, hall_id: &str, learner: &str) -> AppResult<Vec<RefresherDto>> {
    let reqs = requirement::Entity::find()
        .filter(requirement::Column::HallId.eq(hall_id))
        .all(&state.db)
        .await
        .db_err()?;
    let mut out = Vec::new();
    for req in reqs {
        let Some(done) =
            completion::Entity::find_by_id((req.course_id.clone(), learner.to_string()))
                .one(&state.db)
                .await
                .db_err()?
        else {
            continue;
        };
        if let Some(r) = current(state, &req)
            .await?
            .filter(|r| done.completed_at < r.created_at)
        {
            let p = passed(state, &r, learner).await?;
            out.push(dto(&r, p));
        }
    }
    Ok(out)
}

/// Judges the learner's answers; all right records the pass.
pub async fn answer(
    state: &AppState,
    hall_id: &str,
    id: &str,
    learner: &str,
    input: &QuizAnswers,
) -> AppResult<QuizResult> {
    let r = refresher::Entity::find_by_id(id.to_string())
        .filter(refresher::Column::HallId.eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("更新提示"))?;
    let quiz: Vec<Question> = serde_json::from_str(&r.quiz).unwrap_or_default();
    if input.answers.len() != quiz.len() {
        return Err(AppError::field(
            "answers",
            format!("须回答全部 {} 道判断题", quiz.len()),
        ));
    }
    let correct: Vec<bool> = quiz
        .iter()
        .zip(&input.answers)
        .map(|(q, a)| q.answer == *a)
        .collect();
    let all = correct.iter().all(|c| *c);
    if all && !passed(state, &r, learner).await? {
        refresher_pass::ActiveModel {
            refresher_id: Set(r.id.clone()),
            learner_id: Set(learner.to_string()),
            passed_at: Set(Utc::now()),
        }
        .insert(&state.db)
        .await
        .db_err()?;
    }
    Ok(QuizResult {
        passed: all,
        correct,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(label: &str, before: Option<&str>, after: Option<&str>) -> Change {
        Change {
            label: label.into(),
            path: "materials[x].name".into(),
            before: before.map(String::from),
            after: after.map(String::from),
        }
    }

    #[test]
    fn three_questions_whatever_changed() {
        for changes in [
            vec![],
            vec![change("申请材料「营业执照」", None, Some("营业执照副本"))],
            vec![
                change("受理条件", Some("甲"), Some("乙")),
                change("申请材料「租赁合同」", Some("租赁合同"), None),
            ],
        ] {
            let q = quiz(&changes);
            assert_eq!(q.len(), 3, "{changes:?}");
            assert!(q.iter().any(|x| x.answer) && q.iter().any(|x| !x.answer) || changes.len() < 2);
        }
        let q = quiz(&[change("受理条件", Some("甲"), Some("乙"))]);
        assert_eq!((q[0].answer, q[1].answer), (true, false));
        assert!(q[0].stem.contains("乙") && q[1].stem.contains("甲"));
    }
}

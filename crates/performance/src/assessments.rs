//! 季度考核: each person's quarter — figures computed from the evidence and
//! scored by their scheme; the person's self-assessment; the manager's
//! review (领导评价 and a comment); the person's acknowledgement, or an
//! appeal the manager answers; then the quarter's grades, with the quota
//! for 优秀, final and archived, and passed to the payroll.
//!
//! Statuses: `open` → `self_assessed` (optional) → `reviewed` →
//! `acknowledged` | `appealed` → `appeal_decided`; all of them → `final`
//! (a review not yet confirmed counts as confirmed when the grades are set).
//! Figures may be recomputed until the grades are final; the reviews stay.

use crate::entity::assessment;
use crate::events::{
    ASSESSMENT_APPEALED, ASSESSMENT_COMPUTED, ASSESSMENT_REVIEWED, AssessmentComputed,
    AssessmentStep, GRADES_FINALIZED, GradesFinalized,
};
use crate::figures::{self, KpiFigure, Person};
use crate::grading::{self, GradeRules};
use crate::quarter::Quarter;
use crate::schemes::{self, Stored, parse_quarter};
use chrono::Utc;
use govhall_directory::service::{self as directory, Staff};
use govhall_kernel::{AppError, error::AppResult, new_id, validate::Checker};
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write},
    events::{Actor, commit_with},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use utoipa::ToSchema;

pub const STATUSES: &[(&str, &str)] = &[
    ("open", "待自评"),
    ("self_assessed", "已自评"),
    ("reviewed", "已评定，待确认"),
    ("acknowledged", "本人已确认"),
    ("appealed", "申诉中"),
    ("appeal_decided", "申诉已复核"),
    ("final", "已定等次"),
];

fn status_label(s: &str) -> &'static str {
    STATUSES
        .iter()
        .find(|(k, _)| *k == s)
        .map_or("", |(_, l)| l)
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AssessmentRow {
    /// `2026-Q3`.
    pub quarter: String,
    pub staff_id: String,
    pub employee_no: String,
    pub name: String,
    pub post_label: String,
    pub total: Option<f64>,
    pub status: String,
    pub status_label: String,
    pub grade: Option<String>,
    pub grade_label: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AssessmentDetail {
    pub quarter: String,
    pub quarter_label: String,
    /// The figures reach this day (the quarter's end, or today).
    pub through: chrono::NaiveDate,
    pub row: AssessmentRow,
    pub scheme_version: i32,
    pub figures: Vec<KpiFigure>,
    pub self_review: String,
    /// The 组长's view and suggested score, before the manager's review.
    pub leader_comment: String,
    pub leader_score: Option<f64>,
    pub manager_score: Option<f64>,
    pub manager_comment: String,
    pub appeal_reason: String,
    pub appeal_reply: String,
    pub computed_at: chrono::DateTime<Utc>,
    pub finalized_at: Option<chrono::DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QuarterAssessments {
    pub quarter: String,
    pub quarter_label: String,
    pub rows: Vec<AssessmentRow>,
    /// How many have each status.
    pub counts: BTreeMap<String, usize>,
    pub finalized: bool,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ReviewInput {
    /// 领导评价, 0–100.
    pub score: f64,
    pub comment: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct LeaderReviewInput {
    pub comment: String,
    /// A suggested 领导评价, 0–100.
    #[serde(default)]
    pub score: Option<f64>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SelfReviewInput {
    pub text: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AppealInput {
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AppealDecisionInput {
    /// The answer to the appeal, shown to the person.
    pub reply: String,
    /// A changed 领导评价, if the appeal is upheld in part.
    #[serde(default)]
    pub score: Option<f64>,
}

fn row_of(a: &assessment::Model, s: Option<&Staff>) -> AssessmentRow {
    AssessmentRow {
        quarter: a.quarter.clone(),
        staff_id: a.staff_id.clone(),
        employee_no: s.map_or_else(String::new, |s| s.employee_no.clone()),
        name: s.map_or_else(String::new, |s| s.name.clone()),
        post_label: s.map_or_else(String::new, |s| schemes::post_label(&s.position)),
        total: a.total,
        status: a.status.clone(),
        status_label: status_label(&a.status).into(),
        grade: a.grade.clone(),
        grade_label: a.grade.as_deref().map(|g| grading::label(g).to_string()),
    }
}

fn detail_of(a: assessment::Model, s: Option<&Staff>) -> AppResult<AssessmentDetail> {
    let q = parse_quarter(&a.quarter)?;
    Ok(AssessmentDetail {
        quarter: a.quarter.clone(),
        quarter_label: q.label(),
        through: figures::until(&q),
        row: row_of(&a, s),
        scheme_version: a.scheme_version,
        figures: serde_json::from_str(&a.figures).map_err(AppError::internal)?,
        self_review: a.self_review,
        leader_comment: a.leader_comment,
        leader_score: a.leader_score,
        manager_score: a.manager_score,
        manager_comment: a.manager_comment,
        appeal_reason: a.appeal_reason,
        appeal_reply: a.appeal_reply,
        computed_at: a.computed_at,
        finalized_at: a.finalized_at,
    })
}

async fn rows(state: &AppState, hall_id: &str, q: &Quarter) -> AppResult<Vec<assessment::Model>> {
    assessment::Entity::find()
        .filter(assessment::Column::HallId.eq(hall_id))
        .filter(assessment::Column::Quarter.eq(q.to_string()))
        .all(&state.db)
        .await
        .db_err()
}

/// The scheme for a post: its own, else the one for every post.
fn scheme_for<'a>(schemes: &'a [Stored], post: &str) -> Option<&'a Stored> {
    schemes
        .iter()
        .find(|s| s.row.post == post)
        .or_else(|| schemes.iter().find(|s| s.row.post.is_empty()))
}

/// Computes (or recomputes) the quarter's figures for everyone a scheme
/// covers; the reviews so far are kept. Refused once the grades are final.
pub async fn compute(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    quarter: &str,
) -> AppResult<QuarterAssessments> {
    let q = parse_quarter(quarter)?;
    if q.first_day() > govhall_kernel::time::today() {
        return Err(AppError::field(
            "quarter",
            format!("{} 尚未开始", q.label()),
        ));
    }
    let schemes = schemes::of_quarter(state, hall_id, &q).await?;
    if schemes.is_empty() {
        return Err(AppError::field(
            "quarter",
            format!("{} 还没有考核方案，请先制定方案", q.label()),
        ));
    }
    let existing = rows(state, hall_id, &q).await?;
    if existing.iter().any(|a| a.status == "final") {
        return Err(AppError::field(
            "quarter",
            format!("{} 的考核等次已确定并归档，不能重新核算", q.label()),
        ));
    }
    let staff = directory::hall_staff(&state.db, hall_id).await?;
    let raw = figures::gather(state, hall_id, &q, &schemes).await?;
    let by_staff: HashMap<&str, &assessment::Model> =
        existing.iter().map(|a| (a.staff_id.as_str(), a)).collect();
    // Each scheme scores its own people against each other.
    let mut scored: Vec<(&Staff, &Stored, Vec<KpiFigure>, Option<f64>)> = Vec::new();
    for scheme in &schemes {
        let covered: Vec<&Staff> = staff
            .iter()
            .filter(|s| {
                scheme_for(&schemes, &s.position).is_some_and(|x| x.row.id == scheme.row.id)
            })
            .collect();
        let people: Vec<Person<'_>> = covered
            .iter()
            .map(|s| Person {
                staff_id: s.id.as_str(),
                manager_score: by_staff.get(s.id.as_str()).and_then(|a| a.manager_score),
            })
            .collect();
        let mut results = figures::score_all(scheme, &people, &raw)?;
        for s in covered {
            if let Some((figs, total)) = results.remove(s.id.as_str()) {
                scored.push((s, scheme, figs, total));
            }
        }
    }
    let now = Utc::now();
    let txn = begin_write(&state.db).await.db_err()?;
    for (s, scheme, figs, total) in &scored {
        let json = serde_json::to_string(figs).map_err(AppError::internal)?;
        match by_staff.get(s.id.as_str()) {
            Some(a) => {
                let mut m = (*a).clone().into_active_model();
                m.scheme_id = Set(scheme.row.id.clone());
                m.scheme_version = Set(scheme.row.version);
                m.figures = Set(json);
                m.total = Set(*total);
                m.computed_at = Set(now);
                m.update(&txn).await.db_err()?;
            }
            None => {
                assessment::ActiveModel {
                    id: Set(new_id().to_string()),
                    hall_id: Set(hall_id.to_string()),
                    quarter: Set(q.to_string()),
                    staff_id: Set(s.id.to_string()),
                    scheme_id: Set(scheme.row.id.clone()),
                    scheme_version: Set(scheme.row.version),
                    figures: Set(json),
                    total: Set(*total),
                    status: Set("open".into()),
                    self_review: Set(String::new()),
                    self_at: Set(None),
                    leader_comment: Set(String::new()),
                    leader_score: Set(None),
                    leader_by: Set(None),
                    manager_score: Set(None),
                    manager_comment: Set(String::new()),
                    reviewed_by: Set(None),
                    reviewed_at: Set(None),
                    appeal_reason: Set(String::new()),
                    appeal_reply: Set(String::new()),
                    grade: Set(None),
                    computed_at: Set(now),
                    finalized_at: Set(None),
                }
                .insert(&txn)
                .await
                .db_err()?;
            }
        }
    }
    let ev = ASSESSMENT_COMPUTED.event(
        Some(hall_id),
        &AssessmentComputed {
            quarter: q.to_string(),
            staff_count: scored.len(),
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    list(state, hall_id, quarter).await
}

pub async fn list(state: &AppState, hall_id: &str, quarter: &str) -> AppResult<QuarterAssessments> {
    let q = parse_quarter(quarter)?;
    let staff = directory::hall_staff(&state.db, hall_id).await?;
    let by_id: HashMap<&str, &Staff> = staff.iter().map(|s| (s.id.as_str(), s)).collect();
    let mut out: Vec<AssessmentRow> = rows(state, hall_id, &q)
        .await?
        .iter()
        .map(|a| row_of(a, by_id.get(a.staff_id.as_str()).copied()))
        .collect();
    out.sort_by(|a, b| a.employee_no.cmp(&b.employee_no));
    let mut counts = BTreeMap::new();
    for r in &out {
        *counts.entry(r.status.clone()).or_default() += 1;
    }
    Ok(QuarterAssessments {
        quarter: q.to_string(),
        quarter_label: q.label(),
        finalized: !out.is_empty() && out.iter().all(|r| r.status == "final"),
        rows: out,
        counts,
    })
}

async fn find(
    state: &AppState,
    hall_id: &str,
    quarter: &str,
    staff_id: &str,
) -> AppResult<assessment::Model> {
    let q = parse_quarter(quarter)?;
    assessment::Entity::find()
        .filter(assessment::Column::HallId.eq(hall_id))
        .filter(assessment::Column::Quarter.eq(q.to_string()))
        .filter(assessment::Column::StaffId.eq(staff_id))
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("该季度的考核"))
}

pub async fn detail(
    state: &AppState,
    hall_id: &str,
    quarter: &str,
    staff_id: &str,
) -> AppResult<AssessmentDetail> {
    let a = find(state, hall_id, quarter, staff_id).await?;
    let staff = directory::staff_by_ids(&state.db, &[staff_id.to_string()]).await?;
    detail_of(a, staff.first())
}

/// The person's own assessments, newest quarter first.
pub async fn mine(
    state: &AppState,
    hall_id: &str,
    staff_id: &str,
) -> AppResult<Vec<AssessmentRow>> {
    let staff = directory::staff_by_ids(&state.db, &[staff_id.to_string()]).await?;
    let mut out: Vec<AssessmentRow> = assessment::Entity::find()
        .filter(assessment::Column::HallId.eq(hall_id))
        .filter(assessment::Column::StaffId.eq(staff_id))
        .all(&state.db)
        .await
        .db_err()?
        .iter()
        .map(|a| row_of(a, staff.first()))
        .collect();
    out.sort_by(|a, b| b.quarter.cmp(&a.quarter));
    Ok(out)
}

/// Refuses a step the status does not allow, naming the status.
fn require(a: &assessment::Model, allowed: &[&str], what: &str) -> AppResult<()> {
    if allowed.contains(&a.status.as_str()) {
        Ok(())
    } else {
        Err(AppError::field(
            "status",
            format!("该考核{}，不能{what}", status_label(&a.status)),
        ))
    }
}

/// Writes a step and tells the others.
async fn step(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    m: assessment::ActiveModel,
    appeal: bool,
) -> AppResult<AssessmentDetail> {
    let txn = begin_write(&state.db).await.db_err()?;
    let a = m.update(&txn).await.db_err()?;
    let payload = AssessmentStep {
        quarter: a.quarter.clone(),
        staff_id: a.staff_id.clone(),
        status: a.status.clone(),
        total: a.total,
    };
    let ev = if appeal {
        ASSESSMENT_APPEALED.event(Some(hall_id), &payload)
    } else {
        ASSESSMENT_REVIEWED.event(Some(hall_id), &payload)
    };
    commit_with(state, txn, actor, vec![ev]).await?;
    let staff = directory::staff_by_ids(&state.db, std::slice::from_ref(&a.staff_id)).await?;
    detail_of(a, staff.first())
}

/// The figures with 领导评价 set to `score`, and the new total.
fn with_manager_score(a: &assessment::Model, score: f64) -> AppResult<(String, Option<f64>)> {
    let mut figs: Vec<KpiFigure> = serde_json::from_str(&a.figures).map_err(AppError::internal)?;
    for f in figs.iter_mut().filter(|f| f.key == crate::catalog::MANAGER) {
        f.value = Some(score);
        f.score = Some(score);
        f.note = String::new();
    }
    Ok((
        serde_json::to_string(&figs).map_err(AppError::internal)?,
        figures::total_of(&figs),
    ))
}

fn check_score(ch: &mut Checker, score: f64) {
    ch.check(
        (0.0..=100.0).contains(&score),
        "score",
        "领导评价须在 0 到 100 分之间",
    );
}

pub async fn self_review(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    quarter: &str,
    staff_id: &str,
    input: &SelfReviewInput,
) -> AppResult<AssessmentDetail> {
    let a = find(state, hall_id, quarter, staff_id).await?;
    let mut ch = Checker::new();
    let text = ch.text("text", "自评", &input.text, 1000);
    ch.finish()?;
    require(&a, &["open", "self_assessed"], "再自评")?;
    let mut m = a.into_active_model();
    m.self_review = Set(text);
    m.self_at = Set(Some(Utc::now()));
    m.status = Set("self_assessed".into());
    step(state, actor, hall_id, m, false).await
}

/// The 组长's review of a member, before the manager's: a comment and a
/// suggested score the manager sees beside the figures.
pub async fn leader_review(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    quarter: &str,
    leader_staff_id: &str,
    staff_id: &str,
    input: &LeaderReviewInput,
) -> AppResult<AssessmentDetail> {
    let a = find(state, hall_id, quarter, staff_id).await?;
    if govhall_hr::groups::leader_of(&state.db, staff_id)
        .await?
        .as_deref()
        != Some(leader_staff_id)
        || staff_id == leader_staff_id
    {
        return Err(AppError::not_found("组员的季度考核"));
    }
    let mut ch = Checker::new();
    let comment = ch.text("comment", "组长意见", &input.comment, 1000);
    if let Some(s) = input.score {
        check_score(&mut ch, s);
    }
    ch.finish()?;
    require(&a, &["open", "self_assessed"], "由组长评议")?;
    let mut m = a.into_active_model();
    m.leader_comment = Set(comment);
    m.leader_score = Set(input.score);
    m.leader_by = Set(Some(leader_staff_id.to_string()));
    step(state, actor, hall_id, m, false).await
}

/// The quarter of the members of the group `leader_staff_id` leads.
pub async fn of_my_group(
    state: &AppState,
    hall_id: &str,
    quarter: &str,
    leader_staff_id: &str,
) -> AppResult<Vec<AssessmentDetail>> {
    let Some(group) = govhall_hr::groups::led_by(state, hall_id, leader_staff_id).await? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for m in group
        .members
        .iter()
        .filter(|m| m.staff_id != leader_staff_id)
    {
        if let Ok(d) = detail(state, hall_id, quarter, &m.staff_id).await {
            out.push(d);
        }
    }
    Ok(out)
}

pub async fn review(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    quarter: &str,
    staff_id: &str,
    input: &ReviewInput,
) -> AppResult<AssessmentDetail> {
    let a = find(state, hall_id, quarter, staff_id).await?;
    let mut ch = Checker::new();
    check_score(&mut ch, input.score);
    let comment = ch.text("comment", "评定意见", &input.comment, 1000);
    ch.finish()?;
    require(&a, &["open", "self_assessed", "reviewed"], "评定")?;
    let (figures, total) = with_manager_score(&a, input.score)?;
    let mut m = a.into_active_model();
    m.manager_score = Set(Some(input.score));
    m.manager_comment = Set(comment);
    m.reviewed_by = Set(actor.id.clone());
    m.reviewed_at = Set(Some(Utc::now()));
    m.figures = Set(figures);
    m.total = Set(total);
    m.status = Set("reviewed".into());
    step(state, actor, hall_id, m, false).await
}

pub async fn acknowledge(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    quarter: &str,
    staff_id: &str,
) -> AppResult<AssessmentDetail> {
    let a = find(state, hall_id, quarter, staff_id).await?;
    require(&a, &["reviewed"], "确认")?;
    let mut m = a.into_active_model();
    m.status = Set("acknowledged".into());
    step(state, actor, hall_id, m, true).await
}

pub async fn appeal(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    quarter: &str,
    staff_id: &str,
    input: &AppealInput,
) -> AppResult<AssessmentDetail> {
    let a = find(state, hall_id, quarter, staff_id).await?;
    let mut ch = Checker::new();
    let reason = ch.text("reason", "申诉理由", &input.reason, 1000);
    ch.finish()?;
    require(&a, &["reviewed"], "申诉")?;
    let mut m = a.into_active_model();
    m.appeal_reason = Set(reason);
    m.status = Set("appealed".into());
    step(state, actor, hall_id, m, true).await
}

pub async fn decide_appeal(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    quarter: &str,
    staff_id: &str,
    input: &AppealDecisionInput,
) -> AppResult<AssessmentDetail> {
    let a = find(state, hall_id, quarter, staff_id).await?;
    let mut ch = Checker::new();
    let reply = ch.text("reply", "复核意见", &input.reply, 1000);
    if let Some(s) = input.score {
        check_score(&mut ch, s);
    }
    ch.finish()?;
    require(&a, &["appealed"], "复核")?;
    let changed = match input.score {
        Some(s) => Some((s, with_manager_score(&a, s)?)),
        None => None,
    };
    let mut m = a.into_active_model();
    m.appeal_reply = Set(reply);
    if let Some((s, (figures, total))) = changed {
        m.manager_score = Set(Some(s));
        m.figures = Set(figures);
        m.total = Set(total);
    }
    m.status = Set("appeal_decided".into());
    step(state, actor, hall_id, m, true).await
}

/// Grades the quarter: everyone must be reviewed and no appeal left
/// unanswered (a review neither confirmed nor appealed by then counts as
/// confirmed — not everyone has an account to confirm with); the grades
/// follow each scheme's lines and quota among the people it covers. The
/// result is archived and recorded for payroll.
pub async fn finalize(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    quarter: &str,
) -> AppResult<QuarterAssessments> {
    let q = parse_quarter(quarter)?;
    let all = rows(state, hall_id, &q).await?;
    if all.is_empty() {
        return Err(AppError::field(
            "quarter",
            format!("{} 尚未核算考核", q.label()),
        ));
    }
    if all.iter().any(|a| a.status == "final") {
        return Err(AppError::field(
            "quarter",
            format!("{} 的考核等次已确定", q.label()),
        ));
    }
    let staff = directory::hall_staff(&state.db, hall_id).await?;
    let by_id: HashMap<&str, &Staff> = staff.iter().map(|s| (s.id.as_str(), s)).collect();
    let name = |a: &assessment::Model| {
        by_id.get(a.staff_id.as_str()).map_or_else(
            || a.staff_id.clone(),
            |s| format!("{} {}", s.employee_no, s.name),
        )
    };
    let pending: Vec<String> = all
        .iter()
        .filter(|a| {
            matches!(a.status.as_str(), "open" | "self_assessed" | "appealed") || a.total.is_none()
        })
        .map(|a| format!("{}（{}）", name(a), status_label(&a.status)))
        .collect();
    if !pending.is_empty() {
        let shown: Vec<&str> = pending.iter().take(10).map(String::as_str).collect();
        return Err(AppError::field(
            "quarter",
            format!(
                "还有 {} 人的考核未评定或申诉未复核：{}{}",
                pending.len(),
                shown.join("、"),
                if pending.len() > 10 { " 等" } else { "" }
            ),
        ));
    }
    let schemes = schemes::of_quarter(state, hall_id, &q).await?;
    let mut grades: HashMap<String, &'static str> = HashMap::new();
    for scheme in &schemes {
        let group: Vec<(String, String, f64)> = all
            .iter()
            .filter(|a| a.scheme_id == scheme.row.id)
            .map(|a| {
                let no = by_id
                    .get(a.staff_id.as_str())
                    .map_or_else(|| a.staff_id.clone(), |s| s.employee_no.clone());
                (a.staff_id.clone(), no, a.total.unwrap_or(0.0))
            })
            .collect();
        let rules: &GradeRules = &scheme.grades;
        let people: Vec<(String, f64)> = group.iter().map(|(_, no, t)| (no.clone(), *t)).collect();
        for ((id, _, _), g) in group.iter().zip(rules.grade(&people)) {
            grades.insert(id.clone(), g);
        }
    }
    // The grades reach HR first (replacing any of this quarter's): if
    // archiving them here then fails, finalizing again records them again.
    let grade_of = |a: &assessment::Model| grades.get(&a.staff_id).copied().unwrap_or("fail");
    let results: Vec<govhall_hr::service::AssessmentResult> = all
        .iter()
        .map(|a| govhall_hr::service::AssessmentResult {
            staff_id: a.staff_id.clone(),
            grade: grading::label(grade_of(a)).into(),
            level: grading::level(grade_of(a)),
            score: a.total.unwrap_or(0.0),
        })
        .collect();
    govhall_hr::service::record_assessment(state, hall_id, &q.to_string(), q.last_day(), &results)
        .await?;
    let now = Utc::now();
    let txn = begin_write(&state.db).await.db_err()?;
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for a in &all {
        let g = grade_of(a);
        *counts.entry(g.to_string()).or_default() += 1;
        let mut m = a.clone().into_active_model();
        m.grade = Set(Some(g.to_string()));
        m.status = Set("final".into());
        m.finalized_at = Set(Some(now));
        m.update(&txn).await.db_err()?;
    }
    let ev = GRADES_FINALIZED.event(
        Some(hall_id),
        &GradesFinalized {
            quarter: q.to_string(),
            staff_count: all.len(),
            counts,
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    list(state, hall_id, quarter).await
}

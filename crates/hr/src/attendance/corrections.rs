//! 补卡: a person who forgot a mark (or whose scan failed) asks for it with a
//! reason; the manager approves or rejects. An approved one becomes a mark
//! like any other, labelled as a correction, so the sheet shows where it
//! came from.

use crate::entity::correction;
use crate::events::{self, CorrectionChanged};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use govhall_directory::service as directory;
use govhall_kernel::{AppError, error::AppResult, new_id, time, validate::Checker};
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write},
    events::{Actor, commit_with},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How far back a mark may be corrected.
pub const CORRECTION_WINDOW_DAYS: i64 = 31;

const STATUSES: &[(&str, &str)] = &[
    ("pending", "待审批"),
    ("approved", "已批准"),
    ("rejected", "未批准"),
];

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CorrectionInput {
    pub day: NaiveDate,
    /// `HH:MM`, the hall's time.
    pub time: String,
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CorrectionDecision {
    pub approve: bool,
    #[serde(default)]
    pub opinion: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CorrectionDto {
    pub id: String,
    pub staff_id: String,
    pub employee_no: String,
    pub name: String,
    pub day: NaiveDate,
    /// `HH:MM`.
    pub time: String,
    pub reason: String,
    pub status: String,
    pub status_label: String,
    pub opinion: String,
    pub created_at: DateTime<Utc>,
}

fn dto(c: correction::Model, staff: &[directory::Staff]) -> CorrectionDto {
    let who = staff.iter().find(|s| s.id.as_str() == c.staff_id);
    let local = time::local(c.at);
    CorrectionDto {
        employee_no: who.map(|s| s.employee_no.clone()).unwrap_or_default(),
        name: who.map(|s| s.name.clone()).unwrap_or_default(),
        day: local.date_naive(),
        time: local.format("%H:%M").to_string(),
        status_label: govhall_platform::api::label(STATUSES, &c.status).into(),
        id: c.id,
        staff_id: c.staff_id,
        reason: c.reason,
        status: c.status,
        opinion: c.opinion,
        created_at: c.created_at,
    }
}

/// The hall's requests (`status` filters), newest first; or one person's.
pub async fn list(
    state: &AppState,
    hall_id: &str,
    status: Option<&str>,
    staff_id: Option<&str>,
) -> AppResult<Vec<CorrectionDto>> {
    let mut q = correction::Entity::find().filter(correction::Column::HallId.eq(hall_id));
    if let Some(s) = status.filter(|s| !s.is_empty()) {
        q = q.filter(correction::Column::Status.eq(s));
    }
    if let Some(s) = staff_id {
        q = q.filter(correction::Column::StaffId.eq(s));
    }
    let rows = q
        .order_by_desc(correction::Column::CreatedAt)
        .all(&state.db)
        .await
        .db_err()?;
    let staff = directory::hall_staff(&state.db, hall_id).await?;
    Ok(rows.into_iter().map(|c| dto(c, &staff)).collect())
}

fn changed(c: &correction::Model) -> CorrectionChanged {
    CorrectionChanged {
        correction_id: c.id.clone(),
        staff_id: c.staff_id.clone(),
        at: c.at,
        status: c.status.clone(),
    }
}

/// Asks for a mark at `day` `time`.
pub async fn request(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    staff_id: &str,
    input: &CorrectionInput,
) -> AppResult<CorrectionDto> {
    let today = time::today();
    let closed = crate::payroll::closed_through(state, hall_id).await?;
    let mut ch = Checker::new();
    let reason = ch.text("reason", "补卡事由", &input.reason, 200);
    crate::payroll::check_open(&mut ch, closed, "day", input.day);
    ch.check(input.day <= today, "day", "补卡日期不能在将来");
    ch.check(
        input.day >= today - Duration::days(CORRECTION_WINDOW_DAYS),
        "day",
        format!("只能补 {CORRECTION_WINDOW_DAYS} 天内的卡"),
    );
    let t = NaiveTime::parse_from_str(&input.time, "%H:%M").ok();
    ch.check(t.is_some(), "time", "补卡时间须为“时:分”，如 08:55");
    ch.finish()?;
    let at = input
        .day
        .and_time(t.unwrap_or(NaiveTime::MIN))
        .and_local_timezone(time::HALL_TZ)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| AppError::field("time", "补卡时间不是有效的时间"))?;
    if at > Utc::now() {
        return Err(AppError::field("time", "补卡时间不能在将来"));
    }
    let pending = correction::Entity::find()
        .filter(correction::Column::StaffId.eq(staff_id))
        .filter(correction::Column::At.eq(at))
        .filter(correction::Column::Status.ne("rejected"))
        .one(&state.db)
        .await
        .db_err()?;
    if pending.is_some() {
        return Err(AppError::field("time", "这个时间已经申请过补卡"));
    }
    let txn = begin_write(&state.db).await.db_err()?;
    let row = correction::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall_id.to_string()),
        staff_id: Set(staff_id.to_string()),
        at: Set(at),
        reason: Set(reason),
        status: Set("pending".into()),
        decided_by: Set(None),
        decided_at: Set(None),
        opinion: Set(String::new()),
        created_at: Set(Utc::now()),
    }
    .insert(&txn)
    .await
    .db_err()?;
    let ev = events::CORRECTION_REQUESTED.event(Some(hall_id), &changed(&row));
    commit_with(state, txn, actor, vec![ev]).await?;
    let staff = directory::hall_staff(&state.db, hall_id).await?;
    Ok(dto(row, &staff))
}

/// Approves (the mark is recorded) or rejects a pending request.
pub async fn decide(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    id: &str,
    decision: &CorrectionDecision,
) -> AppResult<CorrectionDto> {
    let opinion = super::decision_opinion(decision.approve, &decision.opinion)?;
    let staff = directory::hall_staff(&state.db, hall_id).await?;
    let closed = crate::payroll::closed_through(state, hall_id).await?;
    let txn = begin_write(&state.db).await.db_err()?;
    let row = correction::Entity::find_by_id(id.to_string())
        .filter(correction::Column::HallId.eq(hall_id))
        .one(&txn)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("补卡申请"))?;
    if row.status != "pending" {
        return Err(AppError::Conflict {
            message: "该补卡申请已审批过".into(),
            fields: vec![],
        });
    }
    if decision.approve {
        let mut ch = Checker::new();
        let day = row.at.with_timezone(&time::HALL_TZ).date_naive();
        crate::payroll::check_open(&mut ch, closed, "day", day);
        ch.finish()?;
    }
    let mut a = row.clone().into_active_model();
    a.status = Set(if decision.approve {
        "approved"
    } else {
        "rejected"
    }
    .into());
    a.decided_by = Set(actor.id.clone());
    a.decided_at = Set(Some(Utc::now()));
    a.opinion = Set(opinion);
    let row = a.update(&txn).await.db_err()?;
    if decision.approve {
        super::punches::insert(
            &txn,
            actor,
            hall_id,
            &[(row.staff_id.clone(), row.at)],
            "correction",
            &row.reason,
        )
        .await?;
    }
    let ev = events::CORRECTION_DECIDED.event(Some(hall_id), &changed(&row));
    commit_with(state, txn, actor, vec![ev]).await?;
    Ok(dto(row, &staff))
}

//! 交叉轮岗 by date: a plan checked today and scheduled for a later morning
//! (the first of next month, say), applied by the clock on that day through
//! the same checks — against the staff of that day, so someone who has
//! left or lost a certificate since makes it fail with the reasons named
//! before any authorisation changes. One plan waits per hall; scheduling
//! another replaces it. Plans applied at once are recorded too, so the page
//! lists the hall's rotations.

use crate::capability;
use crate::entity::rotation;
use crate::events::{
    ROTATION_CANCELLED, ROTATION_FAILED, ROTATION_SCHEDULED, RotationClosed, RotationScheduled,
};
use crate::rotation::Plan;
use chrono::{NaiveDate, Utc};
use govhall_kernel::{AppError, error::AppResult, new_id, time};
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write},
    events::{Actor, commit_with},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, sea_query::Expr,
};
use serde::Serialize;
use utoipa::ToSchema;

/// How many past rotations the page lists.
const HISTORY: u64 = 5;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RotationRecord {
    pub id: String,
    pub effective_on: NaiveDate,
    /// scheduled / applied / cancelled / failed.
    pub status: String,
    pub status_label: String,
    pub windows: usize,
    /// Why it was cancelled or could not be applied.
    pub note: String,
    pub created_by: String,
    pub created_at: chrono::DateTime<Utc>,
    pub done_at: Option<chrono::DateTime<Utc>>,
}

fn status_label(s: &str) -> &'static str {
    match s {
        "scheduled" | "applying" => "待执行",
        "applied" => "已执行",
        "cancelled" => "已取消",
        "failed" => "未能执行",
        _ => "",
    }
}

fn plan_of(r: &rotation::Model) -> Plan {
    serde_json::from_str::<Vec<(String, String)>>(&r.assignments)
        .unwrap_or_default()
        .into_iter()
        .collect()
}

fn record(r: rotation::Model) -> RotationRecord {
    RotationRecord {
        windows: plan_of(&r).len(),
        status_label: status_label(&r.status).into(),
        id: r.id,
        effective_on: r.effective_on,
        status: r.status,
        note: r.note,
        created_by: r.created_by,
        created_at: r.created_at,
        done_at: r.done_at,
    }
}

fn row(
    actor: &Actor,
    hall_id: &str,
    day: NaiveDate,
    plan: &Plan,
    status: &str,
) -> AppResult<rotation::ActiveModel> {
    let pairs: Vec<(&String, &String)> = plan.iter().collect();
    Ok(rotation::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall_id.to_string()),
        effective_on: Set(day),
        assignments: Set(serde_json::to_string(&pairs).map_err(AppError::internal)?),
        status: Set(status.into()),
        note: Set(String::new()),
        created_by: Set(actor.name.clone()),
        created_at: Set(Utc::now()),
        done_at: Set((status == "applied").then(Utc::now)),
    })
}

async fn waiting(state: &AppState, hall_id: &str) -> AppResult<Option<rotation::Model>> {
    rotation::Entity::find()
        .filter(rotation::Column::HallId.eq(hall_id))
        .filter(rotation::Column::Status.eq("scheduled"))
        .one(&state.db)
        .await
        .db_err()
}

/// The plan waiting for its day, if any.
pub(crate) async fn scheduled_plan(state: &AppState, hall_id: &str) -> AppResult<Option<Plan>> {
    Ok(waiting(state, hall_id).await?.map(|r| plan_of(&r)))
}

/// Adds the waiting plan and the latest rotations to the page.
pub(crate) async fn attach(
    state: &AppState,
    hall_id: &str,
    page: &mut capability::CapabilityPage,
) -> AppResult<()> {
    page.scheduled = waiting(state, hall_id).await?.map(record);
    page.history = rotation::Entity::find()
        .filter(rotation::Column::HallId.eq(hall_id))
        .filter(rotation::Column::Status.is_in(["applied", "cancelled", "failed"]))
        .order_by_desc(rotation::Column::CreatedAt)
        .limit(HISTORY)
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .map(record)
        .collect();
    Ok(())
}

/// Schedules a checked plan for `day`; a plan already waiting is replaced.
pub(crate) async fn schedule(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    day: NaiveDate,
    plan: &Plan,
    moved: usize,
) -> AppResult<()> {
    let txn = begin_write(&state.db).await.db_err()?;
    let note = format!("由 {} 安排于 {day} 执行的新方案取代", actor.name);
    let mut events = supersede(&txn, hall_id, &note).await?;
    let new = row(actor, hall_id, day, plan, "scheduled")?
        .insert(&txn)
        .await
        .db_err()?;
    events.push(ROTATION_SCHEDULED.event(
        Some(hall_id),
        &RotationScheduled {
            rotation_id: new.id,
            effective_on: day,
            windows: plan.len(),
            moved,
        },
    ));
    commit_with(state, txn, actor, events).await
}

/// Records a plan applied at once; a plan waiting for its day is
/// cancelled, since the staffing it was checked against has changed.
pub(crate) async fn record_applied(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    plan: &Plan,
) -> AppResult<()> {
    let txn = begin_write(&state.db).await.db_err()?;
    let note = format!("{} 立即执行了另一方案", actor.name);
    let events = supersede(&txn, hall_id, &note).await?;
    row(actor, hall_id, time::today(), plan, "applied")?
        .insert(&txn)
        .await
        .db_err()?;
    commit_with(state, txn, actor, events).await
}

/// Cancels the hall's waiting plans, `note` saying why; answers the events.
async fn supersede<C: sea_orm::ConnectionTrait>(
    txn: &C,
    hall_id: &str,
    note: &str,
) -> AppResult<Vec<govhall_platform::events::NewEvent>> {
    let replaced = rotation::Entity::find()
        .filter(rotation::Column::HallId.eq(hall_id))
        .filter(rotation::Column::Status.eq("scheduled"))
        .all(txn)
        .await
        .db_err()?;
    let mut events = Vec::new();
    for old in replaced {
        events.push(ROTATION_CANCELLED.event(
            Some(hall_id),
            &RotationClosed {
                rotation_id: old.id.clone(),
                effective_on: old.effective_on,
                note: note.to_string(),
            },
        ));
        let mut m = old.into_active_model();
        m.status = Set("cancelled".into());
        m.note = Set(note.to_string());
        m.done_at = Set(Some(Utc::now()));
        m.update(txn).await.db_err()?;
    }
    Ok(events)
}

/// Cancels the waiting plan `id`.
pub async fn cancel(state: &AppState, actor: &Actor, hall_id: &str, id: &str) -> AppResult<()> {
    let r = rotation::Entity::find_by_id(id.to_string())
        .filter(rotation::Column::HallId.eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("轮岗安排"))?;
    if r.status != "scheduled" {
        return Err(AppError::field(
            "status",
            format!("该轮岗安排{}，不能再取消", status_label(&r.status)),
        ));
    }
    let note = format!("{} 取消", actor.name);
    let ev = ROTATION_CANCELLED.event(
        Some(hall_id),
        &RotationClosed {
            rotation_id: r.id.clone(),
            effective_on: r.effective_on,
            note: note.clone(),
        },
    );
    let txn = begin_write(&state.db).await.db_err()?;
    let done = rotation::Entity::update_many()
        .col_expr(rotation::Column::Status, Expr::value("cancelled"))
        .col_expr(rotation::Column::Note, Expr::value(note))
        .col_expr(rotation::Column::DoneAt, Expr::value(Utc::now()))
        .filter(rotation::Column::Id.eq(id))
        .filter(rotation::Column::Status.eq("scheduled"))
        .exec(&txn)
        .await
        .db_err()?;
    if done.rows_affected == 0 {
        return Err(AppError::field("status", "该轮岗安排刚刚已执行或取消"));
    }
    commit_with(state, txn, actor, vec![ev]).await
}

pub fn spawn(state: &AppState) {
    let every = std::time::Duration::from_secs(60);
    govhall_platform::periodic::every(state, every, "scheduled rotations", |s| async move {
        apply_due(&s, time::today()).await.map(|_| ())
    });
}

/// Applies every plan due on `today` (claimed first, so two servers apply
/// each once); answers how many were applied.
pub async fn apply_due(state: &AppState, today: NaiveDate) -> AppResult<usize> {
    let due = rotation::Entity::find()
        .filter(rotation::Column::Status.eq("scheduled"))
        .filter(rotation::Column::EffectiveOn.lte(today))
        .all(&state.db)
        .await
        .db_err()?;
    let mut applied = 0;
    for r in due {
        let claimed = rotation::Entity::update_many()
            .col_expr(rotation::Column::Status, Expr::value("applying"))
            .filter(rotation::Column::Id.eq(r.id.as_str()))
            .filter(rotation::Column::Status.eq("scheduled"))
            .exec(&state.db)
            .await
            .db_err()?;
        if claimed.rows_affected == 0 {
            continue;
        }
        let actor = Actor {
            id: None,
            name: format!("{}（预定轮岗）", r.created_by),
        };
        let outcome = capability::apply_now(state, &actor, &r.hall_id, &plan_of(&r)).await;
        let (status, note) = match outcome {
            Ok(_) => ("applied", String::new()),
            Err(e @ (AppError::Validation { .. } | AppError::Conflict { .. })) => {
                ("failed", fields_text(&e))
            }
            // Something broke inside: back in line for the next round.
            Err(e) => {
                set_status(state, &r.id, "scheduled", "").await?;
                return Err(e);
            }
        };
        set_status(state, &r.id, status, &note).await?;
        if status == "applied" {
            applied += 1;
        } else {
            let ev = ROTATION_FAILED.event(
                Some(&r.hall_id),
                &RotationClosed {
                    rotation_id: r.id.clone(),
                    effective_on: r.effective_on,
                    note,
                },
            );
            let txn = begin_write(&state.db).await.db_err()?;
            commit_with(state, txn, &actor, vec![ev]).await?;
        }
    }
    Ok(applied)
}

/// The problems a refusal named, as one line.
fn fields_text(e: &AppError) -> String {
    match e {
        AppError::Validation { fields, .. } | AppError::Conflict { fields, .. } => fields
            .iter()
            .map(|f| f.message.as_str())
            .collect::<Vec<_>>()
            .join("；"),
        other => other.to_string(),
    }
}

async fn set_status(state: &AppState, id: &str, status: &str, note: &str) -> AppResult<()> {
    let done = (status != "scheduled").then(Utc::now);
    rotation::Entity::update_many()
        .col_expr(rotation::Column::Status, Expr::value(status))
        .col_expr(rotation::Column::Note, Expr::value(note))
        .col_expr(rotation::Column::DoneAt, Expr::value(done))
        .filter(rotation::Column::Id.eq(id))
        .exec(&state.db)
        .await
        .db_err()?;
    Ok(())
}

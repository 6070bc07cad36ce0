//! 换班: a person asks to exchange their plan of one day with a colleague's
//! plan, and the colleague's plan of another day with theirs (or of the same
//! day: a straight exchange of shifts) — typically "you do my Saturday duty,
//! I do your Sunday". The manager approves; the roster is then written for
//! both days and both people, from the plan as it stands at approval.

use super::roster;
use super::shifts::REST;
use crate::entity::swap;
use crate::events::{self, SwapChanged};
use chrono::{DateTime, NaiveDate, Utc};
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

const STATUSES: &[(&str, &str)] = &[
    ("pending", "待审批"),
    ("approved", "已批准"),
    ("rejected", "未批准"),
];

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SwapInput {
    /// The requester's day to give away.
    pub day: NaiveDate,
    pub other_staff_id: String,
    /// The colleague's day to take (may be the same day).
    pub other_day: NaiveDate,
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SwapDecision {
    pub approve: bool,
    #[serde(default)]
    pub opinion: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SwapDto {
    pub id: String,
    pub staff_id: String,
    pub name: String,
    pub day: NaiveDate,
    pub other_staff_id: String,
    pub other_name: String,
    pub other_day: NaiveDate,
    pub reason: String,
    pub status: String,
    pub status_label: String,
    pub opinion: String,
    pub created_at: DateTime<Utc>,
}

fn dto(s: swap::Model, staff: &[directory::Staff]) -> SwapDto {
    let name = |id: &str| {
        staff
            .iter()
            .find(|s| s.id.as_str() == id)
            .map(|s| format!("{} {}", s.employee_no, s.name))
            .unwrap_or_default()
    };
    SwapDto {
        name: name(&s.staff_id),
        other_name: name(&s.other_staff_id),
        status_label: govhall_platform::api::label(STATUSES, &s.status).into(),
        id: s.id,
        staff_id: s.staff_id,
        day: s.day,
        other_staff_id: s.other_staff_id,
        other_day: s.other_day,
        reason: s.reason,
        status: s.status,
        opinion: s.opinion,
        created_at: s.created_at,
    }
}

fn changed(s: &swap::Model) -> SwapChanged {
    SwapChanged {
        swap_id: s.id.clone(),
        staff_id: s.staff_id.clone(),
        day: s.day,
        other_staff_id: s.other_staff_id.clone(),
        other_day: s.other_day,
        status: s.status.clone(),
    }
}

/// The hall's swaps (`status` filters) or those involving one person, newest first.
pub async fn list(
    state: &AppState,
    hall_id: &str,
    status: Option<&str>,
    staff_id: Option<&str>,
) -> AppResult<Vec<SwapDto>> {
    let mut q = swap::Entity::find().filter(swap::Column::HallId.eq(hall_id));
    if let Some(s) = status.filter(|s| !s.is_empty()) {
        q = q.filter(swap::Column::Status.eq(s));
    }
    if let Some(s) = staff_id {
        q = q.filter(
            sea_orm::Condition::any()
                .add(swap::Column::StaffId.eq(s))
                .add(swap::Column::OtherStaffId.eq(s)),
        );
    }
    let rows = q
        .order_by_desc(swap::Column::CreatedAt)
        .all(&state.db)
        .await
        .db_err()?;
    let staff = directory::hall_staff(&state.db, hall_id).await?;
    Ok(rows.into_iter().map(|s| dto(s, &staff)).collect())
}

/// Checks that the swap still makes sense on the plan: both days ahead,
/// both employed, not on leave, and something actually changes hands.
async fn check_plan(
    state: &AppState,
    hall_id: &str,
    staff: &[directory::Staff],
    s: (&str, NaiveDate, &str, NaiveDate),
) -> AppResult<()> {
    let (me, day, other, other_day) = s;
    let today = time::today();
    let mut ch = Checker::new();
    ch.check(day > today, "day", "只能调换明天及以后的班");
    ch.check(other_day > today, "other_day", "只能调换明天及以后的班");
    ch.check(
        staff.iter().any(|x| x.id.as_str() == other) && other != me,
        "other_staff_id",
        "换班对象须是本大厅的另一位人员",
    );
    ch.finish()?;
    let (from, to) = (day.min(other_day), day.max(other_day));
    let book = roster::load(state, hall_id, staff, from, to).await?;
    let leave = super::sheet::leave_days(state, hall_id, from, to).await?;
    let mut ch = Checker::new();
    for (who, d, field) in [
        (me, day, "day"),
        (other, day, "day"),
        (me, other_day, "other_day"),
        (other, other_day, "other_day"),
    ] {
        ch.check(
            book.employed(who, d),
            field,
            format!("{d} 有一方不在任职期间"),
        );
        ch.check(
            !leave.contains_key(&(who.to_string(), d)),
            field,
            format!("{d} 有一方在请假，不能换班"),
        );
    }
    ch.check(
        book.code(me, day) != book.code(other, day)
            || book.code(me, other_day) != book.code(other, other_day),
        "other_day",
        "两人这两天的班次相同，换班不会改变什么",
    );
    ch.check(
        book.code(me, day) != REST,
        "day",
        format!("{day} 您本来就休息，没有班可换"),
    );
    ch.finish()
}

/// Asks to swap; the colleague and the days are checked against the plan now.
pub async fn request(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    staff_id: &str,
    input: &SwapInput,
) -> AppResult<SwapDto> {
    let mut ch = Checker::new();
    let reason = ch.text("reason", "换班事由", &input.reason, 200);
    ch.finish()?;
    let staff = directory::hall_staff(&state.db, hall_id).await?;
    check_plan(
        state,
        hall_id,
        &staff,
        (staff_id, input.day, &input.other_staff_id, input.other_day),
    )
    .await?;
    let txn = begin_write(&state.db).await.db_err()?;
    let row = swap::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall_id.to_string()),
        staff_id: Set(staff_id.to_string()),
        day: Set(input.day),
        other_staff_id: Set(input.other_staff_id.clone()),
        other_day: Set(input.other_day),
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
    let ev = events::SWAP_REQUESTED.event(Some(hall_id), &changed(&row));
    commit_with(state, txn, actor, vec![ev]).await?;
    Ok(dto(row, &staff))
}

/// Approves (the roster is rewritten for both) or rejects a pending swap.
pub async fn decide(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    id: &str,
    decision: &SwapDecision,
) -> AppResult<SwapDto> {
    let opinion = super::decision_opinion(decision.approve, &decision.opinion)?;
    let row = swap::Entity::find_by_id(id.to_string())
        .filter(swap::Column::HallId.eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("换班申请"))?;
    if row.status != "pending" {
        return Err(AppError::Conflict {
            message: "该换班申请已审批过".into(),
            fields: vec![],
        });
    }
    let staff = directory::hall_staff(&state.db, hall_id).await?;
    let mut entries = Vec::new();
    if decision.approve {
        let s = (
            row.staff_id.as_str(),
            row.day,
            row.other_staff_id.as_str(),
            row.other_day,
        );
        check_plan(state, hall_id, &staff, s).await?;
        let (from, to) = (row.day.min(row.other_day), row.day.max(row.other_day));
        let book = roster::load(state, hall_id, &staff, from, to).await?;
        let (me, other) = (row.staff_id.clone(), row.other_staff_id.clone());
        let entry = |staff_id: &str, day, code: &str| roster::RosterEntry {
            staff_id: staff_id.to_string(),
            day,
            shift_code: code.to_string(),
        };
        // Both days change hands whole: on each, each takes the other's plan.
        let days = if row.day == row.other_day {
            vec![row.day]
        } else {
            vec![row.day, row.other_day]
        };
        for d in days {
            entries.push(entry(&me, d, book.code(&other, d)));
            entries.push(entry(&other, d, book.code(&me, d)));
        }
    }
    let txn = begin_write(&state.db).await.db_err()?;
    let mut a = row.into_active_model();
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
    let mut evs = vec![events::SWAP_DECIDED.event(Some(hall_id), &changed(&row))];
    if !entries.is_empty() {
        let by = actor.id.clone().unwrap_or_else(|| "system".into());
        roster::write(&txn, &by, hall_id, &entries).await?;
        evs.push(events::ROSTER_SET.event(
            Some(hall_id),
            &events::RosterSet {
                days: entries.len(),
                from: row.day.min(row.other_day),
                to: row.day.max(row.other_day),
            },
        ));
    }
    commit_with(state, txn, actor, evs).await?;
    Ok(dto(row, &staff))
}

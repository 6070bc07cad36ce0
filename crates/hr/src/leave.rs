//! 请假: a member of staff asks (type, dates, reason); the length is counted
//! in working days or calendar days as the type says; a request overlapping
//! another or longer than what is left is refused; a member of a 班组 asks
//! the 组长 first, then the manager approves or rejects; the person may
//! withdraw (销假). On a day of approved leave the
//! counter refuses the person's sign-in at a window.

use crate::entity::{leave_request, leave_type, profile};
use crate::events::{LEAVE_DECIDED, LEAVE_REQUESTED, LeaveChanged};
use crate::leave_types;
use chrono::{Datelike, NaiveDate, Utc};
use futures::future::BoxFuture;
use govhall_directory::{service as directory, window_sessions::SignInAttempt};
use govhall_kernel::{
    AppError, calendar::WorkCalendar, error::AppResult, new_id, validate::Checker,
};
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write},
    events::{Actor, commit_with},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

const STATUSES: &[(&str, &str)] = &[
    ("pending_leader", "待组长审批"),
    ("pending", "待审批"),
    ("approved", "已批准"),
    ("rejected", "未批准"),
    ("cancelled", "已销假"),
];

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct LeaveInput {
    pub type_code: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct LeaveDecision {
    pub approve: bool,
    #[serde(default)]
    pub opinion: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LeaveDto {
    pub id: String,
    pub staff_id: String,
    pub employee_no: String,
    pub name: String,
    pub type_code: String,
    pub type_name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub days: i32,
    pub reason: String,
    pub status: String,
    pub status_label: String,
    pub decided_by: Option<String>,
    pub opinion: String,
    pub created_at: chrono::DateTime<Utc>,
}

/// What is left of a type with a quota this year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LeaveBalance {
    pub type_code: String,
    pub type_name: String,
    /// Days a year (or per occasion for `per_event`).
    pub entitled: i32,
    /// Approved and waiting days this year.
    pub used: i32,
    pub remaining: i32,
    /// How the entitlement was found (e.g. 累计工作 12 年).
    pub basis: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyLeave {
    pub balances: Vec<LeaveBalance>,
    pub requests: Vec<LeaveDto>,
}

/// 年休假 days by full years worked by `on` (职工带薪年休假条例 第三条).
pub fn annual_days(work_started: NaiveDate, on: NaiveDate) -> (i32, i32) {
    let mut years = on.year() - work_started.year();
    if (on.month(), on.day()) < (work_started.month(), work_started.day()) {
        years -= 1;
    }
    let days = match years {
        y if y < 1 => 0,
        y if y < 10 => 5,
        y if y < 20 => 10,
        _ => 15,
    };
    (years.max(0), days)
}

/// The days a request takes: working days (the national calendar with its
/// 调休) or calendar days, both ends included.
pub(crate) fn length(
    cal: &WorkCalendar,
    t: &leave_type::Model,
    from: NaiveDate,
    to: NaiveDate,
) -> i32 {
    if t.working_days {
        from.pred_opt()
            .map_or(0, |before| cal.working_days_between(before, to) as i32)
    } else {
        (to - from).num_days() as i32 + 1
    }
}

fn status_label(s: &str) -> &'static str {
    STATUSES
        .iter()
        .find(|(c, _)| *c == s)
        .map_or("", |(_, l)| l)
}

fn dto(
    state: &AppState,
    r: leave_request::Model,
    staff: &[directory::Staff],
    types: &[leave_type::Model],
) -> LeaveDto {
    let who = staff.iter().find(|s| s.id.as_str() == r.staff_id);
    LeaveDto {
        employee_no: who.map(|s| s.employee_no.clone()).unwrap_or_default(),
        name: who.map(|s| s.name.clone()).unwrap_or_default(),
        type_name: types
            .iter()
            .find(|t| t.code == r.type_code)
            .map(|t| t.name.clone())
            .unwrap_or_else(|| r.type_code.clone()),
        reason: state.pii.decrypt(&r.reason_enc).unwrap_or_default(),
        status_label: status_label(&r.status).into(),
        id: r.id,
        staff_id: r.staff_id,
        type_code: r.type_code,
        starts_on: r.starts_on,
        ends_on: r.ends_on,
        days: r.days,
        status: r.status,
        decided_by: r.decided_by,
        opinion: r.opinion,
        created_at: r.created_at,
    }
}

async fn live_requests<C: ConnectionTrait>(
    db: &C,
    staff_id: &str,
) -> AppResult<Vec<leave_request::Model>> {
    leave_request::Entity::find()
        .filter(leave_request::Column::StaffId.eq(staff_id))
        .filter(leave_request::Column::Status.is_in(["pending_leader", "pending", "approved"]))
        .all(db)
        .await
        .db_err()
}

/// The entitlement of a type with a quota in `year`, and how it was found.
async fn entitlement(
    state: &AppState,
    staff_id: &str,
    t: &leave_type::Model,
    on: NaiveDate,
) -> AppResult<Option<(i32, String)>> {
    Ok(match t.rule.as_str() {
        "seniority" => {
            let p = profile::Entity::find_by_id(staff_id.to_string())
                .one(&state.db)
                .await
                .db_err()?;
            let started = p.as_ref().and_then(|p| p.work_started_on.or(p.hired_on));
            Some(match started {
                Some(d) => {
                    let (years, days) = annual_days(d, on);
                    (days, format!("累计工作 {years} 年（自 {d} 起）"))
                }
                None => (0, "人事档案未登记参加工作日期".into()),
            })
        }
        "per_year" => Some((t.days, format!("每年 {} 天", t.days))),
        "per_event" => Some((t.days, format!("每次 {} 天", t.days))),
        _ => None,
    })
}

fn used_in_year(live: &[leave_request::Model], code: &str, year: i32, except: Option<&str>) -> i32 {
    live.iter()
        .filter(|r| {
            r.type_code == code && r.starts_on.year() == year && Some(r.id.as_str()) != except
        })
        .map(|r| r.days)
        .sum()
}

/// My balances this year and my requests, newest first.
pub async fn mine(state: &AppState, hall_id: &str, staff_id: &str) -> AppResult<MyLeave> {
    let types = leave_types::rows(state, hall_id).await?;
    let today = govhall_kernel::time::today();
    let live = live_requests(&state.db, staff_id).await?;
    let mut balances = Vec::new();
    for t in &types {
        let Some((entitled, basis)) = entitlement(state, staff_id, t, today).await? else {
            continue;
        };
        if t.rule == "per_event" {
            continue;
        }
        let used = used_in_year(&live, &t.code, today.year(), None);
        balances.push(LeaveBalance {
            type_code: t.code.clone(),
            type_name: t.name.clone(),
            entitled,
            used,
            remaining: (entitled - used).max(0),
            basis,
        });
    }
    let staff = directory::staff_by_ids(&state.db, &[staff_id.to_string()]).await?;
    let requests = leave_request::Entity::find()
        .filter(leave_request::Column::StaffId.eq(staff_id))
        .order_by_desc(leave_request::Column::StartsOn)
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .map(|r| dto(state, r, &staff, &types))
        .collect();
    Ok(MyLeave { balances, requests })
}

/// Asks for leave: the type must exist, the dates be in order and free of
/// other requests, and the length within what is left.
pub async fn request(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    staff_id: &str,
    input: &LeaveInput,
) -> AppResult<LeaveDto> {
    let types = leave_types::rows(state, hall_id).await?;
    let cal = govhall_directory::calendar::load(state).await?;
    let closed = crate::payroll::closed_through(state, hall_id).await?;
    let mut ch = Checker::new();
    crate::payroll::check_open(&mut ch, closed, "starts_on", input.starts_on);
    let t = types.iter().find(|t| t.code == input.type_code);
    ch.check(t.is_some(), "type_code", "请假类型不存在");
    let reason = ch.text("reason", "请假事由", &input.reason, 200);
    let ordered = input.ends_on >= input.starts_on;
    ch.check(ordered, "ends_on", "结束日期不能早于开始日期");
    ch.check(
        input.starts_on.year() == input.ends_on.year(),
        "ends_on",
        "跨年的请假请按年度分两次申请",
    );
    let within_a_year = (input.ends_on - input.starts_on).num_days() < 366;
    ch.check(within_a_year, "ends_on", "一次请假不超过一年");
    // Read before the transaction: a handler holding one must not wait for a second connection.
    let quota = match t {
        Some(t) => entitlement(state, staff_id, t, input.starts_on).await?,
        None => None,
    };
    // A member of a group asks their 组长 first.
    let first_step = match crate::groups::leader_of(&state.db, staff_id).await? {
        Some(_) => "pending_leader",
        None => "pending",
    };
    let txn = begin_write(&state.db).await.db_err()?;
    let live = live_requests(&txn, staff_id).await?;
    let mut days = 0;
    // Days are counted only for a range already known to be short: a
    // request to the year 9999 must not walk the calendar day by day.
    if let (Some(t), true) = (t, ordered && within_a_year) {
        days = length(&cal, t, input.starts_on, input.ends_on);
        ch.check(days > 0, "ends_on", "所选日期内没有需要请假的工作日");
        if let Some(other) = live
            .iter()
            .find(|r| r.starts_on <= input.ends_on && input.starts_on <= r.ends_on)
        {
            ch.fail(
                "starts_on",
                format!(
                    "与已有的请假（{} 至 {}，{}）日期重叠",
                    other.starts_on,
                    other.ends_on,
                    status_label(&other.status)
                ),
            );
        }
        if let Some((entitled, basis)) = quota {
            let used = if t.rule == "per_event" {
                0
            } else {
                used_in_year(&live, &t.code, input.starts_on.year(), None)
            };
            let left = (entitled - used).max(0);
            ch.check(
                days <= left,
                "ends_on",
                format!(
                    "{}余额不足：本次 {days} 天，可用 {left} 天（{basis}，已用或待批 {used} 天）",
                    t.name
                ),
            );
        }
    }
    ch.finish()?;
    let row = leave_request::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall_id.to_string()),
        staff_id: Set(staff_id.to_string()),
        type_code: Set(input.type_code.clone()),
        starts_on: Set(input.starts_on),
        ends_on: Set(input.ends_on),
        days: Set(days),
        reason_enc: Set(state.pii.encrypt(&reason)),
        status: Set(first_step.into()),
        decided_by: Set(None),
        decided_at: Set(None),
        opinion: Set(String::new()),
        created_at: Set(Utc::now()),
    }
    .insert(&txn)
    .await
    .db_err()?;
    let ev = LEAVE_REQUESTED.event(Some(hall_id), &changed(&row));
    commit_with(state, txn, actor, vec![ev]).await?;
    let staff = directory::staff_by_ids(&state.db, &[staff_id.to_string()]).await?;
    Ok(dto(state, row, &staff, &types))
}

fn changed(r: &leave_request::Model) -> LeaveChanged {
    LeaveChanged {
        request_id: r.id.clone(),
        staff_id: r.staff_id.clone(),
        type_code: r.type_code.clone(),
        starts_on: r.starts_on,
        ends_on: r.ends_on,
        days: r.days,
        status: r.status.clone(),
    }
}

/// The hall's requests, the waiting ones first, then by date.
pub async fn list(state: &AppState, hall_id: &str) -> AppResult<Vec<LeaveDto>> {
    let types = leave_types::rows(state, hall_id).await?;
    let staff = directory::hall_staff(&state.db, hall_id).await?;
    let mut rows: Vec<LeaveDto> = leave_request::Entity::find()
        .filter(leave_request::Column::HallId.eq(hall_id))
        .order_by_desc(leave_request::Column::StartsOn)
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .map(|r| dto(state, r, &staff, &types))
        .collect();
    rows.sort_by_key(|r| r.status != "pending");
    Ok(rows)
}

/// The requests of a 组长's members, those waiting for the 组长 first.
pub async fn of_group(
    state: &AppState,
    hall_id: &str,
    members: &[String],
) -> AppResult<Vec<LeaveDto>> {
    let types = leave_types::rows(state, hall_id).await?;
    let staff = directory::staff_by_ids(&state.db, members).await?;
    let mut rows: Vec<LeaveDto> = leave_request::Entity::find()
        .filter(leave_request::Column::HallId.eq(hall_id))
        .filter(leave_request::Column::StaffId.is_in(members.iter().cloned()))
        .order_by_desc(leave_request::Column::StartsOn)
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .map(|r| dto(state, r, &staff, &types))
        .collect();
    rows.sort_by_key(|r| r.status != "pending_leader");
    Ok(rows)
}

/// The 组长 agrees (the request goes on to the manager) or refuses.
pub async fn decide_as_leader(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    leader: &str,
    id: &str,
    input: &LeaveDecision,
) -> AppResult<LeaveDto> {
    let r = find(state, hall_id, id).await?;
    if crate::groups::leader_of(&state.db, &r.staff_id)
        .await?
        .as_deref()
        != Some(leader)
    {
        return Err(AppError::Forbidden("只能审批本班组组员的请假".into()));
    }
    let mut ch = Checker::new();
    ch.optional_text("opinion", "审批意见", Some(&input.opinion), 200);
    ch.check(
        input.approve || !input.opinion.trim().is_empty(),
        "opinion",
        "不同意时须写明理由",
    );
    ch.check(
        r.status == "pending_leader",
        "status",
        format!("该申请{}，组长不能再审批", status_label(&r.status)),
    );
    ch.finish()?;
    let next = if input.approve { "pending" } else { "rejected" };
    set_status(state, actor, hall_id, r, next, input.opinion.trim()).await
}

async fn find(state: &AppState, hall_id: &str, id: &str) -> AppResult<leave_request::Model> {
    leave_request::Entity::find_by_id(id.to_string())
        .filter(leave_request::Column::HallId.eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("请假申请"))
}

/// The manager approves or rejects a waiting request.
pub async fn decide(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    id: &str,
    input: &LeaveDecision,
) -> AppResult<LeaveDto> {
    let r = find(state, hall_id, id).await?;
    let closed = crate::payroll::closed_through(state, hall_id).await?;
    let mut ch = Checker::new();
    ch.optional_text("opinion", "审批意见", Some(&input.opinion), 200);
    ch.check(
        input.approve || !input.opinion.trim().is_empty(),
        "opinion",
        "不批准时须写明理由",
    );
    if input.approve {
        crate::payroll::check_open(&mut ch, closed, "starts_on", r.starts_on);
    }
    ch.check(
        r.status == "pending",
        "status",
        if r.status == "pending_leader" {
            "该申请须先由组长审批".to_string()
        } else {
            format!("该申请{}，不能再审批", status_label(&r.status))
        },
    );
    ch.finish()?;
    set_status(
        state,
        actor,
        hall_id,
        r,
        if input.approve {
            "approved"
        } else {
            "rejected"
        },
        input.opinion.trim(),
    )
    .await
}

/// The person withdraws a waiting request or ends an approved one (销假).
pub async fn cancel(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    staff_id: &str,
    id: &str,
) -> AppResult<LeaveDto> {
    let r = find(state, hall_id, id).await?;
    if r.staff_id != staff_id {
        return Err(AppError::not_found("请假申请"));
    }
    if !matches!(r.status.as_str(), "pending_leader" | "pending" | "approved") {
        return Err(AppError::field(
            "status",
            format!("该申请{}，不能销假", status_label(&r.status)),
        ));
    }
    set_status(state, actor, hall_id, r, "cancelled", "").await
}

async fn set_status(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    r: leave_request::Model,
    status: &str,
    opinion: &str,
) -> AppResult<LeaveDto> {
    let txn = begin_write(&state.db).await.db_err()?;
    let was = r.status.clone();
    let mut a = r.into_active_model();
    a.status = Set(status.into());
    a.opinion = Set(opinion.into());
    if status != "cancelled" {
        a.decided_by = Set(Some(actor.name.clone()));
        a.decided_at = Set(Some(Utc::now()));
    }
    // Only from the status read: a second decision racing this one changes nothing.
    let changed_rows = leave_request::Entity::update_many()
        .set(a.clone())
        .filter(leave_request::Column::Id.eq(a.id.clone().unwrap()))
        .filter(leave_request::Column::Status.eq(&was))
        .exec(&txn)
        .await
        .db_err()?;
    if changed_rows.rows_affected == 0 {
        return Err(AppError::field("status", "该申请刚刚已被处理，请刷新"));
    }
    let row = leave_request::Entity::find_by_id(a.id.unwrap())
        .one(&txn)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("请假申请"))?;
    let ev = LEAVE_DECIDED.event(Some(hall_id), &changed(&row));
    commit_with(state, txn, actor, vec![ev]).await?;
    let types = leave_types::rows(state, hall_id).await?;
    let staff = directory::staff_by_ids(&state.db, std::slice::from_ref(&row.staff_id)).await?;
    Ok(dto(state, row, &staff, &types))
}

/// The counter's check at sign-in: nobody signs in at a window on a day of
/// their approved leave.
pub fn sign_in_check<'a>(
    state: &'a AppState,
    at: &'a SignInAttempt,
) -> BoxFuture<'a, AppResult<()>> {
    let staff_id = at.staff_id.as_str();
    Box::pin(async move {
        let today = govhall_kernel::time::today();
        let on_leave = leave_request::Entity::find()
            .filter(leave_request::Column::StaffId.eq(staff_id))
            .filter(leave_request::Column::Status.eq("approved"))
            .filter(leave_request::Column::StartsOn.lte(today))
            .filter(leave_request::Column::EndsOn.gte(today))
            .one(&state.db)
            .await
            .db_err()?;
        match on_leave {
            Some(r) => {
                let span = if r.starts_on == r.ends_on {
                    r.starts_on.to_string()
                } else {
                    format!("{} 至 {}", r.starts_on, r.ends_on)
                };
                Err(AppError::Conflict {
                    message: format!(
                        "今天在已批准的请假期间（{span}），不能签到上岗；如需提前返岗，请先在手机上销假"
                    ),
                    fields: vec![],
                })
            }
            None => Ok(()),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// 职工带薪年休假条例 第三条 at its edges: a full year gives 5 days, ten 10, twenty 15.
    #[test]
    fn annual_leave_by_years_worked() {
        let start = day(2006, 7, 1);
        assert_eq!(annual_days(start, day(2007, 6, 30)), (0, 0));
        assert_eq!(annual_days(start, day(2007, 7, 1)), (1, 5));
        assert_eq!(annual_days(start, day(2016, 6, 30)), (9, 5));
        assert_eq!(annual_days(start, day(2016, 7, 1)), (10, 10));
        assert_eq!(annual_days(start, day(2026, 7, 1)), (20, 15));
    }

    proptest! {
        /// More years never give fewer days.
        #[test]
        fn annual_leave_never_shrinks_with_time(a in 0i64..20_000, b in 0i64..20_000) {
            let start = day(1980, 1, 1);
            let (early, late) = (a.min(b), a.max(b));
            let d1 = annual_days(start, start + chrono::Duration::days(early)).1;
            let d2 = annual_days(start, start + chrono::Duration::days(late)).1;
            prop_assert!(d1 <= d2);
        }
    }
}

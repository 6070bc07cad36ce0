//! 劳动合同: each member of staff's contracts — 固定期限, 无固定期限, 以完成一定
//! 工作任务为期限, or a 劳务协议 — with the term, the probation the law allows
//! (劳动合同法 第十九条), renewals, termination and its reason; the report of
//! contracts ending soon; reminders 60 and 30 days ahead (an event each,
//! once).

use crate::entity::contract;
use crate::events::{CONTRACT_EXPIRING, ContractExpiring};
use chrono::{Datelike, NaiveDate, Utc};
use govhall_directory::service as directory;
use govhall_kernel::{AppError, error::AppResult, new_id, validate::Checker};
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write},
    events::{Actor, commit_with},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, sea_query::Expr,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const KINDS: &[(&str, &str)] = &[
    ("fixed", "固定期限劳动合同"),
    ("open_ended", "无固定期限劳动合同"),
    ("task", "以完成一定工作任务为期限的劳动合同"),
    ("service", "劳务协议"),
];

/// Days ahead of the end at which a reminder is given, furthest first.
pub const REMIND_DAYS: [i32; 2] = [60, 30];

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ContractInput {
    pub staff_id: String,
    /// 合同编号.
    pub number: String,
    /// `fixed`, `open_ended`, `task` or `service`.
    pub kind: String,
    pub signed_on: NaiveDate,
    pub starts_on: NaiveDate,
    /// Required for a fixed term and a 劳务协议; none for open-ended.
    #[serde(default)]
    pub ends_on: Option<NaiveDate>,
    #[serde(default)]
    pub probation_months: i32,
    /// The contract this one renews (续签).
    #[serde(default)]
    pub renews_id: Option<String>,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct TerminationInput {
    pub terminated_on: NaiveDate,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContractDto {
    pub id: String,
    pub staff_id: String,
    pub employee_no: String,
    pub name: String,
    pub number: String,
    pub kind: String,
    pub kind_label: String,
    pub signed_on: NaiveDate,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub probation_months: i32,
    pub probation_ends_on: Option<NaiveDate>,
    pub renews_id: Option<String>,
    /// A later contract renews this one.
    pub renewed: bool,
    pub terminated_on: Option<NaiveDate>,
    pub termination_reason: String,
    pub note: String,
    /// `pending` (未生效), `probation` (试用期), `active` (履行中), `expired` (已到期), `terminated` (已解除).
    pub status: String,
    pub status_label: String,
    /// Days until the end, for a contract in force with an end date.
    pub days_left: Option<i64>,
}

/// The longest probation 劳动合同法 第十九条 allows for a contract (months).
pub fn probation_limit(kind: &str, starts_on: NaiveDate, ends_on: Option<NaiveDate>) -> i32 {
    match (kind, ends_on) {
        ("open_ended", _) => 6,
        ("fixed", Some(end)) => {
            let term = months_between(starts_on, end);
            match term {
                t if t < 3 => 0,
                t if t < 12 => 1,
                t if t < 36 => 2,
                _ => 6,
            }
        }
        // 以完成一定工作任务为期限 and a term under three months: none; a
        // 劳务协议 is not a labour contract.
        _ => 0,
    }
}

/// Whole months from `start` to the day after `end` (a term 2026-01-01 to
/// 2026-12-31 is 12 months).
fn months_between(start: NaiveDate, end: NaiveDate) -> i32 {
    let after = end.succ_opt().unwrap_or(end);
    let mut months =
        (after.year() - start.year()) * 12 + after.month() as i32 - start.month() as i32;
    if after.day() < start.day() {
        months -= 1;
    }
    months
}

fn add_months(d: NaiveDate, months: i32) -> Option<NaiveDate> {
    d.checked_add_months(chrono::Months::new(months.max(0) as u32))
}

fn status_of(c: &contract::Model, today: NaiveDate) -> (&'static str, &'static str) {
    if c.terminated_on.is_some_and(|t| t <= today) {
        return ("terminated", "已解除");
    }
    if c.starts_on > today {
        return ("pending", "未生效");
    }
    if c.ends_on.is_some_and(|e| e < today) {
        return ("expired", "已到期");
    }
    let probation_end = add_months(c.starts_on, c.probation_months);
    if c.probation_months > 0 && probation_end.is_some_and(|p| p > today) {
        return ("probation", "试用期");
    }
    ("active", "履行中")
}

fn dto(
    c: contract::Model,
    staff: &[directory::Staff],
    all: &[contract::Model],
    today: NaiveDate,
) -> ContractDto {
    let who = staff.iter().find(|s| s.id.as_str() == c.staff_id);
    let (status, label) = status_of(&c, today);
    ContractDto {
        employee_no: who.map(|s| s.employee_no.clone()).unwrap_or_default(),
        name: who.map(|s| s.name.clone()).unwrap_or_default(),
        kind_label: KINDS
            .iter()
            .find(|(k, _)| *k == c.kind)
            .map_or("", |(_, l)| l)
            .into(),
        probation_ends_on: (c.probation_months > 0)
            .then(|| add_months(c.starts_on, c.probation_months).and_then(|d| d.pred_opt()))
            .flatten(),
        renewed: all
            .iter()
            .any(|o| o.renews_id.as_deref() == Some(c.id.as_str())),
        days_left: c
            .ends_on
            .filter(|_| matches!(status, "active" | "probation"))
            .map(|e| (e - today).num_days()),
        status: status.into(),
        status_label: label.into(),
        id: c.id,
        staff_id: c.staff_id,
        number: c.number,
        kind: c.kind,
        signed_on: c.signed_on,
        starts_on: c.starts_on,
        ends_on: c.ends_on,
        probation_months: c.probation_months,
        renews_id: c.renews_id,
        terminated_on: c.terminated_on,
        termination_reason: c.termination_reason,
        note: c.note,
    }
}

async fn rows(state: &AppState, hall_id: &str) -> AppResult<Vec<contract::Model>> {
    contract::Entity::find()
        .filter(contract::Column::HallId.eq(hall_id))
        .order_by_desc(contract::Column::StartsOn)
        .all(&state.db)
        .await
        .db_err()
}

/// The hall's contracts, newest first; `expiring_within` keeps those in
/// force that end within that many days and are not renewed (the report).
pub async fn list(
    state: &AppState,
    hall_id: &str,
    expiring_within: Option<i64>,
) -> AppResult<Vec<ContractDto>> {
    let all = rows(state, hall_id).await?;
    let staff = directory::hall_staff(&state.db, hall_id).await?;
    let today = govhall_kernel::time::today();
    let mut out: Vec<ContractDto> = all
        .iter()
        .cloned()
        .map(|c| dto(c, &staff, &all, today))
        .collect();
    if let Some(days) = expiring_within {
        out.retain(|c| !c.renewed && c.days_left.is_some_and(|d| (0..=days).contains(&d)));
        out.sort_by_key(|c| c.days_left);
    }
    Ok(out)
}

/// Whether a contract of `staff_id` is in force (or signed to start) on `day`.
pub async fn covers(state: &AppState, staff_id: &str, day: NaiveDate) -> AppResult<bool> {
    Ok(contract::Entity::find()
        .filter(contract::Column::StaffId.eq(staff_id))
        .all(&state.db)
        .await
        .db_err()?
        .iter()
        .any(|c| {
            c.starts_on <= day
                && c.ends_on.is_none_or(|e| e >= day)
                && c.terminated_on.is_none_or(|t| t > day)
        }))
}

/// Files a contract: the term in order, the probation within the law, no
/// overlap with the person's other contracts, a renewal after what it renews.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    input: &ContractInput,
) -> AppResult<ContractDto> {
    let mut ch = Checker::new();
    let number = ch.text("number", "合同编号", &input.number, 40);
    ch.one_of("kind", "合同类型", &input.kind, KINDS);
    ch.optional_text("note", "备注", Some(&input.note), 200);
    let staff = directory::staff_member(&state.db, &input.staff_id)
        .await?
        .filter(|s| s.hall_id.as_str() == hall_id);
    ch.check(staff.is_some(), "staff_id", "工作人员不存在或不属于本大厅");
    match (input.kind.as_str(), input.ends_on) {
        ("open_ended", Some(_)) => ch.fail("ends_on", "无固定期限劳动合同不填终止日期"),
        ("fixed" | "service", None) => ch.fail("ends_on", "固定期限合同和劳务协议须填写终止日期"),
        (_, Some(end)) if end <= input.starts_on => {
            ch.fail("ends_on", "合同终止日期须晚于起始日期")
        }
        _ => {}
    }
    ch.check(
        input.signed_on <= input.starts_on + chrono::Duration::days(30),
        "signed_on",
        "签订日期不能晚于起始日期 30 天以上（劳动合同法第十条：用工之日起一个月内订立）",
    );
    let limit = probation_limit(&input.kind, input.starts_on, input.ends_on);
    ch.check(
        (0..=limit).contains(&input.probation_months),
        "probation_months",
        if limit == 0 {
            "该合同不得约定试用期（劳动合同法第十九条）".to_string()
        } else {
            format!("该合同期限的试用期不得超过 {limit} 个月（劳动合同法第十九条）")
        },
    );
    let mine = contract::Entity::find()
        .filter(contract::Column::StaffId.eq(&input.staff_id))
        .all(&state.db)
        .await
        .db_err()?;
    let end = input.ends_on.unwrap_or(NaiveDate::MAX);
    if let Some(other) = mine.iter().find(|o| {
        let o_end = o
            .terminated_on
            .and_then(|t| t.pred_opt())
            .or(o.ends_on)
            .unwrap_or(NaiveDate::MAX);
        o.starts_on <= end && input.starts_on <= o_end
    }) {
        ch.fail(
            "starts_on",
            format!(
                "与该人员的合同 {}（{} 起）期间重叠",
                other.number, other.starts_on
            ),
        );
    }
    if let Some(r) = &input.renews_id {
        match mine.iter().find(|o| &o.id == r) {
            None => ch.fail("renews_id", "续签的原合同不是该人员的合同"),
            Some(o) if o.probation_months > 0 && input.probation_months > 0 => ch.fail(
                "probation_months",
                "同一用人单位与同一劳动者只能约定一次试用期（劳动合同法第十九条）",
            ),
            Some(_) => {}
        }
    }
    ch.finish()?;
    let row = contract::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall_id.to_string()),
        staff_id: Set(input.staff_id.clone()),
        number: Set(number),
        kind: Set(input.kind.clone()),
        signed_on: Set(input.signed_on),
        starts_on: Set(input.starts_on),
        ends_on: Set(input.ends_on),
        probation_months: Set(input.probation_months),
        renews_id: Set(input.renews_id.clone()),
        terminated_on: Set(None),
        termination_reason: Set(String::new()),
        note: Set(input.note.trim().to_string()),
        reminded: Set(0),
        created_by: Set(actor.name.clone()),
        created_at: Set(Utc::now()),
    }
    .insert(&state.db)
    .await
    .db_err()?;
    one(state, hall_id, &row.id).await
}

async fn one(state: &AppState, hall_id: &str, id: &str) -> AppResult<ContractDto> {
    list(state, hall_id, None)
        .await?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(|| AppError::not_found("劳动合同"))
}

/// 解除/终止: the date (not before the start) and the reason.
pub async fn terminate(
    state: &AppState,
    hall_id: &str,
    id: &str,
    input: &TerminationInput,
) -> AppResult<ContractDto> {
    let row = contract::Entity::find_by_id(id.to_string())
        .filter(contract::Column::HallId.eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("劳动合同"))?;
    let mut ch = Checker::new();
    let reason = ch.text("reason", "解除原因", &input.reason, 200);
    ch.check(
        input.terminated_on >= row.starts_on,
        "terminated_on",
        "解除日期不能早于合同起始日期",
    );
    ch.check(row.terminated_on.is_none(), "terminated_on", "该合同已解除");
    ch.finish()?;
    let mut a = row.into_active_model();
    a.terminated_on = Set(Some(input.terminated_on));
    a.termination_reason = Set(reason);
    a.update(&state.db).await.db_err()?;
    one(state, hall_id, id).await
}

/// Gives the 60- and 30-day reminders due on `today`, once each; answers how many.
pub async fn remind(state: &AppState, today: NaiveDate) -> AppResult<usize> {
    let open = contract::Entity::find()
        .filter(contract::Column::TerminatedOn.is_null())
        .filter(contract::Column::EndsOn.is_not_null())
        .filter(contract::Column::EndsOn.gte(today))
        .filter(contract::Column::Reminded.ne(REMIND_DAYS[REMIND_DAYS.len() - 1]))
        .all(&state.db)
        .await
        .db_err()?;
    let renewed: Vec<String> = contract::Entity::find()
        .filter(contract::Column::RenewsId.is_not_null())
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .filter_map(|c| c.renews_id)
        .collect();
    let mut given = 0;
    for c in open {
        let Some(end) = c.ends_on else { continue };
        let left = (end - today).num_days();
        let due = REMIND_DAYS
            .iter()
            .copied()
            .filter(|d| left <= i64::from(*d) && (c.reminded == 0 || *d < c.reminded))
            .min();
        let Some(days) = due else { continue };
        if renewed.contains(&c.id) {
            continue;
        }
        let txn = begin_write(&state.db).await.db_err()?;
        // Conditional: two servers sweeping at once remind once.
        let claimed = contract::Entity::update_many()
            .col_expr(contract::Column::Reminded, Expr::value(days))
            .filter(contract::Column::Id.eq(&c.id))
            .filter(contract::Column::Reminded.eq(c.reminded))
            .exec(&txn)
            .await
            .db_err()?;
        if claimed.rows_affected == 0 {
            continue;
        }
        let ev = CONTRACT_EXPIRING.event(
            Some(&c.hall_id),
            &ContractExpiring {
                contract_id: c.id.clone(),
                staff_id: c.staff_id.clone(),
                number: c.number.clone(),
                ends_on: end,
                days_ahead: days,
            },
        );
        commit_with(state, txn, &Actor::system(), vec![ev]).await?;
        given += 1;
    }
    Ok(given)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// 劳动合同法 第十九条 at its edges.
    #[test]
    fn probation_follows_the_term() {
        let start = d(2026, 1, 1);
        assert_eq!(probation_limit("fixed", start, Some(d(2026, 3, 30))), 0);
        assert_eq!(probation_limit("fixed", start, Some(d(2026, 3, 31))), 1);
        assert_eq!(probation_limit("fixed", start, Some(d(2026, 12, 30))), 1);
        assert_eq!(probation_limit("fixed", start, Some(d(2026, 12, 31))), 2);
        assert_eq!(probation_limit("fixed", start, Some(d(2028, 12, 30))), 2);
        assert_eq!(probation_limit("fixed", start, Some(d(2028, 12, 31))), 6);
        assert_eq!(probation_limit("open_ended", start, None), 6);
        assert_eq!(probation_limit("task", start, Some(d(2027, 1, 1))), 0);
        assert_eq!(probation_limit("service", start, Some(d(2030, 1, 1))), 0);
    }
}

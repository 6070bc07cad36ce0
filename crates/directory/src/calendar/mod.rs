//! The working-day calendar as data: the national holidays and 调休 make-up
//! days (the 系统管理员 keeps them, every hall and every legal deadline
//! follows them), and each hall's own days on top — opened on a rest day,
//! closed on a working day — which only that hall's own business (its
//! appointment days) follows. Rules live in `govhall_kernel::calendar`.

mod entity;
pub mod hall_days;
pub mod http;

use govhall_kernel::{
    calendar::{DayKind, SpecialDay, WorkCalendar},
    error::AppResult,
};
use govhall_platform::{AppState, cache::Cache, db::DbResultExt, state::CACHE_TTL};
use sea_orm::{EntityTrait, QueryOrder};
use std::sync::Arc;

/// The calendar as every deadline reads it, kept per process and dropped by
/// any `calendar.` event.
struct CalendarCache(Cache<WorkCalendar>);

pub(crate) fn register(state: &AppState) {
    state.insert_extension(Arc::new(CalendarCache(Cache::new(
        &state.bus,
        &["calendar."],
        CACHE_TTL,
    ))));
}

/// Loads the whole calendar (a few dozen rows a year) for computing deadlines,
/// from the per-process copy when no calendar change was published since it was read.
pub async fn load(state: &AppState) -> AppResult<WorkCalendar> {
    let cache = state
        .extension::<Arc<CalendarCache>>()
        .ok_or_else(|| govhall_kernel::AppError::internal("工作日历未启动"))?;
    if let Some(cal) = cache.0.get("") {
        return Ok(cal);
    }
    let ticket = cache.0.ticket();
    let cal = WorkCalendar::new(all_days(state).await?);
    cache.0.put(ticket, "", cal.clone());
    Ok(cal)
}

/// The calendar a hall's own business follows: the national one with the
/// hall's open and closed days laid over it.
pub async fn load_for_hall(state: &AppState, hall_id: &str) -> AppResult<WorkCalendar> {
    let cache = state
        .extension::<Arc<CalendarCache>>()
        .ok_or_else(|| govhall_kernel::AppError::internal("工作日历未启动"))?;
    if let Some(cal) = cache.0.get(hall_id) {
        return Ok(cal);
    }
    let ticket = cache.0.ticket();
    let mut days: std::collections::BTreeMap<_, _> = all_days(state)
        .await?
        .into_iter()
        .map(|d| (d.date, d))
        .collect();
    for d in hall_days::of_hall(state, hall_id, None).await? {
        days.insert(d.date, d.as_special_day());
    }
    let cal = WorkCalendar::new(days.into_values().collect::<Vec<_>>());
    cache.0.put(ticket, hall_id, cal.clone());
    Ok(cal)
}

/// 1 January to 31 December of `year`, for listing one year's dates.
pub(crate) fn year_range(year: i32) -> AppResult<(chrono::NaiveDate, chrono::NaiveDate)> {
    match (
        chrono::NaiveDate::from_ymd_opt(year, 1, 1),
        chrono::NaiveDate::from_ymd_opt(year, 12, 31),
    ) {
        (Some(first), Some(last)) => Ok((first, last)),
        _ => Err(govhall_kernel::AppError::field("year", "年份不正确")),
    }
}

/// The national schedule's listed dates.
pub async fn all_days(state: &AppState) -> AppResult<Vec<SpecialDay>> {
    use entity::national as entity;
    let rows = entity::Entity::find()
        .order_by_asc(entity::Column::Date)
        .all(&state.db)
        .await
        .db_err()?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(SpecialDay {
                date: r.date,
                kind: DayKind::parse(&r.kind)?,
                name: r.name,
            })
        })
        .collect())
}

//! The working-day calendar as data: holidays and 调休 make-up days,
//! administrator-editable and importable. Rules live in `govhall_kernel::calendar`.

mod entity;
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

pub async fn all_days(state: &AppState) -> AppResult<Vec<SpecialDay>> {
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

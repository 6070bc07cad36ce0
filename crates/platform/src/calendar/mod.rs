//! The working-day calendar as data: holidays and 调休 make-up days,
//! administrator-editable and importable. Rules live in `govhall_kernel::calendar`.

pub mod entity;
pub mod http;

use crate::{AppState, db::DbResultExt};
use govhall_kernel::{
    calendar::{DayKind, SpecialDay, WorkCalendar},
    error::AppResult,
};
use sea_orm::{EntityTrait, QueryOrder};

/// Loads the whole calendar (a few dozen rows a year) for computing deadlines.
/// The calendar, from the per-process copy when no calendar change was
/// published since it was read.
pub async fn load(state: &AppState) -> AppResult<WorkCalendar> {
    if let Some(cal) = state.calendar.get("") {
        return Ok(cal);
    }
    let ticket = state.calendar.ticket();
    let cal = WorkCalendar::new(all_days(state).await?);
    state.calendar.put(ticket, "", cal.clone());
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

//! Fact rows for other modules' rules: the performance module's 异常服务行为
//! findings read the same projected tickets, window days, ratings and cases
//! the figures are made of, one row per record, so a finding names the
//! ticket, the day or the case it rests on.

use crate::sql;
use chrono::NaiveDate;
use govhall_kernel::error::AppResult;
use govhall_platform::{AppState, db::DbResultExt};

/// One clerk's day at one window.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowDay {
    pub day: String,
    pub window_id: String,
    pub staff_id: String,
    pub signed_s: i64,
    pub paused_s: i64,
    pub serving_s: i64,
}

/// A ticket as the rules see it.
#[derive(Debug, Clone, PartialEq)]
pub struct TicketFact {
    pub id: String,
    pub number: String,
    pub line_id: String,
    pub day: String,
    pub window_id: Option<String>,
    pub staff_id: Option<String>,
    pub service_s: Option<i64>,
    pub outcome: String,
}

/// A rating at or below 不满意 (2 of 5), not found invalid on appeal.
#[derive(Debug, Clone, PartialEq)]
pub struct BadRating {
    pub id: String,
    pub number: String,
    pub day: String,
    pub staff_id: String,
    pub overall: i64,
}

/// A case past its promised date: decided late, or still open.
#[derive(Debug, Clone, PartialEq)]
pub struct OverdueCase {
    pub id: String,
    pub number: String,
    pub task_code: String,
    pub staff_id: String,
    pub due_on: String,
    pub decided_on: Option<String>,
}

/// A stretch of a window's day: `signed` in, `paused`, or `busy` with a
/// ticket (from its call until it left the window); unix seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowSpan {
    pub day: String,
    pub window_id: String,
    pub staff_id: String,
    pub kind: String,
    pub from_at: i64,
    pub to_at: i64,
}

/// A ticket's first wait: from issue to its first call; unix seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct Wait {
    pub ticket_id: String,
    pub number: String,
    pub line_id: String,
    pub day: String,
    pub from_at: i64,
    pub to_at: i64,
}

fn day_range(from: NaiveDate, to: NaiveDate) -> Vec<sea_orm::Value> {
    vec![from.to_string().into(), to.to_string().into()]
}

pub async fn window_days(
    state: &AppState,
    hall_id: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<WindowDay>> {
    let mut values = vec![hall_id.into()];
    values.extend(day_range(from, to));
    let rows = sql::rows(
        &state.read,
        "SELECT day, window_id, staff_id, signed_s, paused_s, serving_s FROM analytics_window_days \
         WHERE hall_id = $1 AND day BETWEEN $2 AND $3 AND staff_id IS NOT NULL ORDER BY day",
        values,
    )
    .await
    .db_err()?;
    Ok(rows
        .iter()
        .map(|r| WindowDay {
            day: sql::string(r, "day").unwrap_or_default(),
            window_id: sql::string(r, "window_id").unwrap_or_default(),
            staff_id: sql::string(r, "staff_id").unwrap_or_default(),
            signed_s: sql::int(r, "signed_s").unwrap_or(0),
            paused_s: sql::int(r, "paused_s").unwrap_or(0),
            serving_s: sql::int(r, "serving_s").unwrap_or(0),
        })
        .collect())
}

/// The tickets of `from..=to` that were called (served or not).
pub async fn called_tickets(
    state: &AppState,
    hall_id: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<TicketFact>> {
    let mut values = vec![hall_id.into()];
    values.extend(day_range(from, to));
    let rows = sql::rows(
        &state.read,
        "SELECT id, number, line_id, day, window_id, staff_id, service_s, outcome FROM analytics_tickets \
         WHERE hall_id = $1 AND day BETWEEN $2 AND $3 AND called = 1 ORDER BY issued_at",
        values,
    )
    .await
    .db_err()?;
    Ok(rows
        .iter()
        .map(|r| TicketFact {
            id: sql::string(r, "id").unwrap_or_default(),
            number: sql::string(r, "number").unwrap_or_default(),
            line_id: sql::string(r, "line_id").unwrap_or_default(),
            day: sql::string(r, "day").unwrap_or_default(),
            window_id: sql::string(r, "window_id"),
            staff_id: sql::string(r, "staff_id"),
            service_s: sql::int(r, "service_s"),
            outcome: sql::string(r, "outcome").unwrap_or_default(),
        })
        .collect())
}

pub async fn bad_ratings(
    state: &AppState,
    hall_id: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<BadRating>> {
    let mut values = vec![hall_id.into()];
    values.extend(day_range(from, to));
    let rows = sql::rows(
        &state.read,
        "SELECT id, number, day, staff_id, overall FROM analytics_ratings \
         WHERE hall_id = $1 AND day BETWEEN $2 AND $3 AND overall <= 2 AND invalidated = 0 AND staff_id IS NOT NULL ORDER BY day",
        values,
    )
    .await
    .db_err()?;
    Ok(rows
        .iter()
        .map(|r| BadRating {
            id: sql::string(r, "id").unwrap_or_default(),
            number: sql::string(r, "number").unwrap_or_default(),
            day: sql::string(r, "day").unwrap_or_default(),
            staff_id: sql::string(r, "staff_id").unwrap_or_default(),
            overall: sql::int(r, "overall").unwrap_or(0),
        })
        .collect())
}

/// Cases whose promised date falls in `from..=to` and were decided after
/// it, or are still open past it on `today`.
pub async fn overdue_cases(
    state: &AppState,
    hall_id: &str,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> AppResult<Vec<OverdueCase>> {
    let mut values = vec![hall_id.into()];
    values.extend(day_range(from, to));
    values.push(today.to_string().into());
    let rows = sql::rows(
        &state.read,
        "SELECT id, number, task_code, staff_id, due_on, d_day FROM analytics_cases \
         WHERE hall_id = $1 AND due_on BETWEEN $2 AND $3 AND staff_id IS NOT NULL \
         AND ((d_day IS NOT NULL AND d_day > due_on) OR (d_day IS NULL AND closed = 0 AND due_on < $4)) \
         ORDER BY due_on",
        values,
    )
    .await
    .db_err()?;
    Ok(rows
        .iter()
        .map(|r| OverdueCase {
            id: sql::string(r, "id").unwrap_or_default(),
            number: sql::string(r, "number").unwrap_or_default(),
            task_code: sql::string(r, "task_code").unwrap_or_default(),
            staff_id: sql::string(r, "staff_id").unwrap_or_default(),
            due_on: sql::string(r, "due_on").unwrap_or_default(),
            decided_on: sql::string(r, "d_day"),
        })
        .collect())
}

pub async fn window_spans(
    state: &AppState,
    hall_id: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<WindowSpan>> {
    let mut values = vec![hall_id.into()];
    values.extend(day_range(from, to));
    let rows = sql::rows(
        &state.read,
        "SELECT day, window_id, staff_id, kind, from_at, to_at FROM analytics_window_spans \
         WHERE hall_id = $1 AND day BETWEEN $2 AND $3 ORDER BY from_at",
        values,
    )
    .await
    .db_err()?;
    Ok(rows
        .iter()
        .map(|r| WindowSpan {
            day: sql::string(r, "day").unwrap_or_default(),
            window_id: sql::string(r, "window_id").unwrap_or_default(),
            staff_id: sql::string(r, "staff_id").unwrap_or_default(),
            kind: sql::string(r, "kind").unwrap_or_default(),
            from_at: sql::int(r, "from_at").unwrap_or(0),
            to_at: sql::int(r, "to_at").unwrap_or(0),
        })
        .collect())
}

/// The waits of `from..=to` that ended in a call, of tickets any window of
/// their line could have called all along. Left out, so that no window is
/// blamed for a wait it could not end: a ticket never called (the citizen
/// left, the day closed: no known end), an appointment (not callable before
/// its slot), a transferred ticket (its first wait was on another line).
pub async fn waits(
    state: &AppState,
    hall_id: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<Wait>> {
    let mut values = vec![hall_id.into()];
    values.extend(day_range(from, to));
    let rows = sql::rows(
        &state.read,
        "SELECT id, number, line_id, day, issued_at, first_called_at FROM analytics_tickets \
         WHERE hall_id = $1 AND day BETWEEN $2 AND $3 AND first_called_at IS NOT NULL \
         AND appointment_id IS NULL AND transfers = 0 ORDER BY issued_at",
        values,
    )
    .await
    .db_err()?;
    Ok(rows
        .iter()
        .map(|r| Wait {
            ticket_id: sql::string(r, "id").unwrap_or_default(),
            number: sql::string(r, "number").unwrap_or_default(),
            line_id: sql::string(r, "line_id").unwrap_or_default(),
            day: sql::string(r, "day").unwrap_or_default(),
            from_at: sql::int(r, "issued_at").unwrap_or(0),
            to_at: sql::int(r, "first_called_at").unwrap_or(0),
        })
        .collect())
}

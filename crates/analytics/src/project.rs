//! The projection: each event of the log, applied once and in order, updates
//! the fact tables. It reads only the events' typed payloads (and the
//! platform's account list, to name the staff member behind an actor), so the
//! same log always gives the same facts: on a live server, after a restart,
//! and after a rebuild from scratch.

use crate::sql::{self, exec, text};
use chrono::{DateTime, Datelike, Duration, Timelike, Utc};
use govhall_platform::events::StoredEvent;
use sea_orm::{ConnectionTrait, DbErr, Value};
use std::collections::{BTreeSet, HashMap};

/// Day, Monday of the week and hour of `at` on the hall's clock.
pub fn when(at: DateTime<Utc>) -> (String, String, i64) {
    let local = govhall_kernel::time::local(at);
    let date = local.date_naive();
    let monday = date - Duration::days(i64::from(date.weekday().num_days_from_monday()));
    (
        date.format("%Y-%m-%d").to_string(),
        monday.format("%Y-%m-%d").to_string(),
        i64::from(local.hour()),
    )
}

/// What the projection remembers while it applies a batch.
#[derive(Default)]
pub struct Context {
    /// Account id → the directory's staff member behind it.
    staff_of_user: HashMap<String, Option<String>>,
    /// The month of today (`YYYY-MM`), once asked.
    this_month: Option<String>,
    /// (hall, closed month, fact table or `*`) whose facts this batch changed:
    /// the month cube's entries to forget.
    pub touched: BTreeSet<(String, String, &'static str)>,
}

impl Context {
    /// Notes a change to `table`'s facts of `day` (`*`: any table) when that
    /// day lies in a closed month — the only months the cube holds.
    pub(crate) fn touch(&mut self, hall: &str, day: &str, table: &'static str) {
        let now = self
            .this_month
            .get_or_insert_with(|| govhall_kernel::time::today().format("%Y-%m").to_string());
        let month = day.get(..7).unwrap_or(day);
        if month < now.as_str() {
            self.touched
                .insert((hall.to_string(), month.to_string(), table));
        }
    }

    /// The staff member behind the account that caused `ev` (the clerk who
    /// called, finished, received …); falls back to the account itself so a
    /// clerk without a directory entry is still counted apart.
    pub(crate) async fn staff<C: ConnectionTrait>(
        &mut self,
        conn: &C,
        ev: &StoredEvent,
    ) -> Result<Option<String>, DbErr> {
        let Some(user) = ev.actor_id.clone() else {
            return Ok(None);
        };
        if !self.staff_of_user.contains_key(&user) {
            let found =
                govhall_platform::auth::service::accounts(conn, std::slice::from_ref(&user))
                    .await
                    .map_err(|e| DbErr::Custom(e.to_string()))?;
            let staff = found.get(&user).and_then(|a| a.staff_id.clone());
            self.staff_of_user.insert(user.clone(), staff);
        }
        Ok(self.staff_of_user[&user]
            .clone()
            .or(Some(format!("user:{user}"))))
    }

    /// The account → staff of an account id (window sign-ins name the account).
    async fn staff_of<C: ConnectionTrait>(
        &mut self,
        conn: &C,
        user: &str,
    ) -> Result<String, DbErr> {
        let ev = StoredEvent {
            seq: 0,
            id: String::new(),
            hall_id: None,
            event_type: String::new(),
            actor_id: Some(user.to_string()),
            actor_name: String::new(),
            occurred_at: Utc::now(),
            payload: serde_json::Value::Null,
            summary: String::new(),
        };
        Ok(self.staff(conn, &ev).await?.unwrap_or_default())
    }
}

/// A window's area and department as last described by the directory's events.
async fn placement<C: ConnectionTrait>(
    conn: &C,
    window: Option<&str>,
) -> Result<(Value, Value), DbErr> {
    let Some(window) = window else {
        return Ok((text(None), text(None)));
    };
    let row = sql::one(
        conn,
        "SELECT area_id, department_id FROM analytics_windows WHERE id = $1",
        vec![window.into()],
    )
    .await?;
    Ok(match row {
        Some(r) => (
            text(sql::string(&r, "area_id").as_deref()),
            text(sql::string(&r, "department_id").as_deref()),
        ),
        None => (text(None), text(None)),
    })
}

fn s<'a>(p: &'a serde_json::Value, key: &str) -> Option<&'a str> {
    p.get(key).and_then(|v| v.as_str())
}

fn i(p: &serde_json::Value, key: &str) -> Option<i64> {
    p.get(key).and_then(|v| v.as_i64())
}

/// Applies one event to the facts. Events the analytics do not read are ignored.
pub async fn apply<C: ConnectionTrait>(
    conn: &C,
    cx: &mut Context,
    ev: &StoredEvent,
) -> Result<(), DbErr> {
    let Some(hall) = ev.hall_id.as_deref() else {
        return Ok(());
    };
    let p = &ev.payload;
    let at = ev.occurred_at.timestamp();
    let (day, week, hour) = when(ev.occurred_at);
    // Facts inserted on the event's day (history written for past days).
    cx.touch(hall, &day, "*");
    let t = ev.event_type.as_str();
    match t {
        "directory.window.created" | "directory.window.updated" => {
            let id = s(p, "id").unwrap_or_default();
            label(
                conn,
                "window",
                id,
                &format!(
                    "{} {}",
                    s(p, "code").unwrap_or(""),
                    s(p, "name").unwrap_or("")
                ),
            )
            .await?;
            exec(
                conn,
                "INSERT INTO analytics_windows (id, hall_id, area_id, department_id) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (id) DO UPDATE SET area_id = excluded.area_id, department_id = excluded.department_id",
                vec![id.into(), hall.into(), text(s(p, "area_id")), text(s(p, "department_id"))],
            )
            .await?;
        }
        "directory.area.created" | "directory.area.updated" => {
            let name = match s(p, "floor") {
                Some(f) if !f.is_empty() => format!("{}（{f}）", s(p, "name").unwrap_or("")),
                _ => s(p, "name").unwrap_or("").to_string(),
            };
            label(conn, "area", s(p, "id").unwrap_or(""), &name).await?;
        }
        "directory.department.created" | "directory.department.updated" => {
            label(
                conn,
                "department",
                s(p, "id").unwrap_or(""),
                s(p, "name").unwrap_or(""),
            )
            .await?;
        }
        "directory.staff.created" | "directory.staff.updated" => {
            let name = format!(
                "{}（{}）",
                s(p, "name").unwrap_or(""),
                s(p, "employee_no").unwrap_or("")
            );
            label(conn, "staff", s(p, "id").unwrap_or(""), &name).await?;
        }
        "queue.line.created" | "queue.line.updated" => {
            let name = format!(
                "{} {}",
                s(p, "prefix").unwrap_or(""),
                s(p, "name").unwrap_or("")
            );
            label(conn, "line", s(p, "id").unwrap_or(""), &name).await?;
        }
        "catalog.bundle.created" | "catalog.bundle.updated" => {
            label(
                conn,
                "bundle",
                s(p, "code").unwrap_or(""),
                s(p, "name").unwrap_or(""),
            )
            .await?;
        }
        "queue.ticket.issued" => {
            exec(
                conn,
                "INSERT INTO analytics_tickets (id, hall_id, number, line_id, channel, class, appointment_id, issued_at, \
                 day, week, hour, outcome) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'waiting') \
                 ON CONFLICT (id) DO NOTHING",
                vec![
                    s(p, "ticket_id").into(),
                    hall.into(),
                    s(p, "number").into(),
                    s(p, "line_id").into(),
                    s(p, "channel").into(),
                    s(p, "class").into(),
                    text(s(p, "appointment_id")),
                    at.into(),
                    day.into(),
                    week.into(),
                    hour.into(),
                ],
            )
            .await?;
            if let Some(appt) = s(p, "appointment_id") {
                update(
                    conn,
                    cx,
                    "analytics_appointments",
                    "UPDATE analytics_appointments SET checked_in = 1 WHERE id = $1",
                    vec![appt.into()],
                )
                .await?;
            }
        }
        "queue.ticket.called" => {
            let window = s(p, "window_id");
            let (area, dept) = placement(conn, window).await?;
            let staff = cx.staff(conn, ev).await?;
            update(
                conn,
                cx,
                "analytics_tickets",
                "UPDATE analytics_tickets SET called = 1, first_called_at = COALESCE(first_called_at, $2), \
                 wait_s = COALESCE(wait_s, $2 - issued_at), window_id = $3, staff_id = $4, area_id = $5, \
                 department_id = $6, outcome = 'called' WHERE id = $1",
                vec![s(p, "ticket_id").into(), at.into(), text(window), text(staff.as_deref()), area, dept],
            )
            .await?;
            start_busy(
                conn,
                window.unwrap_or(""),
                s(p, "ticket_id").unwrap_or(""),
                at,
            )
            .await?;
        }
        "queue.ticket.started" | "queue.ticket.resumed" => {
            update(
                conn,
                cx,
                "analytics_tickets",
                "UPDATE analytics_tickets SET started_at = $2, outcome = 'serving' WHERE id = $1",
                vec![s(p, "ticket_id").into(), at.into()],
            )
            .await?;
            start_busy(
                conn,
                s(p, "window_id").unwrap_or(""),
                s(p, "ticket_id").unwrap_or(""),
                at,
            )
            .await?;
        }
        "queue.ticket.finished" => {
            end_busy_with(conn, s(p, "ticket_id").unwrap_or(""), at).await?;
            finish_ticket(conn, cx, ev, hall, at, &day, &week).await?
        }
        "queue.ticket.no_show" => {
            end_busy_with(conn, s(p, "ticket_id").unwrap_or(""), at).await?;
            let requeued = p.get("requeued").and_then(|v| v.as_bool()).unwrap_or(false);
            let sql = if requeued {
                "UPDATE analytics_tickets SET outcome = 'waiting' WHERE id = $1"
            } else {
                "UPDATE analytics_tickets SET no_show = 1, outcome = 'no_show' WHERE id = $1"
            };
            update(
                conn,
                cx,
                "analytics_tickets",
                sql,
                vec![s(p, "ticket_id").into()],
            )
            .await?;
        }
        "queue.ticket.transferred" => {
            end_busy_with(conn, s(p, "ticket_id").unwrap_or(""), at).await?;
            update(
                conn,
                cx,
                "analytics_tickets",
                "UPDATE analytics_tickets SET transfers = transfers + 1, outcome = 'waiting', \
                 line_id = COALESCE($2, line_id) WHERE id = $1",
                vec![s(p, "ticket_id").into(), text(s(p, "to_line"))],
            )
            .await?;
        }
        "queue.ticket.parked" => {
            end_busy_with(conn, s(p, "ticket_id").unwrap_or(""), at).await?;
            update(
                conn,
                cx,
                "analytics_tickets",
                "UPDATE analytics_tickets SET outcome = 'parked' WHERE id = $1",
                vec![s(p, "ticket_id").into()],
            )
            .await?;
        }
        "queue.ticket.cancelled" => {
            end_busy_with(conn, s(p, "ticket_id").unwrap_or(""), at).await?;
            update(
                conn,
                cx,
                "analytics_tickets",
                "UPDATE analytics_tickets SET outcome = 'cancelled' WHERE id = $1",
                vec![s(p, "ticket_id").into()],
            )
            .await?;
        }
        "queue.day.closed" => {
            for id in p
                .get("ticket_ids")
                .and_then(|v| v.as_array())
                .into_iter()
                .flatten()
            {
                if let Some(id) = id.as_str() {
                    update(
                        conn,
                        cx,
                        "analytics_tickets",
                        "UPDATE analytics_tickets SET outcome = 'voided' WHERE id = $1 AND outcome <> 'done'",
                        vec![id.into()],
                    )
                    .await?;
                }
            }
        }
        "queue.appointment.booked" => {
            let from = s(p, "from").unwrap_or("00:00");
            let h: i64 = from.get(0..2).and_then(|h| h.parse().ok()).unwrap_or(0);
            let aday = s(p, "day").unwrap_or(&day).to_string();
            let aweek = chrono::NaiveDate::parse_from_str(&aday, "%Y-%m-%d")
                .map(|d| {
                    (d - Duration::days(i64::from(d.weekday().num_days_from_monday())))
                        .format("%Y-%m-%d")
                        .to_string()
                })
                .unwrap_or_else(|_| week.clone());
            exec(
                conn,
                "INSERT INTO analytics_appointments (id, hall_id, line_id, day, week, hour) VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (id) DO NOTHING",
                vec![s(p, "appointment_id").into(), hall.into(), s(p, "line_id").into(), aday.into(), aweek.into(), h.into()],
            )
            .await?;
        }
        "queue.appointment.cancelled" => {
            update(
                conn,
                cx,
                "analytics_appointments",
                "UPDATE analytics_appointments SET cancelled = 1 WHERE id = $1",
                vec![s(p, "appointment_id").into()],
            )
            .await?;
        }
        "queue.rating.recorded" => {
            let window = s(p, "window_id");
            let (area, dept) = placement(conn, window).await?;
            let task = match s(p, "case_id") {
                Some(case) => sql::one(
                    conn,
                    "SELECT task_code FROM analytics_cases WHERE id = $1",
                    vec![case.into()],
                )
                .await?
                .and_then(|r| sql::string(&r, "task_code")),
                None => None,
            };
            exec(
                conn,
                "INSERT INTO analytics_ratings (id, hall_id, subject, number, channel, task_code, overall, day, week, hour, \
                 window_id, staff_id, area_id, department_id, efficiency, skill, attitude) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) \
                 ON CONFLICT (id) DO NOTHING",
                vec![
                    s(p, "rating_id").into(),
                    hall.into(),
                    s(p, "subject").into(),
                    s(p, "number").into(),
                    s(p, "channel").into(),
                    text(task.as_deref()),
                    i(p, "overall").unwrap_or(0).into(),
                    day.into(),
                    week.into(),
                    hour.into(),
                    text(window),
                    text(s(p, "staff_id")),
                    area,
                    dept,
                    Value::BigInt(i(p, "efficiency")),
                    Value::BigInt(i(p, "skill")),
                    Value::BigInt(i(p, "attitude")),
                ],
            )
            .await?;
        }
        "queue.rectification.opened" => {
            exec(
                conn,
                "INSERT INTO analytics_rectifications (id, hall_id, rating_id, due_day, status, day, week, hour, \
                 window_id, staff_id, area_id, department_id) \
                 SELECT $1, $2, $3, $4, 'pending', $5, $6, $7, window_id, staff_id, area_id, department_id \
                 FROM analytics_ratings WHERE id = $3 ON CONFLICT (id) DO NOTHING",
                vec![
                    s(p, "rectification_id").into(),
                    hall.into(),
                    s(p, "rating_id").into(),
                    s(p, "due_day").into(),
                    day.into(),
                    week.into(),
                    hour.into(),
                ],
            )
            .await?;
        }
        "queue.rectification.advanced" => {
            let to = s(p, "to").unwrap_or("");
            let closed = matches!(to, "closed" | "invalid").then(|| day.clone());
            update(
                conn,
                cx,
                "analytics_rectifications",
                "UPDATE analytics_rectifications SET status = $2, closed_day = $3 WHERE id = $1",
                vec![
                    s(p, "rectification_id").into(),
                    to.into(),
                    text(closed.as_deref()),
                ],
            )
            .await?;
            // 认定无效 on appeal: the 差评 stops counting against the clerk.
            if to == "invalid" {
                update(
                    conn,
                    cx,
                    "analytics_ratings",
                    "UPDATE analytics_ratings SET invalidated = 1 WHERE id = \
                     (SELECT rating_id FROM analytics_rectifications WHERE id = $1)",
                    vec![s(p, "rectification_id").into()],
                )
                .await?;
            }
        }
        "catalog.guidance.resolved" | "catalog.search.missed" => {
            let kind = if t.ends_with("resolved") {
                "resolved"
            } else {
                "missed"
            };
            exec(
                conn,
                "INSERT INTO analytics_guidance (id, hall_id, kind, task_code, day, week, hour) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                 ON CONFLICT (id) DO NOTHING",
                vec![ev.id.clone().into(), hall.into(), kind.into(), text(s(p, "task_code")), day.into(), week.into(), hour.into()],
            )
            .await?;
        }
        "cases.joint.received" => {
            let staff = cx.staff(conn, ev).await?;
            exec(
                conn,
                "INSERT INTO analytics_joint (id, hall_id, number, bundle_code, day, week, hour, staff_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING",
                vec![
                    s(p, "joint_id").into(),
                    hall.into(),
                    s(p, "number").into(),
                    s(p, "bundle_code").into(),
                    day.into(),
                    week.into(),
                    hour.into(),
                    text(staff.as_deref()),
                ],
            )
            .await?;
        }
        "directory.window.signed_in" => {
            let staff = cx.staff_of(conn, s(p, "user_id").unwrap_or("")).await?;
            close_span(conn, cx, s(p, "window_id").unwrap_or(""), at).await?;
            exec(
                conn,
                "INSERT INTO analytics_open_spans (window_id, hall_id, staff_id, since) VALUES ($1, $2, $3, $4)",
                vec![s(p, "window_id").into(), hall.into(), staff.into(), at.into()],
            )
            .await?;
        }
        "directory.window.signed_out" => {
            close_span(conn, cx, s(p, "window_id").unwrap_or(""), at).await?
        }
        "directory.window.paused" => {
            exec(
                conn,
                "UPDATE analytics_open_spans SET paused_since = COALESCE(paused_since, $2) WHERE window_id = $1",
                vec![s(p, "id").into(), at.into()],
            )
            .await?;
        }
        "directory.window.resumed" => end_pause(conn, cx, s(p, "id").unwrap_or(""), at).await?,
        _ if t.starts_with("cases.case.") => {
            crate::project_cases::apply(conn, cx, ev, hall).await?
        }
        _ => {}
    }
    Ok(())
}

/// Runs an UPDATE of one fact table and notes the days of the rows it changed
/// (a case decided in a later month than it was received …).
pub(crate) async fn update<C: ConnectionTrait>(
    conn: &C,
    cx: &mut Context,
    table: &'static str,
    statement: &str,
    values: Vec<Value>,
) -> Result<(), DbErr> {
    let changed = sql::rows(conn, &format!("{statement} RETURNING hall_id, day"), values).await?;
    for r in &changed {
        if let (Some(hall), Some(day)) = (sql::string(r, "hall_id"), sql::string(r, "day")) {
            cx.touch(&hall, &day, table);
        }
    }
    Ok(())
}

async fn label<C: ConnectionTrait>(
    conn: &C,
    kind: &str,
    id: &str,
    label: &str,
) -> Result<(), DbErr> {
    if id.is_empty() {
        return Ok(());
    }
    exec(
        conn,
        "INSERT INTO analytics_labels (kind, id, label) VALUES ($1, $2, $3) \
         ON CONFLICT (kind, id) DO UPDATE SET label = excluded.label",
        vec![kind.into(), id.into(), label.trim().into()],
    )
    .await
    .map(|_| ())
}

/// A matter's name, from the cases that name it.
pub(crate) async fn matter_label<C: ConnectionTrait>(
    conn: &C,
    code: &str,
    name: &str,
) -> Result<(), DbErr> {
    label(conn, "matter", code, name).await
}

async fn finish_ticket<C: ConnectionTrait>(
    conn: &C,
    cx: &mut Context,
    ev: &StoredEvent,
    hall: &str,
    at: i64,
    day: &str,
    week: &str,
) -> Result<(), DbErr> {
    let p = &ev.payload;
    let id = s(p, "ticket_id").unwrap_or("");
    let started = sql::one(
        conn,
        "SELECT started_at FROM analytics_tickets WHERE id = $1",
        vec![id.into()],
    )
    .await?
    .and_then(|r| sql::int(&r, "started_at"));
    let took = started.map_or(0, |st| (at - st).max(0));
    update(
        conn,
        cx,
        "analytics_tickets",
        "UPDATE analytics_tickets SET served = 1, outcome = 'done', service_s = COALESCE(service_s, 0) + $2, \
         started_at = NULL WHERE id = $1",
        vec![id.into(), took.into()],
    )
    .await?;
    let window = s(p, "window_id").unwrap_or("");
    let staff = cx.staff(conn, ev).await?.unwrap_or_default();
    add_window_time(conn, cx, hall, window, &staff, day, week, "serving_s", took).await
}

/// Adds `seconds` to one of a window-day's clocks (signed in, paused, serving).
#[allow(clippy::too_many_arguments)]
async fn add_window_time<C: ConnectionTrait>(
    conn: &C,
    cx: &mut Context,
    hall: &str,
    window: &str,
    staff: &str,
    day: &str,
    week: &str,
    clock: &'static str,
    seconds: i64,
) -> Result<(), DbErr> {
    if window.is_empty() || seconds <= 0 {
        return Ok(());
    }
    cx.touch(hall, day, "analytics_window_days");
    let (area, dept) = placement(conn, Some(window)).await?;
    // `clock` is one of three constants of this file, never request text.
    let sql = format!(
        "INSERT INTO analytics_window_days (hall_id, day, week, hour, window_id, staff_id, area_id, department_id, {clock}) \
         VALUES ($1, $2, $3, 0, $4, $5, $6, $7, $8) \
         ON CONFLICT (window_id, staff_id, day) DO UPDATE SET {clock} = analytics_window_days.{clock} + excluded.{clock}"
    );
    exec(
        conn,
        &sql,
        vec![
            hall.into(),
            day.into(),
            week.into(),
            window.into(),
            staff.into(),
            area,
            dept,
            seconds.into(),
        ],
    )
    .await
    .map(|_| ())
}

/// The open sign-in span of a window, if any.
async fn open_span<C: ConnectionTrait>(
    conn: &C,
    window: &str,
) -> Result<Option<(String, String, i64, Option<i64>)>, DbErr> {
    Ok(sql::one(
        conn,
        "SELECT hall_id, staff_id, since, paused_since FROM analytics_open_spans WHERE window_id = $1",
        vec![window.into()],
    )
    .await?
    .map(|r| {
        (
            sql::string(&r, "hall_id").unwrap_or_default(),
            sql::string(&r, "staff_id").unwrap_or_default(),
            sql::int(&r, "since").unwrap_or(0),
            sql::int(&r, "paused_since"),
        )
    }))
}

/// A pause ends: its time goes to the window-day of the sign-in.
async fn end_pause<C: ConnectionTrait>(
    conn: &C,
    cx: &mut Context,
    window: &str,
    at: i64,
) -> Result<(), DbErr> {
    let Some((hall, staff, since, Some(paused))) = open_span(conn, window).await? else {
        return Ok(());
    };
    let (day, week, _) = when(DateTime::from_timestamp(since, 0).unwrap_or_default());
    add_window_time(
        conn,
        cx,
        &hall,
        window,
        &staff,
        &day,
        &week,
        "paused_s",
        at - paused,
    )
    .await?;
    record_span(conn, &hall, window, &staff, "paused", paused, at).await?;
    exec(
        conn,
        "UPDATE analytics_open_spans SET paused_since = NULL WHERE window_id = $1",
        vec![window.into()],
    )
    .await?;
    Ok(())
}

/// A window is signed out (or signed in anew): its signed-in time is counted
/// to the day the span began.
async fn close_span<C: ConnectionTrait>(
    conn: &C,
    cx: &mut Context,
    window: &str,
    at: i64,
) -> Result<(), DbErr> {
    end_pause(conn, cx, window, at).await?;
    end_busy(conn, window, at).await?;
    let Some((hall, staff, since, _)) = open_span(conn, window).await? else {
        return Ok(());
    };
    record_span(conn, &hall, window, &staff, "signed", since, at).await?;
    let (day, week, _) = when(DateTime::from_timestamp(since, 0).unwrap_or_default());
    add_window_time(
        conn,
        cx,
        &hall,
        window,
        &staff,
        &day,
        &week,
        "signed_s",
        at - since,
    )
    .await?;
    exec(
        conn,
        "DELETE FROM analytics_open_spans WHERE window_id = $1",
        vec![window.into()],
    )
    .await?;
    Ok(())
}

/// One stretch of a window's day (signed in, paused, or busy with a
/// ticket), kept under the day it began.
async fn record_span<C: ConnectionTrait>(
    conn: &C,
    hall: &str,
    window: &str,
    staff: &str,
    kind: &str,
    from: i64,
    to: i64,
) -> Result<(), DbErr> {
    if to <= from || staff.is_empty() {
        return Ok(());
    }
    let (day, _, _) = when(DateTime::from_timestamp(from, 0).unwrap_or_default());
    exec(
        conn,
        "INSERT INTO analytics_window_spans (hall_id, day, window_id, staff_id, kind, from_at, to_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        vec![
            hall.into(),
            day.into(),
            window.into(),
            staff.into(),
            kind.into(),
            from.into(),
            to.into(),
        ],
    )
    .await
    .map(|_| ())
}

/// A signed-in window takes a ticket (called, started or resumed): busy from
/// now, unless already busy with that ticket; a ticket it held before is
/// let go at this moment.
async fn start_busy<C: ConnectionTrait>(
    conn: &C,
    window: &str,
    ticket: &str,
    at: i64,
) -> Result<(), DbErr> {
    let busy_with = sql::one(
        conn,
        "SELECT busy_ticket FROM analytics_open_spans WHERE window_id = $1",
        vec![window.into()],
    )
    .await?
    .and_then(|r| sql::string(&r, "busy_ticket"));
    if busy_with.as_deref() == Some(ticket) {
        return Ok(());
    }
    end_busy(conn, window, at).await?;
    exec(
        conn,
        "UPDATE analytics_open_spans SET busy_since = $2, busy_ticket = $3 WHERE window_id = $1",
        vec![window.into(), at.into(), ticket.into()],
    )
    .await
    .map(|_| ())
}

/// The window holding `ticket` lets it go (done, 过号, parked, transferred).
async fn end_busy_with<C: ConnectionTrait>(conn: &C, ticket: &str, at: i64) -> Result<(), DbErr> {
    let holder = sql::one(
        conn,
        "SELECT window_id FROM analytics_open_spans WHERE busy_ticket = $1",
        vec![ticket.into()],
    )
    .await?
    .and_then(|r| sql::string(&r, "window_id"));
    match holder {
        Some(window) => end_busy(conn, &window, at).await,
        None => Ok(()),
    }
}

async fn end_busy<C: ConnectionTrait>(conn: &C, window: &str, at: i64) -> Result<(), DbErr> {
    let Some(r) = sql::one(
        conn,
        "SELECT hall_id, staff_id, busy_since FROM analytics_open_spans WHERE window_id = $1 AND busy_since IS NOT NULL",
        vec![window.into()],
    )
    .await?
    else {
        return Ok(());
    };
    let (hall, staff) = (
        sql::string(&r, "hall_id").unwrap_or_default(),
        sql::string(&r, "staff_id").unwrap_or_default(),
    );
    let since = sql::int(&r, "busy_since").unwrap_or(at);
    record_span(conn, &hall, window, &staff, "busy", since, at).await?;
    exec(
        conn,
        "UPDATE analytics_open_spans SET busy_since = NULL, busy_ticket = NULL WHERE window_id = $1",
        vec![window.into()],
    )
    .await
    .map(|_| ())
}

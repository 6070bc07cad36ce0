//! The projection of the cases' events (`cases.case.*`) onto one fact row per case.

use crate::project::{Context, matter_label, when};
use crate::sql::{exec, text};
use govhall_platform::events::StoredEvent;
use sea_orm::{ConnectionTrait, DbErr};

pub async fn apply<C: ConnectionTrait>(
    conn: &C,
    cx: &mut Context,
    ev: &StoredEvent,
    hall: &str,
) -> Result<(), DbErr> {
    // Every `cases.case.*` event carries the same payload (`CaseEvent`).
    let Ok(c) = serde_json::from_value::<govhall_cases::events::CaseEvent>(ev.payload.clone())
    else {
        return Ok(());
    };
    let at = ev.occurred_at.timestamp();
    let kind = ev.event_type.trim_start_matches("cases.case.");
    let due = c.due_on.map(|d| d.format("%Y-%m-%d").to_string());
    if kind == "received" {
        matter_label(conn, &c.task_code, &c.item_name).await?;
        let (day, week, hour) = when(ev.occurred_at);
        let window = c.window_id.as_str();
        let area = crate::sql::one(
            conn,
            "SELECT area_id FROM analytics_windows WHERE id = $1",
            vec![window.into()],
        )
        .await?
        .and_then(|r| crate::sql::string(&r, "area_id"));
        let staff = cx.staff(conn, ev).await?;
        let channel = c
            .detail
            .get("source")
            .and_then(|v| v.as_str())
            .unwrap_or("窗口");
        exec(
            conn,
            "INSERT INTO analytics_cases (id, hall_id, number, task_code, channel, ticket_id, received_at, day, week, hour, \
             window_id, staff_id, area_id, department_id, stage, status) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) ON CONFLICT (id) DO NOTHING",
            vec![
                c.case_id.clone().into(),
                hall.into(),
                c.number.clone().into(),
                c.task_code.clone().into(),
                channel.into(),
                text(c.ticket_id.as_deref()),
                at.into(),
                day.into(),
                week.into(),
                hour.into(),
                window.into(),
                text(staff.as_deref()),
                text(area.as_deref()),
                text(c.department_id.as_deref()),
                c.stage.clone().into(),
                i64::from(c.status).into(),
            ],
        )
        .await?;
        return Ok(());
    }
    if matches!(kind, "correction_requested" | "request_correction") {
        correction_items(conn, ev, &c, hall).await?;
    }
    // 容缺: the materials the intake's outcome deferred (the other steps add none).
    let deferred = c
        .detail
        .get("materials_deferred")
        .and_then(|v| v.as_i64())
        .unwrap_or(0);
    // Each kind of step sets what it decides; all of them record the stage,
    // status and (possibly moved) due date after the change.
    let change = match kind {
        "accepted" | "accept" => "accepted = 1",
        "finished" => "accepted = 1, instant = 1",
        "correction_requested" | "request_correction" => "corrections = corrections + 1",
        "return_handover" => "returned = returned + 1",
        "refused" | "refuse" => "refused = 1, closed = 1",
        "withdraw" | "revoke" => "closed = 1",
        _ => "",
    };
    let decided = matches!(kind, "decide" | "finished");
    let mut sets = vec![
        "stage = $2",
        "status = $3",
        "due_on = COALESCE($4, due_on)",
        "deferred = deferred + $5",
    ];
    if !change.is_empty() {
        sets.push(change);
    }
    if decided {
        sets.push("decided_at = $6, d_day = $7, d_week = $8, d_hour = $9");
    }
    // The statement text is made of this function's constants only.
    let sql = format!(
        "UPDATE analytics_cases SET {} WHERE id = $1",
        sets.join(", ")
    );
    let (d_day, d_week, d_hour) = when(ev.occurred_at);
    let mut values = vec![
        c.case_id.clone().into(),
        c.stage.clone().into(),
        i64::from(c.status).into(),
        text(due.as_deref()),
        deferred.into(),
    ];
    if decided {
        values.extend([at.into(), d_day.into(), d_week.into(), d_hour.into()]);
    }
    crate::project::update(conn, cx, "analytics_cases", &sql, values).await
}

/// The items of a 一次性告知, one fact each, placed where the case is.
async fn correction_items<C: ConnectionTrait>(
    conn: &C,
    ev: &StoredEvent,
    c: &govhall_cases::events::CaseEvent,
    hall: &str,
) -> Result<(), DbErr> {
    let items = c
        .detail
        .get("correction_items")
        .and_then(|v| v.as_array())
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str())
        .map(str::trim)
        .filter(|i| !i.is_empty());
    let (day, week, hour) = when(ev.occurred_at);
    for (n, item) in items.enumerate() {
        exec(
            conn,
            "INSERT INTO analytics_correction_items (id, hall_id, case_id, task_code, item, day, week, hour, \
             window_id, staff_id, area_id, department_id) \
             SELECT $1, $2, $3, task_code, $4, $5, $6, $7, window_id, staff_id, area_id, department_id \
             FROM analytics_cases WHERE id = $3 ON CONFLICT (id) DO NOTHING",
            vec![
                format!("{}:{n}", ev.id).into(),
                hall.into(),
                c.case_id.clone().into(),
                item.into(),
                day.clone().into(),
                week.clone().into(),
                hour.into(),
            ],
        )
        .await?;
    }
    Ok(())
}

//! The queue's periodic reminders, once a minute while the server runs:
//! bookings an hour before their slot, and 差评 rectification tickets due
//! within a working day or overdue (to the hall's 中心管理员, once a day each).

use crate::entity::{rating, rectification};
use crate::ratings::RectStatus;
use crate::tickets::local_day;
use chrono::{NaiveDate, Utc};
use govhall_kernel::{AppError, error::AppResult};
use govhall_platform::{AppState, db::DbResultExt};
use sea_orm::EntityTrait;

/// Starts the reminders; they stop with the server.
pub fn spawn(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            tokio::select! {
                _ = state.shutdown.cancelled() => break,
                _ = tick.tick() => {}
            }
            if let Err(e) = crate::appointments::remind_due(&state).await {
                tracing::warn!(error = %e, "appointment reminders failed");
            }
            if let Err(e) = remind_rectifications(&state).await {
                tracing::warn!(error = %e, "rectification reminders failed");
            }
        }
    });
}

/// Texts each hall's 中心管理员 about rectification tickets due by the next
/// working day or overdue; one message per ticket, person and day.
pub async fn remind_rectifications(state: &AppState) -> AppResult<usize> {
    let calendar = govhall_directory::calendar::load(state).await?;
    let (day, _) = local_day(Utc::now());
    let today = NaiveDate::parse_from_str(&day, "%Y-%m-%d").map_err(AppError::internal)?;
    let next = calendar.add_working_days(today, 1);
    let open: Vec<rectification::Model> = rectification::Entity::find()
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .filter(|r| RectStatus::parse(&r.status).is_some_and(|s| !s.is_final()))
        .collect();
    let mut sent = 0;
    for r in open {
        let Ok(due) = NaiveDate::parse_from_str(&r.due_day, "%Y-%m-%d") else {
            continue;
        };
        if due > next {
            continue;
        }
        let Some(rated) = rating::Entity::find_by_id(r.rating_id.clone())
            .one(&state.db)
            .await
            .db_err()?
        else {
            continue;
        };
        let when = if due < today {
            format!("已于 {} 超期", r.due_day)
        } else {
            format!("将于 {} 到期", r.due_day)
        };
        let text = format!(
            "差评整改提醒：{} {} 号的差评整改单（{}）{when}，请登录管理后台处理。",
            rated.window_name,
            rated.number,
            RectStatus::parse(&r.status).map_or("", RectStatus::label)
        );
        let managers =
            govhall_directory::service::phones_of_position(state, &r.hall_id, "center_admin")
                .await?;
        for (m, phone) in managers {
            crate::notices::to_phone(
                &state.db,
                state,
                &r.hall_id,
                &phone,
                "rectification.reminder",
                serde_json::json!({"window": rated.window_name, "number": rated.number, "due": r.due_day}),
                text.clone(),
                format!("rect-remind:{}:{}:{day}", r.id, m.id),
                None,
            )
            .await?;
            sent += 1;
        }
    }
    Ok(sent)
}

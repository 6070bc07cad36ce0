//! Reminders of 差评 rectification tickets due within a working day or
//! overdue: a text to the hall's 中心管理员, once a day per ticket and person,
//! checked once a minute while the server runs.

use crate::entity::{rating, rectification};
use crate::rectification::RectStatus;
use chrono::NaiveDate;
use govhall_kernel::error::AppResult;
use govhall_notify::{Sms, enqueue_sms};
use govhall_platform::{AppState, db::DbResultExt};
use sea_orm::EntityTrait;

/// Starts the reminders; they stop with the server.
pub fn spawn(state: &AppState) {
    let minute = std::time::Duration::from_secs(60);
    govhall_platform::periodic::every(state, minute, "rectification reminders", |s| async move {
        remind(&s).await.map(|_| ())
    });
}

/// Texts each hall's 中心管理员 about rectification tickets due by the next
/// working day or overdue; one message per ticket, person and day.
pub async fn remind(state: &AppState) -> AppResult<usize> {
    let calendar = govhall_directory::calendar::load(state).await?;
    let today = govhall_kernel::time::today();
    let day = today.format("%Y-%m-%d").to_string();
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
            enqueue_sms(
                &state.db,
                state.pii.as_ref(),
                Sms {
                    hall_id: Some(&r.hall_id),
                    phone: &phone,
                    kind: "rectification.reminder",
                    params: serde_json::json!({"window": rated.window_name, "number": rated.number, "due": r.due_day}),
                    text: text.clone(),
                    dedupe_key: format!("rect-remind:{}:{}:{day}", r.id, m.id),
                    secret: None,
                },
            )
            .await?;
            sent += 1;
        }
    }
    Ok(sent)
}

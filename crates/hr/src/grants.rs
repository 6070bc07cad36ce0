//! 窗口授权: the windows a member of staff may sign in at. Someone with no
//! authorisation recorded signs in anywhere (as before this module); once a
//! list is set — at onboarding, or by the manager — the counter refuses the
//! other windows.

use crate::entity::window_grant;
use chrono::Utc;
use futures::future::BoxFuture;
use govhall_directory::{service as directory, window_sessions::SignInAttempt};
use govhall_kernel::{AppError, error::AppResult, validate::Checker};
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write},
};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// The windows `staff_id` may sign in at (empty: not restricted).
pub async fn of_staff<C: ConnectionTrait>(db: &C, staff_id: &str) -> AppResult<Vec<String>> {
    Ok(window_grant::Entity::find()
        .filter(window_grant::Column::StaffId.eq(staff_id))
        .all(db)
        .await
        .db_err()?
        .into_iter()
        .map(|g| g.window_id)
        .collect())
}

/// Checks that every window is the hall's; the problems go on `field`.
pub(crate) async fn check_windows(
    ch: &mut Checker,
    state: &AppState,
    hall_id: &str,
    field: &str,
    window_ids: &[String],
) -> AppResult<()> {
    let windows = directory::windows(&state.db, hall_id).await?;
    for id in window_ids {
        ch.check(
            windows.iter().any(|w| w.id.as_str() == id),
            field,
            "授权的窗口不存在或不属于本大厅",
        );
    }
    Ok(())
}

/// Replaces the windows a member of staff may sign in at.
pub async fn set(
    state: &AppState,
    granted_by: &str,
    hall_id: &str,
    staff_id: &str,
    window_ids: &[String],
) -> AppResult<Vec<String>> {
    let mut ch = Checker::new();
    check_windows(&mut ch, state, hall_id, "window_ids", window_ids).await?;
    ch.finish()?;
    let txn = begin_write(&state.db).await.db_err()?;
    window_grant::Entity::delete_many()
        .filter(window_grant::Column::StaffId.eq(staff_id))
        .exec(&txn)
        .await
        .db_err()?;
    let now = Utc::now();
    let rows: Vec<window_grant::ActiveModel> = window_ids
        .iter()
        .map(|w| window_grant::ActiveModel {
            staff_id: Set(staff_id.to_string()),
            window_id: Set(w.clone()),
            hall_id: Set(hall_id.to_string()),
            granted_by: Set(granted_by.to_string()),
            granted_at: Set(now),
        })
        .collect();
    if !rows.is_empty() {
        window_grant::Entity::insert_many(rows)
            .exec(&txn)
            .await
            .db_err()?;
    }
    txn.commit().await.db_err()?;
    of_staff(&state.db, staff_id).await
}

/// The counter's check: only at a window one is authorised for, when a list is set.
pub fn sign_in_check<'a>(
    state: &'a AppState,
    at: &'a SignInAttempt,
) -> BoxFuture<'a, AppResult<()>> {
    Box::pin(async move {
        let granted = of_staff(&state.db, &at.staff_id).await?;
        if granted.is_empty() || granted.contains(&at.window_id) {
            return Ok(());
        }
        Err(AppError::Conflict {
            message: format!(
                "您未获授权在{}上岗，请选择已授权的窗口或联系中心管理员",
                at.window_name
            ),
            fields: vec![],
        })
    })
}

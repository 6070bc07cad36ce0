//! Sign-in lockout (GB/T 22239 §8.1.4 登录失败处理): after too many failures an
//! account, or a source address, is locked for a while. Counted in the
//! database so every server instance sees the same counters.

use super::entity::login_throttle as row;
use crate::{AppState, db::DbResultExt};
use chrono::{Duration, Utc};
use govhall_kernel::{AppError, error::AppResult};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};

pub fn account_key(username: &str) -> String {
    format!("account:{}", username.trim().to_lowercase())
}

pub fn address_key(ip: &str) -> String {
    format!("address:{ip}")
}

/// Refuses when any of the keys is locked now.
pub async fn ensure_unlocked(state: &AppState, keys: &[String]) -> AppResult<()> {
    let now = Utc::now();
    for key in keys {
        if let Some(r) = row::Entity::find_by_id(key.clone())
            .one(&state.db)
            .await
            .db_err()?
            && let Some(until) = r.locked_until.filter(|u| *u > now)
        {
            let minutes = ((until - now).num_seconds() + 59) / 60;
            let what = if key.starts_with("account:") {
                "该账号"
            } else {
                "您所在的地址"
            };
            return Err(AppError::TooManyAttempts(format!(
                "登录失败次数过多，{what}已被锁定，请 {minutes} 分钟后再试或联系安全管理员"
            )));
        }
    }
    Ok(())
}

/// Counts a failure; at `threshold` the key is locked and the count starts over.
pub async fn record_failure(state: &AppState, key: String, threshold: i32) -> AppResult<()> {
    let now = Utc::now();
    let current = row::Entity::find_by_id(key.clone())
        .one(&state.db)
        .await
        .db_err()?;
    let failures = current.as_ref().map(|r| r.failures).unwrap_or(0) + 1;
    let (failures, locked_until) = if failures >= threshold {
        (
            0,
            Some(now + Duration::minutes(state.config.lockout_minutes)),
        )
    } else {
        (failures, current.as_ref().and_then(|r| r.locked_until))
    };
    let model = row::ActiveModel {
        key: Set(key),
        failures: Set(failures),
        locked_until: Set(locked_until),
        updated_at: Set(now),
    };
    if current.is_some() {
        model.update(&state.db).await.db_err()?;
    } else {
        model.insert(&state.db).await.db_err()?;
    }
    Ok(())
}

/// A successful sign-in clears the account's count (not the address's: one
/// clerk's success must not hide another's guessing from the same address).
pub async fn clear(state: &AppState, key: String) -> AppResult<()> {
    row::Entity::delete_by_id(key)
        .exec(&state.db)
        .await
        .db_err()?;
    Ok(())
}

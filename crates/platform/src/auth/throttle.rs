//! Sign-in lockout (GB/T 22239 §8.1.4 登录失败处理): after too many failures an
//! account, or a source address, is locked for a while; the same counters
//! guard a case's 查询密码 against guessing. Counted in the database so every
//! server instance sees the same counters.
//!
//! Every try is counted *before* its password is checked, in one statement
//! that also reads the lock: parallel tries each get their own number, and a
//! try numbered past the limit is refused unchecked. So however many requests
//! race, at most `limit` passwords or codes are ever evaluated per lock period.

use crate::{AppState, db::DbResultExt};
use chrono::{DateTime, Duration, Utc};
use govhall_kernel::{AppError, error::AppResult};
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement};

pub fn account_key(username: &str) -> String {
    format!("account:{}", username.trim().to_lowercase())
}

/// Lifts the lock and forgets the failures counted on `key` (a 安全管理员
/// unlocking an account); whether anything was counted.
pub async fn clear<C: ConnectionTrait>(conn: &C, key: &str) -> AppResult<bool> {
    let stmt = statement(
        conn.get_database_backend(),
        "DELETE FROM login_throttle WHERE key = $1",
        vec![key.into()],
    );
    Ok(conn.execute_raw(stmt).await.db_err()?.rows_affected() > 0)
}

/// The accounts (by `account_key`) locked now.
pub async fn locked_accounts(state: &AppState) -> AppResult<std::collections::HashSet<String>> {
    #[derive(FromQueryResult)]
    struct Row {
        key: String,
    }
    let stmt = statement(
        state.db.get_database_backend(),
        "SELECT key FROM login_throttle WHERE key LIKE 'account:%' AND locked_until > $1",
        vec![Utc::now().into()],
    );
    Ok(Row::find_by_statement(stmt)
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .map(|r| r.key)
        .collect())
}

pub fn address_key(ip: &str) -> String {
    format!("address:{ip}")
}

/// One counted key of a sign-in try.
struct Counted {
    key: String,
    /// This try's number among the failures since the last success or lock.
    number: i32,
    limit: i32,
}

/// A sign-in try in progress: counted as a failure until it is known to be one
/// or not.
pub struct Attempt {
    counted: Vec<Counted>,
}

#[derive(FromQueryResult)]
struct Counter {
    failures: i32,
    locked_until: Option<DateTime<Utc>>,
}

/// Writes `sql` with the backend's numbered placeholders (`$1` or `?1`).
fn statement(db: DbBackend, sql: &str, values: Vec<sea_orm::Value>) -> Statement {
    let sql = match db {
        DbBackend::Postgres => sql.to_string(),
        _ => sql.replace('$', "?"),
    };
    Statement::from_sql_and_values(db, sql, values)
}

/// Counts one more try on `key`, unless the key is locked (a lock that has
/// run out starts the count over); returns the count and any lock in force.
async fn count_try(state: &AppState, key: &str, now: DateTime<Utc>) -> AppResult<Counter> {
    let sql = "INSERT INTO login_throttle (key, failures, locked_until, updated_at) \
         VALUES ($1, 1, NULL, $2) \
         ON CONFLICT (key) DO UPDATE SET \
           failures = CASE \
             WHEN login_throttle.locked_until IS NULL THEN login_throttle.failures + 1 \
             WHEN login_throttle.locked_until > excluded.updated_at THEN login_throttle.failures \
             ELSE 1 END, \
           locked_until = CASE \
             WHEN login_throttle.locked_until > excluded.updated_at THEN login_throttle.locked_until \
             ELSE NULL END, \
           updated_at = excluded.updated_at \
         RETURNING failures, locked_until";
    let stmt = statement(
        state.db.get_database_backend(),
        sql,
        vec![key.into(), now.into()],
    );
    Counter::find_by_statement(stmt)
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::internal("login_throttle upsert returned no row"))
}

fn locked_error(key: &str, until: DateTime<Utc>, now: DateTime<Utc>) -> AppError {
    let minutes = ((until - now).num_seconds() + 59) / 60;
    let message = match key.split(':').next() {
        Some("account") => {
            format!("登录失败次数过多，该账号已被锁定，请 {minutes} 分钟后再试或联系安全管理员")
        }
        Some("case") => format!(
            "查询密码错误次数过多，该办件已暂停查询，请 {minutes} 分钟后再试，或携带身份证件到大厅窗口查询"
        ),
        Some("query-address") => {
            format!("查询失败次数过多，您所在的网络已暂停查询，请 {minutes} 分钟后再试")
        }
        _ => format!(
            "登录失败次数过多，您所在的地址已被锁定，请 {minutes} 分钟后再试或联系安全管理员"
        ),
    };
    AppError::TooManyAttempts(message)
}

/// Keys that count a source address rather than the thing tried.
fn is_address(key: &str) -> bool {
    key.starts_with("address:") || key.starts_with("query-address:")
}

/// The key counting wrong 查询密码 for one case (办件编号) of a hall.
pub fn case_key(hall_id: &str, number: &str) -> String {
    format!("case:{hall_id}:{}", number.trim())
}

/// The key counting wrong 查询密码 from one address, whatever the case.
pub fn query_address_key(ip: &str) -> String {
    format!("query-address:{ip}")
}

impl Attempt {
    /// Counts a try on every `(key, limit)`; refuses it, unchecked, when a
    /// key is locked or this try is past a key's limit.
    pub async fn begin(state: &AppState, keys: &[(String, i32)]) -> AppResult<Attempt> {
        let now = Utc::now();
        let mut attempt = Attempt {
            counted: Vec::new(),
        };
        for (key, limit) in keys {
            let counter = count_try(state, key, now).await?;
            if let Some(until) = counter.locked_until.filter(|u| *u > now) {
                return Err(locked_error(key, until, now));
            }
            attempt.counted.push(Counted {
                key: key.clone(),
                number: counter.failures,
                limit: *limit,
            });
            if counter.failures > *limit {
                // Earlier parallel tries are still being checked; one of them will lock.
                let until = now + Duration::minutes(state.config.lockout_minutes);
                return Err(locked_error(key, until, now));
            }
        }
        Ok(attempt)
    }

    /// The try failed: a key whose limit this try reached is locked, and its
    /// count starts over.
    pub async fn failed(self, state: &AppState) -> AppResult<()> {
        let until = Utc::now() + Duration::minutes(state.config.lockout_minutes);
        for c in self.counted.iter().filter(|c| c.number >= c.limit) {
            let stmt = statement(
                state.db.get_database_backend(),
                "UPDATE login_throttle SET failures = 0, locked_until = $1 WHERE key = $2",
                vec![until.into(), c.key.clone().into()],
            );
            state.db.execute_raw(stmt).await.db_err()?;
        }
        Ok(())
    }

    /// The password was right: the count of what was tried (the account, the
    /// case) starts over (a lock set meanwhile stays); the address's count
    /// takes this try back, so one clerk's success does not hide another's
    /// guessing from the same address.
    pub async fn succeeded(self, state: &AppState) -> AppResult<()> {
        for c in &self.counted {
            let sql = if is_address(&c.key) {
                "UPDATE login_throttle SET failures = failures - 1 WHERE key = $1 AND failures > 0"
            } else {
                "UPDATE login_throttle SET failures = 0 WHERE key = $1 AND locked_until IS NULL"
            };
            let stmt = statement(
                state.db.get_database_backend(),
                sql,
                vec![c.key.clone().into()],
            );
            state.db.execute_raw(stmt).await.db_err()?;
        }
        Ok(())
    }

    /// Neither success nor failure (the page now asks for the second factor):
    /// the try is taken back on every key.
    pub async fn withdrawn(self, state: &AppState) -> AppResult<()> {
        for c in &self.counted {
            let stmt = statement(
                state.db.get_database_backend(),
                "UPDATE login_throttle SET failures = failures - 1 WHERE key = $1 AND failures > 0",
                vec![c.key.clone().into()],
            );
            state.db.execute_raw(stmt).await.db_err()?;
        }
        Ok(())
    }
}

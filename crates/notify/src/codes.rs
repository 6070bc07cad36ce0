//! SMS verification codes (短信验证码): a citizen proves they hold a phone
//! before booking with it. Six digits, valid five minutes, one per minute,
//! five wrong tries void it; only a keyed hash (HMAC-SM3 with the
//! personal-data key) is kept, and the outbox holds the code encrypted until
//! it is sent. With `sms_provider = "demo"` no SMS leaves and the code is
//! handed back to the page that asked, for demonstrations and tests.

use super::entity::phone_code;
use chrono::Utc;
use govhall_kernel::{AppError, crypto::PiiCipher, error::AppResult, validate::is_mobile_phone};
use govhall_platform::{AppState, db::DbResultExt};
use rand::Rng;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait};
use std::{net::IpAddr, num::NonZeroU32, sync::Arc};

const VALID_MINUTES: i64 = 5;
const RESEND_SECONDS: i64 = 60;
const MAX_ATTEMPTS: i32 = 5;
/// Codes a hall sends per hour at most: the endpoint is public, and each SMS costs money.
const HALL_HOURLY_LIMIT: u64 = 600;
/// Codes one client address may ask for per hour (per server instance). Generous:
/// a hall's guest Wi-Fi or a carrier's NAT puts many citizens behind one address.
const ADDRESS_HOURLY_LIMIT: u32 = 30;

type AddressLimiter = governor::RateLimiter<
    IpAddr,
    governor::state::keyed::HashMapStateStore<IpAddr>,
    governor::clock::DefaultClock,
>;

/// This server's per-address limiter (kept among the state's extensions).
fn address_limiter(state: &AppState) -> Arc<AddressLimiter> {
    if let Some(l) = state.extension::<Arc<AddressLimiter>>() {
        return l;
    }
    let mut ext = state.extensions.write().expect("extensions lock");
    if let Some(l) = ext.get::<Arc<AddressLimiter>>() {
        return l.clone();
    }
    let per_hour = NonZeroU32::new(ADDRESS_HOURLY_LIMIT).expect("non-zero");
    let l = Arc::new(AddressLimiter::hashmap(governor::Quota::per_hour(per_hour)));
    ext.insert(l.clone());
    l
}

/// Keyed: a copy of the table does not give the codes away (six digits
/// hashed without a key are found by trying all million).
fn digest(pii: &dyn PiiCipher, phone_idx: &str, code: &str) -> String {
    pii.blind_index(&format!("code:{phone_idx}:{code}"))
}

/// Sends a fresh code to `phone` for `purpose` (e.g. `appointment`), through
/// the outbox; `client` is the requesting address, limited per hour.
/// Returns the code itself only in the `demo` SMS setting.
pub async fn send(
    state: &AppState,
    hall_id: Option<&str>,
    hall_name: &str,
    phone: &str,
    purpose: &str,
    client: Option<IpAddr>,
) -> AppResult<Option<String>> {
    if !is_mobile_phone(phone.trim()) {
        return Err(AppError::field("phone", "手机号须为 11 位中国大陆手机号"));
    }
    if let Some(ip) = client
        && address_limiter(state).check_key(&ip).is_err()
    {
        return Err(AppError::TooManyAttempts(
            "您所在的网络获取验证码过于频繁，请一小时后再试，或到大厅现场取号".into(),
        ));
    }
    let phone = phone.trim();
    let idx = state.pii.blind_index(phone);
    let now = Utc::now();
    let txn = govhall_platform::db::begin_write(&state.db)
        .await
        .db_err()?;
    let old = phone_code::Entity::find_by_id((idx.clone(), purpose.to_string()))
        .one(&txn)
        .await
        .db_err()?;
    if let Some(o) = &old {
        let wait = RESEND_SECONDS - (now - o.sent_at).num_seconds();
        if wait > 0 {
            return Err(AppError::Conflict {
                message: format!("验证码已发送，请 {wait} 秒后再获取"),
                fields: vec![],
            });
        }
    }
    if let Some(hall) = hall_id {
        let sent = super::sent_last_hour(&txn, hall, "verify_code").await?;
        if sent >= HALL_HOURLY_LIMIT {
            return Err(AppError::TooManyAttempts(
                "验证码发送过于频繁，请稍后再试，或到大厅现场取号".into(),
            ));
        }
    }
    let code = format!("{:06}", rand::rngs::OsRng.gen_range(0..1_000_000));
    let row = phone_code::ActiveModel {
        phone_idx: Set(idx.clone()),
        purpose: Set(purpose.into()),
        code_hash: Set(digest(state.pii.as_ref(), &idx, &code)),
        expires_at: Set(now + chrono::Duration::minutes(VALID_MINUTES)),
        attempts: Set(0),
        sent_at: Set(now),
    };
    if old.is_some() {
        row.update(&txn).await.db_err()?;
    } else {
        row.insert(&txn).await.db_err()?;
    }
    super::enqueue_sms(
        &txn,
        state.pii.as_ref(),
        super::Sms {
            hall_id,
            phone,
            kind: "verify_code",
            params: serde_json::json!({"code": code}),
            text: format!(
                "【{hall_name}】您的验证码为 {code}，{VALID_MINUTES} 分钟内有效。如非本人操作，请忽略本短信。"
            ),
            dedupe_key: format!("verify:{purpose}:{idx}:{}", now.timestamp_millis()),
            secret: Some(&code),
        },
    )
    .await?;
    txn.commit().await.db_err()?;
    Ok((state.config.sms_provider == "demo").then_some(code))
}

/// Checks the code (before the caller's transaction: a wrong try is counted
/// even though the caller then fails). The code stays valid until `consume`.
pub async fn verify(state: &AppState, phone: &str, purpose: &str, code: &str) -> AppResult<()> {
    let idx = state.pii.blind_index(phone.trim());
    let wrong = || AppError::field("code", "短信验证码不正确或已过期，请重新获取");
    let Some(row) = phone_code::Entity::find_by_id((idx.clone(), purpose.to_string()))
        .one(&state.db)
        .await
        .db_err()?
    else {
        return Err(wrong());
    };
    if row.expires_at < Utc::now() || row.attempts >= MAX_ATTEMPTS {
        return Err(wrong());
    }
    if row.code_hash != digest(state.pii.as_ref(), &idx, code.trim()) {
        let attempts = row.attempts + 1;
        let mut r: phone_code::ActiveModel = row.into();
        r.attempts = Set(attempts);
        r.update(&state.db).await.db_err()?;
        return Err(wrong());
    }
    Ok(())
}

/// Uses the code up, inside the transaction that relies on it.
pub async fn consume<C: ConnectionTrait>(
    conn: &C,
    state: &AppState,
    phone: &str,
    purpose: &str,
) -> AppResult<()> {
    let idx = state.pii.blind_index(phone.trim());
    phone_code::Entity::delete_by_id((idx, purpose.to_string()))
        .exec(conn)
        .await
        .db_err()?;
    Ok(())
}

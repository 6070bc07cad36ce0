//! Notifications: every SMS and every webhook delivery goes through one
//! outbox table. A module enqueues a message in the same transaction as the
//! change it reports (so a message exists exactly when the change does, and a
//! dedupe key keeps it from being enqueued twice); the dispatcher sends what is
//! due through the configured gateway, retrying with backoff, and records the
//! outcome where the admin can see it.

pub mod aliyun;
pub mod codes;
pub mod dispatch;
mod entity;
pub mod events;
pub mod gateway;
pub mod http;
mod migrations;
pub mod permissions;
pub mod targets;
pub mod webhooks;
pub mod wechat;
pub mod words;

use chrono::{DateTime, Utc};
use entity::notification;
use govhall_kernel::{AppError, crypto::PiiCipher, error::AppResult, mask::mask_phone, new_id};
use govhall_platform::db::DbResultExt;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, sea_query::OnConflict,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Notifications: the SMS outbox and its gateways, WeChat template messages,
/// signed webhooks.
pub static MODULE: govhall_platform::module::Module = govhall_platform::module::Module {
    name: "notify",
    label: "通知",
    // Its first tables came with the platform's migrations.
    migrate: govhall_platform::migrate_fn!(migrate),
    open: None,
    router: http::router,
    audited_reads: &[("GET", "/api/v1/notifications")],
    tags: &[("notifications", "通知：短信发件箱与接口推送")],
    // Messages are sent by whichever instance serves; claims keep them single.
    tasks: Some(|state| dispatch::spawn(state.clone())),
    permissions: permissions::PERMISSIONS,
    personal_data: &[
        govhall_platform::keys::EncryptedTable {
            label: "短信发件箱",
            table: "notifications",
            key: "id",
            columns: &["recipient_enc"],
            indexes: &[],
        },
        govhall_platform::keys::EncryptedTable {
            label: "接口推送密钥",
            table: "webhooks",
            key: "id",
            columns: &["secret_enc"],
            indexes: &[],
        },
    ],
    // Verification codes are hashed with the key's index; they expire in minutes.
    cleared_on_key_rotation: &["phone_codes"],
    demo: None,
    words: words::WORDS,
    events: events::EVENTS,
    notices: &[("verify_code", "验证码")],
};

/// Brings notify's tables up to date.
pub async fn migrate(db: &sea_orm::DatabaseConnection) -> anyhow::Result<()> {
    use sea_orm_migration::MigratorTrait;
    migrations::Migrator::up(db, None)
        .await
        .map_err(|e| anyhow::anyhow!("通知数据迁移失败：{e}"))
}

pub mod status {
    pub const PENDING: &str = "pending";
    pub const SENDING: &str = "sending";
    pub const SENT: &str = "sent";
    pub const FAILED: &str = "failed";
}

/// An SMS to enqueue.
pub struct Sms<'a> {
    pub hall_id: Option<&'a str>,
    pub phone: &'a str,
    /// The message kind; a gateway maps it to its approved template.
    pub kind: &'a str,
    /// The template's variables.
    pub params: serde_json::Value,
    /// The full text as the citizen reads it (shown in the outbox).
    pub text: String,
    /// The same key is enqueued once, ever.
    pub dedupe_key: String,
    /// A code the text carries (验证码, 签到码): stored only encrypted and
    /// shown masked in the outbox; put back into the text when it is sent,
    /// and erased once the message is sent or has failed for good.
    pub secret: Option<&'a str>,
}

/// What the outbox shows in place of a message's secret.
pub const SECRET_MASK: &str = "******";
/// The parameter an encrypted secret travels in through the outbox.
const SECRET_PARAM: &str = "_secret_enc";

/// The text and parameters to store for a message carrying `secret`: the
/// secret masked wherever it appears, and kept encrypted beside them.
fn hide_secret(
    pii: &dyn PiiCipher,
    secret: &str,
    mut params: serde_json::Value,
    text: &str,
) -> (serde_json::Value, String) {
    if let Some(vars) = params.as_object_mut() {
        for v in vars.values_mut() {
            if v.as_str() == Some(secret) {
                *v = SECRET_MASK.into();
            }
        }
        vars.insert(SECRET_PARAM.into(), pii.encrypt(secret).into());
    }
    (params, text.replace(secret, SECRET_MASK))
}

/// The text and parameters as the recipient must get them: the secret put back.
pub(crate) fn reveal_secret(
    pii: &dyn PiiCipher,
    params: &mut serde_json::Value,
    text: &str,
) -> Result<String, gateway::SendError> {
    let Some(vars) = params.as_object_mut() else {
        return Ok(text.to_string());
    };
    let Some(enc) = vars.remove(SECRET_PARAM) else {
        return Ok(text.to_string());
    };
    let secret = enc
        .as_str()
        .and_then(|e| pii.decrypt(e).ok())
        .ok_or_else(|| {
            gateway::SendError::permanent("短信中的验证码无法解密（密钥已轮换），请重新获取")
        })?;
    for v in vars.values_mut() {
        if v.as_str() == Some(SECRET_MASK) {
            *v = secret.clone().into();
        }
    }
    Ok(text.replace(SECRET_MASK, &secret))
}

/// The stored parameters without the message's secret (once it is no longer needed).
pub(crate) fn without_secret(params: &str) -> Option<String> {
    let mut v: serde_json::Value = serde_json::from_str(params).ok()?;
    v.as_object_mut()?.remove(SECRET_PARAM)?;
    Some(v.to_string())
}

/// A WeChat template message to enqueue (the citizen bound the ticket to the
/// hall's 公众号).
pub struct WeChatMessage<'a> {
    pub hall_id: Option<&'a str>,
    pub openid: &'a str,
    pub kind: &'a str,
    pub params: serde_json::Value,
    pub text: String,
    /// Opened when the citizen taps the message.
    pub link: Option<String>,
    pub dedupe_key: String,
}

/// Enqueues a WeChat message on `conn` (the transaction of the change it reports).
pub async fn enqueue_wechat<C: ConnectionTrait>(
    conn: &C,
    pii: &dyn PiiCipher,
    m: WeChatMessage<'_>,
) -> AppResult<bool> {
    let mut params = m.params;
    if let (Some(link), Some(vars)) = (m.link, params.as_object_mut()) {
        // Carried with the variables; the dispatcher takes it out again.
        vars.insert(LINK_PARAM.into(), link.into());
    }
    let row = notification::ActiveModel {
        hall_id: Set(m.hall_id.map(str::to_string)),
        channel: Set("wechat".into()),
        kind: Set(m.kind.into()),
        dedupe_key: Set(m.dedupe_key),
        recipient_enc: Set(Some(pii.encrypt(m.openid))),
        recipient: Set(wechat::mask_openid(m.openid)),
        webhook_id: Set(None),
        params: Set(params.to_string()),
        body: Set(m.text),
        ..pending_now()
    };
    insert_once(conn, row).await
}

/// The variable a WeChat message's link travels in through the outbox.
pub const LINK_PARAM: &str = "_link";

/// How many messages of `kind` a hall enqueued in the last hour (callers cap
/// what citizens can make a hall send: each SMS costs money).
pub async fn sent_last_hour<C: ConnectionTrait>(
    conn: &C,
    hall_id: &str,
    kind: &str,
) -> AppResult<u64> {
    notification::Entity::find()
        .filter(notification::Column::HallId.eq(hall_id))
        .filter(notification::Column::Kind.eq(kind))
        .filter(notification::Column::CreatedAt.gte(Utc::now() - chrono::Duration::hours(1)))
        .count(conn)
        .await
        .db_err()
}

/// Enqueues an SMS on `conn` (pass the transaction of the change it reports).
/// Returns false when a message with the same dedupe key already exists.
pub async fn enqueue_sms<C: ConnectionTrait>(
    conn: &C,
    pii: &dyn PiiCipher,
    sms: Sms<'_>,
) -> AppResult<bool> {
    let (params, body) = match sms.secret {
        Some(secret) if !secret.is_empty() => hide_secret(pii, secret, sms.params, &sms.text),
        _ => (sms.params, sms.text),
    };
    let row = notification::ActiveModel {
        hall_id: Set(sms.hall_id.map(str::to_string)),
        channel: Set("sms".into()),
        kind: Set(sms.kind.into()),
        dedupe_key: Set(sms.dedupe_key),
        recipient_enc: Set(Some(pii.encrypt(sms.phone))),
        recipient: Set(mask_phone(sms.phone)),
        webhook_id: Set(None),
        params: Set(params.to_string()),
        body: Set(body),
        ..pending_now()
    };
    insert_once(conn, row).await
}

/// A new message's bookkeeping: pending, due now, never tried (the caller
/// sets what it is and to whom).
fn pending_now() -> notification::ActiveModel {
    let now = Utc::now();
    notification::ActiveModel {
        id: Set(new_id().to_string()),
        status: Set(status::PENDING.into()),
        attempts: Set(0),
        next_at: Set(now),
        last_error: Set(None),
        provider: Set(None),
        provider_ref: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        ..Default::default()
    }
}

/// Inserts unless the dedupe key exists (`ON CONFLICT DO NOTHING`, which
/// leaves a PostgreSQL transaction usable, unlike a failed insert).
async fn insert_once<C: ConnectionTrait>(
    conn: &C,
    row: notification::ActiveModel,
) -> AppResult<bool> {
    let n = notification::Entity::insert(row)
        .on_conflict(
            OnConflict::column(notification::Column::DedupeKey)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await
        .db_err()?;
    Ok(n == 1)
}

/// How long to wait before attempt `attempts + 1`; `None` after the last.
pub fn backoff(attempts: i32) -> Option<chrono::Duration> {
    const SECONDS: [i64; 5] = [10, 60, 300, 1800, 7200];
    usize::try_from(attempts - 1)
        .ok()
        .and_then(|i| SECONDS.get(i))
        .map(|s| chrono::Duration::seconds(*s))
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NotificationDto {
    pub id: String,
    pub hall_id: Option<String>,
    pub channel: String,
    /// 短信 / 微信 / 推送.
    pub channel_label: String,
    pub kind: String,
    /// What the message is about (叫号, 预约提醒…; a webhook: the event it carries).
    pub kind_label: String,
    /// Masked phone or the webhook URL.
    pub recipient: String,
    pub body: String,
    pub status: String,
    /// 待发送 / 发送中 / 已发送 / 失败; a message the record-only gateway took
    /// says it was recorded, not sent.
    pub status_label: String,
    pub attempts: i32,
    pub next_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub provider: Option<String>,
    /// 仅记录 / 阿里云 / 推送.
    pub provider_label: Option<String>,
    pub provider_ref: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

fn channel_label(channel: &str) -> &str {
    match channel {
        "sms" => "短信",
        "wechat" => "微信",
        "webhook" => "推送",
        other => other,
    }
}

fn provider_label(provider: &str) -> &str {
    match provider {
        "outbox" => "仅记录",
        "aliyun" => "阿里云",
        "webhook" => "推送",
        "wechat" => "微信",
        other => other,
    }
}

fn status_label(status: &str, provider: Option<&str>) -> &'static str {
    match status {
        "sent" if provider == Some("outbox") => "仅记录，未发出",
        "pending" => "待发送",
        "sending" => "发送中",
        "sent" => "已发送",
        "failed" => "失败",
        _ => "未知",
    }
}

impl NotificationDto {
    /// The row as the rest of the code sees it.
    pub(crate) fn from_row(n: notification::Model) -> Self {
        NotificationDto {
            id: n.id,
            hall_id: n.hall_id,
            channel_label: channel_label(&n.channel).to_string(),
            channel: n.channel,
            kind_label: govhall_platform::vocabulary::notice_label(&n.kind)
                .unwrap_or_else(|| n.kind.clone()),
            kind: n.kind,
            recipient: n.recipient,
            body: n.body,
            status_label: status_label(&n.status, n.provider.as_deref()).to_string(),
            status: n.status,
            attempts: n.attempts,
            next_at: n.next_at,
            last_error: n.last_error,
            provider_label: n.provider.as_deref().map(|p| provider_label(p).to_string()),
            provider: n.provider,
            provider_ref: n.provider_ref,
            created_at: n.created_at,
            sent_at: n.sent_at,
        }
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutboxQuery {
    /// pending / sending / sent / failed
    pub status: Option<String>,
    /// sms / wechat / webhook
    pub channel: Option<String>,
    /// Masked phone, kind or text contains this.
    pub q: Option<String>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxPage {
    pub items: Vec<NotificationDto>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

/// The outbox, newest first.
/// Whose messages a reader may see.
pub enum Scope {
    /// One hall's (a hall's manager).
    Hall(String),
    /// Every hall's and those of no hall (the 系统管理员).
    EveryHall,
}

impl Scope {
    fn condition(&self) -> sea_orm::Condition {
        match self {
            Scope::Hall(id) => sea_orm::Condition::all().add(notification::Column::HallId.eq(id)),
            Scope::EveryHall => sea_orm::Condition::all(),
        }
    }

    /// The hall a new record of this reader belongs to (none: every hall's).
    fn hall_id(&self) -> Option<&str> {
        match self {
            Scope::Hall(id) => Some(id),
            Scope::EveryHall => None,
        }
    }
}

pub async fn list(
    state: &govhall_platform::AppState,
    scope: &Scope,
    q: &OutboxQuery,
) -> AppResult<OutboxPage> {
    let page = govhall_platform::api::page_number(q.page.unwrap_or(1))?;
    let per_page = q.per_page.unwrap_or(50).clamp(1, 200);
    let mut find = notification::Entity::find().filter(scope.condition());
    if let Some(s) = q.status.as_deref().filter(|s| !s.is_empty()) {
        find = find.filter(notification::Column::Status.eq(s));
    }
    if let Some(c) = q.channel.as_deref().filter(|s| !s.is_empty()) {
        find = find.filter(notification::Column::Channel.eq(c));
    }
    if let Some(text) = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        find = find.filter(
            sea_orm::Condition::any()
                .add(notification::Column::Recipient.contains(text))
                .add(notification::Column::Kind.contains(text))
                .add(notification::Column::Body.contains(text)),
        );
    }
    let total = find.clone().count(&state.db).await.db_err()?;
    let items = find
        .order_by_desc(notification::Column::CreatedAt)
        .order_by_desc(notification::Column::Id)
        .offset((page - 1) * per_page)
        .limit(per_page)
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .map(NotificationDto::from_row)
        .collect();
    Ok(OutboxPage {
        items,
        total,
        page,
        per_page,
    })
}

/// Sends a pending or failed message again now (an admin's 重发).
pub async fn retry(
    state: &govhall_platform::AppState,
    scope: &Scope,
    actor: &govhall_platform::events::Actor,
    id: &str,
) -> AppResult<NotificationDto> {
    use sea_orm::ActiveModelTrait;
    let txn = govhall_platform::db::begin_write(&state.db)
        .await
        .db_err()?;
    // Another hall's message is as unknown as a missing one.
    let n = notification::Entity::find_by_id(id.to_string())
        .filter(scope.condition())
        .one(&txn)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("通知"))?;
    if n.status == status::SENT || n.status == status::SENDING {
        return Err(AppError::Conflict {
            message: "该通知已发送或正在发送，不能重发".into(),
            fields: vec![],
        });
    }
    if n.body.contains(SECRET_MASK) && !n.params.contains(SECRET_PARAM) {
        return Err(AppError::Conflict {
            message: "该短信所含验证码已销毁，不能重发，请申请人重新获取".into(),
            fields: vec![],
        });
    }
    let mut row: notification::ActiveModel = n.into();
    row.status = Set(status::PENDING.into());
    row.next_at = Set(Utc::now());
    let n = row.update(&txn).await.db_err()?;
    let ev = events::NOTIFICATION_RETRIED.event(
        n.hall_id.as_deref(),
        &events::NotificationRetried {
            notification_id: n.id.clone(),
            kind: n.kind.clone(),
            channel: n.channel.clone(),
        },
    );
    govhall_platform::events::commit_with(state, txn, actor, vec![ev]).await?;
    Ok(NotificationDto::from_row(n))
}

/// Erases the phone numbers (and WeChat openids) of a hall's messages older
/// than `cutoff` (the masked recipient and the text stay); returns how many.
pub async fn erase_recipients_before<C: ConnectionTrait>(
    conn: &C,
    hall_id: &str,
    cutoff: DateTime<Utc>,
) -> AppResult<u64> {
    use sea_orm::sea_query::Expr;
    Ok(notification::Entity::update_many()
        .col_expr(
            notification::Column::RecipientEnc,
            Expr::value(Option::<String>::None),
        )
        .filter(notification::Column::HallId.eq(hall_id))
        .filter(notification::Column::Channel.is_in(["sms", "wechat"]))
        .filter(notification::Column::CreatedAt.lt(cutoff))
        .filter(notification::Column::RecipientEnc.is_not_null())
        .exec(conn)
        .await
        .db_err()?
        .rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use govhall_kernel::crypto::SoftwarePiiCipher;

    #[test]
    fn a_secret_is_stored_masked_and_encrypted_and_sent_in_full() {
        let pii = SoftwarePiiCipher::from_hex(&"ab".repeat(32)).unwrap();
        let (stored, body) = hide_secret(
            &pii,
            "204816",
            serde_json::json!({"code": "204816", "line": "不动产"}),
            "您的验证码为 204816，5 分钟内有效。",
        );
        assert_eq!(body, "您的验证码为 ******，5 分钟内有效。");
        assert_eq!(stored["code"], SECRET_MASK);
        assert!(!stored.to_string().contains("204816"));

        let mut params = stored.clone();
        let text = reveal_secret(&pii, &mut params, &body).unwrap();
        assert_eq!(text, "您的验证码为 204816，5 分钟内有效。");
        assert_eq!(
            params,
            serde_json::json!({"code": "204816", "line": "不动产"})
        );

        let erased = without_secret(&stored.to_string()).unwrap();
        assert!(!erased.contains(SECRET_PARAM));
        // Another key (after a rotation) cannot reveal it: the message fails, it does not go out masked.
        let other = SoftwarePiiCipher::from_hex(&"cd".repeat(32)).unwrap();
        assert!(reveal_secret(&other, &mut stored.clone(), &body).is_err());
    }
}

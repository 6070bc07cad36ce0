//! Outgoing webhooks for integrators: every event whose type matches a
//! webhook's prefixes is POSTed to its URL, signed with HMAC-SHA256 over
//! `"{timestamp}.{body}"` (`X-Govhall-Signature: sha256=<hex>`), so the
//! receiver can check it came from us and is fresh. Deliveries go through the
//! outbox (retries, no duplicates: one per webhook and event).
//!
//! A webhook belongs to a hall and carries that hall's business events only
//! (queue, cases, catalog): never account, audit or configuration events,
//! which name staff and their sign-in addresses. Its target must be a public
//! address unless the operator lists the network (see `targets`).

use super::Scope;
use super::entity::{notification, webhook};
use super::targets::TargetPolicy;
use chrono::Utc;
use govhall_kernel::{AppError, error::AppResult, new_id, validate::Checker};
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write},
    events::{self, Actor, StoredEvent, commit_with},
};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// `sha256=<hex>` of HMAC-SHA256(secret, "{timestamp}.{body}").
pub fn sign(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(format!("{timestamp}.{body}").as_bytes());
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct WebhookInput {
    pub name: String,
    /// `https://…` (or `http://` inside the government network).
    pub url: String,
    /// Business event type prefixes, e.g. `["queue.ticket.", "cases."]`; `["*"]` for every business event.
    pub events: Vec<String>,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WebhookDto {
    pub id: String,
    /// The hall whose events it receives; none: every hall's.
    pub hall_id: Option<String>,
    pub name: String,
    pub url: String,
    pub events: Vec<String>,
    pub active: bool,
    pub last_seq: i64,
    pub created_at: chrono::DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CreatedWebhook {
    pub webhook: WebhookDto,
    /// The signing secret, shown this once.
    pub secret: String,
}

impl WebhookDto {
    /// The row as the rest of the code sees it.
    pub(crate) fn from_row(w: webhook::Model) -> Self {
        WebhookDto {
            id: w.id,
            hall_id: w.hall_id,
            name: w.name,
            url: w.url,
            events: w.events.split(',').map(str::to_string).collect(),
            active: w.active,
            last_seq: w.last_seq,
            created_at: w.created_at,
        }
    }
}

/// The event families a webhook may carry: the halls' business.
pub const BUSINESS_EVENTS: &[&str] = &["queue.", "cases.", "catalog."];

fn is_business(event_type: &str) -> bool {
    BUSINESS_EVENTS.iter().any(|p| event_type.starts_with(p))
}

async fn check(state: &AppState, input: &WebhookInput) -> AppResult<()> {
    let mut c = Checker::new();
    c.text("name", "名称", &input.name, 50);
    let url = reqwest::Url::parse(&input.url).ok().filter(|_| {
        (input.url.starts_with("https://") || input.url.starts_with("http://"))
            && input.url.len() <= 500
    });
    c.check(
        url.is_some(),
        "url",
        "推送地址须为完整的 http:// 或 https:// 地址",
    );
    c.check(
        !input.events.is_empty()
            && input.events.iter().all(|e| {
                e == "*"
                    || (is_business(e)
                        && e.len() <= 60
                        && e.chars()
                            .all(|ch| ch.is_ascii_lowercase() || ch == '.' || ch == '_'))
            }),
        "events",
        "事件须为业务事件类型前缀（以 queue.、cases. 或 catalog. 开头，如 queue.ticket.），或 * 表示全部业务事件",
    );
    c.finish()?;
    if let Some(url) = url {
        TargetPolicy::from_config(&state.config)
            .check_url(&url)
            .await
            .map_err(|reason| AppError::field("url", &reason))?;
    }
    Ok(())
}

pub async fn list(state: &AppState, scope: &Scope) -> AppResult<Vec<WebhookDto>> {
    Ok(webhook::Entity::find()
        .filter(condition(scope))
        .order_by_asc(webhook::Column::CreatedAt)
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .map(WebhookDto::from_row)
        .collect())
}

/// The webhooks a reader may see and change.
fn condition(scope: &Scope) -> sea_orm::Condition {
    match scope.hall_id() {
        Some(hall) => sea_orm::Condition::all().add(webhook::Column::HallId.eq(hall)),
        None => sea_orm::Condition::all(),
    }
}

/// One of the reader's webhooks; another hall's is as unknown as a missing one.
async fn find<C: sea_orm::ConnectionTrait>(
    conn: &C,
    scope: &Scope,
    id: &str,
) -> AppResult<webhook::Model> {
    webhook::Entity::find_by_id(id.to_string())
        .filter(condition(scope))
        .one(conn)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("推送"))
}

/// Registers a webhook; it receives events from now on.
pub async fn create(
    state: &AppState,
    scope: &Scope,
    actor: &Actor,
    input: &WebhookInput,
) -> AppResult<CreatedWebhook> {
    check(state, input).await?;
    let mut raw = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    let secret = format!("whsec_{}", hex::encode(raw));
    let txn = begin_write(&state.db).await.db_err()?;
    let last_seq = events::last_seq(&txn).await.db_err()?;
    let w = webhook::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(scope.hall_id().map(str::to_string)),
        name: Set(input.name.trim().into()),
        url: Set(input.url.clone()),
        secret_enc: Set(state.pii.encrypt(&secret)),
        events: Set(input.events.join(",")),
        active: Set(input.active),
        last_seq: Set(last_seq),
        created_at: Set(Utc::now()),
    }
    .insert(&txn)
    .await
    .db_err()?;
    let ev = crate::events::WEBHOOK_CREATED
        .event(w.hall_id.as_deref(), &WebhookDto::from_row(w.clone()));
    commit_with(state, txn, actor, vec![ev]).await?;
    Ok(CreatedWebhook {
        webhook: WebhookDto::from_row(w),
        secret,
    })
}

pub async fn update(
    state: &AppState,
    scope: &Scope,
    actor: &Actor,
    id: &str,
    input: &WebhookInput,
) -> AppResult<WebhookDto> {
    find(&state.db, scope, id).await?;
    check(state, input).await?;
    let txn = begin_write(&state.db).await.db_err()?;
    let w = find(&txn, scope, id).await?;
    let before = WebhookDto::from_row(w.clone());
    let mut row: webhook::ActiveModel = w.into();
    row.name = Set(input.name.trim().into());
    row.url = Set(input.url.clone());
    row.events = Set(input.events.join(","));
    row.active = Set(input.active);
    let w = row.update(&txn).await.db_err()?;
    let after = WebhookDto::from_row(w.clone());
    let ev = crate::events::WEBHOOK_UPDATED.event(
        w.hall_id.as_deref(),
        &crate::events::WebhookChanged {
            webhook_id: w.id.clone(),
            before,
            after: after.clone(),
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    Ok(after)
}

pub async fn delete(state: &AppState, scope: &Scope, actor: &Actor, id: &str) -> AppResult<()> {
    let txn = begin_write(&state.db).await.db_err()?;
    let w = find(&txn, scope, id).await?;
    webhook::Entity::delete_by_id(w.id.clone())
        .exec(&txn)
        .await
        .db_err()?;
    let ev = crate::events::WEBHOOK_DELETED.event(
        w.hall_id.as_deref(),
        &crate::events::WebhookRemoved {
            webhook_id: w.id.clone(),
            name: w.name.clone(),
            url: w.url.clone(),
        },
    );
    commit_with(state, txn, actor, vec![ev]).await
}

/// Whether the webhook carries this event: a business event of its hall
/// (of any hall for a hall-less one) that its prefixes name.
fn carries(hook: &webhook::Model, ev: &StoredEvent) -> bool {
    let hall_matches = match &hook.hall_id {
        Some(hall) => ev.hall_id.as_deref() == Some(hall.as_str()),
        None => true,
    };
    hall_matches
        && is_business(&ev.event_type)
        && hook
            .events
            .split(',')
            .any(|p| p == "*" || ev.event_type.starts_with(p))
}

/// What a receiver gets: the stored event, with the version and label of its
/// type when the catalogue declares it (`docs/events.md` documents the payload).
fn delivery_body(ev: &StoredEvent) -> String {
    let mut body = serde_json::to_value(ev).unwrap_or_default();
    if let (Some(def), Some(obj)) = (
        govhall_platform::events::catalogue::find(&ev.event_type),
        body.as_object_mut(),
    ) {
        obj.insert("version".into(), def.version.into());
        obj.insert("label".into(), def.label.into());
    }
    body.to_string()
}

/// Moves each active webhook's new events into the outbox (one delivery per
/// webhook and event) and advances its cursor in the same transaction.
/// Returns how many deliveries were enqueued.
pub async fn relay(state: &AppState) -> AppResult<usize> {
    const BATCH: u64 = 200;
    let hooks = webhook::Entity::find()
        .filter(webhook::Column::Active.eq(true))
        .all(&state.db)
        .await
        .db_err()?;
    let mut enqueued = 0;
    for hook in hooks {
        let txn = begin_write(&state.db).await.db_err()?;
        let events: Vec<StoredEvent> = events::all_after(&txn, hook.last_seq, BATCH)
            .await
            .db_err()?;
        let Some(last) = events.last().map(|e| e.seq) else {
            continue;
        };
        for ev in events.iter().filter(|e| carries(&hook, e)) {
            let body = delivery_body(ev);
            let row = notification::ActiveModel {
                hall_id: Set(ev.hall_id.clone()),
                channel: Set("webhook".into()),
                kind: Set(ev.event_type.clone()),
                dedupe_key: Set(format!("webhook:{}:{}", hook.id, ev.seq)),
                recipient_enc: Set(None),
                recipient: Set(hook.url.clone()),
                webhook_id: Set(Some(hook.id.clone())),
                params: Set(body),
                body: Set(format!("事件 {} #{}", ev.event_type, ev.seq)),
                ..super::pending_now()
            };
            if super::insert_once(&txn, row).await? {
                enqueued += 1;
            }
        }
        let mut row: webhook::ActiveModel = hook.into();
        row.last_seq = Set(last);
        row.update(&txn).await.db_err()?;
        txn.commit().await.db_err()?;
    }
    Ok(enqueued)
}

/// POSTs one delivery; the response must be 2xx.
pub(crate) async fn deliver(
    client: &reqwest::Client,
    state: &AppState,
    n: &notification::Model,
) -> Result<String, super::gateway::SendError> {
    use super::gateway::SendError;
    let hook = webhook::Entity::find_by_id(n.webhook_id.clone().unwrap_or_default())
        .one(&state.db)
        .await
        .map_err(|e| SendError::retry(e.to_string()))?
        .ok_or_else(|| SendError::permanent("推送配置已删除"))?;
    let secret = state
        .pii
        .decrypt(&hook.secret_enc)
        .map_err(|_| SendError::permanent("推送密钥无法解密"))?;
    // A name is checked by the client's resolver; an address literal here.
    let url = reqwest::Url::parse(&hook.url).map_err(|_| SendError::permanent("推送地址无效"))?;
    let literal = url
        .host_str()
        .map(|h| h.trim_start_matches('[').trim_end_matches(']'))
        .and_then(|h| h.parse::<std::net::IpAddr>().ok());
    if let Some(ip) = literal
        && !TargetPolicy::from_config(&state.config).permits(ip)
    {
        return Err(SendError::permanent(format!(
            "推送地址 {ip} 是本机或内网地址，已拒绝推送"
        )));
    }
    let ts = Utc::now().timestamp();
    let resp = client
        .post(&hook.url)
        .header("content-type", "application/json")
        .header("x-govhall-event", &n.kind)
        .header("x-govhall-delivery", &n.id)
        .header("x-govhall-timestamp", ts.to_string())
        .header("x-govhall-signature", sign(&secret, ts, &n.params))
        .body(n.params.clone())
        .send()
        .await
        .map_err(|e| SendError::retry(format!("连接推送地址失败：{e}")))?;
    let status = resp.status();
    if status.is_success() {
        Ok(format!("HTTP {}", status.as_u16()))
    } else {
        Err(SendError::retry(format!(
            "推送地址返回 HTTP {}",
            status.as_u16()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hook(hall: Option<&str>, events: &str) -> webhook::Model {
        webhook::Model {
            id: "w".into(),
            hall_id: hall.map(str::to_string),
            name: "平台".into(),
            url: "https://example.gov.cn/hook".into(),
            secret_enc: String::new(),
            events: events.into(),
            active: true,
            last_seq: 0,
            created_at: Utc::now(),
        }
    }

    fn event(hall: Option<&str>, event_type: &str) -> StoredEvent {
        StoredEvent {
            seq: 1,
            id: "e".into(),
            hall_id: hall.map(str::to_string),
            event_type: event_type.into(),
            actor_id: None,
            actor_name: "系统".into(),
            occurred_at: Utc::now(),
            payload: serde_json::json!({}),
            summary: String::new(),
        }
    }

    #[test]
    fn a_webhook_carries_its_halls_business_events_it_names() {
        let ca = hook(Some("ca"), "queue.ticket.,queue.rating.");
        assert!(carries(&ca, &event(Some("ca"), "queue.ticket.called")));
        assert!(!carries(&ca, &event(Some("yt"), "queue.ticket.called")));
        assert!(!carries(&ca, &event(Some("ca"), "catalog.item.published")));
        let all = hook(Some("ca"), "*");
        assert!(carries(&all, &event(Some("ca"), "cases.case.accepted")));
        for private in [
            "auth.login.succeeded",
            "accounts.user.created",
            "notify.webhook.created",
            "directory.staff.updated",
        ] {
            assert!(!carries(&all, &event(Some("ca"), private)), "{private}");
        }
        assert!(!carries(&all, &event(None, "queue.ticket.called")));
        let every_hall = hook(None, "*");
        assert!(carries(
            &every_hall,
            &event(Some("yt"), "queue.ticket.called")
        ));
        assert!(!carries(&every_hall, &event(None, "auth.login.failed")));
    }

    #[test]
    fn signature_is_hmac_sha256_of_timestamp_and_body() {
        // Independent value: `printf '1700000000.{}' | openssl dgst -sha256 -hmac whsec_test`
        assert_eq!(
            sign("whsec_test", 1_700_000_000, "{}"),
            "sha256=35495024f4ef3f94e5a93e22221544c4b75e9a42300cd965ab81cb85cd994e91"
        );
    }
}

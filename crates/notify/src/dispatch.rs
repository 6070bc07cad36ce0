//! The dispatcher: claims due messages from the outbox, sends them, and
//! records the outcome. A claim is a conditional update (status and attempt
//! count unchanged), so two server instances never send the same message; a
//! claim is a lease, so a message whose sender died is sent again later.

use super::{
    backoff,
    entity::notification,
    gateway::{OutgoingSms, OutgoingWeChat, SendError, SmsGateway},
    status,
    wechat::WeChat,
};
use chrono::Utc;
use govhall_kernel::error::AppResult;
use govhall_platform::{AppState, db::DbResultExt};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::Expr,
};
use std::time::Duration;

/// How long a claimed message is reserved for its sender.
const LEASE_SECONDS: i64 = 120;
const BATCH: u64 = 20;

/// Starts the dispatcher; it stops with the server.
pub fn spawn(state: AppState) {
    let gateway = super::gateway::from_config(&state.config);
    let wechat = WeChat::from_config(&state.config);
    tokio::spawn(async move {
        let client = super::targets::TargetPolicy::from_config(&state.config).client();
        let mut tick = tokio::time::interval(Duration::from_millis(500));
        loop {
            tokio::select! {
                _ = state.shutdown.cancelled() => break,
                _ = tick.tick() => {}
            }
            if let Err(e) = super::webhooks::relay(&state).await {
                tracing::warn!(error = %e, "webhook relay failed");
            }
            if let Err(e) = run_once(&state, gateway.as_ref(), wechat.as_ref(), &client).await {
                tracing::warn!(error = %e, "notification dispatch failed");
            }
        }
    });
}

/// Sends what is due now; returns how many messages were attempted.
pub async fn run_once(
    state: &AppState,
    gateway: &dyn SmsGateway,
    wechat: Option<&WeChat>,
    client: &reqwest::Client,
) -> AppResult<usize> {
    let now = Utc::now();
    let due = notification::Entity::find()
        .filter(notification::Column::Status.is_in([status::PENDING, status::SENDING]))
        .filter(notification::Column::NextAt.lte(now))
        .order_by_asc(notification::Column::NextAt)
        .limit(BATCH)
        .all(&state.db)
        .await
        .db_err()?;
    let mut attempted = 0;
    for n in due {
        if !claim(state, &n).await? {
            continue;
        }
        attempted += 1;
        let outcome = match n.channel.as_str() {
            "webhook" => super::webhooks::deliver(client, state, &n).await,
            "wechat" => send_wechat(state, wechat, &n).await,
            _ => send_sms(state, gateway, &n).await,
        };
        record(state, &n, gateway, outcome).await?;
    }
    Ok(attempted)
}

async fn claim(state: &AppState, n: &notification::Model) -> AppResult<bool> {
    let res = notification::Entity::update_many()
        .col_expr(notification::Column::Status, Expr::value(status::SENDING))
        .col_expr(
            notification::Column::NextAt,
            Expr::value(Utc::now() + chrono::Duration::seconds(LEASE_SECONDS)),
        )
        .col_expr(notification::Column::Attempts, Expr::value(n.attempts + 1))
        .filter(
            Condition::all()
                .add(notification::Column::Id.eq(&n.id))
                .add(notification::Column::Status.eq(&n.status))
                .add(notification::Column::Attempts.eq(n.attempts)),
        )
        .exec(&state.db)
        .await
        .db_err()?;
    Ok(res.rows_affected == 1)
}

async fn send_sms(
    state: &AppState,
    gateway: &dyn SmsGateway,
    n: &notification::Model,
) -> Result<String, SendError> {
    let phone = n
        .recipient_enc
        .as_deref()
        .and_then(|enc| state.pii.decrypt(enc).ok())
        .ok_or_else(|| SendError::permanent("收件号码无法解密"))?;
    let mut params: serde_json::Value = serde_json::from_str(&n.params).unwrap_or_default();
    let text = super::reveal_secret(state.pii.as_ref(), &mut params, &n.body)?;
    gateway
        .send(&OutgoingSms {
            phone: &phone,
            kind: &n.kind,
            params: &params,
            text: &text,
            out_id: &n.id,
        })
        .await
}

async fn send_wechat(
    state: &AppState,
    wechat: Option<&WeChat>,
    n: &notification::Model,
) -> Result<String, SendError> {
    let wechat = wechat.ok_or_else(|| SendError::permanent("本服务未配置微信公众号"))?;
    let openid = n
        .recipient_enc
        .as_deref()
        .and_then(|enc| state.pii.decrypt(enc).ok())
        .ok_or_else(|| SendError::permanent("接收人无法解密"))?;
    let mut params: serde_json::Value = serde_json::from_str(&n.params).unwrap_or_default();
    let link = params
        .as_object_mut()
        .and_then(|vars| vars.remove(super::LINK_PARAM))
        .and_then(|v| v.as_str().map(str::to_string));
    wechat
        .send(&OutgoingWeChat {
            openid: &openid,
            kind: &n.kind,
            params: &params,
            text: &n.body,
            link: link.as_deref(),
        })
        .await
}

async fn record(
    state: &AppState,
    n: &notification::Model,
    gateway: &dyn SmsGateway,
    outcome: Result<String, SendError>,
) -> AppResult<()> {
    let attempts = n.attempts + 1;
    let mut row = notification::ActiveModel {
        id: Set(n.id.clone()),
        ..Default::default()
    };
    row.provider = Set(Some(match n.channel.as_str() {
        "webhook" | "wechat" => n.channel.clone(),
        _ => gateway.name().into(),
    }));
    match outcome {
        Ok(reference) => {
            row.status = Set(status::SENT.into());
            row.sent_at = Set(Some(Utc::now()));
            row.provider_ref = Set(Some(reference));
            row.last_error = Set(None);
            // The code has gone out: nothing keeps it any longer.
            if let Some(params) = super::without_secret(&n.params) {
                row.params = Set(params);
            }
        }
        Err(e) => {
            row.last_error = Set(Some(e.message.clone()));
            match backoff(attempts).filter(|_| e.retryable) {
                Some(wait) => {
                    row.status = Set(status::PENDING.into());
                    row.next_at = Set(Utc::now() + wait);
                }
                None => {
                    row.status = Set(status::FAILED.into());
                    if let Some(params) = super::without_secret(&n.params) {
                        row.params = Set(params);
                    }
                }
            }
        }
    }
    notification::Entity::update(row)
        .exec(&state.db)
        .await
        .db_err()?;
    Ok(())
}

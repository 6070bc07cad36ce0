//! SMS (and WeChat messages) to a ticket's or booking's holder, enqueued in
//! the transaction of the change they report (the platform's outbox sends
//! them). Only holders who gave a phone number, or turned on WeChat reminders
//! for the ticket, get any.

use crate::entity::ticket;
use govhall_kernel::error::AppResult;
use govhall_notify::{Sms, WeChatMessage, enqueue_sms, enqueue_wechat};
use govhall_platform::AppState;
use sea_orm::ConnectionTrait;

/// Enqueues `text` for the ticket's holder: by SMS if they gave a phone, by
/// WeChat if they turned it on.
pub(crate) async fn to_holder<C: ConnectionTrait>(
    conn: &C,
    state: &AppState,
    t: &ticket::Model,
    kind: &str,
    params: serde_json::Value,
    text: String,
    dedupe_key: String,
) -> AppResult<()> {
    if let Some(openid) = t
        .wechat_openid_enc
        .as_deref()
        .and_then(|enc| state.pii.decrypt(enc).ok())
    {
        enqueue_wechat(
            conn,
            state.pii.as_ref(),
            WeChatMessage {
                hall_id: Some(&t.hall_id),
                openid: &openid,
                kind,
                params: params.clone(),
                text: text.clone(),
                link: crate::wechat::ticket_link(state, t),
                dedupe_key: format!("wx:{dedupe_key}"),
            },
        )
        .await?;
    }
    let Some(phone) = t
        .phone_enc
        .as_deref()
        .and_then(|enc| state.pii.decrypt(enc).ok())
    else {
        return Ok(());
    };
    to_phone(
        conn, state, &t.hall_id, &phone, kind, params, text, dedupe_key, None,
    )
    .await
}

/// Enqueues an SMS to `phone`; `secret` is a code the text carries (签到码),
/// which the outbox keeps encrypted and shows masked.
#[allow(clippy::too_many_arguments)]
pub async fn to_phone<C: ConnectionTrait>(
    conn: &C,
    state: &AppState,
    hall_id: &str,
    phone: &str,
    kind: &str,
    params: serde_json::Value,
    text: String,
    dedupe_key: String,
    secret: Option<&str>,
) -> AppResult<()> {
    enqueue_sms(
        conn,
        state.pii.as_ref(),
        Sms {
            hall_id: Some(hall_id),
            phone,
            kind,
            params,
            text,
            dedupe_key,
            secret,
        },
    )
    .await?;
    Ok(())
}

/// 即将叫到: the holder of `t`, now `n` places from the front of its line.
pub(crate) async fn soon<C: ConnectionTrait>(
    conn: &C,
    state: &AppState,
    t: &ticket::Model,
    n: u32,
) -> AppResult<()> {
    let text = format!(
        "您的 {} 号前面还有 {n} 人，请回到大厅留意叫号，过号需重新排队。",
        t.number
    );
    let key = format!("soon:{}", t.id);
    to_holder(
        conn,
        state,
        t,
        "ticket.soon",
        serde_json::json!({"number": t.number, "ahead": n}),
        text,
        key,
    )
    .await
}

//! WeChat reminders for a ticket: a holder following the ticket inside WeChat
//! is identified by the hall's 公众号 (silent web authorization, no consent
//! page) and from then on the ticket's reminders — 即将叫到, 叫号, 转号, 评价 —
//! go to WeChat as well as to any phone number they gave.
//!
//! The round trip carries the ticket in a signed `state` (ticket, expiry,
//! keyed MAC), so the callback needs no session and a forged or replayed-late
//! state changes nothing.

use crate::{entity::ticket, tickets};
use chrono::Utc;
use govhall_kernel::{AppError, crypto::sm3_hex, error::AppResult};
use govhall_notify::wechat::WeChat;
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write, lock_hall},
    events::{Actor, commit_with},
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};

/// How long the citizen has to come back from WeChat's authorization.
const STATE_SECONDS: i64 = 600;

/// Where WeChat returns the phone to (under the 公众号's 网页授权域名).
pub const CALLBACK_PATH: &str = "/api/v1/public/wechat/callback";

fn wechat(state: &AppState) -> AppResult<WeChat> {
    WeChat::from_config(&state.config).ok_or_else(|| AppError::Conflict {
        message: "本大厅未开通微信提醒".into(),
        fields: vec![],
    })
}

/// The keyed MAC of a state: only this server (its PII key) can make one.
fn mac(state: &AppState, ticket_id: &str, expires: i64) -> String {
    let full = state
        .pii
        .blind_index(&format!("wechat-state:{ticket_id}:{expires}"));
    full[..16].to_string()
}

/// `ticket.expires.mac`.
pub fn signed_state(state: &AppState, ticket_id: &str, expires: i64) -> String {
    format!("{ticket_id}.{expires}.{}", mac(state, ticket_id, expires))
}

/// A state this server signed: the ticket it names and whether it is still
/// fresh (an expired one still says which page to return to).
pub struct SignedState {
    pub ticket_id: String,
    pub fresh: bool,
}

/// `None` when this server did not sign `signed`.
pub fn verify_state(state: &AppState, signed: &str) -> Option<SignedState> {
    let mut parts = signed.splitn(3, '.');
    let (id, expires, given) = (parts.next()?, parts.next()?, parts.next()?);
    let expires: i64 = expires.parse().ok()?;
    (given == mac(state, id, expires)).then(|| SignedState {
        ticket_id: id.to_string(),
        fresh: expires >= Utc::now().timestamp(),
    })
}

/// The holder asks for WeChat reminders: where to send the phone (WeChat's
/// authorization page, returning to `base` + `CALLBACK_PATH`).
pub async fn start(state: &AppState, id: &str, token: &str, base: &str) -> AppResult<String> {
    let wechat = wechat(state)?;
    let t = tickets::find(state, id).await?;
    if sm3_hex(token.as_bytes()) != t.token_hash {
        return Err(AppError::not_found("号票"));
    }
    if !tickets::ACTIVE.contains(&t.status.as_str()) {
        return Err(AppError::Conflict {
            message: format!("{} 号已结束，无需开启提醒", t.number),
            fields: vec![],
        });
    }
    let expires = Utc::now().timestamp() + STATE_SECONDS;
    Ok(wechat.authorize_url(
        &format!("{base}{CALLBACK_PATH}"),
        &signed_state(state, &t.id, expires),
    ))
}

/// WeChat came back with a `code` for the ticket the state names: its openid
/// is stored (encrypted) on the ticket. Returns the ticket.
pub(crate) async fn finish(
    state: &AppState,
    code: &str,
    ticket_id: &str,
) -> AppResult<ticket::Model> {
    let wechat = wechat(state)?;
    if code.trim().is_empty() {
        return Err(AppError::BadRequest("微信未返回授权码（code）".into()));
    }
    let openid = wechat.openid(code).await.map_err(AppError::BadRequest)?;
    let t = tickets::find(state, ticket_id).await?;
    let txn = begin_write(&state.db).await.db_err()?;
    // The engine keeps the hall's tickets in memory: it must reload this one.
    lock_hall(&txn, &t.hall_id).await.db_err()?;
    let t = ticket::Entity::find_by_id(ticket_id.to_string())
        .one(&txn)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("号票"))?;
    let mut row: ticket::ActiveModel = t.into();
    row.wechat_openid_enc = Set(Some(state.pii.encrypt(&openid)));
    let t = row.update(&txn).await.db_err()?;
    crate::engine::touch(&txn, &t.hall_id).await?;
    let ev = crate::events::TICKET_WECHAT_BOUND.event(
        Some(&t.hall_id),
        &crate::events::TicketWechatBound {
            ticket_id: t.id.clone(),
            number: t.number.clone(),
        },
    );
    let citizen = Actor {
        id: None,
        name: "取号人".into(),
    };
    commit_with(state, txn, &citizen, vec![ev]).await?;
    Ok(t)
}

/// The ticket's page on the phone, opened from a WeChat message (the phone
/// keeps the ticket's token from its first visit). Needs `public_url`: a
/// message is composed with no request to take the address from.
pub(crate) fn ticket_link(state: &AppState, t: &ticket::Model) -> Option<String> {
    let base = state.config.public_url.as_deref()?.trim_end_matches('/');
    (!base.is_empty()).then(|| format!("{base}/mobile/?hall={}&ticket={}", t.hall_id, t.id))
}

//! SMS to the applicant's contact phone, enqueued in the transaction of the
//! change they report (the platform's outbox sends them): what to bring for a
//! 补正, that the case was accepted, and that the result waits at the 出件 window.

use crate::entity::case;
use crate::status::Stage;
use crate::store;
use govhall_kernel::error::AppResult;
use govhall_notify::{Sms, enqueue_sms};
use govhall_platform::AppState;
use sea_orm::ConnectionTrait;

/// The message a case in its new stage sends, if any: (kind, text).
fn message(c: &case::Model) -> Option<(&'static str, String)> {
    let items: Vec<String> = serde_json::from_str(&c.correction_items).unwrap_or_default();
    Some(match store::stage_of(c) {
        Stage::Accepted => (
            "case.accepted",
            format!(
                "您申请的“{}”已受理，办件编号 {}，承诺 {} 前办结，可凭收件凭证上的查询密码查看进度。",
                c.item_name,
                c.number,
                c.due_on.map(|d| d.to_string()).unwrap_or_default()
            ),
        ),
        Stage::Correcting => (
            "case.correction",
            format!(
                "您申请的“{}”（办件编号 {}）需要补正：{}。请备齐后到任一综合窗口提交。",
                c.item_name,
                c.number,
                items.join("；")
            ),
        ),
        Stage::Ready => (
            "case.ready",
            format!(
                "您申请的“{}”（办件编号 {}）已办结，结果已到出件窗口，请携带身份证件领取。",
                c.item_name, c.number
            ),
        ),
        _ => return None,
    })
}

/// Enqueues the message of the case's new stage, once per change.
pub(crate) async fn on_change<C: ConnectionTrait>(
    conn: &C,
    state: &AppState,
    c: &case::Model,
) -> AppResult<()> {
    let Some((kind, text)) = message(c) else {
        return Ok(());
    };
    let Ok(phone) = state.pii.decrypt(&c.contact_phone_enc) else {
        return Ok(());
    };
    enqueue_sms(
        conn,
        state.pii.as_ref(),
        Sms {
            hall_id: Some(&c.hall_id),
            phone: &phone,
            kind,
            params: serde_json::json!({ "number": c.number, "item": c.item_name }),
            text,
            dedupe_key: format!("{kind}:{}:{}", c.id, c.updated_at.timestamp_millis()),
            secret: None,
        },
    )
    .await?;
    Ok(())
}

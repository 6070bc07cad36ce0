//! SMS to the applicant's contact phone, enqueued in the transaction of the
//! change they report (the platform's outbox sends them): what to bring for a
//! 补正, that the case was accepted, that the result waits at the 出件 window,
//! and that the hall revoked it (with the reason).

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
        Stage::Revoked => (
            "case.revoked",
            format!(
                "您申请的“{}”（办件编号 {}）已撤销，理由：{}。如有疑问请到政务服务中心咨询台咨询。",
                c.item_name,
                c.number,
                c.result_reason.as_deref().unwrap_or("")
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

/// One message for a 一件事 received as a joint intake: its number, every
/// member with where it stands, what is owed (once), and the members the
/// answers made unnecessary.
pub(crate) async fn on_joint_intake<C: ConnectionTrait>(
    conn: &C,
    state: &AppState,
    joint: &crate::entity::case_bundle::Model,
    cases: &[case::Model],
    not_needed: &[crate::joint::NotNeeded],
) -> AppResult<()> {
    let Some(first) = cases.first() else {
        return Ok(());
    };
    let Ok(phone) = state.pii.decrypt(&first.contact_phone_enc) else {
        return Ok(());
    };
    let members: Vec<String> = cases
        .iter()
        .map(|c| format!("{}（{}）", c.item_name, store::stage_of(c).label()))
        .collect();
    let mut owed: Vec<String> = Vec::new();
    for c in cases {
        for item in serde_json::from_str::<Vec<String>>(&c.correction_items).unwrap_or_default() {
            if !owed.contains(&item) {
                owed.push(item);
            }
        }
    }
    let mut text = format!(
        "您申请的一件事“{}”已在政务服务中心联办受理，一件事编号 {}，含：{}。",
        joint.bundle_name,
        joint.number,
        members.join("、")
    );
    if !owed.is_empty() {
        text.push_str(&format!(
            "需要补正：{}，请备齐后到任一综合窗口提交。",
            owed.join("；")
        ));
    }
    if !not_needed.is_empty() {
        let names: Vec<&str> = not_needed.iter().map(|n| n.task_name.as_str()).collect();
        text.push_str(&format!("按您的情形无需办理：{}。", names.join("、")));
    }
    text.push_str("可凭收件凭证上的查询密码查看全部进度。");
    enqueue_sms(
        conn,
        state.pii.as_ref(),
        Sms {
            hall_id: Some(&joint.hall_id),
            phone: &phone,
            kind: "case.joint",
            params: serde_json::json!({ "number": joint.number, "bundle": joint.bundle_name }),
            text,
            dedupe_key: format!("case.joint:{}", joint.id),
            secret: None,
        },
    )
    .await?;
    Ok(())
}

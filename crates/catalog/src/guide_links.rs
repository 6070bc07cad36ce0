//! 发送到手机: a guidance result (matter + answers) texted to a citizen's phone
//! as a short link — an SMS cannot carry the answers themselves. The kiosk or a
//! clerk sends it; the phone opens the link and shows the same checklist. Links
//! are random (unguessable) and kept 30 days; a hall sends at most
//! `HALL_HOURLY_LIMIT` an hour (each SMS costs money).

use crate::entity::{guide_link, item};
use crate::items::published_doc_of;
use crate::scenario::{self, Answers, Resolution};
use chrono::{Duration, Utc};
use govhall_kernel::{AppError, error::AppResult, validate::is_mobile_phone};
use govhall_notify::{Sms, enqueue_sms, sent_last_hour};
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write},
    events::{Actor, commit_with},
    halls::HallRef,
};
use rand::Rng;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

const KEEP_DAYS: i64 = 30;
const HALL_HOURLY_LIMIT: u64 = 300;
const KIND: &str = "guide_link";

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SendInput {
    /// 实施编码 of a published item.
    pub item: String,
    #[serde(default)]
    #[schema(value_type = Object)]
    pub answers: Answers,
    /// The citizen's mobile number.
    pub phone: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct GuideLink {
    /// 实施编码.
    pub item: String,
    #[schema(value_type = Object)]
    pub answers: Answers,
}

fn new_token() -> String {
    const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
    let mut rng = rand::rngs::OsRng;
    (0..10)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

/// Texts the result of `input` to the phone; returns the link sent.
pub async fn send(
    state: &AppState,
    actor: &Actor,
    h: &HallRef,
    input: SendInput,
    base_url: &str,
) -> AppResult<String> {
    let phone = input.phone.trim();
    if !is_mobile_phone(phone) {
        return Err(AppError::field("phone", "手机号须为 11 位中国大陆手机号"));
    }
    let it = item::Entity::find()
        .filter(item::Column::HallId.eq(&h.id))
        .filter(item::Column::TaskCode.eq(input.item.trim()))
        .one(&state.db)
        .await
        .db_err()?
        .filter(|i| i.published_version.is_some())
        .ok_or_else(|| AppError::field("item", "事项不存在或未发布"))?;
    let (_, doc) = published_doc_of(state, &it).await?;
    let materials = match scenario::resolve(&doc.scenarios(), &input.answers) {
        Ok(Resolution::Outcome { materials, .. }) => materials.len(),
        Ok(Resolution::Terminated { reason, .. }) => {
            return Err(AppError::field(
                "answers",
                format!("按所选情形不能办理：{reason}"),
            ));
        }
        Err(e) => return Err(AppError::field("answers", format!("情形未答完：{e}"))),
    };
    let now = Utc::now();
    let sent = sent_last_hour(&state.db, &h.id, KIND).await?;
    if sent >= HALL_HOURLY_LIMIT {
        return Err(AppError::TooManyAttempts(
            "本中心发送办事指南短信过于频繁，请稍后再试，或扫描二维码带走".into(),
        ));
    }
    let token = new_token();
    let url = format!("{base_url}/mobile/?hall={}&g={token}", h.code);
    let txn = begin_write(&state.db).await.db_err()?;
    guide_link::Entity::delete_many()
        .filter(guide_link::Column::CreatedAt.lt(now - Duration::days(KEEP_DAYS)))
        .exec(&txn)
        .await
        .db_err()?;
    guide_link::ActiveModel {
        token: Set(token.clone()),
        hall_id: Set(h.id.clone()),
        task_code: Set(it.task_code.clone()),
        answers: Set(serde_json::to_string(&input.answers).unwrap_or_else(|_| "{}".into())),
        created_at: Set(now),
    }
    .insert(&txn)
    .await
    .db_err()?;
    enqueue_sms(
        &txn,
        state.pii.as_ref(),
        Sms {
            hall_id: Some(&h.id),
            phone,
            kind: KIND,
            params: serde_json::json!({ "item": doc.task_name, "count": materials, "url": url }),
            text: format!(
                "【{}】您查询的“{}”办事指南（需准备材料 {materials} 项）：{url} ，{KEEP_DAYS} 天内有效。",
                h.name, doc.task_name
            ),
            dedupe_key: format!("{KIND}:{token}"),
            secret: None,
        },
    )
    .await?;
    let ev = crate::events::GUIDANCE_SENT.event(
        Some(&h.id),
        &crate::events::GuidanceSent {
            task_code: it.task_code.clone(),
            token: token.clone(),
            materials,
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    Ok(url)
}

/// The result behind a link (404 once it expired).
pub async fn open(state: &AppState, hall_id: &str, token: &str) -> AppResult<GuideLink> {
    guide_link::Entity::find_by_id(token.trim().to_string())
        .filter(guide_link::Column::HallId.eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?
        .filter(|l| l.created_at > Utc::now() - Duration::days(KEEP_DAYS))
        .map(|l| GuideLink {
            item: l.task_code,
            answers: serde_json::from_str(&l.answers).unwrap_or_default(),
        })
        .ok_or_else(|| AppError::not_found("办事指南链接（可能已过期）"))
}

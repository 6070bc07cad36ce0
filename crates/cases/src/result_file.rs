//! The result document a department attaches to a case (the licence or
//! decision as PDF, OFD or a scan): one per case, replaceable until the case is
//! delivered, stored encrypted (it names the applicant) with its SM3 digest.
//! Staff download it; the applicant downloads it from the progress page when
//! the case was delivered electronically (电子送达 needs it attached).

use crate::entity::{case, result_file};
use crate::lifecycle::ensure_reviewer_of;
use crate::status::{Stage, Status};
use crate::store::{self, StepInput};
use base64::{Engine, engine::general_purpose::STANDARD};
use chrono::{DateTime, Utc};
use govhall_kernel::{AppError, crypto::sm3_hex, error::AppResult};
use govhall_platform::{
    AppState,
    auth::CurrentUser,
    db::{DbResultExt, begin_write},
    events::commit_with,
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, QuerySelect};
use serde::Serialize;
use utoipa::ToSchema;

/// Largest result document accepted.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ResultFileDto {
    pub name: String,
    pub size: i64,
    pub uploaded_at: DateTime<Utc>,
    pub uploaded_by_name: String,
}

/// The content type a file's name and first bytes agree on, or why not.
fn content_type(name: &str, body: &[u8]) -> Result<&'static str, &'static str> {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let (ct, magic): (&str, &[u8]) = match ext.as_str() {
        "pdf" => ("application/pdf", b"%PDF"),
        // OFD (GB/T 33190) is a ZIP package.
        "ofd" => ("application/ofd", b"PK"),
        "jpg" | "jpeg" => ("image/jpeg", &[0xFF, 0xD8, 0xFF]),
        "png" => ("image/png", &[0x89, b'P', b'N', b'G']),
        _ => return Err("结果文件只能是 PDF、OFD 或 JPG/PNG 图片"),
    };
    if body.starts_with(magic) {
        Ok(ct)
    } else {
        Err("文件内容与扩展名不符，请上传原始文件")
    }
}

/// Attaches (or replaces) a case's result document.
pub(crate) async fn attach(
    state: &AppState,
    user: &CurrentUser,
    hall_id: &str,
    case_id: &str,
    name: &str,
    body: &[u8],
) -> AppResult<case::Model> {
    let c = store::find(&state.db, hall_id, case_id).await?;
    let stage = store::stage_of(&c);
    if !matches!(
        stage,
        Stage::InReview | Stage::Special | Stage::Decided | Stage::Ready
    ) {
        return Err(AppError::Conflict {
            message: format!("办件当前为“{}”，不能上传结果文件", stage.label()),
            fields: vec![],
        });
    }
    ensure_reviewer_of(state, user, &c).await?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.contains(['/', '\\']) {
        return Err(AppError::field(
            "name",
            "文件名须为 1 到 100 字，且不能含路径",
        ));
    }
    if body.is_empty() || body.len() > MAX_BYTES {
        return Err(AppError::field(
            "file",
            format!("结果文件须大于 0、不超过 {} MB", MAX_BYTES / 1024 / 1024),
        ));
    }
    let ct = content_type(name, body).map_err(|e| AppError::field("file", e))?;
    let existing = result_file::Entity::find_by_id(c.id.clone())
        .select_only()
        .column(result_file::Column::CaseId)
        .into_tuple::<String>()
        .one(&state.db)
        .await
        .db_err()?;
    let now = Utc::now();
    let actor = user.actor();
    let digest = sm3_hex(body);
    let row = result_file::ActiveModel {
        case_id: Set(c.id.clone()),
        hall_id: Set(hall_id.to_string()),
        name: Set(name.to_string()),
        content_type: Set(ct.to_string()),
        size: Set(body.len() as i64),
        sm3: Set(digest.clone()),
        body_enc: Set(state.pii.encrypt(&STANDARD.encode(body))),
        uploaded_at: Set(now),
        uploaded_by_name: Set(actor.name.clone()),
    };
    let txn = begin_write(&state.db).await.db_err()?;
    if existing.is_some() {
        row.update(&txn).await.db_err()?;
    } else {
        row.insert(&txn).await.db_err()?;
    }
    let step = StepInput {
        action: "attach_result",
        stage,
        status: Status::from_code(c.status).unwrap_or(Status::InReview),
        opinion: format!("上传办理结果文件：{name}"),
        special_kind: None,
    };
    store::append_steps(&txn, &c.id, &actor, now, vec![step]).await?;
    let ev = store::event(
        &c,
        &crate::events::RESULT_FILE_ATTACHED,
        serde_json::json!({ "size": body.len(), "sm3": digest, "content_type": ct, "replaced": existing.is_some() }),
    );
    commit_with(state, txn, &actor, vec![ev]).await?;
    Ok(c)
}

/// What is attached to a case, without its bytes.
pub async fn info(state: &AppState, case_id: &str) -> AppResult<Option<ResultFileDto>> {
    use result_file::Column as C;
    Ok(result_file::Entity::find_by_id(case_id.to_string())
        .select_only()
        .columns([C::Name, C::Size, C::UploadedAt, C::UploadedByName])
        .into_tuple::<(String, i64, DateTime<Utc>, String)>()
        .one(&state.db)
        .await
        .db_err()?
        .map(
            |(name, size, uploaded_at, uploaded_by_name)| ResultFileDto {
                name,
                size,
                uploaded_at,
                uploaded_by_name,
            },
        ))
}

/// The file of a case: (name, content type, bytes).
pub async fn read(state: &AppState, case_id: &str) -> AppResult<(String, String, Vec<u8>)> {
    let row = result_file::Entity::find_by_id(case_id.to_string())
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("结果文件"))?;
    let bytes = state
        .pii
        .decrypt(&row.body_enc)
        .ok()
        .and_then(|b| STANDARD.decode(b).ok())
        .ok_or_else(|| AppError::internal("结果文件无法解密"))?;
    Ok((row.name, row.content_type, bytes))
}

/// The applicant may download the result: delivered electronically.
pub(crate) fn public(c: &case::Model) -> bool {
    store::stage_of(c) == Stage::Delivered && c.delivery_method.as_deref() == Some("电子送达")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_and_the_first_bytes_must_agree() {
        assert_eq!(
            content_type("许可证.PDF", b"%PDF-1.7"),
            Ok("application/pdf")
        );
        assert_eq!(content_type("a.ofd", b"PK\x03\x04"), Ok("application/ofd"));
        assert_eq!(
            content_type("scan.jpg", &[0xFF, 0xD8, 0xFF, 0xE0]),
            Ok("image/jpeg")
        );
        assert!(content_type("a.pdf", b"MZ\x90").is_err());
        assert!(content_type("a.exe", b"MZ").is_err());
        assert!(content_type("noext", b"%PDF").is_err());
    }
}

//! 合同扫描件: the signed pages of a contract, as PDF or photos (JPEG, PNG),
//! checked by their content (not their name), at most 10 MB each, kept
//! encrypted; the list shows names and sizes, the file itself is an
//! audited read. Scans are history: none is deleted.

use crate::entity::{contract, contract_scan};
use crate::events;
use base64::{Engine, engine::general_purpose::STANDARD as B64};
use chrono::{DateTime, Utc};
use govhall_kernel::{AppError, error::AppResult, new_id};
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write},
    events::{Actor, commit_with},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::Serialize;
use utoipa::ToSchema;

pub const MAX_BYTES: usize = 10 * 1024 * 1024;
const ALLOWED: &[&str] = &["application/pdf", "image/jpeg", "image/png"];

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScanDto {
    pub id: String,
    pub contract_id: String,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub uploaded_by: String,
    pub uploaded_at: DateTime<Utc>,
}

async fn contract_of_hall(state: &AppState, hall_id: &str, id: &str) -> AppResult<contract::Model> {
    contract::Entity::find_by_id(id.to_string())
        .filter(contract::Column::HallId.eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("劳动合同"))
}

/// A contract's scans (without their content), oldest first.
pub async fn list(state: &AppState, hall_id: &str, contract_id: &str) -> AppResult<Vec<ScanDto>> {
    contract_of_hall(state, hall_id, contract_id).await?;
    Ok(contract_scan::Entity::find()
        .select_only()
        .columns([
            contract_scan::Column::Id,
            contract_scan::Column::ContractId,
            contract_scan::Column::FileName,
            contract_scan::Column::ContentType,
            contract_scan::Column::Size,
            contract_scan::Column::UploadedBy,
            contract_scan::Column::UploadedAt,
        ])
        .filter(contract_scan::Column::ContractId.eq(contract_id))
        .order_by_asc(contract_scan::Column::UploadedAt)
        .into_tuple::<(String, String, String, String, i64, String, DateTime<Utc>)>()
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .map(
            |(id, contract_id, file_name, content_type, size, uploaded_by, uploaded_at)| ScanDto {
                id,
                contract_id,
                file_name,
                content_type,
                size,
                uploaded_by,
                uploaded_at,
            },
        )
        .collect())
}

/// Keeps a scan of the contract.
pub async fn upload(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    contract_id: &str,
    file_name: &str,
    bytes: &[u8],
) -> AppResult<ScanDto> {
    let c = contract_of_hall(state, hall_id, contract_id).await?;
    if bytes.is_empty() {
        return Err(AppError::field("file", "文件是空的"));
    }
    if bytes.len() > MAX_BYTES {
        return Err(AppError::field(
            "file",
            "扫描件不能超过 10 MB（可分页上传）",
        ));
    }
    let kind = infer::get(bytes).map(|t| t.mime_type());
    let Some(content_type) = kind.filter(|k| ALLOWED.contains(k)) else {
        return Err(AppError::field(
            "file",
            "只接受 PDF、JPEG 或 PNG 格式的扫描件（按文件内容判断）",
        ));
    };
    let name = file_name.trim();
    let name = if name.is_empty() {
        format!("{}-扫描件", c.number)
    } else {
        name.chars().take(100).collect()
    };
    let txn = begin_write(&state.db).await.db_err()?;
    let row = contract_scan::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall_id.to_string()),
        contract_id: Set(c.id.clone()),
        file_name: Set(name),
        content_type: Set(content_type.to_string()),
        size: Set(bytes.len() as i64),
        content_enc: Set(state.pii.encrypt(&B64.encode(bytes))),
        uploaded_by: Set(actor.name.clone()),
        uploaded_at: Set(Utc::now()),
    }
    .insert(&txn)
    .await
    .db_err()?;
    let ev = events::CONTRACT_SCANNED.event(
        Some(hall_id),
        &events::ContractScanned {
            contract_id: c.id.clone(),
            scan_id: row.id.clone(),
            size: row.size,
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    Ok(ScanDto {
        id: row.id,
        contract_id: row.contract_id,
        file_name: row.file_name,
        content_type: row.content_type,
        size: row.size,
        uploaded_by: row.uploaded_by,
        uploaded_at: row.uploaded_at,
    })
}

/// A scan's name, type and bytes.
pub async fn file(
    state: &AppState,
    hall_id: &str,
    contract_id: &str,
    scan_id: &str,
) -> AppResult<(String, String, Vec<u8>)> {
    contract_of_hall(state, hall_id, contract_id).await?;
    let row = contract_scan::Entity::find_by_id(scan_id.to_string())
        .filter(contract_scan::Column::ContractId.eq(contract_id))
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("合同扫描件"))?;
    let text = state
        .pii
        .decrypt(&row.content_enc)
        .map_err(AppError::internal)?;
    let bytes = B64.decode(text).map_err(AppError::internal)?;
    Ok((row.file_name, row.content_type, bytes))
}

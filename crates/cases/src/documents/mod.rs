//! The documents a window prints (`cases.md`): 收件凭证, 受理通知书,
//! 一次性告知书, 不予受理通知书, 办结通知 and the 材料交接单 — PDF in the font the
//! binary carries, each with the case number and (for the citizen's copies) a QR
//! code to the progress page, worded by the hall's editable templates.

pub mod render;
pub mod sample;
pub mod templates;

use crate::entity::{case, handover, handover_case, material};
use crate::status::Stage;
use crate::store;
use govhall_directory::Hall;
use govhall_kernel::{AppError, error::AppResult};
use govhall_platform::{AppState, db::DbResultExt};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// 收件凭证
    Receipt,
    /// 受理通知书
    Acceptance,
    /// 一次性告知书
    Correction,
    /// 不予受理通知书
    Refusal,
    /// 办结通知
    Completion,
    /// 材料交接单
    Handover,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Receipt,
        Kind::Acceptance,
        Kind::Correction,
        Kind::Refusal,
        Kind::Completion,
        Kind::Handover,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Receipt => "receipt",
            Kind::Acceptance => "acceptance",
            Kind::Correction => "correction",
            Kind::Refusal => "refusal",
            Kind::Completion => "completion",
            Kind::Handover => "handover",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Receipt => "收件凭证",
            Kind::Acceptance => "受理通知书",
            Kind::Correction => "一次性告知书",
            Kind::Refusal => "不予受理通知书",
            Kind::Completion => "办结通知",
            Kind::Handover => "材料交接单",
        }
    }

    pub fn parse(code: &str) -> AppResult<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .ok_or_else(|| {
                AppError::field(
                    "kind",
                    format!("文书类型只能是 {}", Kind::ALL.map(Kind::code).join(" / ")),
                )
            })
    }
}

/// The citizen's documents a case has reached (the window's print buttons).
pub(crate) fn available(c: &case::Model) -> Vec<Kind> {
    let stage = store::stage_of(c);
    let mut kinds = vec![Kind::Receipt];
    if c.correction_items.trim() != "[]" && !c.correction_items.trim().is_empty() {
        kinds.push(Kind::Correction);
    }
    if c.accepted_on.is_some() {
        kinds.push(Kind::Acceptance);
    }
    if stage == Stage::Refused {
        kinds.push(Kind::Refusal);
    }
    if c.decided_at.is_some() && stage != Stage::Revoked {
        kinds.push(Kind::Completion);
    }
    kinds
}

async fn hall_of(state: &AppState, hall_id: &str) -> AppResult<Hall> {
    govhall_directory::service::hall(state, hall_id).await
}

async fn materials_of(state: &AppState, case_id: &str) -> AppResult<Vec<material::Model>> {
    material::Entity::find()
        .filter(material::Column::CaseId.eq(case_id))
        .order_by_asc(material::Column::SortOrder)
        .all(&state.db)
        .await
        .db_err()
}

/// A case's document as PDF, with the file name to save it under.
pub async fn case_pdf(
    state: &AppState,
    hall_id: &str,
    case_id: &str,
    kind: Kind,
    base: &str,
) -> AppResult<(String, Vec<u8>)> {
    let c = store::find(&state.db, hall_id, case_id).await?;
    if kind == Kind::Handover || !available(&c).contains(&kind) {
        return Err(AppError::Conflict {
            message: format!("办件尚未到出具{}的环节", kind.label()),
            fields: vec![],
        });
    }
    let hall = hall_of(state, hall_id).await?;
    let tpl = templates::get(state, hall_id, kind).await?.template;
    let materials = materials_of(state, &c.id).await?;
    let code = state.pii.decrypt(&c.query_code_enc).unwrap_or_default();
    let url = format!(
        "{base}/mobile/?hall={}&case={}#code={code}",
        hall.code, c.number
    );
    let facts = render::CaseFacts {
        hall: &hall,
        case: &c,
        materials: &materials,
        query_code: &code,
        applicant_cert: state
            .pii
            .decrypt(&c.applicant_cert_enc)
            .map(|v| govhall_kernel::mask::mask_id_card(&v))
            .unwrap_or_default(),
        progress_url: &url,
    };
    let bytes = render::case_document(kind, &tpl, &facts).map_err(AppError::internal)?;
    Ok((format!("{}-{}.pdf", kind.label(), c.number), bytes))
}

/// A handover sheet as PDF, with the file name to save it under.
pub async fn handover_pdf(
    state: &AppState,
    hall_id: &str,
    sheet_id: &str,
) -> AppResult<(String, Vec<u8>)> {
    let sheet = handover::Entity::find_by_id(sheet_id)
        .filter(handover::Column::HallId.eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("交接单"))?;
    let hall = hall_of(state, hall_id).await?;
    let tpl = templates::get(state, hall_id, Kind::Handover)
        .await?
        .template;
    let entries = handover_case::Entity::find()
        .filter(handover_case::Column::HandoverId.eq(&sheet.id))
        .all(&state.db)
        .await
        .db_err()?;
    // The paper that travels: cases sent back are not on the printed sheet
    // (unless every one was, when it prints what it held).
    let all_back = entries.iter().all(|e| e.returned_at.is_some());
    let ids: Vec<String> = entries
        .into_iter()
        .filter(|e| all_back || e.returned_at.is_none())
        .map(|e| e.case_id)
        .collect();
    let cases = case::Entity::find()
        .filter(case::Column::Id.is_in(ids))
        .order_by_asc(case::Column::Number)
        .all(&state.db)
        .await
        .db_err()?;
    let mut rows = Vec::with_capacity(cases.len());
    for c in cases {
        let materials = materials_of(state, &c.id).await?;
        rows.push((c, materials));
    }
    let bytes =
        render::handover_document(&tpl, &hall, &sheet, &rows).map_err(AppError::internal)?;
    Ok((format!("材料交接单-{}.pdf", sheet.number), bytes))
}

/// A template rendered on the sample case before it is saved (checked first,
/// like a save: an unknown placeholder is named).
pub async fn preview(
    state: &AppState,
    hall_id: &str,
    kind: Kind,
    tpl: &templates::Template,
    base: &str,
) -> AppResult<(String, Vec<u8>)> {
    templates::check(tpl)?;
    let hall = hall_of(state, hall_id).await?;
    let c = sample::case(hall_id, kind);
    let materials = sample::materials(kind);
    let bytes = if kind == Kind::Handover {
        render::handover_document(tpl, &hall, &sample::sheet(hall_id), &[(c, materials)])
    } else {
        let url = format!("{base}/mobile/?hall={}", hall.code);
        let facts = render::CaseFacts {
            hall: &hall,
            case: &c,
            materials: &materials,
            query_code: "SAMPLE88",
            applicant_cert: "610116********1234".into(),
            progress_url: &url,
        };
        render::case_document(kind, tpl, &facts)
    }
    .map_err(AppError::internal)?;
    Ok((format!("{}-预览.pdf", kind.label()), bytes))
}

//! 材料流转: the front desk packs accepted cases for one department into a
//! handover sheet (材料交接单); the department signs for the sheet, which
//! starts its review of every case on it — or sends cases back to the front
//! desk with the reason (papers missing, wrong department), which puts them
//! right and hands them over on a new sheet. A sheet not signed by the end of
//! the next working day is flagged.

use crate::entity::{case, handover, handover_case};
use crate::events::{self, HandoverEvent};
use crate::lifecycle::{Act, Acting, Planned, apply, plan};
use crate::store;
use chrono::{DateTime, Utc};
use govhall_kernel::{AppError, error::AppResult, new_id};
use govhall_platform::{
    AppState,
    auth::CurrentUser,
    db::{DbResultExt, begin_write, lock_hall},
    events::{EventType, NewEvent, commit_with},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// At most this many cases on one sheet.
const MAX_CASES: usize = 200;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SheetCase {
    pub id: String,
    pub number: String,
    pub item_name: String,
    pub applicant_name: String,
    pub stage_label: String,
    /// Paper materials handed over with it.
    pub paper: usize,
    /// Sent back to the front desk instead of signed for: when and why.
    pub returned_at: Option<DateTime<Utc>>,
    pub return_reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HandoverDto {
    pub id: String,
    pub number: String,
    pub department_id: Option<String>,
    pub department_name: String,
    pub created_at: DateTime<Utc>,
    pub created_by_name: String,
    pub signed_at: Option<DateTime<Utc>>,
    pub signed_by_name: Option<String>,
    /// Every case on it was sent back: nothing is left to sign.
    pub returned_at: Option<DateTime<Utc>>,
    /// Neither signed nor sent back after the next working day.
    pub overdue: bool,
    pub cases: Vec<SheetCase>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct HandoverInput {
    /// Accepted cases of one department.
    pub case_ids: Vec<String>,
}

/// The department sends cases of a sheet back to the front desk.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ReturnInput {
    /// Cases of the sheet to send back; none listed: every case not yet sent back.
    #[serde(default)]
    pub case_ids: Vec<String>,
    /// 退回原因, shown to the front desk on each case.
    #[serde(default)]
    pub opinion: Option<String>,
}

/// Plans `action` for every case, refusing the whole batch on the first problem.
async fn plan_all(
    state: &AppState,
    user: &CurrentUser,
    hall_id: &str,
    case_ids: &[String],
    act: Act,
) -> AppResult<Vec<Planned>> {
    let mut planned = Vec::with_capacity(case_ids.len());
    for id in case_ids {
        planned.push(plan(state, user, hall_id, id, Acting::bare(act.clone())).await?);
    }
    Ok(planned)
}

/// Packs accepted cases for their department into one sheet.
pub async fn hand_over(
    state: &AppState,
    user: &CurrentUser,
    hall_id: &str,
    input: HandoverInput,
) -> AppResult<HandoverDto> {
    let mut ids = input.case_ids;
    ids.sort();
    ids.dedup();
    if ids.is_empty() || ids.len() > MAX_CASES {
        return Err(AppError::field(
            "case_ids",
            format!("一张交接单须有 1 到 {MAX_CASES} 件办件"),
        ));
    }
    let cases: Vec<case::Model> = case::Entity::find()
        .filter(case::Column::HallId.eq(hall_id))
        .filter(case::Column::Id.is_in(ids.clone()))
        .all(&state.db)
        .await
        .db_err()?;
    if cases.len() != ids.len() {
        return Err(AppError::field("case_ids", "办件不存在或不属于本大厅"));
    }
    let first = &cases[0];
    if cases.iter().any(|c| {
        c.department_id != first.department_id || c.department_name != first.department_name
    }) {
        return Err(AppError::field(
            "case_ids",
            "一张交接单只能交给一个部门，请按承办部门分开交接",
        ));
    }
    let planned = plan_all(state, user, hall_id, &ids, Act::HandOver).await?;
    let now = Utc::now();
    let actor = user.actor();
    let txn = begin_write(&state.db).await.db_err()?;
    lock_hall(&txn, hall_id).await.db_err()?;
    let today = store::local_date(now);
    let start = today
        .and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(govhall_kernel::time::HALL_TZ).single())
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(now);
    let seq = handover::Entity::find()
        .filter(handover::Column::HallId.eq(hall_id))
        .filter(handover::Column::CreatedAt.gte(start))
        .count(&txn)
        .await
        .db_err()?
        + 1;
    let sheet = handover::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall_id.to_string()),
        number: Set(format!("JJ{}{seq:03}", today.format("%Y%m%d"))),
        department_id: Set(first.department_id.clone()),
        department_name: Set(first.department_name.clone()),
        created_at: Set(now),
        created_by_name: Set(actor.name.clone()),
        signed_at: Set(None),
        signed_by_name: Set(None),
        returned_at: Set(None),
    }
    .insert(&txn)
    .await
    .db_err()?;
    let mut events = Vec::new();
    for p in planned {
        let (c, ev) = apply(
            state,
            &txn,
            p,
            &actor,
            serde_json::json!({ "handover_id": sheet.id, "handover_number": sheet.number }),
        )
        .await?;
        handover_case::ActiveModel {
            handover_id: Set(sheet.id.clone()),
            case_id: Set(c.id),
            returned_at: Set(None),
            returned_by_name: Set(None),
            return_reason: Set(None),
        }
        .insert(&txn)
        .await
        .db_err()?;
        events.push(ev);
    }
    events.push(sheet_event(&sheet, &events::HANDOVER_CREATED, ids.len()));
    commit_with(state, txn, &actor, events).await?;
    let calendar = govhall_directory::calendar::load(state).await?;
    dto(state, &calendar, sheet).await
}

fn sheet_event(s: &handover::Model, kind: &EventType<HandoverEvent>, cases: usize) -> NewEvent {
    kind.event(
        Some(&s.hall_id),
        &HandoverEvent {
            handover_id: s.id.clone(),
            number: s.number.clone(),
            department_id: s.department_id.clone(),
            cases,
        },
    )
}

/// The cases on a sheet, sent back or not.
async fn entries_of(state: &AppState, sheet_id: &str) -> AppResult<Vec<handover_case::Model>> {
    handover_case::Entity::find()
        .filter(handover_case::Column::HandoverId.eq(sheet_id))
        .all(&state.db)
        .await
        .db_err()
}

/// The cases on a sheet still waiting for the department (not sent back).
async fn open_case_ids(state: &AppState, sheet_id: &str) -> AppResult<Vec<String>> {
    Ok(entries_of(state, sheet_id)
        .await?
        .into_iter()
        .filter(|e| e.returned_at.is_none())
        .map(|e| e.case_id)
        .collect())
}

/// A sheet of this hall that the department has neither signed nor sent back.
async fn open_sheet(state: &AppState, hall_id: &str, sheet_id: &str) -> AppResult<handover::Model> {
    let sheet = handover::Entity::find_by_id(sheet_id.to_string())
        .filter(handover::Column::HallId.eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("交接单"))?;
    let closed = if sheet.signed_at.is_some() {
        Some("已签收")
    } else if sheet.returned_at.is_some() {
        Some("已全部退回")
    } else {
        None
    };
    if let Some(closed) = closed {
        return Err(AppError::Conflict {
            message: format!("交接单 {} {closed}", sheet.number),
            fields: vec![],
        });
    }
    Ok(sheet)
}

/// Closes a sheet as signed or as sent back, guarded like a case: of two
/// people closing it at once, one wins and the other is told.
async fn close(
    txn: &sea_orm::DatabaseTransaction,
    sheet: &handover::Model,
    closing: handover::ActiveModel,
) -> AppResult<()> {
    let done = handover::Entity::update_many()
        .set(closing)
        .filter(handover::Column::Id.eq(&sheet.id))
        .filter(handover::Column::SignedAt.is_null())
        .filter(handover::Column::ReturnedAt.is_null())
        .exec(txn)
        .await
        .db_err()?;
    if done.rows_affected != 1 {
        return Err(AppError::Conflict {
            message: format!("交接单 {} 刚被他人签收或退回，请刷新后再试", sheet.number),
            fields: vec![],
        });
    }
    Ok(())
}

/// The department signs for a sheet: every case on it (not sent back) enters review.
pub async fn sign(
    state: &AppState,
    user: &CurrentUser,
    hall_id: &str,
    sheet_id: &str,
) -> AppResult<HandoverDto> {
    let sheet = open_sheet(state, hall_id, sheet_id).await?;
    let ids = open_case_ids(state, &sheet.id).await?;
    let planned = plan_all(state, user, hall_id, &ids, Act::SignFor).await?;
    let actor = user.actor();
    let now = Utc::now();
    let txn = begin_write(&state.db).await.db_err()?;
    // Signing and sending back touch the sheet and its cases in different
    // orders; taking the hall first keeps them from deadlocking each other.
    lock_hall(&txn, hall_id).await.db_err()?;
    close(
        &txn,
        &sheet,
        handover::ActiveModel {
            signed_at: Set(Some(now)),
            signed_by_name: Set(Some(actor.name.clone())),
            ..Default::default()
        },
    )
    .await?;
    let mut events = Vec::new();
    for p in planned {
        let extra = serde_json::json!({ "handover_id": sheet.id, "handover_number": sheet.number });
        events.push(apply(state, &txn, p, &actor, extra).await?.1);
    }
    events.push(sheet_event(&sheet, &events::HANDOVER_SIGNED, ids.len()));
    commit_with(state, txn, &actor, events).await?;
    let signed = handover::Entity::find_by_id(sheet.id)
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("交接单"))?;
    let calendar = govhall_directory::calendar::load(state).await?;
    dto(state, &calendar, signed).await
}

/// The department sends cases of an unsigned sheet back to the front desk
/// with the reason; when none is left the sheet is closed as sent back.
pub async fn send_back(
    state: &AppState,
    user: &CurrentUser,
    hall_id: &str,
    sheet_id: &str,
    input: ReturnInput,
) -> AppResult<HandoverDto> {
    let sheet = open_sheet(state, hall_id, sheet_id).await?;
    let open = open_case_ids(state, &sheet.id).await?;
    let mut ids = if input.case_ids.is_empty() {
        open.clone()
    } else {
        input.case_ids
    };
    ids.sort();
    ids.dedup();
    if let Some(stray) = ids.iter().find(|id| !open.contains(id)) {
        return Err(AppError::field(
            "case_ids",
            format!("办件 {stray} 不在交接单 {} 上或已退回", sheet.number),
        ));
    }
    let opinion = input.opinion.clone();
    let mut planned = Vec::with_capacity(ids.len());
    for id in &ids {
        let acting = Acting {
            act: Act::ReturnHandover,
            window_id: None,
            opinion: opinion.clone(),
        };
        planned.push(plan(state, user, hall_id, id, acting).await?);
    }
    let actor = user.actor();
    let now = Utc::now();
    let reason = opinion.map(|o| o.trim().to_string());
    let txn = begin_write(&state.db).await.db_err()?;
    lock_hall(&txn, hall_id).await.db_err()?;
    let done = handover_case::Entity::update_many()
        .set(handover_case::ActiveModel {
            returned_at: Set(Some(now)),
            returned_by_name: Set(Some(actor.name.clone())),
            return_reason: Set(reason),
            ..Default::default()
        })
        .filter(handover_case::Column::HandoverId.eq(&sheet.id))
        .filter(handover_case::Column::CaseId.is_in(ids.clone()))
        .filter(handover_case::Column::ReturnedAt.is_null())
        .exec(&txn)
        .await
        .db_err()?;
    if done.rows_affected != ids.len() as u64 {
        return Err(AppError::Conflict {
            message: format!("交接单 {} 刚被他人处理，请刷新后再试", sheet.number),
            fields: vec![],
        });
    }
    let mut events = Vec::new();
    for p in planned {
        let extra = serde_json::json!({ "handover_id": sheet.id, "handover_number": sheet.number });
        events.push(apply(state, &txn, p, &actor, extra).await?.1);
    }
    if ids.len() == open.len() {
        // Nothing left to sign on it.
        let returned = handover::ActiveModel {
            returned_at: Set(Some(now)),
            ..Default::default()
        };
        close(&txn, &sheet, returned).await?;
    }
    events.push(sheet_event(&sheet, &events::HANDOVER_RETURNED, ids.len()));
    commit_with(state, txn, &actor, events).await?;
    let now_sheet = handover::Entity::find_by_id(sheet.id)
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("交接单"))?;
    let calendar = govhall_directory::calendar::load(state).await?;
    dto(state, &calendar, now_sheet).await
}

/// The sheet a case waits on: neither signed nor sent back (signing for one
/// case signs its sheet; sending one back sends it back from that sheet).
pub async fn open_sheet_of(state: &AppState, case_id: &str) -> AppResult<Option<String>> {
    let on: Vec<String> = handover_case::Entity::find()
        .filter(handover_case::Column::CaseId.eq(case_id))
        .filter(handover_case::Column::ReturnedAt.is_null())
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .map(|i| i.handover_id)
        .collect();
    Ok(handover::Entity::find()
        .filter(handover::Column::Id.is_in(on))
        .filter(handover::Column::SignedAt.is_null())
        .filter(handover::Column::ReturnedAt.is_null())
        .one(&state.db)
        .await
        .db_err()?
        .map(|s| s.id))
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HandoverQuery {
    /// Department id (its inbox of sheets).
    pub department: Option<String>,
    /// Only sheets waiting for the department (neither signed nor sent back).
    pub unsigned: Option<bool>,
}

pub async fn list(
    state: &AppState,
    hall_id: &str,
    q: &HandoverQuery,
) -> AppResult<Vec<HandoverDto>> {
    let mut find = handover::Entity::find().filter(handover::Column::HallId.eq(hall_id));
    if let Some(d) = q.department.as_deref().filter(|d| !d.is_empty()) {
        find = find.filter(handover::Column::DepartmentId.eq(d));
    }
    if q.unsigned == Some(true) {
        find = find
            .filter(handover::Column::SignedAt.is_null())
            .filter(handover::Column::ReturnedAt.is_null());
    }
    let sheets = find
        .order_by_desc(handover::Column::CreatedAt)
        .all(&state.db)
        .await
        .db_err()?;
    // One calendar for the whole list, not one per sheet.
    let calendar = govhall_directory::calendar::load(state).await?;
    let mut out = Vec::with_capacity(sheets.len());
    for s in sheets.into_iter().take(500) {
        out.push(dto(state, &calendar, s).await?);
    }
    Ok(out)
}

async fn dto(
    state: &AppState,
    calendar: &govhall_kernel::calendar::WorkCalendar,
    s: handover::Model,
) -> AppResult<HandoverDto> {
    let entries = entries_of(state, &s.id).await?;
    let ids: Vec<String> = entries.iter().map(|e| e.case_id.clone()).collect();
    let cases = case::Entity::find()
        .filter(case::Column::Id.is_in(ids.clone()))
        .order_by_asc(case::Column::Number)
        .all(&state.db)
        .await
        .db_err()?;
    let paper = crate::entity::material::Entity::find()
        .filter(crate::entity::material::Column::CaseId.is_in(ids))
        .all(&state.db)
        .await
        .db_err()?;
    let today = store::local_date(Utc::now());
    let overdue = s.signed_at.is_none()
        && s.returned_at.is_none()
        && calendar.add_working_days(store::local_date(s.created_at), 1) < today;
    Ok(HandoverDto {
        cases: cases
            .into_iter()
            .map(|c| {
                let entry = entries.iter().find(|e| e.case_id == c.id);
                SheetCase {
                    returned_at: entry.and_then(|e| e.returned_at),
                    return_reason: entry.and_then(|e| e.return_reason.clone()),
                    paper: paper
                        .iter()
                        .filter(|m| {
                            m.case_id == c.id
                                && matches!(m.way.as_str(), "paper_original" | "paper_copy")
                        })
                        .count(),
                    stage_label: store::stage_of(&c).label().into(),
                    id: c.id,
                    number: c.number,
                    item_name: c.item_name,
                    applicant_name: c.applicant_name,
                }
            })
            .collect(),
        overdue,
        id: s.id,
        number: s.number,
        department_id: s.department_id,
        department_name: s.department_name,
        created_at: s.created_at,
        created_by_name: s.created_by_name,
        signed_at: s.signed_at,
        signed_by_name: s.signed_by_name,
        returned_at: s.returned_at,
    })
}

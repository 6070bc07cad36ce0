//! 福利: welfare items (节日福利, 体检 …) with their cost a head, and who
//! received each — recorded in one go for a list of people; a person is
//! recorded once per item. The item shows who has not received it yet.

use crate::entity::{welfare_item, welfare_receipt};
use crate::events;
use crate::money::{fen, yuan};
use chrono::{NaiveDate, Utc};
use govhall_directory::service as directory;
use govhall_kernel::{AppError, error::AppResult, new_id, time, validate::Checker};
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write},
    events::{Actor, commit_with},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    sea_query::OnConflict,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const KINDS: &[(&str, &str)] = &[
    ("holiday", "节日福利"),
    ("checkup", "体检"),
    ("other", "其他福利"),
];

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct WelfareInput {
    pub name: String,
    pub kind: String,
    pub day: NaiveDate,
    /// Yuan a head.
    pub unit_cost: f64,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Recipient {
    pub staff_id: String,
    pub employee_no: String,
    pub name: String,
    pub received_on: NaiveDate,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WelfareDto {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub kind_label: String,
    pub day: NaiveDate,
    pub unit_cost: f64,
    pub note: String,
    pub recipients: Vec<Recipient>,
    /// Yuan: the cost a head × the recipients.
    pub total_cost: f64,
    /// On staff, not recorded as having received it (工号 姓名).
    pub not_received: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ReceiptsInput {
    pub staff_ids: Vec<String>,
}

/// The hall's welfare items, newest first, with their recipients.
pub async fn list(state: &AppState, hall_id: &str) -> AppResult<Vec<WelfareDto>> {
    let items = welfare_item::Entity::find()
        .filter(welfare_item::Column::HallId.eq(hall_id))
        .order_by_desc(welfare_item::Column::Day)
        .all(&state.db)
        .await
        .db_err()?;
    let receipts = welfare_receipt::Entity::find()
        .filter(welfare_receipt::Column::HallId.eq(hall_id))
        .all(&state.db)
        .await
        .db_err()?;
    let mut staff = directory::hall_staff(&state.db, hall_id).await?;
    staff.sort_by(|a, b| a.employee_no.cmp(&b.employee_no));
    Ok(items
        .into_iter()
        .map(|i| {
            let mine: Vec<&welfare_receipt::Model> =
                receipts.iter().filter(|r| r.item_id == i.id).collect();
            let recipients: Vec<Recipient> = staff
                .iter()
                .filter_map(|s| {
                    mine.iter()
                        .find(|r| r.staff_id == s.id.as_str())
                        .map(|r| Recipient {
                            staff_id: r.staff_id.clone(),
                            employee_no: s.employee_no.clone(),
                            name: s.name.clone(),
                            received_on: r.received_on,
                        })
                })
                .collect();
            let not_received = staff
                .iter()
                .filter(|s| !mine.iter().any(|r| r.staff_id == s.id.as_str()))
                .map(|s| format!("{} {}", s.employee_no, s.name))
                .collect();
            WelfareDto {
                kind_label: govhall_platform::api::label(KINDS, &i.kind).into(),
                unit_cost: yuan(i.unit_cost_fen),
                total_cost: yuan(i.unit_cost_fen * recipients.len() as i64),
                recipients,
                not_received,
                id: i.id,
                name: i.name,
                kind: i.kind,
                day: i.day,
                note: i.note,
            }
        })
        .collect())
}

async fn one(state: &AppState, hall_id: &str, id: &str) -> AppResult<WelfareDto> {
    list(state, hall_id)
        .await?
        .into_iter()
        .find(|w| w.id == id)
        .ok_or_else(|| AppError::not_found("福利项目"))
}

/// Adds a welfare item.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    input: &WelfareInput,
) -> AppResult<WelfareDto> {
    let mut ch = Checker::new();
    let name = ch.text("name", "福利名称", &input.name, 40);
    ch.one_of("kind", "类别", &input.kind, KINDS);
    let cost = fen(input.unit_cost).filter(|c| *c >= 0);
    ch.check(
        cost.is_some(),
        "unit_cost",
        "人均费用须为 0 或正数，最多两位小数",
    );
    let note = ch
        .optional_text("note", "备注", Some(&input.note), 200)
        .unwrap_or_default();
    ch.finish()?;
    let txn = begin_write(&state.db).await.db_err()?;
    let row = welfare_item::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall_id.to_string()),
        name: Set(name),
        kind: Set(input.kind.clone()),
        day: Set(input.day),
        unit_cost_fen: Set(cost.unwrap_or_default()),
        note: Set(note),
        created_at: Set(Utc::now()),
    }
    .insert(&txn)
    .await
    .db_err()?;
    let ev = events::WELFARE_GIVEN.event(
        Some(hall_id),
        &events::WelfareGiven {
            item_id: row.id.clone(),
            name: row.name.clone(),
            recipients: 0,
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    one(state, hall_id, &row.id).await
}

/// Records that these people received the item (today); those already
/// recorded are left as they were.
pub async fn record_receipts(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    item_id: &str,
    input: &ReceiptsInput,
) -> AppResult<WelfareDto> {
    let item = welfare_item::Entity::find_by_id(item_id.to_string())
        .filter(welfare_item::Column::HallId.eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("福利项目"))?;
    let staff = directory::hall_staff(&state.db, hall_id).await?;
    let mut ch = Checker::new();
    ch.check(!input.staff_ids.is_empty(), "staff_ids", "请选择领取人");
    for (i, id) in input.staff_ids.iter().enumerate() {
        ch.check(
            staff.iter().any(|s| s.id.as_str() == id),
            &format!("staff_ids[{i}]"),
            "工作人员不存在或不属于本大厅",
        );
    }
    ch.finish()?;
    let today = time::today();
    let rows: Vec<welfare_receipt::ActiveModel> = input
        .staff_ids
        .iter()
        .map(|s| welfare_receipt::ActiveModel {
            item_id: Set(item.id.clone()),
            staff_id: Set(s.clone()),
            hall_id: Set(hall_id.to_string()),
            received_on: Set(today),
            recorded_by: Set(actor.name.clone()),
        })
        .collect();
    let txn = begin_write(&state.db).await.db_err()?;
    welfare_receipt::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::columns([
                welfare_receipt::Column::ItemId,
                welfare_receipt::Column::StaffId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(&txn)
        .await
        .db_err()?;
    let ev = events::WELFARE_GIVEN.event(
        Some(hall_id),
        &events::WelfareGiven {
            item_id: item.id.clone(),
            name: item.name.clone(),
            recipients: input.staff_ids.len(),
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    one(state, hall_id, &item.id).await
}

//! 工装: each person's sizes (号型 per GB/T 1335, or S–5XL, and 鞋码), the
//! purchase batches by year and season with their cost, and what was issued
//! to whom — the season's issue once per person and batch, replacements
//! with their reason — never more than a batch holds (the batch row is
//! locked while an issue is counted against it).

use crate::entity::{uniform_batch, uniform_issue, uniform_size};
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
    QuerySelect, sea_query::OnConflict,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const SEASONS: &[(&str, &str)] = &[
    ("spring_autumn", "春秋装"),
    ("summer", "夏装"),
    ("winter", "冬装"),
];

const LETTER_SIZES: &[&str] = &["XS", "S", "M", "L", "XL", "XXL", "2XL", "3XL", "4XL", "5XL"];

/// A garment size: 号型 `170/92A` (height/chest-or-waist and body type
/// Y, A, B or C, GB/T 1335) or a letter size.
pub fn is_garment_size(s: &str) -> bool {
    let s = s.trim().to_uppercase();
    if LETTER_SIZES.contains(&s.as_str()) {
        return true;
    }
    let Some((height, rest)) = s.split_once('/') else {
        return false;
    };
    let (girth, body) = rest.split_at(rest.len().saturating_sub(1));
    height.len() == 3
        && height
            .parse::<u32>()
            .is_ok_and(|h| (140..=200).contains(&h))
        && (2..=3).contains(&girth.len())
        && girth.parse::<u32>().is_ok_and(|g| (50..=130).contains(&g))
        && matches!(body, "Y" | "A" | "B" | "C")
}

/// A shoe size, 34 to 48 (half sizes allowed).
pub fn is_shoe_size(s: &str) -> bool {
    s.trim()
        .parse::<f64>()
        .is_ok_and(|n| (34.0..=48.0).contains(&n) && (n * 2.0).fract() == 0.0)
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SizeInput {
    pub top: String,
    pub bottom: String,
    pub shoes: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SizeRow {
    pub staff_id: String,
    pub employee_no: String,
    pub name: String,
    pub top: String,
    pub bottom: String,
    pub shoes: String,
    pub updated_at: Option<chrono::DateTime<Utc>>,
}

/// Everyone's sizes (blank where not given), by 工号.
pub async fn sizes(state: &AppState, hall_id: &str) -> AppResult<Vec<SizeRow>> {
    let mut staff = directory::hall_staff(&state.db, hall_id).await?;
    staff.sort_by(|a, b| a.employee_no.cmp(&b.employee_no));
    let rows = uniform_size::Entity::find()
        .filter(uniform_size::Column::HallId.eq(hall_id))
        .all(&state.db)
        .await
        .db_err()?;
    Ok(staff
        .into_iter()
        .map(|s| {
            let r = rows.iter().find(|r| r.staff_id == s.id.as_str());
            SizeRow {
                staff_id: s.id.as_str().to_string(),
                employee_no: s.employee_no,
                name: s.name,
                top: r.map(|r| r.top.clone()).unwrap_or_default(),
                bottom: r.map(|r| r.bottom.clone()).unwrap_or_default(),
                shoes: r.map(|r| r.shoes.clone()).unwrap_or_default(),
                updated_at: r.map(|r| r.updated_at),
            }
        })
        .collect())
}

/// Records a person's sizes (the manager's, or the person's own on the phone).
pub async fn set_size(
    state: &AppState,
    hall_id: &str,
    staff_id: &str,
    input: &SizeInput,
) -> AppResult<SizeRow> {
    let mut ch = Checker::new();
    let rule = "须为号型（如 170/92A：身高/胸围或腰围+体型 Y、A、B、C）或 XS～5XL";
    ch.check(
        is_garment_size(&input.top),
        "top",
        format!("上装尺码{rule}"),
    );
    ch.check(
        is_garment_size(&input.bottom),
        "bottom",
        format!("下装尺码{rule}"),
    );
    ch.check(
        is_shoe_size(&input.shoes),
        "shoes",
        "鞋码须为 34 至 48（可到半码）",
    );
    let person = directory::staff_member(&state.db, staff_id)
        .await?
        .filter(|s| s.hall_id.as_str() == hall_id);
    ch.check(person.is_some(), "staff_id", "工作人员不存在或不属于本大厅");
    ch.finish()?;
    let row = uniform_size::ActiveModel {
        staff_id: Set(staff_id.to_string()),
        hall_id: Set(hall_id.to_string()),
        top: Set(input.top.trim().to_uppercase()),
        bottom: Set(input.bottom.trim().to_uppercase()),
        shoes: Set(input.shoes.trim().to_string()),
        updated_at: Set(Utc::now()),
    };
    uniform_size::Entity::insert(row)
        .on_conflict(
            OnConflict::column(uniform_size::Column::StaffId)
                .update_columns([
                    uniform_size::Column::Top,
                    uniform_size::Column::Bottom,
                    uniform_size::Column::Shoes,
                    uniform_size::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(&state.db)
        .await
        .db_err()?;
    sizes(state, hall_id)
        .await?
        .into_iter()
        .find(|s| s.staff_id == staff_id)
        .ok_or_else(|| AppError::not_found("工作人员"))
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct BatchInput {
    pub year: i32,
    pub season: String,
    pub item: String,
    pub supplier: String,
    /// Yuan.
    pub unit_price: f64,
    pub quantity: i32,
    pub purchased_on: NaiveDate,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BatchDto {
    pub id: String,
    pub year: i32,
    pub season: String,
    pub season_label: String,
    pub item: String,
    pub supplier: String,
    pub unit_price: f64,
    pub quantity: i32,
    /// Yuan: unit price × quantity.
    pub cost: f64,
    pub issued: i32,
    pub remaining: i32,
    pub purchased_on: NaiveDate,
    pub note: String,
}

fn batch_dto(b: uniform_batch::Model, issued: i32) -> BatchDto {
    BatchDto {
        season_label: govhall_platform::api::label(SEASONS, &b.season).into(),
        unit_price: yuan(b.unit_price_fen),
        cost: yuan(b.unit_price_fen * i64::from(b.quantity)),
        remaining: b.quantity - issued,
        issued,
        id: b.id,
        year: b.year,
        season: b.season,
        item: b.item,
        supplier: b.supplier,
        quantity: b.quantity,
        purchased_on: b.purchased_on,
        note: b.note,
    }
}

/// The hall's batches, newest first, with what was issued from each.
pub async fn batches(state: &AppState, hall_id: &str) -> AppResult<Vec<BatchDto>> {
    let rows = uniform_batch::Entity::find()
        .filter(uniform_batch::Column::HallId.eq(hall_id))
        .order_by_desc(uniform_batch::Column::PurchasedOn)
        .all(&state.db)
        .await
        .db_err()?;
    let issues = uniform_issue::Entity::find()
        .filter(uniform_issue::Column::HallId.eq(hall_id))
        .all(&state.db)
        .await
        .db_err()?;
    Ok(rows
        .into_iter()
        .map(|b| {
            let issued = issues
                .iter()
                .filter(|i| i.batch_id == b.id)
                .map(|i| i.quantity)
                .sum();
            batch_dto(b, issued)
        })
        .collect())
}

/// Records a purchase batch.
pub async fn create_batch(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    input: &BatchInput,
) -> AppResult<BatchDto> {
    let mut ch = Checker::new();
    ch.check(
        (2000..=2100).contains(&input.year),
        "year",
        "年度须为 2000 至 2100",
    );
    ch.one_of("season", "季节", &input.season, SEASONS);
    let item = ch.text("item", "品名", &input.item, 40);
    let supplier = ch.text("supplier", "供应商", &input.supplier, 100);
    let price = fen(input.unit_price).filter(|p| *p > 0);
    ch.check(price.is_some(), "unit_price", "单价须大于 0，最多两位小数");
    ch.check(
        (1..=100_000).contains(&input.quantity),
        "quantity",
        "数量须为 1 至 100000",
    );
    ch.check(
        input.purchased_on <= time::today(),
        "purchased_on",
        "采购日期不能在将来",
    );
    let note = ch
        .optional_text("note", "备注", Some(&input.note), 200)
        .unwrap_or_default();
    ch.finish()?;
    let txn = begin_write(&state.db).await.db_err()?;
    let row = uniform_batch::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall_id.to_string()),
        year: Set(input.year),
        season: Set(input.season.clone()),
        item: Set(item),
        supplier: Set(supplier),
        unit_price_fen: Set(price.unwrap_or_default()),
        quantity: Set(input.quantity),
        purchased_on: Set(input.purchased_on),
        note: Set(note),
        created_at: Set(Utc::now()),
    }
    .insert(&txn)
    .await
    .db_err()?;
    let ev = events::UNIFORMS_BOUGHT.event(
        Some(hall_id),
        &events::UniformsBought {
            batch_id: row.id.clone(),
            item: row.item.clone(),
            quantity: row.quantity,
            cost_fen: row.unit_price_fen * i64::from(row.quantity),
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    Ok(batch_dto(row, 0))
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct UniformIssueInput {
    pub batch_id: String,
    pub staff_id: String,
    pub size: String,
    #[serde(default = "one")]
    pub quantity: i32,
    /// A replacement rather than the season's issue (needs a reason).
    #[serde(default)]
    pub replacement: bool,
    #[serde(default)]
    pub reason: String,
}

fn one() -> i32 {
    1
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UniformIssueDto {
    pub id: String,
    pub batch_id: String,
    pub item: String,
    pub staff_id: String,
    pub employee_no: String,
    pub name: String,
    pub size: String,
    pub quantity: i32,
    pub replacement: bool,
    pub reason: String,
    pub issued_on: NaiveDate,
}

/// The issues of the hall (or of one batch), newest first.
pub async fn issues(
    state: &AppState,
    hall_id: &str,
    batch_id: Option<&str>,
) -> AppResult<Vec<UniformIssueDto>> {
    let mut q = uniform_issue::Entity::find().filter(uniform_issue::Column::HallId.eq(hall_id));
    if let Some(b) = batch_id.filter(|b| !b.is_empty()) {
        q = q.filter(uniform_issue::Column::BatchId.eq(b));
    }
    let rows = q
        .order_by_desc(uniform_issue::Column::IssuedOn)
        .all(&state.db)
        .await
        .db_err()?;
    let staff = directory::hall_staff(&state.db, hall_id).await?;
    let batches = uniform_batch::Entity::find()
        .filter(uniform_batch::Column::HallId.eq(hall_id))
        .all(&state.db)
        .await
        .db_err()?;
    Ok(rows
        .into_iter()
        .map(|i| {
            let who = staff.iter().find(|s| s.id.as_str() == i.staff_id);
            UniformIssueDto {
                item: batches
                    .iter()
                    .find(|b| b.id == i.batch_id)
                    .map(|b| b.item.clone())
                    .unwrap_or_default(),
                employee_no: who.map(|s| s.employee_no.clone()).unwrap_or_default(),
                name: who.map(|s| s.name.clone()).unwrap_or_default(),
                id: i.id,
                batch_id: i.batch_id,
                staff_id: i.staff_id,
                size: i.size,
                quantity: i.quantity,
                replacement: i.replacement,
                reason: i.reason,
                issued_on: i.issued_on,
            }
        })
        .collect())
}

/// Issues uniforms from a batch to a person.
pub async fn issue(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    input: &UniformIssueInput,
) -> AppResult<UniformIssueDto> {
    let mut ch = Checker::new();
    let size = ch.text("size", "尺码", &input.size, 20);
    ch.check(
        (1..=10).contains(&input.quantity),
        "quantity",
        "一次领取 1 至 10 件",
    );
    if input.replacement {
        ch.text("reason", "更换原因", &input.reason, 200);
    }
    let person = directory::staff_member(&state.db, &input.staff_id)
        .await?
        .filter(|s| s.hall_id.as_str() == hall_id);
    ch.check(person.is_some(), "staff_id", "工作人员不存在或不属于本大厅");
    ch.finish()?;
    let txn = begin_write(&state.db).await.db_err()?;
    // FOR UPDATE on PostgreSQL: two issues from one batch are counted one
    // after the other (SQLite's BEGIN IMMEDIATE already serializes them).
    let batch = uniform_batch::Entity::find_by_id(input.batch_id.clone())
        .filter(uniform_batch::Column::HallId.eq(hall_id))
        .lock_exclusive()
        .one(&txn)
        .await
        .db_err()?
        .ok_or_else(|| AppError::field("batch_id", "采购批次不存在或不属于本大厅"))?;
    let given = uniform_issue::Entity::find()
        .filter(uniform_issue::Column::BatchId.eq(&batch.id))
        .all(&txn)
        .await
        .db_err()?;
    let issued: i32 = given.iter().map(|i| i.quantity).sum();
    if issued + input.quantity > batch.quantity {
        return Err(AppError::field(
            "quantity",
            format!(
                "库存不足：本批{}剩余 {} 件",
                batch.item,
                batch.quantity - issued
            ),
        ));
    }
    if !input.replacement
        && given
            .iter()
            .any(|i| i.staff_id == input.staff_id && !i.replacement)
    {
        return Err(AppError::field(
            "replacement",
            "此人已领取过本批工装；更换请选择“更换”并写明原因",
        ));
    }
    let row = uniform_issue::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall_id.to_string()),
        batch_id: Set(batch.id.clone()),
        staff_id: Set(input.staff_id.clone()),
        size: Set(size.to_uppercase()),
        quantity: Set(input.quantity),
        replacement: Set(input.replacement),
        reason: Set(input.reason.trim().to_string()),
        issued_on: Set(time::today()),
        issued_by: Set(actor.name.clone()),
    }
    .insert(&txn)
    .await
    .db_err()?;
    let ev = events::UNIFORM_ISSUED.event(
        Some(hall_id),
        &events::UniformIssued {
            batch_id: batch.id.clone(),
            staff_id: row.staff_id.clone(),
            quantity: row.quantity,
            replacement: row.replacement,
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    let Some(who) = person else {
        return Err(AppError::internal("checked input lost its values"));
    };
    Ok(UniformIssueDto {
        id: row.id,
        batch_id: row.batch_id,
        item: batch.item,
        staff_id: row.staff_id,
        employee_no: who.employee_no,
        name: who.name,
        size: row.size,
        quantity: row.quantity,
        replacement: row.replacement,
        reason: row.reason,
        issued_on: row.issued_on,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_by_the_standard() {
        for ok in ["170/92A", "165/84y", "180/100B", "L", "xxl", "3XL"] {
            assert!(is_garment_size(ok), "{ok}");
        }
        for bad in ["170/92", "170-92A", "99/60A", "170/92D", "XXXXL", ""] {
            assert!(!is_garment_size(bad), "{bad}");
        }
        assert!(is_shoe_size("42") && is_shoe_size("38.5"));
        assert!(!is_shoe_size("42.3") && !is_shoe_size("50") && !is_shoe_size("大"));
    }
}

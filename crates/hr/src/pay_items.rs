//! The month's pay items (工资调整项): 绩效, overtime, bonuses, the 全年一次性奖金,
//! tax-free allowances, deductions for absence, after-tax deductions, and the
//! corrections of a closed month (补发, 扣回) — a closed month is never
//! edited; what it got wrong is put right in a later month, naming it.

use crate::entity::{pay_item, run};
use crate::money::{fen, yuan};
use crate::month::Month;
use chrono::Utc;
use govhall_directory::service as directory;
use govhall_kernel::{AppError, error::AppResult, new_id, validate::Checker};
use govhall_platform::{AppState, db::DbResultExt, events::Actor};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Kinds: code, name, and how the payroll treats them.
pub const KINDS: &[(&str, &str)] = &[
    ("performance", "绩效工资"),
    ("overtime", "加班工资"),
    ("bonus", "奖金"),
    ("back_pay", "补发"),
    ("annual_bonus", "全年一次性奖金"),
    ("tax_free", "免税补贴"),
    ("absence", "缺勤扣款"),
    ("claw_back", "扣回"),
    ("after_tax", "税后扣款"),
    ("certificate_education", "职业资格继续教育扣除"),
];

/// How an item enters the payslip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Treatment {
    /// Taxable income with the wages.
    Earning,
    /// Paid, counted as 免税收入.
    TaxFree,
    /// Taken off the wages before tax.
    PreTaxDeduction,
    /// Taken off what is paid, after tax.
    AfterTaxDeduction,
    /// 全年一次性奖金: apart or with the wages.
    AnnualBonus,
    /// A 专项附加扣除 of this month only (3,600 in the certificate's year).
    AdditionalDeduction,
}

pub fn treatment(kind: &str) -> Treatment {
    match kind {
        "tax_free" => Treatment::TaxFree,
        "absence" | "claw_back" => Treatment::PreTaxDeduction,
        "after_tax" => Treatment::AfterTaxDeduction,
        "annual_bonus" => Treatment::AnnualBonus,
        "certificate_education" => Treatment::AdditionalDeduction,
        _ => Treatment::Earning,
    }
}

pub fn label(kind: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("其他", |(_, l)| l)
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PayItemInput {
    pub staff_id: String,
    /// The month it is paid in, `YYYY-MM` (not closed).
    pub month: String,
    pub kind: String,
    /// Yuan, positive; deductions are taken off.
    pub amount: f64,
    pub reason: String,
    /// The closed month it corrects (补发, 扣回).
    #[serde(default)]
    pub refers_month: Option<String>,
    /// 全年一次性奖金 taxed apart from the wages (财政部 税务总局公告2023年第30号
    /// allows either until 2027-12-31); default apart.
    #[serde(default)]
    pub separately: Option<bool>,
}

/// What is encrypted of an item.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Detail {
    pub amount: i64,
    pub reason: String,
    #[serde(default)]
    pub separately: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PayItemDto {
    pub id: String,
    pub staff_id: String,
    pub employee_no: String,
    pub name: String,
    pub month: String,
    pub kind: String,
    pub kind_label: String,
    pub amount: f64,
    pub reason: String,
    pub refers_month: Option<String>,
    pub separately: bool,
    pub created_at: chrono::DateTime<Utc>,
}

/// A month's items, decrypted, for the run.
pub(crate) struct Item {
    pub staff_id: String,
    pub kind: String,
    /// The payslip line's name when not the kind's (a formula component's).
    pub label: Option<String>,
    pub refers_month: Option<String>,
    pub detail: Detail,
}

/// The month is closed: its pay was approved.
pub(crate) async fn is_closed<C: ConnectionTrait>(
    db: &C,
    hall_id: &str,
    month: &Month,
) -> AppResult<bool> {
    Ok(run::Entity::find()
        .filter(run::Column::HallId.eq(hall_id))
        .filter(run::Column::Month.eq(month.to_string()))
        .filter(run::Column::Status.eq("approved"))
        .one(db)
        .await
        .db_err()?
        .is_some())
}

pub async fn create(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    input: &PayItemInput,
) -> AppResult<PayItemDto> {
    let mut ch = Checker::new();
    let month = ch.parsed("month", Month::parse(&input.month), |r| {
        format!("发放月份{r}")
    });
    ch.one_of("kind", "项目类型", &input.kind, KINDS);
    let amount = fen(input.amount).filter(|a| *a > 0);
    ch.check(
        amount.is_some(),
        "amount",
        "金额须大于 0，最多两位小数（扣款也填正数）",
    );
    let reason = ch.text("reason", "事由", &input.reason, 200);
    let refers = match input.refers_month.as_deref().filter(|m| !m.is_empty()) {
        Some(raw) => ch.parsed("refers_month", Month::parse(raw), |r| {
            format!("所更正月份{r}")
        }),
        None => None,
    };
    ch.check(
        refers.is_none() || matches!(input.kind.as_str(), "back_pay" | "claw_back"),
        "refers_month",
        "只有补发和扣回可以注明所更正的月份",
    );
    let staff = directory::staff_member(&state.db, &input.staff_id)
        .await?
        .filter(|s| s.hall_id.as_str() == hall_id);
    ch.check(staff.is_some(), "staff_id", "工作人员不存在或不属于本大厅");
    if let Some(m) = &month {
        ch.check(
            !is_closed(&state.db, hall_id, m).await?,
            "month",
            format!(
                "{m} 的工资已审核关账，不能再修改；请在以后月份录入补发或扣回，并注明所更正的月份"
            ),
        );
        if let Some(r) = &refers {
            ch.check(r < m, "refers_month", "所更正的月份须早于发放月份");
            ch.check(
                is_closed(&state.db, hall_id, r).await?,
                "refers_month",
                format!("{r} 的工资尚未关账，直接修改该月的调整项即可"),
            );
        }
    }
    ch.finish()?;
    let (Some(month), Some(staff), Some(amount)) = (month, staff, amount) else {
        return Err(AppError::internal("checked input lost its values"));
    };
    let detail = Detail {
        amount,
        reason,
        separately: input.separately.unwrap_or(true),
    };
    let json = serde_json::to_string(&detail).map_err(AppError::internal)?;
    let row = pay_item::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall_id.to_string()),
        staff_id: Set(input.staff_id.clone()),
        month: Set(month.to_string()),
        kind: Set(input.kind.clone()),
        detail_enc: Set(state.pii.encrypt(&json)),
        refers_month: Set(refers.map(|r| r.to_string())),
        created_by: Set(actor.name.clone()),
        created_at: Set(Utc::now()),
    }
    .insert(&state.db)
    .await
    .db_err()?;
    Ok(dto(row, detail, &staff))
}

fn dto(row: pay_item::Model, d: Detail, s: &directory::Staff) -> PayItemDto {
    PayItemDto {
        kind_label: label(&row.kind).into(),
        id: row.id,
        staff_id: row.staff_id,
        employee_no: s.employee_no.clone(),
        name: s.name.clone(),
        month: row.month,
        kind: row.kind,
        amount: yuan(d.amount),
        reason: d.reason,
        refers_month: row.refers_month,
        separately: d.separately,
        created_at: row.created_at,
    }
}

/// Removes an item of a month not closed yet.
pub async fn delete(state: &AppState, hall_id: &str, id: &str) -> AppResult<()> {
    let row = pay_item::Entity::find_by_id(id.to_string())
        .filter(pay_item::Column::HallId.eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("工资调整项"))?;
    let month = Month::parse(&row.month).map_err(AppError::internal)?;
    if is_closed(&state.db, hall_id, &month).await? {
        return Err(AppError::field(
            "month",
            format!("{month} 的工资已审核关账，调整项不能删除；请在以后月份录入补发或扣回"),
        ));
    }
    pay_item::Entity::delete_by_id(row.id)
        .exec(&state.db)
        .await
        .db_err()?;
    Ok(())
}

pub(crate) async fn of_month<C: ConnectionTrait>(
    state: &AppState,
    db: &C,
    hall_id: &str,
    month: &Month,
) -> AppResult<Vec<(pay_item::Model, Item)>> {
    let rows = pay_item::Entity::find()
        .filter(pay_item::Column::HallId.eq(hall_id))
        .filter(pay_item::Column::Month.eq(month.to_string()))
        .order_by_asc(pay_item::Column::CreatedAt)
        .all(db)
        .await
        .db_err()?;
    rows.into_iter()
        .map(|row| {
            let json = state
                .pii
                .decrypt(&row.detail_enc)
                .map_err(AppError::internal)?;
            let detail: Detail = serde_json::from_str(&json).map_err(AppError::internal)?;
            let item = Item {
                staff_id: row.staff_id.clone(),
                kind: row.kind.clone(),
                label: None,
                refers_month: row.refers_month.clone(),
                detail,
            };
            Ok((row, item))
        })
        .collect()
}

/// The month's items with who they are for.
pub async fn list(state: &AppState, hall_id: &str, month: &str) -> AppResult<Vec<PayItemDto>> {
    let month = Month::parse(month).map_err(|r| AppError::field("month", format!("月份{r}")))?;
    let staff = directory::hall_staff(&state.db, hall_id).await?;
    Ok(of_month(state, &state.db, hall_id, &month)
        .await?
        .into_iter()
        .filter_map(|(row, item)| {
            let s = staff.iter().find(|s| s.id.as_str() == row.staff_id)?;
            Some(dto(row, item.detail, s))
        })
        .collect())
}

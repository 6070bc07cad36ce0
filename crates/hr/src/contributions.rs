//! 五险一金: the hall's rates per city and period — each item's base floor
//! and ceiling, employer and employee rate, rounding and the document they
//! come from — entered as configuration, never written into the code (the
//! figures change every year). A month's contributions clamp the person's
//! declared base to each item's limits.

use crate::entity::rate;
use crate::money::{at_rate, fen, yuan};
use chrono::{NaiveDate, Utc};
use govhall_kernel::{AppError, error::AppResult, new_id, validate::Checker};
use govhall_platform::{AppState, db::DbResultExt};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The items, in the order payslips list them.
pub const ITEMS: &[(&str, &str)] = &[
    ("pension", "基本养老保险"),
    ("medical", "基本医疗保险"),
    ("unemployment", "失业保险"),
    ("injury", "工伤保险"),
    ("maternity", "生育保险"),
    ("housing_fund", "住房公积金"),
];

const ROUNDINGS: &[(&str, &str)] = &[("fen", "四舍五入到分"), ("yuan", "四舍五入到元")];

pub fn item_label(code: &str) -> &'static str {
    ITEMS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("其他", |(_, l)| l)
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RateInput {
    /// 参保地, e.g. 西安市.
    pub city: String,
    /// `pension`, `medical`, `unemployment`, `injury`, `maternity`, `housing_fund`.
    pub item: String,
    pub effective_from: NaiveDate,
    #[serde(default)]
    pub effective_to: Option<NaiveDate>,
    /// 缴费基数下限 (yuan).
    pub base_floor: f64,
    /// 缴费基数上限 (yuan).
    pub base_ceiling: f64,
    /// 单位费率 in percent, e.g. 16 or 0.7.
    pub employer_rate: f64,
    /// 个人费率 in percent, e.g. 8.
    pub employee_rate: f64,
    /// `fen` (default) or `yuan`.
    #[serde(default)]
    pub rounding: Option<String>,
    /// 依据: the document the figures come from.
    pub source: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RateDto {
    pub id: String,
    pub city: String,
    pub item: String,
    pub item_label: String,
    pub effective_from: NaiveDate,
    pub effective_to: Option<NaiveDate>,
    pub base_floor: f64,
    pub base_ceiling: f64,
    pub employer_rate: f64,
    pub employee_rate: f64,
    pub rounding: String,
    pub source: String,
}

/// One item of one person's month (amounts in fen).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(as = PayContribution)]
pub struct Contribution {
    pub item: String,
    /// The base after clamping (fen).
    pub base: i64,
    /// The declared base was below the floor or above the ceiling.
    pub clamped: bool,
    pub employer: i64,
    pub employee: i64,
    pub employer_rate_bp: i32,
    pub employee_rate_bp: i32,
    pub source: String,
}

fn dto(r: rate::Model) -> RateDto {
    RateDto {
        item_label: item_label(&r.item).into(),
        id: r.id,
        city: r.city,
        item: r.item,
        effective_from: r.effective_from,
        effective_to: r.effective_to,
        base_floor: yuan(r.base_floor_fen),
        base_ceiling: yuan(r.base_ceiling_fen),
        employer_rate: f64::from(r.employer_rate_bp) / 100.0,
        employee_rate: f64::from(r.employee_rate_bp) / 100.0,
        rounding: r.rounding,
        source: r.source,
    }
}

/// A rate in percent with at most two decimals, 0 to 100, as hundredths of a percent.
fn rate_bp(ch: &mut Checker, field: &str, label: &str, pct: f64) -> i32 {
    match fen(pct).filter(|bp| *bp <= 100_00) {
        Some(bp) => bp as i32,
        None => {
            ch.fail(
                field,
                format!("{label}须为 0 至 100 之间的百分数，最多两位小数"),
            );
            0
        }
    }
}

struct Checked {
    city: String,
    floor: i64,
    ceiling: i64,
    employer: i32,
    employee: i32,
    rounding: String,
    source: String,
}

async fn check(
    state: &AppState,
    hall_id: &str,
    id: Option<&str>,
    input: &RateInput,
) -> AppResult<Checked> {
    let mut ch = Checker::new();
    let city = ch.text("city", "参保地", &input.city, 30);
    ch.one_of("item", "险种", &input.item, ITEMS);
    let rounding = input.rounding.clone().unwrap_or_else(|| "fen".into());
    ch.one_of("rounding", "舍入方式", &rounding, ROUNDINGS);
    let source = ch.text("source", "依据文件", &input.source, 200);
    let floor = fen(input.base_floor);
    let ceiling = fen(input.base_ceiling);
    ch.check(
        floor.is_some(),
        "base_floor",
        "缴费基数下限须为不小于 0 的金额，最多两位小数",
    );
    ch.check(
        ceiling.is_some(),
        "base_ceiling",
        "缴费基数上限须为不小于 0 的金额，最多两位小数",
    );
    if let (Some(f), Some(c)) = (floor, ceiling) {
        ch.check(c >= f, "base_ceiling", "缴费基数上限不能低于下限");
    }
    let employer = rate_bp(&mut ch, "employer_rate", "单位费率", input.employer_rate);
    let employee = rate_bp(&mut ch, "employee_rate", "个人费率", input.employee_rate);
    if let Some(to) = input.effective_to {
        ch.check(
            to >= input.effective_from,
            "effective_to",
            "失效日期不能早于生效日期",
        );
    }
    // Two rows of one item and city must not both apply on a day.
    let others = rate::Entity::find()
        .filter(rate::Column::HallId.eq(hall_id))
        .filter(rate::Column::City.eq(&city))
        .filter(rate::Column::Item.eq(&input.item))
        .all(&state.db)
        .await
        .db_err()?;
    let overlaps = others
        .iter()
        .filter(|o| Some(o.id.as_str()) != id)
        .any(|o| {
            let ends_before = input.effective_to.is_some_and(|t| t < o.effective_from);
            let starts_after = o.effective_to.is_some_and(|t| t < input.effective_from);
            !ends_before && !starts_after
        });
    ch.check(
        !overlaps,
        "effective_from",
        format!(
            "{city}的{}在这段时间已有费率，生效期间不能重叠",
            item_label(&input.item)
        ),
    );
    ch.finish()?;
    Ok(Checked {
        city,
        floor: floor.unwrap_or(0),
        ceiling: ceiling.unwrap_or(0),
        employer,
        employee,
        rounding,
        source,
    })
}

pub async fn create(state: &AppState, hall_id: &str, input: &RateInput) -> AppResult<RateDto> {
    let c = check(state, hall_id, None, input).await?;
    let row = rate::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall_id.to_string()),
        city: Set(c.city),
        item: Set(input.item.clone()),
        effective_from: Set(input.effective_from),
        effective_to: Set(input.effective_to),
        base_floor_fen: Set(c.floor),
        base_ceiling_fen: Set(c.ceiling),
        employer_rate_bp: Set(c.employer),
        employee_rate_bp: Set(c.employee),
        rounding: Set(c.rounding),
        source: Set(c.source),
        created_at: Set(Utc::now()),
    }
    .insert(&state.db)
    .await
    .db_err()?;
    Ok(dto(row))
}

pub async fn update(
    state: &AppState,
    hall_id: &str,
    id: &str,
    input: &RateInput,
) -> AppResult<RateDto> {
    let row = find(state, hall_id, id).await?;
    let c = check(state, hall_id, Some(id), input).await?;
    let mut a = row.into_active_model();
    a.city = Set(c.city);
    a.item = Set(input.item.clone());
    a.effective_from = Set(input.effective_from);
    a.effective_to = Set(input.effective_to);
    a.base_floor_fen = Set(c.floor);
    a.base_ceiling_fen = Set(c.ceiling);
    a.employer_rate_bp = Set(c.employer);
    a.employee_rate_bp = Set(c.employee);
    a.rounding = Set(c.rounding);
    a.source = Set(c.source);
    Ok(dto(a.update(&state.db).await.db_err()?))
}

/// Removing a rate changes no closed month: each payslip keeps the rates it used.
pub async fn delete(state: &AppState, hall_id: &str, id: &str) -> AppResult<()> {
    find(state, hall_id, id).await?;
    rate::Entity::delete_by_id(id.to_string())
        .exec(&state.db)
        .await
        .db_err()?;
    Ok(())
}

async fn find(state: &AppState, hall_id: &str, id: &str) -> AppResult<rate::Model> {
    rate::Entity::find_by_id(id.to_string())
        .filter(rate::Column::HallId.eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("五险一金费率"))
}

/// The hall's rates by city, item and period (newest first).
pub async fn list(state: &AppState, hall_id: &str) -> AppResult<Vec<RateDto>> {
    Ok(rows(&state.db, hall_id)
        .await?
        .into_iter()
        .map(dto)
        .collect())
}

/// The hall's rate rows, raw, for a payroll run.
pub(crate) async fn rows<C: ConnectionTrait>(db: &C, hall_id: &str) -> AppResult<Vec<rate::Model>> {
    rate::Entity::find()
        .filter(rate::Column::HallId.eq(hall_id))
        .order_by_asc(rate::Column::City)
        .order_by_asc(rate::Column::Item)
        .order_by_desc(rate::Column::EffectiveFrom)
        .all(db)
        .await
        .db_err()
}

/// The rows in force in `city` on `day`, in the payslip's item order.
pub(crate) fn in_force<'a>(
    rates: &'a [rate::Model],
    city: &str,
    day: NaiveDate,
) -> Vec<&'a rate::Model> {
    let mut out: Vec<&rate::Model> = rates
        .iter()
        .filter(|r| r.city == city)
        .filter(|r| r.effective_from <= day && r.effective_to.is_none_or(|t| t >= day))
        .collect();
    out.sort_by_key(|r| ITEMS.iter().position(|(c, _)| *c == r.item));
    out
}

/// One person's month: the declared base clamped to each item's limits,
/// both sides' amounts rounded as the agency does.
pub(crate) fn contribute(rates: &[&rate::Model], declared_base: i64) -> Vec<Contribution> {
    rates
        .iter()
        .map(|r| {
            let base = declared_base.clamp(r.base_floor_fen, r.base_ceiling_fen);
            let to_yuan = r.rounding == "yuan";
            Contribution {
                item: r.item.clone(),
                base,
                clamped: base != declared_base,
                employer: at_rate(base, r.employer_rate_bp, to_yuan),
                employee: at_rate(base, r.employee_rate_bp, to_yuan),
                employer_rate_bp: r.employer_rate_bp,
                employee_rate_bp: r.employee_rate_bp,
                source: r.source.clone(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate(item: &str, floor: i64, ceiling: i64, employer: i32, employee: i32) -> rate::Model {
        rate::Model {
            id: item.into(),
            hall_id: "h".into(),
            city: "西安市".into(),
            item: item.into(),
            effective_from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            effective_to: None,
            base_floor_fen: floor,
            base_ceiling_fen: ceiling,
            employer_rate_bp: employer,
            employee_rate_bp: employee,
            rounding: "fen".into(),
            source: "测试".into(),
            created_at: Utc::now(),
        }
    }

    /// A base below the floor is raised to it, one above the ceiling cut to
    /// it; one inside is kept.
    #[test]
    fn the_base_clamps_at_the_configured_limits() {
        let pension = rate("pension", 4_000_00, 20_000_00, 1600, 800);
        let rates = [&pension];
        let low = &contribute(&rates, 3_000_00)[0];
        assert_eq!(
            (low.base, low.clamped, low.employee, low.employer),
            (4_000_00, true, 320_00, 640_00)
        );
        let high = &contribute(&rates, 30_000_00)[0];
        assert_eq!(
            (high.base, high.clamped, high.employee),
            (20_000_00, true, 1_600_00)
        );
        let inside = &contribute(&rates, 6_543_21)[0];
        assert_eq!(
            (inside.base, inside.clamped, inside.employee),
            (6_543_21, false, 523_46)
        );
    }

    #[test]
    fn only_the_rows_in_force_that_day_apply() {
        let mut old = rate("pension", 1, 2, 1600, 800);
        old.effective_to = NaiveDate::from_ymd_opt(2025, 12, 31);
        old.effective_from = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        let new = rate("pension", 1, 2, 1600, 800);
        let fund = rate("housing_fund", 1, 2, 1200, 1200);
        let all = [fund.clone(), old.clone(), new.clone()];
        let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let got: Vec<&str> = in_force(&all, "西安市", day)
            .iter()
            .map(|r| r.item.as_str())
            .collect();
        assert_eq!(got, vec!["pension", "housing_fund"]);
        assert!(in_force(&all, "咸阳市", day).is_empty());
        let last_year = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
        assert_eq!(
            in_force(&all, "西安市", last_year)[0].effective_to,
            old.effective_to
        );
    }
}

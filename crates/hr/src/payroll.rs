//! The monthly payroll run: computed as a draft (recomputable as often as
//! needed), then approved, which closes the month — its payslips never
//! change again; a mistake is corrected by a pay item in a later month.
//! Months of a year close in order, because each month's 个税 starts from
//! the year so far.

use crate::attendance::sheet;
use crate::entity::{payslip, run};
use crate::events::{PAYROLL_APPROVED, PAYROLL_COMPUTED, PayrollRun};
use crate::iit::YearToDate;
use crate::month::Month;
use crate::pay_components::{self, Who};
use crate::pay_items::{self, Item};
use crate::payslip::{Payslip, Person, compute as compute_slip};
use crate::{contributions, profiles};
use chrono::{DateTime, Utc};
use govhall_directory::service as directory;
use govhall_kernel::{AppError, error::AppResult, new_id};
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write},
    events::{Actor, commit_with},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use utoipa::ToSchema;

/// Someone of the hall's staff the run left out, and why.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Skipped {
    pub employee_no: String,
    pub name: String,
    pub reason: String,
}

/// A total of the run by cost item (fen): the contractor's bill to the center.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CostTotal {
    /// 应发, 单位缴纳, 个人缴纳, 代扣个税, 实发.
    pub group: String,
    pub label: String,
    pub amount_fen: i64,
}

/// What a run stores beside its payslips: no one's own figures.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct RunTotals {
    pub gross_fen: i64,
    pub net_fen: i64,
    pub iit_fen: i64,
    pub employee_contributions_fen: i64,
    pub employer_contributions_fen: i64,
    pub employer_cost_fen: i64,
    pub by_item: Vec<CostTotal>,
    pub skipped: Vec<Skipped>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RunSummary {
    pub month: String,
    /// `draft` or `approved`.
    pub status: String,
    pub status_label: String,
    pub staff_count: i32,
    pub totals: RunTotals,
    pub computed_at: DateTime<Utc>,
    pub computed_by: String,
    pub approved_at: Option<DateTime<Utc>>,
    pub approved_by: Option<String>,
}

/// One row of the payroll register (fen).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RegisterLine {
    pub staff_id: String,
    pub employee_no: String,
    pub name: String,
    pub department: Option<String>,
    pub gross_fen: i64,
    pub employee_contributions_fen: i64,
    pub iit_fen: i64,
    pub net_fen: i64,
    pub employer_contributions_fen: i64,
    pub employer_cost_fen: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RunDetail {
    #[serde(flatten)]
    pub run: RunSummary,
    pub lines: Vec<RegisterLine>,
}

fn summary(r: &run::Model) -> RunSummary {
    RunSummary {
        month: r.month.clone(),
        status_label: if r.status == "approved" {
            "已审核关账"
        } else {
            "待审核"
        }
        .into(),
        status: r.status.clone(),
        staff_count: r.staff_count,
        totals: serde_json::from_str(&r.totals).unwrap_or_default(),
        computed_at: r.computed_at,
        computed_by: r.computed_by.clone(),
        approved_at: r.approved_at,
        approved_by: r.approved_by.clone(),
    }
}

/// The last month whose pay was approved (closed): its attendance and leave
/// are history too — what they got wrong is put right in a later month.
pub(crate) async fn closed_through(state: &AppState, hall_id: &str) -> AppResult<Option<Month>> {
    Ok(run::Entity::find()
        .filter(run::Column::HallId.eq(hall_id))
        .filter(run::Column::Status.eq("approved"))
        .order_by_desc(run::Column::Month)
        .one(&state.db)
        .await
        .db_err()?
        .and_then(|r| Month::parse(&r.month).ok()))
}

/// Refuses `field` when `day` is in a closed month.
pub(crate) fn check_open(
    ch: &mut govhall_kernel::validate::Checker,
    closed: Option<Month>,
    field: &str,
    day: chrono::NaiveDate,
) {
    if let Some(c) = closed
        && day <= c.last_day()
    {
        ch.fail(
            field,
            format!(
                "{} 及以前的工资已审核关账，当月考勤与请假不能再改；如需更正，请在以后月份录入补发或扣回",
                c
            ),
        );
    }
}

pub(crate) fn parse_month(raw: &str) -> AppResult<Month> {
    Month::parse(raw).map_err(|r| AppError::field("month", format!("工资月份{r}")))
}

async fn runs_of_year<C: ConnectionTrait>(
    db: &C,
    hall_id: &str,
    year: i32,
) -> AppResult<Vec<run::Model>> {
    run::Entity::find()
        .filter(run::Column::HallId.eq(hall_id))
        .filter(run::Column::Month.starts_with(format!("{year}-")))
        .order_by_asc(run::Column::Month)
        .all(db)
        .await
        .db_err()
}

/// The hall's runs, newest first.
pub async fn list(state: &AppState, hall_id: &str) -> AppResult<Vec<RunSummary>> {
    Ok(run::Entity::find()
        .filter(run::Column::HallId.eq(hall_id))
        .order_by_desc(run::Column::Month)
        .all(&state.db)
        .await
        .db_err()?
        .iter()
        .map(summary)
        .collect())
}

pub(crate) async fn find<C: ConnectionTrait>(
    db: &C,
    hall_id: &str,
    month: &Month,
) -> AppResult<run::Model> {
    run::Entity::find()
        .filter(run::Column::HallId.eq(hall_id))
        .filter(run::Column::Month.eq(month.to_string()))
        .one(db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::NotFound(format!("{} 的工资尚未核算", month.label())))
}

pub(crate) fn decrypt_slip(state: &AppState, row: &payslip::Model) -> AppResult<Payslip> {
    let json = state
        .pii
        .decrypt(&row.detail_enc)
        .map_err(AppError::internal)?;
    serde_json::from_str(&json).map_err(AppError::internal)
}

pub(crate) async fn slips_of_run<C: ConnectionTrait>(
    state: &AppState,
    db: &C,
    run_id: &str,
) -> AppResult<Vec<Payslip>> {
    payslip::Entity::find()
        .filter(payslip::Column::RunId.eq(run_id))
        .all(db)
        .await
        .db_err()?
        .iter()
        .map(|r| decrypt_slip(state, r))
        .collect()
}

/// The register: the run and each person's totals.
pub async fn detail(state: &AppState, hall_id: &str, month: &str) -> AppResult<RunDetail> {
    let month = parse_month(month)?;
    let r = find(&state.db, hall_id, &month).await?;
    let mut lines: Vec<RegisterLine> = slips_of_run(state, &state.db, &r.id)
        .await?
        .into_iter()
        .map(|s| RegisterLine {
            staff_id: s.staff_id,
            employee_no: s.employee_no,
            name: s.name,
            department: s.department,
            gross_fen: s.gross_fen,
            employee_contributions_fen: s.special_deduction_fen,
            iit_fen: s.iit_fen,
            net_fen: s.net_fen,
            employer_contributions_fen: s.employer_contributions_fen,
            employer_cost_fen: s.employer_cost_fen,
        })
        .collect();
    lines.sort_by(|a, b| a.employee_no.cmp(&b.employee_no));
    Ok(RunDetail {
        run: summary(&r),
        lines,
    })
}

/// Each person's year so far before `month`: from their latest payslip of
/// the year's closed months (someone unpaid in a month keeps an older one).
async fn years_so_far<C: ConnectionTrait>(
    state: &AppState,
    db: &C,
    earlier: &[run::Model],
) -> AppResult<HashMap<String, YearToDate>> {
    let mut out = HashMap::new();
    for r in earlier.iter().rev() {
        let rows = payslip::Entity::find()
            .filter(payslip::Column::RunId.eq(&r.id))
            .all(db)
            .await
            .db_err()?;
        for row in rows {
            if out.contains_key(&row.staff_id) {
                continue;
            }
            let slip = decrypt_slip(state, &row)?;
            out.insert(row.staff_id, slip.year_to_date);
        }
    }
    Ok(out)
}

/// The totals of a month's payslips (none skipped).
pub(crate) fn totals_of(slips: &[Payslip]) -> RunTotals {
    totals(slips, Vec::new())
}

fn totals(slips: &[Payslip], skipped: Vec<Skipped>) -> RunTotals {
    let mut by: BTreeMap<(u8, &'static str, String), i64> = BTreeMap::new();
    let mut add = |order: u8, group: &'static str, label: &str, amount: i64| {
        *by.entry((order, group, label.to_string())).or_default() += amount;
    };
    for s in slips {
        for l in &s.earnings {
            add(0, "应发", &l.label, l.amount_fen);
        }
        for l in &s.tax_free {
            add(0, "应发", &l.label, l.amount_fen);
        }
        for l in &s.pre_tax_deductions {
            add(0, "应发", &l.label, -l.amount_fen);
        }
        if let Some(b) = &s.bonus {
            add(0, "应发", "全年一次性奖金", b.bonus_fen);
        }
        for c in &s.contributions {
            add(
                1,
                "单位缴纳",
                contributions::item_label(&c.item),
                c.employer,
            );
            add(
                2,
                "个人缴纳",
                contributions::item_label(&c.item),
                c.employee,
            );
        }
        add(3, "代扣个税", "个人所得税", s.iit_fen);
        for l in &s.after_tax_deductions {
            add(4, "税后扣款", &l.label, l.amount_fen);
        }
    }
    RunTotals {
        gross_fen: slips.iter().map(|s| s.gross_fen).sum(),
        net_fen: slips.iter().map(|s| s.net_fen).sum(),
        iit_fen: slips.iter().map(|s| s.iit_fen).sum(),
        employee_contributions_fen: slips.iter().map(|s| s.special_deduction_fen).sum(),
        employer_contributions_fen: slips.iter().map(|s| s.employer_contributions_fen).sum(),
        employer_cost_fen: slips.iter().map(|s| s.employer_cost_fen).sum(),
        by_item: by
            .into_iter()
            .map(|((_, group, label), amount_fen)| CostTotal {
                group: group.into(),
                label,
                amount_fen,
            })
            .collect(),
        skipped,
    }
}

/// The months before `month` in its year must be closed, and none after.
fn check_order(month: &Month, year: &[run::Model]) -> AppResult<()> {
    let this = month.to_string();
    if let Some(open) = year
        .iter()
        .find(|r| r.month < this && r.status != "approved")
    {
        return Err(AppError::field(
            "month",
            format!(
                "{} 的工资尚未审核关账；同一年的工资须按月份顺序关账（个税按累计计算）",
                open.month
            ),
        ));
    }
    if let Some(later) = year.iter().find(|r| r.month > this) {
        return Err(AppError::field(
            "month",
            format!(
                "已核算 {} 的工资，不能再核算更早的 {this}；请在以后月份录入补发或扣回",
                later.month
            ),
        ));
    }
    Ok(())
}

/// Computes (or recomputes) the month as a draft for every member of staff
/// whose profile is complete; the others are listed with what they lack.
pub async fn compute(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    month: &str,
) -> AppResult<RunDetail> {
    let month = parse_month(month)?;
    let staff = directory::hall_staff(&state.db, hall_id).await?;
    let departments: HashMap<String, String> = directory::departments(&state.db, hall_id)
        .await?
        .into_iter()
        .map(|d| (d.id.to_string(), d.name))
        .collect();
    // The hall's formula components, and the month's attendance when one
    // reads it — both read before the write transaction starts.
    let components = pay_components::in_force(state, hall_id, &month).await?;
    let attendance: HashMap<String, sheet::SheetFigures> = if components.needs_attendance() {
        sheet::build(state, hall_id, &month.to_string(), None)
            .await?
            .rows
            .into_iter()
            .map(|r| (r.staff_id, r.figures))
            .collect()
    } else {
        HashMap::new()
    };
    let txn = begin_write(&state.db).await.db_err()?;
    let year = runs_of_year(&txn, hall_id, month.year).await?;
    let existing = year.iter().find(|r| r.month == month.to_string()).cloned();
    if existing.as_ref().is_some_and(|r| r.status == "approved") {
        return Err(AppError::field(
            "month",
            format!(
                "{} 的工资已审核关账，不能重新核算；请在以后月份录入补发或扣回",
                month.label()
            ),
        ));
    }
    check_order(&month, &year)?;
    let earlier: Vec<run::Model> = year
        .into_iter()
        .filter(|r| r.month < month.to_string())
        .collect();
    let before = years_so_far(state, &txn, &earlier).await?;
    let profiles = profiles::of_hall(state, &txn, hall_id).await?;
    let rates = contributions::rows(&txn, hall_id).await?;
    let items = pay_items::of_month(state, &txn, hall_id, &month).await?;
    let mut items_by: HashMap<&str, Vec<&Item>> = HashMap::new();
    for (_, item) in &items {
        items_by
            .entry(item.staff_id.as_str())
            .or_default()
            .push(item);
    }
    let mut slips = Vec::with_capacity(staff.len());
    let mut skipped = Vec::new();
    for s in &staff {
        let skip = |reason: String| Skipped {
            employee_no: s.employee_no.clone(),
            name: s.name.clone(),
            reason,
        };
        let Some(p) = profiles.get(s.id.as_str()) else {
            skipped.push(skip("人事档案未建立".into()));
            continue;
        };
        let Some(pay) = &p.pay else {
            skipped.push(skip("未设置薪资结构".into()));
            continue;
        };
        if p.row.hired_on.is_some_and(|d| d > month.last_day()) {
            skipped.push(skip("入职日期晚于本月".into()));
            continue;
        }
        let in_force = contributions::in_force(&rates, &p.row.city, month.first_day());
        if in_force.is_empty() {
            skipped.push(skip(format!(
                "参保地“{}”在本月没有五险一金费率",
                p.row.city
            )));
            continue;
        }
        let person = Person {
            staff_id: s.id.as_str(),
            employee_no: &s.employee_no,
            name: &s.name,
            department: s
                .department_id
                .as_ref()
                .and_then(|d| departments.get(d.as_str()).cloned()),
            employed_months: month.employed_months(p.row.hired_on, p.row.deduction_from_january),
        };
        let computed = if components.is_empty() {
            Vec::new()
        } else {
            components.items(&Who {
                staff_id: s.id.as_str(),
                employee_no: &s.employee_no,
                name: &s.name,
                pay,
                hired_on: p.row.hired_on,
                month: &month,
                attendance: attendance.get(s.id.as_str()),
            })?
        };
        let mut mine: Vec<&Item> = items_by.get(s.id.as_str()).cloned().unwrap_or_default();
        mine.extend(computed.iter());
        // The year so far: the last closed payslip here, else the opening
        // figures entered for months paid before this system ran.
        let ytd = match before.get(s.id.as_str()) {
            Some(y) => *y,
            None => pay
                .opening
                .as_ref()
                .filter(|o| o.year == month.year && o.through_month < month.month)
                .map(|o| o.year_to_date())
                .unwrap_or_default(),
        };
        slips.push(compute_slip(person, &month, pay, &in_force, &mine, ytd));
    }
    let totals = totals(&slips, skipped);
    let now = Utc::now();
    let run_id = match &existing {
        Some(r) => {
            payslip::Entity::delete_many()
                .filter(payslip::Column::RunId.eq(&r.id))
                .exec(&txn)
                .await
                .db_err()?;
            let mut a: run::ActiveModel = r.clone().into();
            a.staff_count = Set(slips.len() as i32);
            a.totals = Set(serde_json::to_string(&totals).map_err(AppError::internal)?);
            a.computed_at = Set(now);
            a.computed_by = Set(actor.name.clone());
            a.update(&txn).await.db_err()?;
            r.id.clone()
        }
        None => {
            let id = new_id().to_string();
            run::ActiveModel {
                id: Set(id.clone()),
                hall_id: Set(hall_id.to_string()),
                month: Set(month.to_string()),
                status: Set("draft".into()),
                staff_count: Set(slips.len() as i32),
                totals: Set(serde_json::to_string(&totals).map_err(AppError::internal)?),
                computed_at: Set(now),
                computed_by: Set(actor.name.clone()),
                approved_at: Set(None),
                approved_by: Set(None),
            }
            .insert(&txn)
            .await
            .db_err()?;
            id
        }
    };
    let mut rows = Vec::with_capacity(slips.len());
    for s in &slips {
        let json = serde_json::to_string(s).map_err(AppError::internal)?;
        rows.push(payslip::ActiveModel {
            id: Set(new_id().to_string()),
            run_id: Set(run_id.clone()),
            hall_id: Set(hall_id.to_string()),
            staff_id: Set(s.staff_id.clone()),
            month: Set(month.to_string()),
            detail_enc: Set(state.pii.encrypt(&json)),
        });
    }
    for chunk in rows.chunks(500) {
        payslip::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await
            .db_err()?;
    }
    let ev = PAYROLL_COMPUTED.event(
        Some(hall_id),
        &PayrollRun {
            month: month.to_string(),
            staff_count: slips.len() as i32,
            gross_fen: totals.gross_fen,
            net_fen: totals.net_fen,
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    detail(state, hall_id, &month.to_string()).await
}

/// Approves the month's draft: the month is closed.
pub async fn approve(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    month: &str,
) -> AppResult<RunDetail> {
    let month = parse_month(month)?;
    let txn = begin_write(&state.db).await.db_err()?;
    let r = find(&txn, hall_id, &month).await?;
    if r.status == "approved" {
        return Err(AppError::field(
            "month",
            format!("{} 的工资已审核关账", month.label()),
        ));
    }
    let year = runs_of_year(&txn, hall_id, month.year).await?;
    check_order(&month, &year)?;
    // Only a draft is closed: a second approval racing this one changes nothing.
    let changed = run::Entity::update_many()
        .col_expr(
            run::Column::Status,
            sea_orm::sea_query::Expr::value("approved"),
        )
        .col_expr(
            run::Column::ApprovedAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .col_expr(
            run::Column::ApprovedBy,
            sea_orm::sea_query::Expr::value(actor.name.clone()),
        )
        .filter(run::Column::Id.eq(&r.id))
        .filter(run::Column::Status.eq("draft"))
        .exec(&txn)
        .await
        .db_err()?;
    if changed.rows_affected == 0 {
        return Err(AppError::field(
            "month",
            format!("{} 的工资已审核关账", month.label()),
        ));
    }
    let totals: RunTotals = serde_json::from_str(&r.totals).unwrap_or_default();
    let ev = PAYROLL_APPROVED.event(
        Some(hall_id),
        &PayrollRun {
            month: month.to_string(),
            staff_count: r.staff_count,
            gross_fen: totals.gross_fen,
            net_fen: totals.net_fen,
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    detail(state, hall_id, &month.to_string()).await
}

/// One person's payslip of a month (for payroll staff).
pub async fn payslip_of(
    state: &AppState,
    hall_id: &str,
    month: &str,
    staff_id: &str,
) -> AppResult<Payslip> {
    let month = parse_month(month)?;
    let r = find(&state.db, hall_id, &month).await?;
    let row = payslip::Entity::find()
        .filter(payslip::Column::RunId.eq(&r.id))
        .filter(payslip::Column::StaffId.eq(staff_id))
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("工资条"))?;
    decrypt_slip(state, &row)
}

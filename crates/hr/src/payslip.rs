//! One person's month: what they earn, what is deducted, the 五险一金 of both
//! sides, the 个税 by the 累计预扣法 (and the 全年一次性奖金 apart when so
//! chosen), what is paid and what it costs the employer. A pure function of
//! the profile, the rates, the month's items and the year so far, so a
//! payslip can be recomputed and checked by hand.

use crate::contributions::{self, Contribution};
use crate::deductions;
use crate::entity::rate;
use crate::iit::{self, Withholding, YearToDate};
use crate::money::fen;
use crate::month::Month;
use crate::pay_items::{self, Item, Treatment};
use crate::profiles::PayStructure;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A line of a payslip (amount in fen).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PayLine {
    pub label: String,
    pub amount_fen: i64,
    /// Why, for a month's item (its reason; the month it corrects).
    #[serde(default)]
    pub note: String,
}

/// 全年一次性奖金 taxed apart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BonusTax {
    pub bonus_fen: i64,
    pub rate_pct: i64,
    pub quick_deduction_fen: i64,
    pub tax_fen: i64,
}

/// A payslip. Every amount is in fen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Payslip {
    pub staff_id: String,
    pub employee_no: String,
    pub name: String,
    pub department: Option<String>,
    /// `YYYY-MM`.
    pub month: String,
    /// Taxable pay: the structure and the month's items.
    pub earnings: Vec<PayLine>,
    /// Paid without tax (免税收入).
    pub tax_free: Vec<PayLine>,
    /// Taken off before tax (缺勤扣款, 扣回).
    pub pre_tax_deductions: Vec<PayLine>,
    /// 应发合计: earnings + tax-free − pre-tax deductions (+ a bonus taxed apart).
    pub gross_fen: i64,
    pub contributions: Vec<Contribution>,
    /// 专项扣除: the employee's own contributions.
    pub special_deduction_fen: i64,
    pub special_additional_deduction_fen: i64,
    pub special_additional: Vec<PayLine>,
    pub other_deduction_fen: i64,
    /// The 累计预扣法 for this month's wages.
    pub withholding: Withholding,
    pub employed_months: u32,
    pub bonus: Option<BonusTax>,
    /// 个税 this month: wages' withholding plus the bonus's.
    pub iit_fen: i64,
    pub after_tax_deductions: Vec<PayLine>,
    /// 实发合计.
    pub net_fen: i64,
    pub employer_contributions_fen: i64,
    /// 单位用工成本: gross + the employer's contributions.
    pub employer_cost_fen: i64,
    /// The year to date after this month (what next month starts from).
    pub year_to_date: YearToDate,
}

/// Who, for the payslip's heading.
pub(crate) struct Person<'a> {
    pub staff_id: &'a str,
    pub employee_no: &'a str,
    pub name: &'a str,
    pub department: Option<String>,
    pub employed_months: u32,
}

fn line(label: &str, amount: i64) -> PayLine {
    PayLine {
        label: label.into(),
        amount_fen: amount,
        note: String::new(),
    }
}

fn item_line(item: &Item) -> PayLine {
    let mut note = item.detail.reason.clone();
    if let Some(m) = &item.refers_month {
        note = format!("更正 {m}：{note}");
    }
    PayLine {
        label: item
            .label
            .clone()
            .unwrap_or_else(|| pay_items::label(&item.kind).into()),
        amount_fen: item.detail.amount,
        note,
    }
}

fn sum(lines: &[PayLine]) -> i64 {
    lines.iter().map(|l| l.amount_fen).sum()
}

/// Computes the month. The structure was checked when saved, so its
/// amounts convert to fen.
pub(crate) fn compute(
    person: Person<'_>,
    month: &Month,
    pay: &PayStructure,
    rates: &[&rate::Model],
    items: &[&Item],
    before: YearToDate,
) -> Payslip {
    let f = |v: f64| fen(v).unwrap_or(0);
    let mut earnings = vec![line("基本工资", f(pay.base))];
    if pay.post > 0.0 {
        earnings.push(line("岗位工资", f(pay.post)));
    }
    if pay.seniority > 0.0 {
        earnings.push(line("工龄工资", f(pay.seniority)));
    }
    earnings.extend(pay.allowances.iter().map(|a| line(&a.name, f(a.amount))));
    let mut tax_free = Vec::new();
    let mut pre_tax = Vec::new();
    let mut after_tax = Vec::new();
    let mut special_additional: Vec<PayLine> = pay
        .special_additional
        .iter()
        .map(|d| line(deductions::label(&d.kind), deductions::monthly(d)))
        .collect();
    let mut bonus_apart = 0i64;
    for item in items {
        let l = item_line(item);
        match pay_items::treatment(&item.kind) {
            Treatment::Earning => earnings.push(l),
            Treatment::TaxFree => tax_free.push(l),
            Treatment::PreTaxDeduction => pre_tax.push(l),
            Treatment::AfterTaxDeduction => after_tax.push(l),
            Treatment::AdditionalDeduction => special_additional.push(l),
            Treatment::AnnualBonus if item.detail.separately => bonus_apart += l.amount_fen,
            Treatment::AnnualBonus => earnings.push(l),
        }
    }
    let contributions = contributions::contribute(rates, f(pay.contribution_base));
    let special = contributions.iter().map(|c| c.employee).sum::<i64>();
    let employer = contributions.iter().map(|c| c.employer).sum::<i64>();
    let additional = sum(&special_additional);
    let other = f(pay.other_deduction);
    let wages = sum(&earnings) - sum(&pre_tax);
    let free = sum(&tax_free);
    let mut ytd = before;
    let withholding = ytd.step(
        &iit::Month {
            income: wages + free,
            tax_free_income: free,
            special_deduction: special,
            special_additional_deduction: additional,
            other_deduction: other,
            tax_relief: 0,
        },
        person.employed_months,
    );
    let bonus = (bonus_apart > 0).then(|| {
        let (rate_pct, quick, tax) = iit::annual_bonus_tax(bonus_apart);
        BonusTax {
            bonus_fen: bonus_apart,
            rate_pct,
            quick_deduction_fen: quick,
            tax_fen: tax,
        }
    });
    let iit = withholding.this_month + bonus.as_ref().map_or(0, |b| b.tax_fen);
    let gross = wages + free + bonus_apart;
    let net = gross - special - iit - sum(&after_tax);
    Payslip {
        staff_id: person.staff_id.into(),
        employee_no: person.employee_no.into(),
        name: person.name.into(),
        department: person.department,
        month: month.to_string(),
        earnings,
        tax_free,
        pre_tax_deductions: pre_tax,
        gross_fen: gross,
        contributions,
        special_deduction_fen: special,
        special_additional_deduction_fen: additional,
        special_additional,
        other_deduction_fen: other,
        withholding,
        employed_months: person.employed_months,
        bonus,
        iit_fen: iit,
        after_tax_deductions: after_tax,
        net_fen: net,
        employer_contributions_fen: employer,
        employer_cost_fen: gross + employer,
        year_to_date: ytd,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pay_items::Detail;
    use chrono::{NaiveDate, Utc};

    fn rate(item: &str, employer: i32, employee: i32) -> rate::Model {
        rate::Model {
            id: item.into(),
            hall_id: "h".into(),
            city: "西安市".into(),
            item: item.into(),
            effective_from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            effective_to: None,
            base_floor_fen: 4_000_00,
            base_ceiling_fen: 25_000_00,
            employer_rate_bp: employer,
            employee_rate_bp: employee,
            rounding: "fen".into(),
            source: "测试".into(),
            created_at: Utc::now(),
        }
    }

    fn person(months: u32) -> Person<'static> {
        Person {
            staff_id: "s",
            employee_no: "001",
            name: "张三",
            department: None,
            employed_months: months,
        }
    }

    /// The 61号公告 解读's person as a payslip: 30,000 a month, contributions
    /// making 4,500 (a base of 25,000 at 8 % + 2 % + 0.5 % + 7.5 % = 18 %),
    /// 专项附加扣除 2,000 (one child's 子女教育): January withholds 555,
    /// February 625, March 1,850.
    #[test]
    fn three_months_match_the_published_example() {
        let rates = [
            rate("pension", 1600, 800),
            rate("medical", 800, 200),
            rate("unemployment", 50, 50),
            rate("housing_fund", 750, 750),
        ];
        let rates: Vec<&rate::Model> = rates.iter().collect();
        let pay = PayStructure {
            base: 30_000.0,
            contribution_base: 25_000.0,
            special_additional: vec![deductions::Declared {
                kind: "child_education".into(),
                count: Some(1),
                share_pct: Some(100),
                tier: None,
                only_child: None,
                amount: None,
            }],
            ..PayStructure::default()
        };
        let mut ytd = YearToDate::default();
        let mut got = Vec::new();
        for m in 1..=3 {
            let month = Month {
                year: 2026,
                month: m,
            };
            let slip = compute(person(m), &month, &pay, &rates, &[], ytd);
            assert_eq!(slip.special_deduction_fen, 4_500_00);
            ytd = slip.year_to_date;
            got.push(slip.iit_fen);
            assert_eq!(slip.net_fen, 30_000_00 - 4_500_00 - slip.iit_fen);
            assert_eq!(slip.employer_cost_fen, 30_000_00 + 8_000_00);
        }
        assert_eq!(got, vec![555_00, 625_00, 1_850_00]);
    }

    #[test]
    fn items_land_where_their_kind_says() {
        let item = |kind: &str, amount: i64, separately: bool| Item {
            staff_id: "s".into(),
            kind: kind.into(),
            label: None,
            refers_month: None,
            detail: Detail {
                amount,
                reason: "测试".into(),
                separately,
            },
        };
        let items = [
            item("performance", 1_000_00, false),
            item("absence", 200_00, false),
            item("tax_free", 300_00, false),
            item("after_tax", 50_00, false),
            item("annual_bonus", 36_000_00, true),
        ];
        let refs: Vec<&Item> = items.iter().collect();
        let pay = PayStructure {
            base: 5_000.0,
            contribution_base: 0.0,
            ..PayStructure::default()
        };
        let month = Month {
            year: 2026,
            month: 1,
        };
        let slip = compute(person(1), &month, &pay, &[], &refs, YearToDate::default());
        // Wages 5,000 + 1,000 − 200 = 5,800 taxable; 5,800 − 5,000 = 800 × 3 % = 24.
        assert_eq!(slip.withholding.this_month, 24_00);
        assert_eq!(slip.bonus.as_ref().map(|b| b.tax_fen), Some(1_080_00));
        assert_eq!(slip.iit_fen, 1_104_00);
        assert_eq!(slip.gross_fen, 5_800_00 + 300_00 + 36_000_00);
        assert_eq!(slip.net_fen, slip.gross_fen - 1_104_00 - 50_00);
    }
}

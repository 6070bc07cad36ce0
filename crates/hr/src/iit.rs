//! 个人所得税 on wages by the 累计预扣法 (国家税务总局公告2018年第61号):
//!
//! - 累计预扣预缴应纳税所得额 = 累计收入 − 累计免税收入 − 累计减除费用 − 累计专项扣除
//!   − 累计专项附加扣除 − 累计依法确定的其他扣除;
//! - 本期应预扣预缴税额 = (累计应纳税所得额 × 预扣率 − 速算扣除数) − 累计减免税额
//!   − 累计已预扣预缴税额; a negative result is withheld as 0 (not refunded in
//!   the month) and the cumulative figures carry on;
//! - 累计减除费用 = 5,000 × the months employed by this withholding agent in the
//!   year, or × the month's number when the basic deduction counts from
//!   January (公告2020年第13号: the year's first wages).
//!
//! Money is kept in fen; a month's cumulative tax is rounded to the fen (half
//! up) before the withholding is taken from it, as the tax software does.

use crate::money::{fen, percent, yuan};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// 减除费用 per month (个人所得税法 第六条: 60,000 a year).
pub const BASIC_DEDUCTION_FEN: i64 = 5_000_00;

/// 个人所得税预扣率表一 (居民个人工资、薪金所得预扣预缴适用): the upper bound
/// of each bracket's cumulative taxable income (fen; it belongs to that
/// bracket), the rate in percent and the quick deduction (fen).
pub const BRACKETS: [(Option<i64>, i64, i64); 7] = [
    (Some(36_000_00), 3, 0),
    (Some(144_000_00), 10, 2_520_00),
    (Some(300_000_00), 20, 16_920_00),
    (Some(420_000_00), 25, 31_920_00),
    (Some(660_000_00), 30, 52_920_00),
    (Some(960_000_00), 35, 85_920_00),
    (None, 45, 181_920_00),
];

/// One month's figures as the payroll has them (yuan, at most two decimals).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct MonthInput {
    /// 收入: the month's wages and salaries.
    pub income: f64,
    /// 免税收入.
    #[serde(default)]
    pub tax_free_income: f64,
    /// 专项扣除: the person's own pension, medical and unemployment insurance and housing fund.
    #[serde(default)]
    pub special_deduction: f64,
    /// 专项附加扣除: children's education, elderly care, rent or loan interest, …
    #[serde(default)]
    pub special_additional_deduction: f64,
    /// 依法确定的其他扣除 (e.g. 个人养老金, 商业健康保险).
    #[serde(default)]
    pub other_deduction: f64,
    /// 减免税额.
    #[serde(default)]
    pub tax_relief: f64,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PreviewInput {
    /// The first month employed by this withholding agent this year (1–12; default 1).
    #[serde(default)]
    pub first_month: Option<u32>,
    /// Consecutive months from `first_month` (1 to the end of the year).
    pub months: Vec<MonthInput>,
    /// The basic deduction counts from January (公告2020年第13号: the person's
    /// first wages of the year are these).
    #[serde(default)]
    pub deduction_from_january: bool,
}

/// One month's withholding and the cumulative figures behind it (yuan).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct MonthResult {
    /// 1–12.
    pub month: u32,
    pub cumulative_income: f64,
    pub cumulative_tax_free_income: f64,
    /// 累计减除费用.
    pub cumulative_basic_deduction: f64,
    pub cumulative_special_deduction: f64,
    pub cumulative_special_additional_deduction: f64,
    pub cumulative_other_deduction: f64,
    /// 累计预扣预缴应纳税所得额 (never below 0).
    pub cumulative_taxable_income: f64,
    /// 预扣率, percent.
    pub rate_pct: i64,
    /// 速算扣除数.
    pub quick_deduction: f64,
    /// 累计应纳税额 less 累计减免税额 (never below 0).
    pub cumulative_tax: f64,
    pub cumulative_tax_relief: f64,
    /// 累计已预扣预缴税额 before this month.
    pub withheld_before: f64,
    /// 本期应预扣预缴税额.
    pub withholding: f64,
    /// The formula gave less than what was withheld already: 0 this month, no refund.
    pub negative_carried: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PreviewResult {
    pub months: Vec<MonthResult>,
    /// Withheld over the months given.
    pub total_withholding: f64,
    /// The rule applied, for the reader.
    pub basis: String,
}

/// The same figures in fen, checked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(as = IitMonthFen)]
pub struct Month {
    pub income: i64,
    pub tax_free_income: i64,
    pub special_deduction: i64,
    pub special_additional_deduction: i64,
    pub other_deduction: i64,
    pub tax_relief: i64,
}

/// The bracket of a cumulative taxable income: rate (percent) and quick deduction (fen).
pub fn bracket(taxable: i64) -> (i64, i64) {
    BRACKETS
        .iter()
        .find(|(upper, _, _)| upper.is_none_or(|u| taxable <= u))
        .map(|&(_, rate, quick)| (rate, quick))
        .unwrap_or((45, 181_920_00))
}

/// Checks the input; every bad field is named (`months[2].income`).
pub fn check(input: &PreviewInput) -> Result<(u32, Vec<Month>), govhall_kernel::AppError> {
    let mut ch = govhall_kernel::validate::Checker::new();
    let first = input.first_month.unwrap_or(1);
    ch.check(
        (1..=12).contains(&first),
        "first_month",
        "起始月份须为 1 至 12",
    );
    let room = 13u32.saturating_sub(first.clamp(1, 12)) as usize;
    ch.check(
        (1..=room).contains(&input.months.len()),
        "months",
        format!("须给出 1 至 {room} 个连续月份（从 {first} 月到 12 月）"),
    );
    let mut out = Vec::with_capacity(input.months.len());
    for (i, m) in input.months.iter().enumerate() {
        let mut amount = |field: &str, label: &str, v: f64| {
            fen(v).unwrap_or_else(|| {
                ch.fail(
                    &format!("months[{i}].{field}"),
                    format!(
                        "第 {} 个月的{label}须为 0 至 1 亿元之间的金额，最多两位小数",
                        i + 1
                    ),
                );
                0
            })
        };
        out.push(Month {
            income: amount("income", "收入", m.income),
            tax_free_income: amount("tax_free_income", "免税收入", m.tax_free_income),
            special_deduction: amount("special_deduction", "专项扣除", m.special_deduction),
            special_additional_deduction: amount(
                "special_additional_deduction",
                "专项附加扣除",
                m.special_additional_deduction,
            ),
            other_deduction: amount("other_deduction", "其他扣除", m.other_deduction),
            tax_relief: amount("tax_relief", "减免税额", m.tax_relief),
        });
    }
    ch.finish()?;
    Ok((first, out))
}

/// One person's year so far with one withholding agent, in fen: what the
/// next month's withholding starts from (a payslip keeps it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct YearToDate {
    pub sum: Month,
    /// 累计已预扣预缴税额.
    pub withheld: i64,
}

/// One month's withholding, in fen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Withholding {
    /// 累计减除费用.
    pub basic_deduction: i64,
    /// 累计预扣预缴应纳税所得额.
    pub taxable: i64,
    pub rate_pct: i64,
    pub quick_deduction: i64,
    /// 累计应纳税额 less the reliefs.
    pub tax: i64,
    /// 本期应预扣预缴税额.
    pub this_month: i64,
    /// The cumulative tax was below what was withheld: 0 this month, no refund.
    pub negative_carried: bool,
}

impl YearToDate {
    /// Adds the month and answers its withholding; `employed` is the months
    /// the basic deduction counts (this one included).
    pub fn step(&mut self, m: &Month, employed: u32) -> Withholding {
        let sum = &mut self.sum;
        sum.income += m.income;
        sum.tax_free_income += m.tax_free_income;
        sum.special_deduction += m.special_deduction;
        sum.special_additional_deduction += m.special_additional_deduction;
        sum.other_deduction += m.other_deduction;
        sum.tax_relief += m.tax_relief;
        let basic = BASIC_DEDUCTION_FEN * i64::from(employed);
        let taxable = (sum.income
            - sum.tax_free_income
            - basic
            - sum.special_deduction
            - sum.special_additional_deduction
            - sum.other_deduction)
            .max(0);
        let (rate, quick) = bracket(taxable);
        let tax = (percent(taxable, rate) - quick - sum.tax_relief).max(0);
        let due = tax - self.withheld;
        let this = due.max(0);
        self.withheld += this;
        Withholding {
            basic_deduction: basic,
            taxable,
            rate_pct: rate,
            quick_deduction: quick,
            tax,
            this_month: this,
            negative_carried: due < 0,
        }
    }
}

/// Each month's withholding from `first` on (the months in fen).
pub fn withhold(first: u32, months: &[Month], deduction_from_january: bool) -> Vec<MonthResult> {
    let mut ytd = YearToDate::default();
    let mut out = Vec::with_capacity(months.len());
    for (i, m) in months.iter().enumerate() {
        let month = first + i as u32;
        let employed = if deduction_from_january {
            month
        } else {
            i as u32 + 1
        };
        let withheld_before = ytd.withheld;
        let w = ytd.step(m, employed);
        let sum = &ytd.sum;
        out.push(MonthResult {
            month,
            cumulative_income: yuan(sum.income),
            cumulative_tax_free_income: yuan(sum.tax_free_income),
            cumulative_basic_deduction: yuan(w.basic_deduction),
            cumulative_special_deduction: yuan(sum.special_deduction),
            cumulative_special_additional_deduction: yuan(sum.special_additional_deduction),
            cumulative_other_deduction: yuan(sum.other_deduction),
            cumulative_taxable_income: yuan(w.taxable),
            rate_pct: w.rate_pct,
            quick_deduction: yuan(w.quick_deduction),
            cumulative_tax: yuan(w.tax),
            cumulative_tax_relief: yuan(sum.tax_relief),
            withheld_before: yuan(withheld_before),
            withholding: yuan(w.this_month),
            negative_carried: w.negative_carried,
        });
    }
    out
}

/// 按月换算后的综合所得税率表 (全年一次性奖金单独计税, 财税〔2018〕164号):
/// the upper bound of the bonus divided by 12 (fen), the rate in percent and
/// the quick deduction (fen).
pub const BONUS_BRACKETS: [(Option<i64>, i64, i64); 7] = [
    (Some(3_000_00), 3, 0),
    (Some(12_000_00), 10, 210_00),
    (Some(25_000_00), 20, 1_410_00),
    (Some(35_000_00), 25, 2_660_00),
    (Some(55_000_00), 30, 4_410_00),
    (Some(80_000_00), 35, 7_160_00),
    (None, 45, 15_160_00),
];

/// 全年一次性奖金 taxed apart from the wages: the bonus ÷ 12 picks the rate
/// of the monthly table; tax = bonus × rate − quick deduction (once, not ×
/// 12), rounded half up to the fen. Answers (rate, quick deduction, tax).
pub fn annual_bonus_tax(bonus: i64) -> (i64, i64, i64) {
    let bonus = bonus.max(0);
    // Compare bonus / 12 with the bound without dividing: bonus ≤ 12 × bound.
    let (rate, quick) = BONUS_BRACKETS
        .iter()
        .find(|(upper, _, _)| upper.is_none_or(|u| bonus <= 12 * u))
        .map(|&(_, r, q)| (r, q))
        .unwrap_or((45, 15_160_00));
    (rate, quick, (percent(bonus, rate) - quick).max(0))
}

/// The calculator: checked input, each month's withholding, the total.
pub fn preview(input: &PreviewInput) -> Result<PreviewResult, govhall_kernel::AppError> {
    let (first, months) = check(input)?;
    let rows = withhold(first, &months, input.deduction_from_january);
    let total: f64 = rows.iter().map(|r| r.withholding).sum();
    Ok(PreviewResult {
        total_withholding: (total * 100.0).round() / 100.0,
        months: rows,
        basis: "累计预扣法（国家税务总局公告2018年第61号）：累计预扣预缴应纳税所得额 = 累计收入 − 累计免税收入 − 累计减除费用（5000 元/月） − 累计专项扣除 − 累计专项附加扣除 − 累计依法确定的其他扣除；本期应预扣预缴税额 = 累计应纳税所得额 × 预扣率 − 速算扣除数 − 累计减免税额 − 累计已预扣预缴税额，为负时本期不退税、按 0 预扣。预扣率表一：3%/10%/20%/25%/30%/35%/45%。".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn month(income: i64, special: i64, additional: i64) -> Month {
        Month {
            income: income * 100,
            special_deduction: special * 100,
            special_additional_deduction: additional * 100,
            ..Month::default()
        }
    }

    /// The worked example of the 解读 of 国家税务总局公告2018年第61号: wages of
    /// 30,000 a month, 专项扣除 4,500, 专项附加扣除 (子女教育 and 赡养老人) 2,000:
    /// January (30000−5000−4500−2000)×3% = 555; February
    /// (30000×2−5000×2−4500×2−2000×2)×10%−2520−555 = 625; March
    /// (30000×3−5000×3−4500×3−2000×3)×10%−2520−555−625 = 1850.
    #[test]
    fn the_tax_authoritys_worked_example() {
        let months = [month(30_000, 4_500, 2_000); 3];
        let rows = withhold(1, &months, false);
        let withheld: Vec<f64> = rows.iter().map(|r| r.withholding).collect();
        assert_eq!(withheld, vec![555.0, 625.0, 1850.0]);
        assert_eq!(rows[1].cumulative_taxable_income, 37_000.0);
        assert_eq!((rows[1].rate_pct, rows[1].quick_deduction), (10, 2_520.0));
    }

    /// 全年一次性奖金单独计税 (财税〔2018〕164号 一(一)): 36,000 ÷ 12 = 3,000 falls
    /// in the 3 % bracket (1,080); one yuan more reaches 10 % less 210
    /// (3,390.10) — the well-known 盲区 of the separate table.
    #[test]
    fn annual_bonus_is_taxed_by_the_monthly_table() {
        assert_eq!(annual_bonus_tax(36_000_00), (3, 0, 1_080_00));
        assert_eq!(annual_bonus_tax(36_001_00), (10, 210_00, 3_390_10));
        assert_eq!(annual_bonus_tax(144_000_00), (10, 210_00, 14_190_00));
        assert_eq!(annual_bonus_tax(144_000_01), (20, 1_410_00, 27_390_00));
        assert_eq!(annual_bonus_tax(0), (3, 0, 0));
    }

    #[test]
    fn an_upper_bound_belongs_to_the_lower_bracket() {
        assert_eq!(bracket(36_000_00), (3, 0));
        assert_eq!(bracket(36_000_01), (10, 2_520_00));
        assert_eq!(bracket(144_000_00), (10, 2_520_00));
        assert_eq!(bracket(960_000_00), (35, 85_920_00));
        assert_eq!(bracket(960_000_01), (45, 181_920_00));
        // The table is continuous: at each edge both brackets give the same tax.
        for w in BRACKETS.windows(2) {
            let edge = w[0].0.unwrap();
            let below = percent(edge, w[0].1) - w[0].2;
            let above = percent(edge, w[1].1) - w[1].2;
            assert_eq!(below, above, "at {edge}");
        }
    }

    #[test]
    fn a_month_that_would_refund_withholds_nothing_and_the_sums_carry_on() {
        // A big January bonus month, then a month of low pay with a large
        // deduction: the formula gives less than what was withheld — 0, no refund.
        let months = [
            month(40_000, 0, 0),
            Month {
                income: 0,
                tax_relief: 500_00,
                ..Month::default()
            },
            month(10_000, 0, 0),
        ];
        let rows = withhold(1, &months, false);
        assert_eq!(rows[0].withholding, 1_050.0); // (40000−5000)×3%
        // February: (40000−10000)×3% − 500 relief = 400 < 1050 withheld.
        assert_eq!(rows[1].cumulative_tax, 400.0);
        assert!(rows[1].negative_carried, "{:?}", rows[1]);
        assert_eq!(rows[1].withholding, 0.0);
        // March: (50000−15000)×3% − 500 = 550, still below the 1050 withheld.
        assert_eq!(rows[2].cumulative_tax, 550.0);
        assert_eq!(rows[2].withheld_before, 1_050.0);
        assert_eq!(rows[2].withholding, 0.0);
    }

    #[test]
    fn a_hire_in_the_year_deducts_from_their_first_month_or_from_january() {
        let months = [month(20_000, 0, 0); 2];
        // Hired in July: 5,000 a month employed — July (20000−5000)×3% = 450,
        // August (40000−10000)×3% − 450 = 450.
        let from_hire = withhold(7, &months, false);
        assert_eq!(from_hire[0].month, 7);
        assert_eq!(from_hire[0].cumulative_basic_deduction, 5_000.0);
        let w: Vec<f64> = from_hire.iter().map(|r| r.withholding).collect();
        assert_eq!(w, vec![450.0, 450.0]);
        // The year's first wages: 5,000 × the month's number — nothing to withhold yet.
        let from_january = withhold(7, &months, true);
        assert_eq!(from_january[0].cumulative_basic_deduction, 35_000.0);
        assert_eq!(from_january[1].cumulative_basic_deduction, 40_000.0);
        let w: Vec<f64> = from_january.iter().map(|r| r.withholding).collect();
        assert_eq!(w, vec![0.0, 0.0]);
    }

    #[test]
    fn bad_figures_are_named_by_month_and_field() {
        let input = PreviewInput {
            first_month: Some(11),
            months: vec![
                MonthInput {
                    income: -1.0,
                    special_deduction: 0.001,
                    ..MonthInput::default()
                };
                3
            ],
            deduction_from_january: false,
        };
        let err = check(&input).unwrap_err().to_string();
        let fields = match check(&input).unwrap_err() {
            govhall_kernel::AppError::Validation { fields, .. } => fields,
            other => panic!("{other:?}"),
        };
        let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
        assert!(names.contains(&"months"), "{err}");
        assert!(names.contains(&"months[0].income"));
        assert!(names.contains(&"months[2].special_deduction"));
    }

    proptest! {
        /// Whatever the months, the withholdings add up to the cumulative tax
        /// of the last month unless a month would have refunded (then more
        /// was withheld than is due, never less).
        #[test]
        fn withholdings_add_up_to_the_cumulative_tax(
            incomes in proptest::collection::vec(0i64..200_000_00, 1..12),
            special in 0i64..5_000_00,
            additional in 0i64..5_000_00,
        ) {
            let months: Vec<Month> = incomes.iter().map(|&income| Month {
                income,
                special_deduction: special,
                special_additional_deduction: additional,
                ..Month::default()
            }).collect();
            let rows = withhold(1, &months, false);
            let total: i64 = rows.iter().map(|r| (r.withholding * 100.0).round() as i64).sum();
            let last = rows.last().unwrap();
            let due = (last.cumulative_tax * 100.0).round() as i64;
            prop_assert!(rows.iter().all(|r| r.withholding >= 0.0));
            if rows.iter().any(|r| r.negative_carried) {
                prop_assert!(total >= due);
            } else {
                prop_assert_eq!(total, due);
            }
        }
    }
}

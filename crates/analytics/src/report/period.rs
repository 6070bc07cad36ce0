//! A report's period: a month (`2026-11`) or a quarter (`2026-Q4`), and the
//! one before it that its figures are compared with (环比).

use chrono::{Datelike, Months, NaiveDate};
use govhall_kernel::error::{AppError, AppResult};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// As asked: `2026-11` or `2026-Q4`.
    pub key: String,
    /// `2026年11月`, `2026年第四季度`.
    pub label: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub previous_from: NaiveDate,
    pub previous_to: NaiveDate,
}

const QUARTERS: [&str; 4] = ["一", "二", "三", "四"];

fn month_end(first: NaiveDate, months: u32) -> NaiveDate {
    first
        .checked_add_months(Months::new(months))
        .and_then(|d| d.pred_opt())
        .unwrap_or(first)
}

impl Period {
    pub fn parse(key: &str) -> AppResult<Period> {
        let bad = || {
            AppError::field(
                "period",
                format!("报告期“{key}”格式不对：月报写 2026-11，季报写 2026-Q4"),
            )
        };
        let key = key.trim();
        let (year, rest) = key.split_once('-').ok_or_else(bad)?;
        let year: i32 = year.parse().map_err(|_| bad())?;
        if !(2000..=2100).contains(&year) {
            return Err(bad());
        }
        let (first, months, label) = if let Some(q) = rest.strip_prefix(['Q', 'q']) {
            let q: u32 = q.parse().map_err(|_| bad())?;
            if !(1..=4).contains(&q) {
                return Err(bad());
            }
            let first = NaiveDate::from_ymd_opt(year, (q - 1) * 3 + 1, 1).ok_or_else(bad)?;
            (
                first,
                3,
                format!("{year}年第{}季度", QUARTERS[q as usize - 1]),
            )
        } else {
            let m: u32 = rest.parse().map_err(|_| bad())?;
            let first = NaiveDate::from_ymd_opt(year, m, 1).ok_or_else(bad)?;
            (first, 1, format!("{year}年{m}月"))
        };
        let previous_from = first
            .checked_sub_months(Months::new(months))
            .ok_or_else(bad)?;
        Ok(Period {
            key: if months == 3 {
                format!("{year}-Q{}", (first.month() - 1) / 3 + 1)
            } else {
                format!("{year}-{:02}", first.month())
            },
            label,
            from: first,
            to: month_end(first, months),
            previous_from,
            previous_to: first.pred_opt().ok_or_else(bad)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_quarters_with_the_period_before() {
        let m = Period::parse("2026-11").unwrap();
        assert_eq!(
            (m.from.to_string(), m.to.to_string()),
            ("2026-11-01".into(), "2026-11-30".into())
        );
        assert_eq!(
            (m.previous_from.to_string(), m.previous_to.to_string()),
            ("2026-10-01".into(), "2026-10-31".into())
        );
        assert_eq!(m.label, "2026年11月");
        let q = Period::parse("2026-Q1").unwrap();
        assert_eq!(
            (q.from.to_string(), q.to.to_string()),
            ("2026-01-01".into(), "2026-03-31".into())
        );
        assert_eq!(q.previous_from.to_string(), "2025-10-01");
        assert_eq!(q.label, "2026年第一季度");
        assert_eq!(Period::parse("2026-2").unwrap().key, "2026-02");
        for bad in ["2026", "2026-13", "2026-Q5", "11-2026", "abcd-01"] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
    }
}

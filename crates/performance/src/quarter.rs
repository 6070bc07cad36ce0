//! A quarter, `2026-Q4`.

use chrono::{Datelike, NaiveDate};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    pub year: i32,
    /// 1 to 4.
    pub q: u32,
}

impl Quarter {
    /// `2026-Q4`; the error is a Chinese reason.
    pub fn parse(raw: &str) -> Result<Quarter, String> {
        let bad = || format!("须为“年-Q季度”格式，如 2026-Q4（收到“{raw}”）");
        let (y, q) = raw.trim().split_once("-Q").ok_or_else(bad)?;
        let year: i32 = y.parse().map_err(|_| bad())?;
        let q: u32 = q.parse().map_err(|_| bad())?;
        if y.len() != 4 || !(2000..=2100).contains(&year) || !(1..=4).contains(&q) {
            return Err(bad());
        }
        Ok(Quarter { year, q })
    }

    pub fn of(day: NaiveDate) -> Quarter {
        Quarter {
            year: day.year(),
            q: (day.month() - 1) / 3 + 1,
        }
    }

    pub fn first_day(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, (self.q - 1) * 3 + 1, 1).unwrap_or_default()
    }

    pub fn last_day(&self) -> NaiveDate {
        let next = if self.q == 4 {
            NaiveDate::from_ymd_opt(self.year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(self.year, self.q * 3 + 1, 1)
        };
        next.and_then(|d| d.pred_opt()).unwrap_or_default()
    }

    /// Its three months, `YYYY-MM`.
    pub fn months(&self) -> Vec<String> {
        (0..3)
            .map(|i| format!("{}-{:02}", self.year, (self.q - 1) * 3 + 1 + i))
            .collect()
    }

    /// `2026年第四季度`.
    pub fn label(&self) -> String {
        let n = ["一", "二", "三", "四"][(self.q - 1) as usize];
        format!("{}年第{n}季度", self.year)
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-Q{}", self.year, self.q)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_have_their_days_and_months() {
        let q = Quarter::parse("2026-Q4").unwrap();
        assert_eq!(q.first_day().to_string(), "2026-10-01");
        assert_eq!(q.last_day().to_string(), "2026-12-31");
        assert_eq!(q.months(), ["2026-10", "2026-11", "2026-12"]);
        assert_eq!(q.label(), "2026年第四季度");
        let d = NaiveDate::from_ymd_opt(2026, 2, 28).unwrap();
        assert_eq!(Quarter::of(d).to_string(), "2026-Q1");
        assert!(Quarter::parse("2026-Q5").is_err());
        assert!(Quarter::parse("2026Q1").is_err());
    }
}

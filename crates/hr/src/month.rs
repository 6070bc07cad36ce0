//! A payroll month, `YYYY-MM`.

use chrono::{Datelike, NaiveDate};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    /// 1 to 12.
    pub month: u32,
}

impl Month {
    /// `2026-11`; the error is a Chinese reason.
    pub fn parse(raw: &str) -> Result<Month, String> {
        let bad = || format!("须为“年-月”格式，如 2026-11（收到“{raw}”）");
        let (y, m) = raw.trim().split_once('-').ok_or_else(bad)?;
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        if y.len() != 4 || !(2000..=2100).contains(&year) || !(1..=12).contains(&month) {
            return Err(bad());
        }
        Ok(Month { year, month })
    }

    pub fn first_day(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or_default()
    }

    pub fn last_day(&self) -> NaiveDate {
        let next = if self.month == 12 {
            NaiveDate::from_ymd_opt(self.year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(self.year, self.month + 1, 1)
        };
        next.and_then(|d| d.pred_opt()).unwrap_or_default()
    }

    /// The month before.
    pub fn previous(&self) -> Month {
        if self.month == 1 {
            Month {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// `2026年11月`.
    pub fn label(&self) -> String {
        format!("{}年{}月", self.year, self.month)
    }

    /// The months of the basic deduction by this month: from January, or
    /// from the month of hire when it is in this year.
    pub fn employed_months(&self, hired_on: Option<NaiveDate>, from_january: bool) -> u32 {
        match hired_on {
            Some(d) if d.year() == self.year && !from_january => {
                self.month.saturating_sub(d.month()) + 1
            }
            _ => self.month,
        }
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:02}", self.year, self.month)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_and_count_employment() {
        let m = Month::parse("2026-11").unwrap();
        assert_eq!(m.to_string(), "2026-11");
        assert_eq!(m.last_day(), NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
        assert!(Month::parse("2026-13").is_err());
        assert!(Month::parse("26-1").is_err());
        let hired = NaiveDate::from_ymd_opt(2026, 9, 15);
        assert_eq!(m.employed_months(hired, false), 3);
        assert_eq!(m.employed_months(hired, true), 11);
        assert_eq!(
            m.employed_months(NaiveDate::from_ymd_opt(2020, 1, 1), false),
            11
        );
        assert_eq!(
            Month::parse("2026-12").unwrap().last_day().to_string(),
            "2026-12-31"
        );
    }
}

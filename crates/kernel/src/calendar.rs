//! The China working-day calendar: weekends, public holidays and 调休 make-up
//! working days. The holiday schedule is data (published yearly by the State
//! Council and maintained by an administrator); this module only computes.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a listed date is. Unlisted dates follow the week: Monday–Friday work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// 法定节假日 (a rest day even if it falls on a weekday).
    Holiday,
    /// 调休上班 (a working day even if it falls on a weekend).
    Workday,
}

impl DayKind {
    pub fn code(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::Workday => "workday",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "holiday" | "休" | "假" | "放假" => Some(DayKind::Holiday),
            "workday" | "班" | "上班" | "调休上班" => Some(DayKind::Workday),
            _ => None,
        }
    }
}

/// One listed date of the calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecialDay {
    pub date: NaiveDate,
    pub kind: DayKind,
    /// e.g. 春节, 国庆节
    pub name: String,
}

#[derive(Debug, Clone, Default)]
pub struct WorkCalendar {
    days: BTreeMap<NaiveDate, DayKind>,
}

impl WorkCalendar {
    pub fn new(days: impl IntoIterator<Item = SpecialDay>) -> Self {
        Self {
            days: days.into_iter().map(|d| (d.date, d.kind)).collect(),
        }
    }

    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        match self.days.get(&date) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::Workday) => true,
            None => !matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// The date reached after counting `n` working days after `start`
    /// (`start` itself is not counted: a 5-working-day limit accepted on a
    /// Friday ends on the following Friday). `n = 0` returns `start`.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        let mut date = start;
        let mut left = n;
        while left > 0 {
            date = date + Days::new(1);
            if self.is_working_day(date) {
                left -= 1;
            }
        }
        date
    }

    /// Working days in the half-open range (`from`, `to`]; negative when `to` is before `from`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let (a, b, sign) = if to >= from {
            (from, to, 1)
        } else {
            (to, from, -1)
        };
        let count = a
            .iter_days()
            .skip(1)
            .take_while(|d| *d <= b)
            .filter(|d| self.is_working_day(*d))
            .count() as i64;
        sign * count
    }
}

/// A problem on one line of a calendar import file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineError {
    pub line: usize,
    pub message: String,
}

/// Parses the simple import format, one date per line:
/// `2026-10-01,holiday,国庆节` or `2026-10-10,workday,国庆节调休`.
/// Blank lines and lines starting with `#` are ignored. Every bad line is reported.
pub fn parse_calendar_file(text: &str) -> Result<Vec<SpecialDay>, Vec<LineError>> {
    let mut days = Vec::new();
    let mut errors = Vec::new();
    let mut seen = BTreeMap::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let raw = raw.trim().trim_start_matches('\u{feff}');
        if raw.is_empty() || raw.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = raw.split([',', '，', '\t']).map(str::trim).collect();
        if cols.len() < 2 {
            errors.push(LineError {
                line,
                message: "格式应为“日期,类型,名称”，例如 2026-10-01,holiday,国庆节".into(),
            });
            continue;
        }
        let Ok(date) = NaiveDate::parse_from_str(cols[0], "%Y-%m-%d") else {
            errors.push(LineError {
                line,
                message: format!("日期“{}”不是 YYYY-MM-DD 格式的真实日期", cols[0]),
            });
            continue;
        };
        let Some(kind) = DayKind::parse(cols[1]) else {
            errors.push(LineError {
                line,
                message: format!(
                    "类型“{}”只能是 holiday（放假）或 workday（调休上班）",
                    cols[1]
                ),
            });
            continue;
        };
        if let Some(prev) = seen.insert(date, line) {
            errors.push(LineError {
                line,
                message: format!("日期 {date} 与第 {prev} 行重复"),
            });
            continue;
        }
        let name = cols.get(2).copied().unwrap_or("").to_string();
        if name.chars().count() > 50 {
            errors.push(LineError {
                line,
                message: "名称不能超过 50 个字符".into(),
            });
            continue;
        }
        days.push(SpecialDay { date, kind, name });
    }
    if errors.is_empty() {
        Ok(days)
    } else {
        Err(errors)
    }
}

/// The State Council's published schedules (国办发明电〔2024〕12号 for 2025,
/// 国办发明电〔2025〕7号 for 2026), shipped as seed data.
pub fn official_schedule() -> Vec<SpecialDay> {
    // (first day, last day, kind, name)
    const RANGES: &[(&str, &str, DayKind, &str)] = &[
        ("2025-01-01", "2025-01-01", DayKind::Holiday, "元旦"),
        ("2025-01-28", "2025-02-04", DayKind::Holiday, "春节"),
        ("2025-01-26", "2025-01-26", DayKind::Workday, "春节调休上班"),
        ("2025-02-08", "2025-02-08", DayKind::Workday, "春节调休上班"),
        ("2025-04-04", "2025-04-06", DayKind::Holiday, "清明节"),
        ("2025-05-01", "2025-05-05", DayKind::Holiday, "劳动节"),
        (
            "2025-04-27",
            "2025-04-27",
            DayKind::Workday,
            "劳动节调休上班",
        ),
        ("2025-05-31", "2025-06-02", DayKind::Holiday, "端午节"),
        (
            "2025-10-01",
            "2025-10-08",
            DayKind::Holiday,
            "国庆节、中秋节",
        ),
        (
            "2025-09-28",
            "2025-09-28",
            DayKind::Workday,
            "国庆节调休上班",
        ),
        (
            "2025-10-11",
            "2025-10-11",
            DayKind::Workday,
            "国庆节调休上班",
        ),
        ("2026-01-01", "2026-01-03", DayKind::Holiday, "元旦"),
        ("2026-01-04", "2026-01-04", DayKind::Workday, "元旦调休上班"),
        ("2026-02-15", "2026-02-23", DayKind::Holiday, "春节"),
        ("2026-02-14", "2026-02-14", DayKind::Workday, "春节调休上班"),
        ("2026-02-28", "2026-02-28", DayKind::Workday, "春节调休上班"),
        ("2026-04-04", "2026-04-06", DayKind::Holiday, "清明节"),
        ("2026-05-01", "2026-05-05", DayKind::Holiday, "劳动节"),
        (
            "2026-05-09",
            "2026-05-09",
            DayKind::Workday,
            "劳动节调休上班",
        ),
        ("2026-06-19", "2026-06-21", DayKind::Holiday, "端午节"),
        ("2026-09-25", "2026-09-27", DayKind::Holiday, "中秋节"),
        ("2026-10-01", "2026-10-07", DayKind::Holiday, "国庆节"),
        (
            "2026-09-20",
            "2026-09-20",
            DayKind::Workday,
            "国庆节调休上班",
        ),
        (
            "2026-10-10",
            "2026-10-10",
            DayKind::Workday,
            "国庆节调休上班",
        ),
    ];
    let mut days = Vec::new();
    for (first, last, kind, name) in RANGES {
        let first = NaiveDate::parse_from_str(first, "%Y-%m-%d").expect("valid seed date");
        let last = NaiveDate::parse_from_str(last, "%Y-%m-%d").expect("valid seed date");
        for date in first.iter_days().take_while(|d| *d <= last) {
            days.push(SpecialDay {
                date,
                kind: *kind,
                name: name.to_string(),
            });
        }
    }
    days.sort_by_key(|d| d.date);
    days
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn national_day_2025_with_make_up_days() {
        let cal = WorkCalendar::new(official_schedule());
        // Sunday 2025-09-28 is a make-up working day; 10-01..10-08 are off.
        assert!(cal.is_working_day(d("2025-09-28")));
        assert!(!cal.is_working_day(d("2025-10-08")));
        // From Friday 2025-09-26: 9-28 (Sun, work), 9-29, 9-30, then 10-09, 10-10.
        assert_eq!(cal.add_working_days(d("2025-09-26"), 5), d("2025-10-10"));
        assert_eq!(
            cal.working_days_between(d("2025-09-26"), d("2025-10-10")),
            5
        );
    }

    #[test]
    fn spring_festival_2026() {
        let cal = WorkCalendar::new(official_schedule());
        assert!(cal.is_working_day(d("2026-02-14")), "Saturday make-up day");
        assert!(!cal.is_working_day(d("2026-02-23")), "Monday holiday");
        // Friday 2026-02-13 + 1 working day = Saturday 2026-02-14.
        assert_eq!(cal.add_working_days(d("2026-02-13"), 1), d("2026-02-14"));
        // + 2 skips the 9-day holiday to Tuesday 2026-02-24.
        assert_eq!(cal.add_working_days(d("2026-02-13"), 2), d("2026-02-24"));
    }

    #[test]
    fn official_schedule_totals() {
        let days = official_schedule();
        let count = |year: i32, kind: DayKind| {
            days.iter()
                .filter(|d| d.date.year() == year && d.kind == kind)
                .count()
        };
        assert_eq!(count(2025, DayKind::Holiday), 1 + 8 + 3 + 5 + 3 + 8);
        assert_eq!(count(2025, DayKind::Workday), 5);
        assert_eq!(count(2026, DayKind::Holiday), 3 + 9 + 3 + 5 + 3 + 3 + 7);
        assert_eq!(count(2026, DayKind::Workday), 6);
    }

    #[test]
    fn import_reports_every_bad_line() {
        let text = "# 2026\n2026-10-01,holiday,国庆节\n2026-13-01,holiday,x\n2026-10-10,rest,x\n2026-10-01,workday,重复\n";
        let errors = parse_calendar_file(text).unwrap_err();
        assert_eq!(
            errors.iter().map(|e| e.line).collect::<Vec<_>>(),
            vec![3, 4, 5]
        );
        assert_eq!(
            parse_calendar_file("2026-10-10，班，国庆调休").unwrap()[0].kind,
            DayKind::Workday
        );
    }

    proptest! {
        #[test]
        fn adding_then_counting_agrees(offset in 0i64..700, n in 0u32..60) {
            let cal = WorkCalendar::new(official_schedule());
            let start = d("2025-01-01") + chrono::Duration::days(offset);
            let end = cal.add_working_days(start, n);
            prop_assert_eq!(cal.working_days_between(start, end), n as i64);
            prop_assert!(n == 0 || cal.is_working_day(end));
        }
    }
}

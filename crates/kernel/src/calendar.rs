//! The China working-day calendar: weekends, public holidays and 调休 make-up
//! working days. The holiday schedule is data (published yearly by the State
//! Council and maintained by an administrator); for a year whose notice has not
//! been entered, the statutory holidays of 全国年节及纪念日放假办法 are computed
//! (lunar festivals and 清明 included) so no deadline counts 春节 as work.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::OnceLock;
use tyme4rs::tyme::{
    lunar::LunarDay,
    solar::{SolarDay, SolarTerm},
};

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
    /// Years whose State Council notice was entered (any holiday listed):
    /// their listed days are the whole truth.
    scheduled: BTreeSet<i32>,
}

impl WorkCalendar {
    pub fn new(days: impl IntoIterator<Item = SpecialDay>) -> Self {
        let days: BTreeMap<NaiveDate, DayKind> =
            days.into_iter().map(|d| (d.date, d.kind)).collect();
        let scheduled = days
            .iter()
            .filter(|(_, kind)| **kind == DayKind::Holiday)
            .map(|(date, _)| date.year())
            .collect();
        Self { days, scheduled }
    }

    /// Whether `year`'s holiday notice was entered (else its statutory
    /// holidays are computed and no 调休 is known).
    pub fn is_scheduled(&self, year: i32) -> bool {
        self.scheduled.contains(&year)
    }

    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        match self.days.get(&date) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::Workday) => true,
            None if !self.is_scheduled(date.year()) && is_statutory_holiday(date) => false,
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

/// The statutory holidays of `year` (全国年节及纪念日放假办法): from 2025
/// (the 2024 revision) 元旦 1 day, 春节 4 (除夕 to 正月初三), 清明 1, 劳动节 2
/// (5月1日、2日), 端午 1, 中秋 1, 国庆 3; before 2025, 春节 3 (初一 to 初三)
/// and 劳动节 1. These are the days off by law; which weekend days are swapped
/// (调休) only the State Council's yearly notice says. Years 1901–2099.
pub fn statutory_holidays(year: i32) -> Vec<SpecialDay> {
    if !(1901..=2099).contains(&year) {
        return vec![];
    }
    let y = year as isize;
    let on = |date: NaiveDate, name: &str| SpecialDay {
        date,
        kind: DayKind::Holiday,
        name: name.to_string(),
    };
    let ymd = |m: u32, d: u32| NaiveDate::from_ymd_opt(year, m, d);
    let lunar = |m: isize, d: usize| naive(LunarDay::from_ymd(y, m, d).get_solar_day());
    let mut out = Vec::new();
    let mut push = |date: Option<NaiveDate>, name: &str| {
        if let Some(date) = date {
            out.push(on(date, name));
        }
    };
    push(ymd(1, 1), "元旦");
    let new_year = lunar(1, 1);
    let first_spring_day = if year >= 2025 { -1 } else { 0 };
    for offset in first_spring_day..=2 {
        push(
            new_year.and_then(|d| d.checked_add_signed(chrono::Duration::days(offset))),
            "春节",
        );
    }
    push(
        naive(
            SolarTerm::from_name(y, "清明")
                .get_julian_day()
                .get_solar_day(),
        ),
        "清明节",
    );
    push(ymd(5, 1), "劳动节");
    if year >= 2025 {
        push(ymd(5, 2), "劳动节");
    }
    push(lunar(5, 5), "端午节");
    push(lunar(8, 15), "中秋节");
    for d in 1..=3 {
        push(ymd(10, d), "国庆节");
    }
    out.sort_by_key(|d| d.date);
    out
}

fn naive(day: SolarDay) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(
        day.get_year() as i32,
        day.get_month() as u32,
        day.get_day() as u32,
    )
}

/// Whether the law makes `date` a day off (computed once per process).
pub fn is_statutory_holiday(date: NaiveDate) -> bool {
    static ALL: OnceLock<HashSet<NaiveDate>> = OnceLock::new();
    ALL.get_or_init(|| {
        (1949..=2099)
            .flat_map(statutory_holidays)
            .map(|d| d.date)
            .collect()
    })
    .contains(&date)
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
    fn every_statutory_holiday_of_the_published_years_is_off_in_the_notice() {
        let notice = WorkCalendar::new(official_schedule());
        for year in [2025, 2026] {
            let law = statutory_holidays(year);
            assert_eq!(law.len(), 13, "{year}: 1 + 4 + 1 + 2 + 1 + 1 + 3");
            for d in law {
                assert!(!notice.is_working_day(d.date), "{} {}", d.date, d.name);
            }
        }
    }

    #[test]
    fn a_year_without_a_notice_still_rests_on_its_festivals() {
        let cal = WorkCalendar::new(official_schedule());
        assert!(!cal.is_scheduled(2027));
        // 2027: 春节 is 2月6日 (除夕 2月5日), 清明 4月5日, 端午 6月9日, 中秋 9月15日.
        for date in [
            "2027-01-01",
            "2027-02-05",
            "2027-02-08",
            "2027-04-05",
            "2027-05-01",
            "2027-06-09",
            "2027-09-15",
            "2027-10-01",
        ] {
            assert!(!cal.is_working_day(d(date)), "{date}");
        }
        let names: Vec<String> = statutory_holidays(2027)
            .iter()
            .map(|h| format!("{} {}", h.date, h.name))
            .collect();
        assert!(names.contains(&"2027-02-05 春节".to_string()), "{names:?}");
        assert!(
            names.contains(&"2027-04-05 清明节".to_string()),
            "{names:?}"
        );
        // A deadline across 春节 2027 skips it: Thursday 2月4日 + 1 working day
        // passes 除夕 (Fri) to 初三 (Mon 2月8日) and lands on Tuesday.
        assert_eq!(cal.add_working_days(d("2027-02-04"), 1), d("2027-02-09"));
        // Once a notice for the year is entered, it alone decides.
        let mut days = official_schedule();
        days.push(SpecialDay {
            date: d("2027-02-07"),
            kind: DayKind::Holiday,
            name: "春节".into(),
        });
        let entered = WorkCalendar::new(days);
        assert!(entered.is_scheduled(2027));
        assert!(entered.is_working_day(d("2027-02-05")));
        // Before the 2024 revision, 春节 was three days from 初一.
        assert_eq!(
            statutory_holidays(2024)
                .iter()
                .filter(|h| h.name == "春节")
                .count(),
            3
        );
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

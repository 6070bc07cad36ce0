//! Promised-completion dates (行政许可法 Art. 32, 42, 45): the clock starts on
//! acceptance (受理当日不计入), counts working days on the State Council holiday
//! and 调休 schedule or natural days, stops during 补正 and 特别程序 (the due
//! date moves by the paused days), and warns yellow at 80 % of the limit, red
//! when overdue. Pure functions over the calendar; the service stores dates.

use chrono::{Days, NaiveDate};
use govhall_kernel::calendar::WorkCalendar;
use serde::Serialize;
use utoipa::ToSchema;

/// 工作日 or 自然日, as the item's time limit says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Working,
    Natural,
}

impl Unit {
    pub fn label(self) -> &'static str {
        match self {
            Unit::Working => "工作日",
            Unit::Natural => "自然日",
        }
    }

    pub fn parse(label: &str) -> Unit {
        if label == "自然日" {
            Unit::Natural
        } else {
            Unit::Working
        }
    }
}

/// The last day of a limit of `days` counted after `start`. A natural-day limit
/// whose last day is a rest day ends on the first working day after it
/// (民法典 Art. 203).
pub fn due_date(cal: &WorkCalendar, start: NaiveDate, days: u32, unit: Unit) -> NaiveDate {
    match unit {
        Unit::Working => cal.add_working_days(start, days),
        Unit::Natural => {
            let mut last = start + Days::new(days.into());
            while days > 0 && !cal.is_working_day(last) {
                last = last + Days::new(1);
            }
            last
        }
    }
}

/// The due date once a pause ends: the limit counted from acceptance,
/// lengthened by every day paused so far (`paused_total`), so a natural-day
/// limit still ends on a working day (民法典 Art. 203) and a working-day one
/// lands where a limit that much longer would. Without an acceptance date the
/// old due date is moved on by `days_now`.
pub fn resumed_due(
    cal: &WorkCalendar,
    accepted_on: Option<NaiveDate>,
    limit_days: u32,
    paused_total: u32,
    old_due: NaiveDate,
    days_now: u32,
    unit: Unit,
) -> NaiveDate {
    match accepted_on {
        Some(accepted) => due_date(cal, accepted, limit_days + paused_total, unit),
        None => due_date(cal, old_due, days_now, unit),
    }
}

/// Days of a pause from `from` to `to` that do not count, in the limit's unit
/// (the days in (`from`, `to`]: a pause begun and ended the same day costs none).
pub fn paused_days(cal: &WorkCalendar, from: NaiveDate, to: NaiveDate, unit: Unit) -> u32 {
    let n = match unit {
        Unit::Working => cal.working_days_between(from, to),
        Unit::Natural => (to - from).num_days(),
    };
    n.max(0) as u32
}

/// How close a running case is to its due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Warning {
    /// 正常
    Normal,
    /// 黄牌预警: 80 % of the limit used.
    Yellow,
    /// 红牌: overdue.
    Red,
}

impl Warning {
    pub fn label(self) -> &'static str {
        match self {
            Warning::Normal => "正常",
            Warning::Yellow => "即将超期",
            Warning::Red => "已超期",
        }
    }
}

/// The warning on `today` for a case accepted on `accepted` and due on `due`
/// (already moved by its pauses). Time spent paused is excluded by the moved due
/// date, so the share used is the limit's days from acceptance to today.
pub fn warning(
    cal: &WorkCalendar,
    today: NaiveDate,
    accepted: NaiveDate,
    due: NaiveDate,
    unit: Unit,
) -> Warning {
    if today > due {
        return Warning::Red;
    }
    let total = paused_days(cal, accepted, due, unit);
    let used = paused_days(cal, accepted, today, unit);
    // used / total ≥ 80 %, in integers.
    if total > 0 && used * 5 >= total * 4 {
        Warning::Yellow
    } else {
        Warning::Normal
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use govhall_kernel::calendar::official_schedule;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn cal() -> WorkCalendar {
        WorkCalendar::new(official_schedule())
    }

    #[test]
    fn working_days_skip_the_2025_national_day_holiday_and_count_its_make_up_saturday() {
        // Tuesday 2025-09-30 + 5: 10-01..10-08 off, then 10-09, 10-10, Saturday 10-11 (调休上班), 10-13, 10-14.
        assert_eq!(
            due_date(&cal(), d("2025-09-30"), 5, Unit::Working),
            d("2025-10-14")
        );
    }

    #[test]
    fn working_days_skip_the_2026_spring_festival() {
        // Thursday 2026-02-12 + 3: Friday 02-13, Saturday 02-14 (调休上班), then Tuesday 02-24.
        assert_eq!(
            due_date(&cal(), d("2026-02-12"), 3, Unit::Working),
            d("2026-02-24")
        );
        // 20 working days from 2026-02-12 cross the holiday and the 02-28 make-up Saturday.
        let due = due_date(&cal(), d("2026-02-12"), 20, Unit::Working);
        assert_eq!(cal().working_days_between(d("2026-02-12"), due), 20);
        assert_eq!(due, d("2026-03-18"));
    }

    #[test]
    fn a_natural_day_limit_ending_on_a_holiday_ends_after_it() {
        // 2026-09-01 + 30 days = 10-01 (国庆节, off until 10-07): due 10-08.
        assert_eq!(
            due_date(&cal(), d("2026-09-01"), 30, Unit::Natural),
            d("2026-10-08")
        );
        // Ending on an ordinary Wednesday stays there.
        assert_eq!(
            due_date(&cal(), d("2026-11-04"), 14, Unit::Natural),
            d("2026-11-18")
        );
    }

    #[test]
    fn an_instant_case_is_due_the_day_it_is_accepted() {
        assert_eq!(
            due_date(&cal(), d("2026-10-03"), 0, Unit::Working),
            d("2026-10-03")
        );
    }

    #[test]
    fn a_pause_moves_the_due_date_by_its_working_days() {
        let cal = cal();
        // Accepted Monday 2026-11-02, 10 working days: due 11-16.
        let due = due_date(&cal, d("2026-11-02"), 10, Unit::Working);
        assert_eq!(due, d("2026-11-16"));
        // 特别程序 from Wednesday 11-04 to Monday 11-09: 11-05, 11-06, 11-09 do not count.
        let paused = paused_days(&cal, d("2026-11-04"), d("2026-11-09"), Unit::Working);
        assert_eq!(paused, 3);
        assert_eq!(cal.add_working_days(due, paused), d("2026-11-19"));
        // A pause over the National Day holiday costs only its working days.
        assert_eq!(
            paused_days(&cal, d("2026-09-30"), d("2026-10-09"), Unit::Working),
            2
        );
    }

    #[test]
    fn warnings_turn_yellow_at_eighty_percent_and_red_after_the_due_date() {
        let cal = cal();
        let accepted = d("2026-11-02");
        let due = d("2026-11-16"); // 10 working days
        let w = |today: &str| warning(&cal, d(today), accepted, due, Unit::Working);
        assert_eq!(w("2026-11-02"), Warning::Normal);
        assert_eq!(w("2026-11-11"), Warning::Normal); // 7 of 10 working days used
        assert_eq!(w("2026-11-12"), Warning::Yellow); // 8 of 10
        assert_eq!(w("2026-11-16"), Warning::Yellow);
        assert_eq!(w("2026-11-17"), Warning::Red);
    }

    #[test]
    fn a_natural_day_limit_resumed_onto_a_saturday_ends_on_monday() {
        let cal = cal();
        // Accepted Monday 2026-11-02, 14 natural days: due Monday 11-16.
        let accepted = d("2026-11-02");
        assert_eq!(due_date(&cal, accepted, 14, Unit::Natural), d("2026-11-16"));
        // A pause of 5 natural days would end it on Saturday 11-21: Monday 11-23.
        let due = resumed_due(
            &cal,
            Some(accepted),
            14,
            5,
            d("2026-11-16"),
            5,
            Unit::Natural,
        );
        assert_eq!(due, d("2026-11-23"));
        assert!(cal.is_working_day(due));
    }

    proptest! {
        /// Pausing for p working days then resuming ends where a limit p days longer would.
        #[test]
        fn a_pause_is_the_same_as_a_longer_limit(start in 0u64..700, n in 0u32..40, p in 0u32..30) {
            let cal = cal();
            let start = d("2025-01-01") + Days::new(start);
            let due = due_date(&cal, start, n, Unit::Working);
            prop_assert_eq!(cal.add_working_days(due, p), due_date(&cal, start, n + p, Unit::Working));
            if n > 0 {
                prop_assert!(cal.is_working_day(due));
                prop_assert_eq!(cal.working_days_between(start, due), i64::from(n));
            }
        }

        /// Every natural-day limit ends on a working day no earlier than the plain count.
        #[test]
        fn natural_limits_end_on_a_working_day(start in 0u64..700, n in 1u32..60) {
            let cal = cal();
            let start = d("2025-01-01") + Days::new(start);
            let due = due_date(&cal, start, n, Unit::Natural);
            prop_assert!(cal.is_working_day(due));
            prop_assert!(due >= start + Days::new(n.into()));
        }

        /// Resumed after any pauses, a limit still ends on a working day.
        #[test]
        fn a_resumed_limit_ends_on_a_working_day(start in 0u64..700, n in 1u32..60, p in 0u32..30, natural: bool) {
            let cal = cal();
            let unit = if natural { Unit::Natural } else { Unit::Working };
            let start = d("2025-01-01") + Days::new(start);
            let old = due_date(&cal, start, n, unit);
            prop_assert!(cal.is_working_day(resumed_due(&cal, Some(start), n, p, old, p, unit)));
        }
    }
}

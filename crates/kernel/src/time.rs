//! The hall's clock. Times are stored in UTC; a hall lives in China Standard
//! Time, so its days (queue numbering, working days, deadlines, "today" on a
//! screen) are Asia/Shanghai days. This is the one place that says so.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

/// The time zone every hall's day is counted in.
pub const HALL_TZ: Tz = chrono_tz::Asia::Shanghai;

/// `at` on the hall's clock.
pub fn local(at: DateTime<Utc>) -> DateTime<Tz> {
    at.with_timezone(&HALL_TZ)
}

/// The hall's calendar day at `at`.
pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    local(at).date_naive()
}

/// The hall's calendar day now.
pub fn today() -> NaiveDate {
    local_date(Utc::now())
}

/// The instant the hall's `day` begins (China has no daylight saving, so
/// midnight always exists once).
pub fn day_start(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(chrono::NaiveTime::MIN)
        .and_local_timezone(HALL_TZ)
        .single()
        .map_or_else(
            || day.and_time(chrono::NaiveTime::MIN).and_utc(),
            |t| t.to_utc(),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hall_day_turns_at_midnight_beijing_time() {
        let before = "2026-12-01T15:59:59Z".parse::<DateTime<Utc>>().unwrap();
        let after = "2026-12-01T16:00:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(
            local_date(before),
            NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
        );
        assert_eq!(
            local_date(after),
            NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
        );
    }
}

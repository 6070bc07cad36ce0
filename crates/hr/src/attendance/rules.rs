//! How one person's day is judged from its plan and its marks. Pure: the
//! sheet gathers the inputs (roster, calendar, leave, punches, window
//! sign-ins) and this decides 正常/迟到/早退/旷工/缺卡/请假/休息/加班.
//!
//! The rules, as the hall's 考勤制度 usually states them:
//! - the first mark of the day is the arrival, the last the departure;
//! - arriving later than the shift's start plus its grace is 迟到 (counted
//!   from the start, not from the end of the grace);
//! - leaving before the shift's end is 早退;
//! - a working day without any mark is 旷工; with a single mark, 缺卡 (the
//!   person was there but one end is unknown — a 补卡 settles it);
//! - staying 30 minutes or more past the end is 加班, in whole half hours;
//!   marks on a rest day from arrival to departure are 休息日加班 likewise;
//! - approved leave covers the day whatever the marks;
//! - today is judged only for lateness until the day is over.

use chrono::NaiveTime;
use serde::Serialize;
use utoipa::ToSchema;

/// Overtime is counted in these units, from the first full one.
pub const OVERTIME_UNIT_MINUTES: i64 = 30;

/// A shift's times for the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShiftTimes {
    pub starts: NaiveTime,
    pub ends: NaiveTime,
    pub grace_minutes: i64,
}

/// What the day was meant to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    Rest,
    Work(ShiftTimes),
}

/// Where the day stands against now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayTime {
    Past,
    Today,
    Future,
}

/// How the day is marked on the sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DayCode {
    /// 正常.
    Normal,
    /// 迟到 (and possibly 早退: see the minutes).
    Late,
    /// 早退.
    Early,
    /// 迟到且早退.
    LateEarly,
    /// 旷工.
    Absent,
    /// 缺卡.
    Missing,
    /// 请假.
    Leave,
    /// 休息.
    Rest,
    /// 休息日加班.
    RestWork,
    /// Today, not over yet.
    Open,
    /// Not yet come.
    Future,
    /// Before hire or after leaving.
    NotEmployed,
}

impl DayCode {
    /// The one character the monthly grid shows.
    pub fn mark(self) -> &'static str {
        match self {
            DayCode::Normal => "√",
            DayCode::Late => "迟",
            DayCode::Early => "早",
            DayCode::LateEarly => "迟早",
            DayCode::Absent => "旷",
            DayCode::Missing => "缺",
            DayCode::Leave => "假",
            DayCode::Rest => "休",
            DayCode::RestWork => "加",
            DayCode::Open => "…",
            DayCode::Future | DayCode::NotEmployed => "",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DayCode::Normal => "正常",
            DayCode::Late => "迟到",
            DayCode::Early => "早退",
            DayCode::LateEarly => "迟到、早退",
            DayCode::Absent => "旷工",
            DayCode::Missing => "缺卡",
            DayCode::Leave => "请假",
            DayCode::Rest => "休息",
            DayCode::RestWork => "休息日加班",
            DayCode::Open => "进行中",
            DayCode::Future => "未到",
            DayCode::NotEmployed => "不在职",
        }
    }
}

/// The judgement of one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    pub code: DayCode,
    pub late_minutes: i64,
    pub early_minutes: i64,
    pub overtime_minutes: i64,
    pub first: Option<NaiveTime>,
    pub last: Option<NaiveTime>,
}

fn minutes(from: NaiveTime, to: NaiveTime) -> i64 {
    (to - from).num_minutes().max(0)
}

fn overtime(minutes: i64) -> i64 {
    minutes / OVERTIME_UNIT_MINUTES * OVERTIME_UNIT_MINUTES
}

/// The verdict of a day outside the person's employment.
pub fn not_employed() -> Verdict {
    Verdict {
        code: DayCode::NotEmployed,
        late_minutes: 0,
        early_minutes: 0,
        overtime_minutes: 0,
        first: None,
        last: None,
    }
}

/// Judges a day. `marks` are the day's marks in the hall's time, any order.
pub fn judge(plan: Plan, on_leave: bool, when: DayTime, marks: &[NaiveTime]) -> Verdict {
    let first = marks.iter().min().copied();
    let last = marks.iter().max().copied();
    let mut v = Verdict {
        code: DayCode::Normal,
        late_minutes: 0,
        early_minutes: 0,
        overtime_minutes: 0,
        first,
        last,
    };
    if on_leave {
        v.code = DayCode::Leave;
        return v;
    }
    if when == DayTime::Future {
        v.code = DayCode::Future;
        return v;
    }
    let shift = match plan {
        Plan::Rest => {
            let worked = match (first, last) {
                (Some(f), Some(l)) if marks.len() >= 2 => overtime(minutes(f, l)),
                _ => 0,
            };
            v.overtime_minutes = if when == DayTime::Past { worked } else { 0 };
            v.code = if v.overtime_minutes > 0 {
                DayCode::RestWork
            } else {
                DayCode::Rest
            };
            return v;
        }
        Plan::Work(s) => s,
    };
    let Some(first) = first else {
        v.code = if when == DayTime::Today {
            DayCode::Open
        } else {
            DayCode::Absent
        };
        return v;
    };
    if minutes(shift.starts, first) > shift.grace_minutes {
        v.late_minutes = minutes(shift.starts, first);
    }
    if when == DayTime::Today {
        v.code = if v.late_minutes > 0 {
            DayCode::Late
        } else {
            DayCode::Open
        };
        return v;
    }
    if marks.len() < 2 {
        v.code = DayCode::Missing;
        return v;
    }
    let last = last.unwrap_or(first);
    v.early_minutes = minutes(last, shift.ends);
    v.overtime_minutes = overtime(minutes(shift.ends, last));
    v.code = match (v.late_minutes > 0, v.early_minutes > 0) {
        (false, false) => DayCode::Normal,
        (true, false) => DayCode::Late,
        (false, true) => DayCode::Early,
        (true, true) => DayCode::LateEarly,
    };
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn nine_to_five() -> Plan {
        Plan::Work(ShiftTimes {
            starts: t(9, 0),
            ends: t(17, 0),
            grace_minutes: 5,
        })
    }

    #[test]
    fn a_day_at_its_edges() {
        let p = nine_to_five();
        let past = DayTime::Past;
        // Within the grace: on time.
        assert_eq!(
            judge(p, false, past, &[t(9, 5), t(17, 0)]).code,
            DayCode::Normal
        );
        // One minute past the grace: late by six, counted from the start.
        let v = judge(p, false, past, &[t(9, 6), t(17, 0)]);
        assert_eq!((v.code, v.late_minutes), (DayCode::Late, 6));
        let v = judge(p, false, past, &[t(8, 50), t(16, 59)]);
        assert_eq!((v.code, v.early_minutes), (DayCode::Early, 1));
        assert_eq!(
            judge(p, false, past, &[t(9, 30), t(16, 0)]).code,
            DayCode::LateEarly
        );
        assert_eq!(judge(p, false, past, &[]).code, DayCode::Absent);
        assert_eq!(judge(p, false, past, &[t(8, 55)]).code, DayCode::Missing);
        assert_eq!(judge(p, true, past, &[]).code, DayCode::Leave);
        // 29 minutes over is no overtime; 30 is half an hour; 89 is one hour.
        assert_eq!(
            judge(p, false, past, &[t(9, 0), t(17, 29)]).overtime_minutes,
            0
        );
        assert_eq!(
            judge(p, false, past, &[t(9, 0), t(17, 30)]).overtime_minutes,
            30
        );
        assert_eq!(
            judge(p, false, past, &[t(9, 0), t(18, 29)]).overtime_minutes,
            60
        );
        let v = judge(Plan::Rest, false, past, &[t(9, 0), t(12, 10)]);
        assert_eq!((v.code, v.overtime_minutes), (DayCode::RestWork, 180));
        assert_eq!(
            judge(Plan::Rest, false, past, &[t(9, 0)]).code,
            DayCode::Rest
        );
        // Today: late is known at once, nothing else until the day is over.
        assert_eq!(
            judge(p, false, DayTime::Today, &[t(9, 20)]).code,
            DayCode::Late
        );
        assert_eq!(
            judge(p, false, DayTime::Today, &[t(8, 50)]).code,
            DayCode::Open
        );
        assert_eq!(judge(p, false, DayTime::Today, &[]).code, DayCode::Open);
        assert_eq!(judge(p, false, DayTime::Future, &[]).code, DayCode::Future);
    }

    proptest! {
        /// Whatever the marks, a past working day's figures agree with its
        /// code, the order of the marks does not matter, and an extra mark
        /// inside the day changes nothing.
        #[test]
        fn the_figures_agree_with_the_code(
            raw in proptest::collection::vec(0u32..(24 * 60), 0..6),
            start in (6 * 60u32)..(11 * 60),
            length in (4 * 60u32)..(10 * 60),
            grace in 0i64..30,
        ) {
            let mark = |m: u32| t(m / 60, m % 60);
            let end = (start + length).min(23 * 60 + 59);
            let plan = Plan::Work(ShiftTimes { starts: mark(start), ends: mark(end), grace_minutes: grace });
            let marks: Vec<NaiveTime> = raw.iter().map(|m| mark(*m)).collect();
            let v = judge(plan, false, DayTime::Past, &marks);
            let mut reversed = marks.clone();
            reversed.reverse();
            prop_assert_eq!(v, judge(plan, false, DayTime::Past, &reversed));
            match v.code {
                DayCode::Absent => prop_assert!(marks.is_empty()),
                DayCode::Missing => prop_assert_eq!(marks.len(), 1),
                DayCode::Normal => prop_assert!(v.late_minutes == 0 && v.early_minutes == 0),
                DayCode::Late => prop_assert!(v.late_minutes > grace && v.early_minutes == 0),
                DayCode::Early => prop_assert!(v.late_minutes == 0 && v.early_minutes > 0),
                DayCode::LateEarly => prop_assert!(v.late_minutes > grace && v.early_minutes > 0),
                other => prop_assert!(false, "unexpected {:?}", other),
            }
            prop_assert_eq!(v.overtime_minutes % OVERTIME_UNIT_MINUTES, 0);
            prop_assert!(v.overtime_minutes == 0 || v.early_minutes == 0);
            if let (Some(f), Some(l)) = (v.first, v.last) && marks.len() >= 2 && f < l {
                let inside = f + (l - f) / 2;
                let mut more = marks.clone();
                more.push(inside);
                prop_assert_eq!(v, judge(plan, false, DayTime::Past, &more));
            }
        }
    }
}

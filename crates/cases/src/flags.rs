//! Steps that wait too long, flagged beside the deadline warning: paper not
//! signed for, supplemented paper left at the front desk, a 容缺 material past
//! its promised day, a decided result not back at the 出件 window. Each step
//! has until the end of the next working day (the handover sheet's rule); the
//! 容缺 promise is the applicant's own day. Pure, so the rules are tested.

use crate::entity::{case, material};
use crate::materials::{Handover, Way};
use crate::status::Stage;
use crate::store::{local_date, stage_of};
use chrono::{DateTime, NaiveDate, Utc};
use govhall_kernel::calendar::WorkCalendar;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    /// Paper handed over (on a sheet or forwarded later) and not signed for.
    HandoverUnsigned,
    /// Paper received after the handover (补交, 补正) still at the front desk.
    SupplementNotForwarded,
    /// A 容缺 material past the day the applicant promised.
    DeferredOverdue,
    /// Decided, and the result is not back at the 出件 window.
    ResultNotReturned,
}

impl Flag {
    pub fn label(self) -> &'static str {
        match self {
            Flag::HandoverUnsigned => "交接材料超期未签收",
            Flag::SupplementNotForwarded => "补交材料未送交部门",
            Flag::DeferredOverdue => "容缺材料逾期未补交",
            Flag::ResultNotReturned => "办结结果未回传出件窗口",
        }
    }
}

/// A step begun at `since` is overdue once the next working day has ended.
fn waited_too_long(cal: &WorkCalendar, since: Option<DateTime<Utc>>, today: NaiveDate) -> bool {
    since.is_some_and(|t| today > cal.add_working_days(local_date(t), 1))
}

/// The case's materials went to the department once: paper received at the
/// front desk since then is owed to it (and moves on its own, not on a sheet).
pub(crate) fn past_first_handover(c: &case::Model) -> bool {
    !matches!(
        stage_of(c),
        Stage::Received | Stage::Correcting | Stage::Accepted
    ) || c.correcting_after_acceptance
}

/// The flags of a case on `today`, in a fixed order.
pub(crate) fn flags_of(
    cal: &WorkCalendar,
    c: &case::Model,
    materials: &[material::Model],
    today: NaiveDate,
) -> Vec<Flag> {
    let stage = stage_of(c);
    if stage.closed_without_result() {
        return vec![];
    }
    let handed_over = past_first_handover(c);
    let mut out = vec![];
    let with = |h: Handover| {
        materials
            .iter()
            .filter(move |m| m.handover == h.code())
            .any(|m| waited_too_long(cal, m.moved_at, today))
    };
    if with(Handover::HandedOver) {
        out.push(Flag::HandoverUnsigned);
    }
    if handed_over && with(Handover::Front) {
        out.push(Flag::SupplementNotForwarded);
    }
    if materials
        .iter()
        .any(|m| m.way == Way::Deferred.code() && m.promised_on.is_some_and(|d| d < today))
    {
        out.push(Flag::DeferredOverdue);
    }
    if stage == Stage::Decided && waited_too_long(cal, c.decided_at, today) {
        out.push(Flag::ResultNotReturned);
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::TimeZone;
    use govhall_kernel::calendar::official_schedule;

    fn cal() -> WorkCalendar {
        WorkCalendar::new(official_schedule())
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// Noon, Beijing time, on `day`.
    fn noon(day: NaiveDate) -> DateTime<Utc> {
        govhall_kernel::time::HALL_TZ
            .from_local_datetime(&day.and_hms_opt(12, 0, 0).unwrap())
            .unwrap()
            .with_timezone(&Utc)
    }

    pub(crate) fn a_case(stage: Stage) -> case::Model {
        let mut c = crate::documents::sample::case("h", crate::documents::Kind::Receipt);
        c.stage = stage.code().into();
        c
    }

    fn paper(handover: Handover, moved: NaiveDate) -> material::Model {
        material::Model {
            id: "m".into(),
            case_id: "c".into(),
            material_id: "m1".into(),
            name: "申请书".into(),
            necessity: "必要".into(),
            copies: 1,
            way: Way::PaperOriginal.code().into(),
            promised_on: None,
            handover: handover.code().into(),
            note: None,
            sort_order: 0,
            moved_at: Some(noon(moved)),
        }
    }

    /// Handed over on Wednesday 30 September 2026: 1–7 October are off, the
    /// next working day is the 8th, so the flag rises on the 9th, not during
    /// the holiday.
    #[test]
    fn unsigned_paper_is_flagged_after_the_next_working_day_across_a_holiday() {
        let c = a_case(Stage::HandedOver);
        let m = [paper(Handover::HandedOver, d(2026, 9, 30))];
        assert!(flags_of(&cal(), &c, &m, d(2026, 10, 7)).is_empty());
        assert!(flags_of(&cal(), &c, &m, d(2026, 10, 8)).is_empty());
        assert_eq!(
            flags_of(&cal(), &c, &m, d(2026, 10, 9)),
            vec![Flag::HandoverUnsigned]
        );
        // Signed for: nothing waits.
        let m = [paper(Handover::Signed, d(2026, 9, 30))];
        assert!(flags_of(&cal(), &c, &m, d(2026, 11, 2)).is_empty());
    }

    #[test]
    fn paper_at_the_front_desk_is_owed_only_after_the_first_handover() {
        let m = [paper(Handover::Front, d(2026, 11, 2))];
        let today = d(2026, 11, 20);
        assert!(flags_of(&cal(), &a_case(Stage::Accepted), &m, today).is_empty());
        assert_eq!(
            flags_of(&cal(), &a_case(Stage::InReview), &m, today),
            vec![Flag::SupplementNotForwarded]
        );
        let mut correcting = a_case(Stage::Correcting);
        correcting.correcting_after_acceptance = true;
        assert_eq!(
            flags_of(&cal(), &correcting, &m, today),
            vec![Flag::SupplementNotForwarded]
        );
        // A returned original owes nothing.
        let m = [paper(Handover::Returned, d(2026, 11, 2))];
        assert!(flags_of(&cal(), &a_case(Stage::InReview), &m, today).is_empty());
    }

    #[test]
    fn a_deferred_material_is_overdue_the_day_after_its_promise() {
        let mut m = paper(Handover::None, d(2026, 11, 2));
        m.way = Way::Deferred.code().into();
        m.promised_on = Some(d(2026, 11, 10));
        let c = a_case(Stage::Delivered);
        assert!(flags_of(&cal(), &c, std::slice::from_ref(&m), d(2026, 11, 10)).is_empty());
        assert_eq!(
            flags_of(&cal(), &c, &[m.clone()], d(2026, 11, 11)),
            vec![Flag::DeferredOverdue]
        );
        // A withdrawn case owes nothing.
        assert!(flags_of(&cal(), &a_case(Stage::Withdrawn), &[m], d(2026, 11, 11)).is_empty());
    }

    #[test]
    fn a_result_left_with_the_department_is_flagged() {
        let mut c = a_case(Stage::Decided);
        c.decided_at = Some(noon(d(2026, 11, 27))); // a Friday
        assert!(flags_of(&cal(), &c, &[], d(2026, 11, 30)).is_empty());
        assert_eq!(
            flags_of(&cal(), &c, &[], d(2026, 12, 1)),
            vec![Flag::ResultNotReturned]
        );
        c.stage = Stage::Ready.code().into();
        assert!(flags_of(&cal(), &c, &[], d(2026, 12, 1)).is_empty());
    }
}

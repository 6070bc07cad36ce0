//! The national 办件 status codes (1–15, `cases.md`) and the hall's stages
//! around them. Which action may follow which stage is a pure table here, so
//! the service and the screens agree and the rules are unit-tested.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// 办件状态 as exchanged upstream; reports map to these one to one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(into = "i32", try_from = "i32")]
pub enum Status {
    Received = 1,
    Withdrawn = 2,
    Accepted = 3,
    NotAccepted = 4,
    Refused = 5,
    CorrectionStarted = 6,
    CorrectionEnded = 7,
    InReview = 8,
    SpecialStarted = 9,
    SpecialEnded = 10,
    Approved = 11,
    ApprovedDeferred = 12,
    Denied = 13,
    Recalled = 14,
    Revoked = 15,
}

impl Status {
    pub const ALL: [Status; 15] = [
        Status::Received,
        Status::Withdrawn,
        Status::Accepted,
        Status::NotAccepted,
        Status::Refused,
        Status::CorrectionStarted,
        Status::CorrectionEnded,
        Status::InReview,
        Status::SpecialStarted,
        Status::SpecialEnded,
        Status::Approved,
        Status::ApprovedDeferred,
        Status::Denied,
        Status::Recalled,
        Status::Revoked,
    ];

    pub fn code(self) -> i32 {
        self as i32
    }

    pub fn from_code(code: i32) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Received => "已接件",
            Status::Withdrawn => "已撤件",
            Status::Accepted => "已受理",
            Status::NotAccepted => "不受理",
            Status::Refused => "不予受理",
            Status::CorrectionStarted => "补正开始",
            Status::CorrectionEnded => "补正结束",
            Status::InReview => "部门开始办理",
            Status::SpecialStarted => "特别程序开始",
            Status::SpecialEnded => "特别程序结束",
            Status::Approved => "办结通过",
            Status::ApprovedDeferred => "办结容缺通过",
            Status::Denied => "办结不通过",
            Status::Recalled => "撤回",
            Status::Revoked => "撤销",
        }
    }
}

impl From<Status> for i32 {
    fn from(s: Status) -> i32 {
        s.code()
    }
}

impl TryFrom<i32> for Status {
    type Error = String;
    fn try_from(code: i32) -> Result<Status, String> {
        Status::from_code(code).ok_or_else(|| format!("未知办件状态码 {code}"))
    }
}

/// Where a case is in the hall: 收件 → [补正] → 受理 → 材料流转 → 部门办理
/// [特别程序] → 办结 → 结果回传窗口 → 出件.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 已收件, no decision on acceptance yet.
    Received,
    /// 补正中: the citizen owes the materials listed in the 一次性告知书.
    Correcting,
    /// 已受理, materials still at the front desk.
    Accepted,
    /// 已交接: the handover sheet went to the department, not yet signed for.
    HandedOver,
    /// 部门办理中 (signed for by the department).
    InReview,
    /// 特别程序中 (clock paused).
    Special,
    /// 已办结: decided, result on its way back to the hall.
    Decided,
    /// 待出件: the result is at the 出件 window.
    Ready,
    /// 已出件 (picked up, posted or sent electronically).
    Delivered,
    /// 不予受理 / 不受理.
    Refused,
    /// 已撤件 / 撤回.
    Withdrawn,
    /// 已撤销 (status 15): the hall cancelled the case with a written reason.
    Revoked,
}

impl Stage {
    pub const ALL: [Stage; 12] = [
        Stage::Received,
        Stage::Correcting,
        Stage::Accepted,
        Stage::HandedOver,
        Stage::InReview,
        Stage::Special,
        Stage::Decided,
        Stage::Ready,
        Stage::Delivered,
        Stage::Refused,
        Stage::Withdrawn,
        Stage::Revoked,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Stage::Received => "received",
            Stage::Correcting => "correcting",
            Stage::Accepted => "accepted",
            Stage::HandedOver => "handed_over",
            Stage::InReview => "in_review",
            Stage::Special => "special",
            Stage::Decided => "decided",
            Stage::Ready => "ready",
            Stage::Delivered => "delivered",
            Stage::Refused => "refused",
            Stage::Withdrawn => "withdrawn",
            Stage::Revoked => "revoked",
        }
    }

    pub fn parse(code: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::Received => "已收件",
            Stage::Correcting => "待补正",
            Stage::Accepted => "已受理",
            Stage::HandedOver => "材料已交接",
            Stage::InReview => "部门办理中",
            Stage::Special => "特别程序中",
            Stage::Decided => "已办结",
            Stage::Ready => "待取件",
            Stage::Delivered => "已出件",
            Stage::Refused => "不予受理",
            Stage::Withdrawn => "已撤件",
            Stage::Revoked => "已撤销",
        }
    }

    /// No action leads out of it.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Stage::Delivered | Stage::Refused | Stage::Withdrawn | Stage::Revoked
        )
    }

    /// Closed without a result (不予受理, 撤件/撤回, 撤销): nothing more is
    /// owed, flagged or moved.
    pub fn closed_without_result(self) -> bool {
        matches!(self, Stage::Refused | Stage::Withdrawn | Stage::Revoked)
    }

    /// The promised-completion clock runs (accepted and not paused, not decided).
    pub fn clock_runs(self) -> bool {
        matches!(self, Stage::Accepted | Stage::HandedOver | Stage::InReview)
    }
}

/// What someone does to a case after intake.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// The citizen brought what the 一次性告知书 listed: accept.
    Accept,
    /// Refuse (不予受理 / 不受理) at the front desk.
    Refuse,
    /// 补正: every missing item at once (front desk, or the department through it).
    RequestCorrection,
    /// The front desk packs the materials for the department.
    HandOver,
    /// The department signs for the materials and starts (status 8).
    SignFor,
    /// The department sends a handed-over case back to the front desk with
    /// the reason (papers missing, wrong department…) instead of signing.
    ReturnHandover,
    /// 特别程序 (hearing, inspection, …) starts: the clock pauses.
    StartSpecial,
    /// 特别程序 ends: the clock resumes and the due date moves by the pause.
    EndSpecial,
    /// 准予 / 容缺通过 / 不予.
    Decide,
    /// The result is back at the 出件 window.
    ReturnResult,
    /// Picked up, posted or sent.
    Deliver,
    /// The applicant withdraws (撤件 before acceptance, 撤回 after).
    Withdraw,
    /// 撤销 (status 15): the hall cancels a case that must not go on (entered
    /// in error, a duplicate, obtained by false materials), with the reason;
    /// taken by the hall's management, not by a window.
    Revoke,
}

impl Action {
    pub fn label(self) -> &'static str {
        match self {
            Action::Accept => "受理",
            Action::Refuse => "不予受理",
            Action::RequestCorrection => "一次性告知补正",
            Action::HandOver => "材料交接",
            Action::SignFor => "部门签收",
            Action::ReturnHandover => "退回窗口",
            Action::StartSpecial => "特别程序开始",
            Action::EndSpecial => "特别程序结束",
            Action::Decide => "办结",
            Action::ReturnResult => "结果回传窗口",
            Action::Deliver => "出件",
            Action::Withdraw => "撤件",
            Action::Revoke => "撤销办件",
        }
    }

    /// What the screen says once the action is done, in plain Chinese.
    pub fn done_message(self) -> &'static str {
        match self {
            Action::Accept => "已受理",
            Action::Refuse => "已作出不予受理决定",
            Action::RequestCorrection => "已一次性告知补正",
            Action::HandOver => "已交接材料",
            Action::SignFor => "已签收",
            Action::ReturnHandover => "已退回窗口",
            Action::StartSpecial => "特别程序已开始，办理时限暂停计算",
            Action::EndSpecial => "特别程序已结束，恢复计时",
            Action::Decide => "已办结",
            Action::ReturnResult => "办理结果已回传窗口",
            Action::Deliver => "已出件",
            Action::Withdraw => "已撤件",
            Action::Revoke => "办件已撤销",
        }
    }

    /// Done at the front desk (a window clerk) rather than by the department
    /// (which signs for, reviews, decides and sends the result back).
    pub fn front_desk(self) -> bool {
        !matches!(
            self,
            Action::SignFor
                | Action::ReturnHandover
                | Action::StartSpecial
                | Action::EndSpecial
                | Action::Decide
                | Action::ReturnResult
        )
    }

    pub fn code(self) -> &'static str {
        match self {
            Action::Accept => "accept",
            Action::Refuse => "refuse",
            Action::RequestCorrection => "request_correction",
            Action::HandOver => "hand_over",
            Action::SignFor => "sign_for",
            Action::ReturnHandover => "return_handover",
            Action::StartSpecial => "start_special",
            Action::EndSpecial => "end_special",
            Action::Decide => "decide",
            Action::ReturnResult => "return_result",
            Action::Deliver => "deliver",
            Action::Withdraw => "withdraw",
            Action::Revoke => "revoke",
        }
    }
}

/// The stage an action leads to from `from`, or `None` when it is not allowed
/// there. `Decide` and `Refuse` lead to one stage whatever their result.
/// `correcting_after_acceptance`: a 补正 the department asked for returns the
/// case to review, not to the acceptance decision.
pub fn next(from: Stage, action: Action, correcting_after_acceptance: bool) -> Option<Stage> {
    use Action as A;
    use Stage as S;
    Some(match (from, action) {
        (S::Received | S::Correcting, A::Accept) if !correcting_after_acceptance => S::Accepted,
        (S::Correcting, A::Accept) => S::InReview,
        (S::Received | S::Correcting, A::Refuse) if !correcting_after_acceptance => S::Refused,
        (S::Received | S::InReview, A::RequestCorrection) => S::Correcting,
        (S::Accepted, A::HandOver) => S::HandedOver,
        (S::HandedOver, A::SignFor) => S::InReview,
        (S::HandedOver, A::ReturnHandover) => S::Accepted,
        (S::InReview, A::StartSpecial) => S::Special,
        (S::Special, A::EndSpecial) => S::InReview,
        (S::InReview, A::Decide) => S::Decided,
        (S::Decided, A::ReturnResult) => S::Ready,
        (S::Ready, A::Deliver) => S::Delivered,
        (S::Received | S::Correcting | S::Accepted | S::HandedOver | S::InReview, A::Withdraw) => {
            S::Withdrawn
        }
        (from, A::Revoke) if !from.is_final() => S::Revoked,
        _ => return None,
    })
}

/// Every action allowed from a stage (the buttons a screen offers).
pub fn allowed(from: Stage, correcting_after_acceptance: bool) -> Vec<Action> {
    ALL_ACTIONS
        .into_iter()
        .filter(|a| next(from, *a, correcting_after_acceptance).is_some())
        .collect()
}

pub const ALL_ACTIONS: [Action; 13] = [
    Action::Accept,
    Action::Refuse,
    Action::RequestCorrection,
    Action::HandOver,
    Action::SignFor,
    Action::ReturnHandover,
    Action::StartSpecial,
    Action::EndSpecial,
    Action::Decide,
    Action::ReturnResult,
    Action::Deliver,
    Action::Withdraw,
    Action::Revoke,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_match_the_national_list() {
        for s in Status::ALL {
            assert_eq!(Status::from_code(s.code()), Some(s));
        }
        assert_eq!(Status::Accepted.code(), 3);
        assert_eq!(Status::SpecialStarted.label(), "特别程序开始");
        assert_eq!(Status::Revoked.code(), 15);
        assert_eq!(Status::from_code(16), None);
    }

    #[test]
    fn final_stages_allow_nothing() {
        for s in Stage::ALL.into_iter().filter(|s| s.is_final()) {
            assert!(allowed(s, false).is_empty(), "{s:?}");
            assert!(allowed(s, true).is_empty(), "{s:?}");
        }
    }

    /// From intake, every stage is reachable and none is a dead end.
    #[test]
    fn every_stage_is_reachable_and_none_is_a_dead_end() {
        // (stage, correcting after acceptance)
        let mut seen = vec![(Stage::Received, false)];
        let mut i = 0;
        while let Some(&(s, after)) = seen.get(i) {
            i += 1;
            assert!(
                s.is_final() || !allowed(s, after).is_empty(),
                "{s:?} is a dead end"
            );
            for a in allowed(s, after) {
                let to = next(s, a, after).unwrap();
                let state = (to, to == Stage::Correcting && s == Stage::InReview);
                if !seen.contains(&state) {
                    seen.push(state);
                }
            }
        }
        for s in Stage::ALL {
            assert!(seen.iter().any(|(x, _)| *x == s), "{s:?} unreachable");
        }
    }

    #[test]
    fn a_correction_asked_by_the_department_returns_to_review() {
        assert_eq!(
            next(Stage::InReview, Action::RequestCorrection, false),
            Some(Stage::Correcting)
        );
        assert_eq!(
            next(Stage::Correcting, Action::Accept, true),
            Some(Stage::InReview)
        );
        // Once accepted, a case can no longer be refused acceptance.
        assert_eq!(next(Stage::Correcting, Action::Refuse, true), None);
        assert_eq!(next(Stage::Accepted, Action::Refuse, false), None);
    }

    #[test]
    fn nothing_skips_the_department() {
        assert_eq!(next(Stage::Accepted, Action::Decide, false), None);
        assert_eq!(next(Stage::HandedOver, Action::Decide, false), None);
        assert_eq!(next(Stage::Decided, Action::Deliver, false), None);
        assert_eq!(next(Stage::Special, Action::Decide, false), None);
    }
}

//! What the performance module tells the others: schemes saved, figures
//! computed, reviews, appeals and the quarter's grades (no comments or
//! reasons in the payloads).

use govhall_platform::events::{EventDef, EventType};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A quarter's KPI scheme saved (a new version).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SchemeSaved {
    pub quarter: String,
    /// The post it is for; empty for every post.
    pub post: String,
    pub version: i32,
    pub indicators: usize,
}

pub const SCHEME_SAVED: EventType<SchemeSaved> =
    EventType::new("performance.scheme.saved", "保存考核方案");

/// A quarter's figures computed (or recomputed) from the evidence.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AssessmentComputed {
    pub quarter: String,
    pub staff_count: usize,
}

pub const ASSESSMENT_COMPUTED: EventType<AssessmentComputed> =
    EventType::new("performance.assessment.computed", "核算季度考核");

/// One person's assessment moved on: self-assessed, reviewed, acknowledged,
/// appealed, appeal decided.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AssessmentStep {
    pub quarter: String,
    pub staff_id: String,
    pub status: String,
    /// The total after the step, when it has one.
    pub total: Option<f64>,
}

pub const ASSESSMENT_REVIEWED: EventType<AssessmentStep> =
    EventType::new("performance.assessment.reviewed", "评定季度考核");
pub const ASSESSMENT_APPEALED: EventType<AssessmentStep> =
    EventType::new("performance.assessment.appealed", "季度考核申诉与确认");

/// The quarter's grades, final and archived.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct GradesFinalized {
    pub quarter: String,
    pub staff_count: usize,
    /// How many got each grade, by grade code.
    pub counts: std::collections::BTreeMap<String, usize>,
}

pub const GRADES_FINALIZED: EventType<GradesFinalized> =
    EventType::new("performance.assessment.finalized", "确定季度考核等次");

/// A month's rule points booked (or corrected).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PointsSettled {
    pub month: String,
    pub entries: usize,
}

pub const POINTS_SETTLED: EventType<PointsSettled> =
    EventType::new("performance.points.settled", "结算积分");

/// Points awarded or deducted by hand (the reason stays in the ledger).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PointsAwarded {
    pub month: String,
    pub staff_id: String,
    pub points: f64,
}

pub const POINTS_AWARDED: EventType<PointsAwarded> =
    EventType::new("performance.points.awarded", "奖惩积分");

/// A week's rules run (or a finding entered by hand).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FindingsRaised {
    pub week: String,
    pub raised: usize,
}

pub const FINDINGS_RAISED: EventType<FindingsRaised> =
    EventType::new("performance.finding.raised", "发现异常服务行为");

/// A finding explained by its clerk, or closed by the manager.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FindingChanged {
    pub finding_id: String,
    pub staff_id: String,
    pub rule_key: String,
    pub status: String,
}

pub const FINDING_EXPLAINED: EventType<FindingChanged> =
    EventType::new("performance.finding.explained", "说明异常服务行为");
pub const FINDING_CLOSED: EventType<FindingChanged> =
    EventType::new("performance.finding.closed", "处理异常服务行为");

/// A 金牌管家 graded (or taken off: an empty level).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ButlerGraded {
    pub staff_id: String,
    pub level_code: String,
}

pub const BUTLER_GRADED: EventType<ButlerGraded> =
    EventType::new("performance.butler.graded", "金牌管家定级");

/// A butler's visit or service recorded.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ButlerServed {
    pub staff_id: String,
    pub credit_code: String,
    pub kind: String,
}

pub const BUTLER_SERVED: EventType<ButlerServed> =
    EventType::new("performance.butler.served", "登记管家服务");

/// A 交叉轮岗 plan applied to the window authorisations.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RotationApplied {
    pub windows: usize,
    pub moved: usize,
}

pub const ROTATION_APPLIED: EventType<RotationApplied> =
    EventType::new("performance.rotation.applied", "执行交叉轮岗");

/// A 交叉轮岗 plan to apply on a later day.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RotationScheduled {
    pub rotation_id: String,
    pub effective_on: chrono::NaiveDate,
    pub windows: usize,
    pub moved: usize,
}

pub const ROTATION_SCHEDULED: EventType<RotationScheduled> =
    EventType::new("performance.rotation.scheduled", "安排交叉轮岗");

/// A scheduled plan cancelled, or failed on its day (the reason in `note`).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RotationClosed {
    pub rotation_id: String,
    pub effective_on: chrono::NaiveDate,
    pub note: String,
}

pub const ROTATION_CANCELLED: EventType<RotationClosed> =
    EventType::new("performance.rotation.cancelled", "取消交叉轮岗安排");
pub const ROTATION_FAILED: EventType<RotationClosed> =
    EventType::new("performance.rotation.failed", "交叉轮岗未能执行");

/// A mentee certified (出师).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MentorshipChanged {
    pub mentorship_id: String,
    pub mentor_staff_id: String,
    pub mentee_staff_id: String,
}

pub const MENTEE_CERTIFIED: EventType<MentorshipChanged> =
    EventType::new("performance.mentee.certified", "学员出师");

/// A 业务竞赛 created or ranked.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CompetitionChanged {
    pub competition_id: String,
    pub entrants: usize,
    pub rounds: usize,
}

pub const COMPETITION_CREATED: EventType<CompetitionChanged> =
    EventType::new("performance.competition.created", "创建业务竞赛");
pub const COMPETITION_UPDATED: EventType<CompetitionChanged> =
    EventType::new("performance.competition.updated", "修改业务竞赛");
pub const COMPETITION_RANKED: EventType<CompetitionChanged> =
    EventType::new("performance.competition.ranked", "确定业务竞赛名次");

/// A judge's score of an entrant in a practical round (a second: a correction).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CompetitionScored {
    pub competition_id: String,
    pub round_id: String,
    pub staff_id: String,
    pub judge_staff_id: String,
    pub score: f64,
}

pub const COMPETITION_SCORED: EventType<CompetitionScored> =
    EventType::new("performance.competition.scored", "业务竞赛评分");

pub static EVENTS: &[EventDef] = &[
    SCHEME_SAVED.def(),
    ASSESSMENT_COMPUTED.def(),
    ASSESSMENT_REVIEWED.def(),
    ASSESSMENT_APPEALED.def(),
    GRADES_FINALIZED.def(),
    POINTS_SETTLED.def(),
    POINTS_AWARDED.def(),
    FINDINGS_RAISED.def(),
    FINDING_EXPLAINED.def(),
    FINDING_CLOSED.def(),
    BUTLER_GRADED.def(),
    BUTLER_SERVED.def(),
    ROTATION_APPLIED.def(),
    ROTATION_SCHEDULED.def(),
    ROTATION_CANCELLED.def(),
    ROTATION_FAILED.def(),
    MENTEE_CERTIFIED.def(),
    COMPETITION_CREATED.def(),
    COMPETITION_UPDATED.def(),
    COMPETITION_SCORED.def(),
    COMPETITION_RANKED.def(),
];

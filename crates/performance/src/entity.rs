//! The performance tables (private: other modules use the service API).

pub mod scheme {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "perf_schemes")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        /// `2026-Q4`.
        pub quarter: String,
        /// A directory position code, or empty for every post.
        pub post: String,
        pub version: i32,
        /// JSON: the indicators with weights and scoring formulas.
        #[sea_orm(column_type = "Text")]
        pub indicators: String,
        /// JSON: the grade thresholds and the 优秀 quota.
        #[sea_orm(column_type = "Text")]
        pub grades: String,
        pub updated_by: String,
        pub updated_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod assessment {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "perf_assessments")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub quarter: String,
        pub staff_id: String,
        pub scheme_id: String,
        pub scheme_version: i32,
        /// JSON: each indicator's figure, score and weight.
        #[sea_orm(column_type = "Text")]
        pub figures: String,
        /// The weighted score once every figure has one.
        pub total: Option<f64>,
        /// `open`, `self_assessed`, `reviewed`, `acknowledged`, `appealed`, `final`.
        pub status: String,
        #[sea_orm(column_type = "Text")]
        pub self_review: String,
        pub self_at: Option<DateTimeUtc>,
        /// The 组长's view, before the manager's review.
        #[sea_orm(column_type = "Text")]
        pub leader_comment: String,
        /// The 组长's suggested 领导评价 (0–100), for the manager to weigh.
        pub leader_score: Option<f64>,
        pub leader_by: Option<String>,
        pub manager_score: Option<f64>,
        #[sea_orm(column_type = "Text")]
        pub manager_comment: String,
        pub reviewed_by: Option<String>,
        pub reviewed_at: Option<DateTimeUtc>,
        #[sea_orm(column_type = "Text")]
        pub appeal_reason: String,
        #[sea_orm(column_type = "Text")]
        pub appeal_reply: String,
        /// `excellent`, `pass`, `basic`, `fail`.
        pub grade: Option<String>,
        pub computed_at: DateTimeUtc,
        pub finalized_at: Option<DateTimeUtc>,
    }
    govhall_platform::no_relations!();
}

pub mod point_rule {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "perf_point_rules")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub hall_id: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub key: String,
        pub points_per_unit: f64,
        pub enabled: bool,
    }
    govhall_platform::no_relations!();
}

pub mod point {
    use sea_orm::entity::prelude::*;

    /// One entry of the ledger; never changed or removed.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "perf_points")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub staff_id: String,
        /// `YYYY-MM`.
        pub month: String,
        /// `rule` (settled from the figures) or `manual` (an award).
        pub source: String,
        /// The rule's key, or `manual`.
        pub rule_key: String,
        pub quantity: f64,
        pub points: f64,
        #[sea_orm(column_type = "Text")]
        pub reason: String,
        /// JSON: the indicator and days behind a rule entry, or the
        /// evidence written with an award.
        #[sea_orm(column_type = "Text")]
        pub evidence: String,
        pub created_by: String,
        pub created_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod finding {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "perf_findings")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub staff_id: String,
        /// `rule` (found by a rule over the figures) or `manual`.
        pub source: String,
        pub rule_key: String,
        /// What it is about (a ticket, a window-day, a case, a week), unique
        /// per rule, so a second scan finds nothing twice.
        pub subject: String,
        pub day: Date,
        /// The Monday of its week.
        pub week: Date,
        pub title: String,
        #[sea_orm(column_type = "Text")]
        pub detail: String,
        /// JSON: the records it rests on.
        #[sea_orm(column_type = "Text")]
        pub evidence: String,
        /// 整改期限.
        pub deadline: Date,
        /// `open`, `explained`, `rectified` (upheld and put right), `dismissed`.
        pub status: String,
        #[sea_orm(column_type = "Text")]
        pub explanation: String,
        pub explained_at: Option<DateTimeUtc>,
        #[sea_orm(column_type = "Text")]
        pub close_note: String,
        pub closed_by: Option<String>,
        pub closed_at: Option<DateTimeUtc>,
        pub created_by: String,
        pub created_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod butler_level {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "perf_butler_levels")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub hall_id: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub code: String,
        pub name: String,
        /// Higher is better (金牌 3, 银牌 2, 铜牌 1).
        pub rank: i32,
        #[sea_orm(column_type = "Text")]
        pub criteria: String,
        pub monthly_allowance: f64,
    }
    govhall_platform::no_relations!();
}

pub mod butler {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "perf_butlers")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub staff_id: String,
        pub hall_id: String,
        pub level_code: String,
        pub graded_on: Date,
        #[sea_orm(column_type = "Text")]
        pub note: String,
    }
    govhall_platform::no_relations!();
}

pub mod butler_enterprise {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "perf_butler_enterprises")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub butler_staff_id: String,
        /// 统一社会信用代码 (GB 32100).
        pub credit_code: String,
        pub name: String,
        /// The enterprise's contact person (a name; no phone is kept here).
        pub contact: String,
        pub assigned_on: Date,
    }
    govhall_platform::no_relations!();
}

pub mod butler_service {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "perf_butler_services")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub butler_staff_id: String,
        pub enterprise_id: String,
        /// `visit` 上门服务, `assist` 帮办, `proxy` 代办, `policy` 政策宣讲.
        pub kind: String,
        pub day: Date,
        #[sea_orm(column_type = "Text")]
        pub what: String,
        #[sea_orm(column_type = "Text")]
        pub result: String,
        /// The enterprise's rating, 1–5.
        pub rating: Option<i32>,
        pub follow_up_on: Option<Date>,
        pub follow_up_done: bool,
        pub created_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod mentorship {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "perf_mentorships")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub mentor_staff_id: String,
        pub mentee_staff_id: String,
        pub started_on: Date,
        /// `active` or `certified` (出师).
        pub status: String,
        pub certified_on: Option<Date>,
        pub created_by: String,
        /// A training course the mentee must hold before 出师.
        pub course_id: Option<String>,
    }
    govhall_platform::no_relations!();
}

pub mod mentor_item {
    use sea_orm::entity::prelude::*;

    /// One line of the 带训清单: a matter or skill, signed off by the mentor.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "perf_mentor_items")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub mentorship_id: String,
        pub title: String,
        pub sort_order: i32,
        pub signed_off_at: Option<DateTimeUtc>,
        #[sea_orm(column_type = "Text")]
        pub note: String,
    }
    govhall_platform::no_relations!();
}

pub mod competition {
    use sea_orm::entity::prelude::*;

    /// 业务竞赛: who competes, who judges, when it is open.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "perf_competitions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub title: String,
        pub opens_on: Date,
        pub closes_on: Date,
        /// JSON: the entrants' staff ids.
        #[sea_orm(column_type = "Text")]
        pub entrants: String,
        /// JSON: the judges' staff ids.
        #[sea_orm(column_type = "Text")]
        pub judges: String,
        /// How many places are awarded (and get a certificate).
        pub award_places: i32,
        /// `open` or `final`.
        pub status: String,
        pub created_by: String,
        pub created_at: DateTimeUtc,
        pub finalized_at: Option<DateTimeUtc>,
    }
    govhall_platform::no_relations!();
}

pub mod competition_round {
    use sea_orm::entity::prelude::*;

    /// A round: an exam from the training bank, or a practical task judged.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "perf_competition_rounds")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub competition_id: String,
        pub sort_order: i32,
        /// `exam` or `practical`.
        pub kind: String,
        pub title: String,
        pub exam_id: Option<String>,
        /// A practical round's full marks (an exam's is its paper's).
        pub max_score: f64,
        pub weight_pct: i32,
    }
    govhall_platform::no_relations!();
}

pub mod competition_score {
    use sea_orm::entity::prelude::*;

    /// A judge's score of an entrant in a practical round.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "perf_competition_scores")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub competition_id: String,
        pub round_id: String,
        pub staff_id: String,
        pub judge_staff_id: String,
        pub score: f64,
        pub scored_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod competition_result {
    use sea_orm::entity::prelude::*;

    /// An entrant's final total, rank and award, fixed when finalized.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "perf_competition_results")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub competition_id: String,
        pub staff_id: String,
        pub total: f64,
        pub rank: i32,
        pub award: String,
    }
    govhall_platform::no_relations!();
}

pub mod finding_rules {
    use sea_orm::entity::prelude::*;

    /// A hall's 异常服务行为 rules (JSON of `FindingRules`).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "perf_finding_rules")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub hall_id: String,
        #[sea_orm(column_type = "Text")]
        pub rules: String,
        pub updated_by: String,
        pub updated_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod rotation {
    use sea_orm::entity::prelude::*;

    /// A 交叉轮岗 plan to apply on a later day.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "perf_rotations")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub effective_on: Date,
        /// JSON: `[[window_id, staff_id], …]`.
        #[sea_orm(column_type = "Text")]
        pub assignments: String,
        /// scheduled / applying / applied / cancelled / failed.
        pub status: String,
        /// Why it was cancelled or failed.
        #[sea_orm(column_type = "Text")]
        pub note: String,
        pub created_by: String,
        pub created_at: DateTimeUtc,
        pub done_at: Option<DateTimeUtc>,
    }
    govhall_platform::no_relations!();
}

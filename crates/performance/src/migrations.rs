//! The performance tables: each quarter's KPI schemes (per post, versioned)
//! and each person's assessment of the quarter (figures with their
//! evidence keys, reviews, appeal, grade).

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migration_table_name() -> DynIden {
        "seaql_migrations_performance".into_iden()
    }

    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(M0001Assessment),
            Box::new(M0002Points),
            Box::new(M0003Findings),
            Box::new(M0004Butlers),
            Box::new(M0005Mentors),
            Box::new(M0006Competitions),
            Box::new(M0007FindingRules),
            Box::new(M0008Rotations),
            Box::new(M0009MentorCourse),
        ]
    }
}

#[derive(DeriveIden)]
enum PerfSchemes {
    Table,
    Id,
    HallId,
    Quarter,
    Post,
    Version,
    Indicators,
    Grades,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PerfAssessments {
    Table,
    Id,
    HallId,
    Quarter,
    StaffId,
    SchemeId,
    SchemeVersion,
    Figures,
    Total,
    Status,
    SelfReview,
    SelfAt,
    LeaderComment,
    LeaderScore,
    LeaderBy,
    ManagerScore,
    ManagerComment,
    ReviewedBy,
    ReviewedAt,
    AppealReason,
    AppealReply,
    Grade,
    ComputedAt,
    FinalizedAt,
}

pub struct M0001Assessment;

// Named by hand: the derive names a migration after its file, and both
// live in this one.
impl MigrationName for M0001Assessment {
    fn name(&self) -> &str {
        "m0001_assessment"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0001Assessment {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(PerfSchemes::Table)
                .if_not_exists()
                .col(string(PerfSchemes::Id).primary_key())
                .col(string(PerfSchemes::HallId))
                .col(string(PerfSchemes::Quarter))
                .col(string(PerfSchemes::Post))
                .col(integer(PerfSchemes::Version))
                .col(text(PerfSchemes::Indicators))
                .col(text(PerfSchemes::Grades))
                .col(string(PerfSchemes::UpdatedBy))
                .col(timestamp_with_time_zone(PerfSchemes::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_perf_schemes_quarter_post")
                .table(PerfSchemes::Table)
                .col(PerfSchemes::HallId)
                .col(PerfSchemes::Quarter)
                .col(PerfSchemes::Post)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PerfAssessments::Table)
                .if_not_exists()
                .col(string(PerfAssessments::Id).primary_key())
                .col(string(PerfAssessments::HallId))
                .col(string(PerfAssessments::Quarter))
                .col(string(PerfAssessments::StaffId))
                .col(string(PerfAssessments::SchemeId))
                .col(integer(PerfAssessments::SchemeVersion))
                .col(text(PerfAssessments::Figures))
                .col(double_null(PerfAssessments::Total))
                .col(string(PerfAssessments::Status))
                .col(text(PerfAssessments::SelfReview).default(""))
                .col(timestamp_with_time_zone_null(PerfAssessments::SelfAt))
                .col(text(PerfAssessments::LeaderComment).default(""))
                .col(double_null(PerfAssessments::LeaderScore))
                .col(string_null(PerfAssessments::LeaderBy))
                .col(double_null(PerfAssessments::ManagerScore))
                .col(text(PerfAssessments::ManagerComment).default(""))
                .col(string_null(PerfAssessments::ReviewedBy))
                .col(timestamp_with_time_zone_null(PerfAssessments::ReviewedAt))
                .col(text(PerfAssessments::AppealReason).default(""))
                .col(text(PerfAssessments::AppealReply).default(""))
                .col(string_null(PerfAssessments::Grade))
                .col(timestamp_with_time_zone(PerfAssessments::ComputedAt))
                .col(timestamp_with_time_zone_null(PerfAssessments::FinalizedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_perf_assessments_quarter_staff")
                .table(PerfAssessments::Table)
                .col(PerfAssessments::HallId)
                .col(PerfAssessments::Quarter)
                .col(PerfAssessments::StaffId)
                .unique()
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum PerfPointRules {
    Table,
    HallId,
    Key,
    PointsPerUnit,
    Enabled,
}

#[derive(DeriveIden)]
enum PerfPoints {
    Table,
    Id,
    HallId,
    StaffId,
    Month,
    Source,
    RuleKey,
    Quantity,
    Points,
    Reason,
    Evidence,
    CreatedBy,
    CreatedAt,
}

/// 积分制: the hall's point rules and the append-only ledger.
pub struct M0002Points;

impl MigrationName for M0002Points {
    fn name(&self) -> &str {
        "m0002_points"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0002Points {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(PerfPointRules::Table)
                .if_not_exists()
                .col(string(PerfPointRules::HallId))
                .col(string(PerfPointRules::Key))
                .col(double(PerfPointRules::PointsPerUnit))
                .col(boolean(PerfPointRules::Enabled))
                .primary_key(
                    Index::create()
                        .col(PerfPointRules::HallId)
                        .col(PerfPointRules::Key),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PerfPoints::Table)
                .if_not_exists()
                .col(string(PerfPoints::Id).primary_key())
                .col(string(PerfPoints::HallId))
                .col(string(PerfPoints::StaffId))
                .col(string(PerfPoints::Month))
                .col(string(PerfPoints::Source))
                .col(string(PerfPoints::RuleKey))
                .col(double(PerfPoints::Quantity))
                .col(double(PerfPoints::Points))
                .col(text(PerfPoints::Reason))
                .col(text(PerfPoints::Evidence))
                .col(string(PerfPoints::CreatedBy))
                .col(timestamp_with_time_zone(PerfPoints::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_perf_points_month")
                .table(PerfPoints::Table)
                .col(PerfPoints::HallId)
                .col(PerfPoints::Month)
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum PerfFindings {
    Table,
    Id,
    HallId,
    StaffId,
    Source,
    RuleKey,
    Subject,
    Day,
    Week,
    Title,
    Detail,
    Evidence,
    Deadline,
    Status,
    Explanation,
    ExplainedAt,
    CloseNote,
    ClosedBy,
    ClosedAt,
    CreatedBy,
    CreatedAt,
}

/// 异常服务行为: findings with their evidence, deadline, explanation and closure.
pub struct M0003Findings;

impl MigrationName for M0003Findings {
    fn name(&self) -> &str {
        "m0003_findings"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0003Findings {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(PerfFindings::Table)
                .if_not_exists()
                .col(string(PerfFindings::Id).primary_key())
                .col(string(PerfFindings::HallId))
                .col(string(PerfFindings::StaffId))
                .col(string(PerfFindings::Source))
                .col(string(PerfFindings::RuleKey))
                .col(string(PerfFindings::Subject))
                .col(date(PerfFindings::Day))
                .col(date(PerfFindings::Week))
                .col(string(PerfFindings::Title))
                .col(text(PerfFindings::Detail))
                .col(text(PerfFindings::Evidence))
                .col(date(PerfFindings::Deadline))
                .col(string(PerfFindings::Status))
                .col(text(PerfFindings::Explanation).default(""))
                .col(timestamp_with_time_zone_null(PerfFindings::ExplainedAt))
                .col(text(PerfFindings::CloseNote).default(""))
                .col(string_null(PerfFindings::ClosedBy))
                .col(timestamp_with_time_zone_null(PerfFindings::ClosedAt))
                .col(string(PerfFindings::CreatedBy))
                .col(timestamp_with_time_zone(PerfFindings::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_perf_findings_subject")
                .table(PerfFindings::Table)
                .col(PerfFindings::HallId)
                .col(PerfFindings::RuleKey)
                .col(PerfFindings::Subject)
                .unique()
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum PerfButlerLevels {
    Table,
    HallId,
    Code,
    Name,
    Rank,
    Criteria,
    MonthlyAllowance,
}

#[derive(DeriveIden)]
enum PerfButlers {
    Table,
    StaffId,
    HallId,
    LevelCode,
    GradedOn,
    Note,
}

#[derive(DeriveIden)]
enum PerfButlerEnterprises {
    Table,
    Id,
    HallId,
    ButlerStaffId,
    CreditCode,
    Name,
    Contact,
    AssignedOn,
}

#[derive(DeriveIden)]
enum PerfButlerServices {
    Table,
    Id,
    HallId,
    ButlerStaffId,
    EnterpriseId,
    Kind,
    Day,
    What,
    Result,
    Rating,
    FollowUpOn,
    FollowUpDone,
    CreatedAt,
}

/// 金牌管家: levels with their criteria and allowance, the butlers, their
/// enterprises, and the ledger of visits and services.
pub struct M0004Butlers;

impl MigrationName for M0004Butlers {
    fn name(&self) -> &str {
        "m0004_butlers"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0004Butlers {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(PerfButlerLevels::Table)
                .if_not_exists()
                .col(string(PerfButlerLevels::HallId))
                .col(string(PerfButlerLevels::Code))
                .col(string(PerfButlerLevels::Name))
                .col(integer(PerfButlerLevels::Rank))
                .col(text(PerfButlerLevels::Criteria))
                .col(double(PerfButlerLevels::MonthlyAllowance))
                .primary_key(
                    Index::create()
                        .col(PerfButlerLevels::HallId)
                        .col(PerfButlerLevels::Code),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PerfButlers::Table)
                .if_not_exists()
                .col(string(PerfButlers::StaffId).primary_key())
                .col(string(PerfButlers::HallId))
                .col(string(PerfButlers::LevelCode))
                .col(date(PerfButlers::GradedOn))
                .col(text(PerfButlers::Note).default(""))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PerfButlerEnterprises::Table)
                .if_not_exists()
                .col(string(PerfButlerEnterprises::Id).primary_key())
                .col(string(PerfButlerEnterprises::HallId))
                .col(string(PerfButlerEnterprises::ButlerStaffId))
                .col(string(PerfButlerEnterprises::CreditCode))
                .col(string(PerfButlerEnterprises::Name))
                .col(string(PerfButlerEnterprises::Contact).default(""))
                .col(date(PerfButlerEnterprises::AssignedOn))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_perf_butler_enterprises_code")
                .table(PerfButlerEnterprises::Table)
                .col(PerfButlerEnterprises::HallId)
                .col(PerfButlerEnterprises::CreditCode)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PerfButlerServices::Table)
                .if_not_exists()
                .col(string(PerfButlerServices::Id).primary_key())
                .col(string(PerfButlerServices::HallId))
                .col(string(PerfButlerServices::ButlerStaffId))
                .col(string(PerfButlerServices::EnterpriseId))
                .col(string(PerfButlerServices::Kind))
                .col(date(PerfButlerServices::Day))
                .col(text(PerfButlerServices::What))
                .col(text(PerfButlerServices::Result))
                .col(integer_null(PerfButlerServices::Rating))
                .col(date_null(PerfButlerServices::FollowUpOn))
                .col(boolean(PerfButlerServices::FollowUpDone))
                .col(timestamp_with_time_zone(PerfButlerServices::CreatedAt))
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum PerfMentorships {
    Table,
    Id,
    HallId,
    MentorStaffId,
    MenteeStaffId,
    StartedOn,
    Status,
    CertifiedOn,
    CreatedBy,
}

#[derive(DeriveIden)]
enum PerfMentorItems {
    Table,
    Id,
    MentorshipId,
    Title,
    SortOrder,
    SignedOffAt,
    Note,
}

/// 导师结对: pairs and their 带训清单.
pub struct M0005Mentors;

impl MigrationName for M0005Mentors {
    fn name(&self) -> &str {
        "m0005_mentors"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0005Mentors {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(PerfMentorships::Table)
                .if_not_exists()
                .col(string(PerfMentorships::Id).primary_key())
                .col(string(PerfMentorships::HallId))
                .col(string(PerfMentorships::MentorStaffId))
                .col(string(PerfMentorships::MenteeStaffId))
                .col(date(PerfMentorships::StartedOn))
                .col(string(PerfMentorships::Status))
                .col(date_null(PerfMentorships::CertifiedOn))
                .col(string(PerfMentorships::CreatedBy))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PerfMentorItems::Table)
                .if_not_exists()
                .col(string(PerfMentorItems::Id).primary_key())
                .col(string(PerfMentorItems::MentorshipId))
                .col(string(PerfMentorItems::Title))
                .col(integer(PerfMentorItems::SortOrder))
                .col(timestamp_with_time_zone_null(PerfMentorItems::SignedOffAt))
                .col(text(PerfMentorItems::Note).default(""))
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum PerfCompetitions {
    Table,
    Id,
    HallId,
    Title,
    OpensOn,
    ClosesOn,
    Entrants,
    Judges,
    AwardPlaces,
    Status,
    CreatedBy,
    CreatedAt,
    FinalizedAt,
}

#[derive(DeriveIden)]
enum PerfCompetitionRounds {
    Table,
    Id,
    CompetitionId,
    SortOrder,
    Kind,
    Title,
    ExamId,
    MaxScore,
    WeightPct,
}

#[derive(DeriveIden)]
enum PerfCompetitionScores {
    Table,
    Id,
    CompetitionId,
    RoundId,
    StaffId,
    JudgeStaffId,
    Score,
    ScoredAt,
}

#[derive(DeriveIden)]
enum PerfCompetitionResults {
    Table,
    Id,
    CompetitionId,
    StaffId,
    Total,
    Rank,
    Award,
}

/// 业务竞赛: competitions, their rounds, the judges' scores and the results.
pub struct M0006Competitions;

impl MigrationName for M0006Competitions {
    fn name(&self) -> &str {
        "m0006_competitions"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0006Competitions {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(PerfCompetitions::Table)
                .if_not_exists()
                .col(string(PerfCompetitions::Id).primary_key())
                .col(string(PerfCompetitions::HallId))
                .col(string(PerfCompetitions::Title))
                .col(date(PerfCompetitions::OpensOn))
                .col(date(PerfCompetitions::ClosesOn))
                .col(text(PerfCompetitions::Entrants))
                .col(text(PerfCompetitions::Judges))
                .col(integer(PerfCompetitions::AwardPlaces))
                .col(string(PerfCompetitions::Status))
                .col(string(PerfCompetitions::CreatedBy))
                .col(timestamp_with_time_zone(PerfCompetitions::CreatedAt))
                .col(timestamp_with_time_zone_null(PerfCompetitions::FinalizedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PerfCompetitionRounds::Table)
                .if_not_exists()
                .col(string(PerfCompetitionRounds::Id).primary_key())
                .col(string(PerfCompetitionRounds::CompetitionId))
                .col(integer(PerfCompetitionRounds::SortOrder))
                .col(string(PerfCompetitionRounds::Kind))
                .col(string(PerfCompetitionRounds::Title))
                .col(string_null(PerfCompetitionRounds::ExamId))
                .col(double(PerfCompetitionRounds::MaxScore))
                .col(integer(PerfCompetitionRounds::WeightPct))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PerfCompetitionScores::Table)
                .if_not_exists()
                .col(string(PerfCompetitionScores::Id).primary_key())
                .col(string(PerfCompetitionScores::CompetitionId))
                .col(string(PerfCompetitionScores::RoundId))
                .col(string(PerfCompetitionScores::StaffId))
                .col(string(PerfCompetitionScores::JudgeStaffId))
                .col(double(PerfCompetitionScores::Score))
                .col(timestamp_with_time_zone(PerfCompetitionScores::ScoredAt))
                .to_owned(),
        )
        .await?;
        // One score per judge, entrant and round: a second is a correction.
        m.create_index(
            Index::create()
                .name("uq_perf_competition_scores")
                .table(PerfCompetitionScores::Table)
                .col(PerfCompetitionScores::RoundId)
                .col(PerfCompetitionScores::StaffId)
                .col(PerfCompetitionScores::JudgeStaffId)
                .unique()
                .if_not_exists()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PerfCompetitionResults::Table)
                .if_not_exists()
                .col(string(PerfCompetitionResults::Id).primary_key())
                .col(string(PerfCompetitionResults::CompetitionId))
                .col(string(PerfCompetitionResults::StaffId))
                .col(double(PerfCompetitionResults::Total))
                .col(integer(PerfCompetitionResults::Rank))
                .col(string(PerfCompetitionResults::Award))
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum PerfFindingRules {
    Table,
    HallId,
    Rules,
    UpdatedBy,
    UpdatedAt,
}

/// The 异常服务行为 rules a hall sets.
pub struct M0007FindingRules;

impl MigrationName for M0007FindingRules {
    fn name(&self) -> &str {
        "m0007_finding_rules"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0007FindingRules {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(PerfFindingRules::Table)
                .if_not_exists()
                .col(string(PerfFindingRules::HallId).primary_key())
                .col(text(PerfFindingRules::Rules))
                .col(string(PerfFindingRules::UpdatedBy))
                .col(timestamp_with_time_zone(PerfFindingRules::UpdatedAt))
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum PerfRotations {
    Table,
    Id,
    HallId,
    EffectiveOn,
    Assignments,
    Status,
    Note,
    CreatedBy,
    CreatedAt,
    DoneAt,
}

/// 交叉轮岗 plans scheduled for a later day.
pub struct M0008Rotations;

impl MigrationName for M0008Rotations {
    fn name(&self) -> &str {
        "m0008_rotations"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0008Rotations {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(PerfRotations::Table)
                .if_not_exists()
                .col(string(PerfRotations::Id).primary_key())
                .col(string(PerfRotations::HallId))
                .col(date(PerfRotations::EffectiveOn))
                .col(text(PerfRotations::Assignments))
                .col(string(PerfRotations::Status))
                .col(text(PerfRotations::Note))
                .col(string(PerfRotations::CreatedBy))
                .col(timestamp_with_time_zone(PerfRotations::CreatedAt))
                .col(timestamp_with_time_zone_null(PerfRotations::DoneAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("perf_rotations_hall_status")
                .table(PerfRotations::Table)
                .col(PerfRotations::HallId)
                .col(PerfRotations::Status)
                .to_owned(),
        )
        .await?;
        // One plan waits per hall, even when two managers schedule at once.
        m.get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX perf_rotations_one_waiting ON perf_rotations (hall_id) \
                 WHERE status = 'scheduled'",
            )
            .await?;
        Ok(())
    }
}

/// The course a mentee must hold before 出师 (optional).
pub struct M0009MentorCourse;

impl MigrationName for M0009MentorCourse {
    fn name(&self) -> &str {
        "m0009_mentor_course"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0009MentorCourse {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared("ALTER TABLE perf_mentorships ADD COLUMN course_id TEXT")
            .await?;
        Ok(())
    }
}

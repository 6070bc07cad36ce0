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
        vec![Box::new(M0001Assessment)]
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

#[derive(DeriveMigrationName)]
pub struct M0001Assessment;

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

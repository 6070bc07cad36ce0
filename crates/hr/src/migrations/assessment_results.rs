//! The quarterly assessment grades the performance module finalized, and the
//! 金牌管家 levels it grades, kept here for the payroll's formulas (考核等次,
//! 考核得分, 管家津贴).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveIden)]
enum HrAssessmentResults {
    Table,
    Id,
    HallId,
    StaffId,
    Quarter,
    EndsOn,
    Grade,
    Level,
    Score,
    RecordedAt,
}

#[derive(DeriveIden)]
enum HrButlerAllowances {
    Table,
    StaffId,
    HallId,
    Level,
    Allowance,
    RecordedAt,
}

#[derive(DeriveMigrationName)]
pub struct M0012AssessmentResults;

#[async_trait::async_trait]
impl MigrationTrait for M0012AssessmentResults {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(HrAssessmentResults::Table)
                .if_not_exists()
                .col(string(HrAssessmentResults::Id).primary_key())
                .col(string(HrAssessmentResults::HallId))
                .col(string(HrAssessmentResults::StaffId))
                .col(string(HrAssessmentResults::Quarter))
                .col(date(HrAssessmentResults::EndsOn))
                .col(string(HrAssessmentResults::Grade))
                .col(integer(HrAssessmentResults::Level))
                .col(double(HrAssessmentResults::Score))
                .col(timestamp_with_time_zone(HrAssessmentResults::RecordedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_hr_assessment_results")
                .table(HrAssessmentResults::Table)
                .col(HrAssessmentResults::HallId)
                .col(HrAssessmentResults::StaffId)
                .col(HrAssessmentResults::Quarter)
                .unique()
                .to_owned(),
        )
        .await?;
        // 金牌管家: each graded butler's level and monthly allowance.
        m.create_table(
            Table::create()
                .table(HrButlerAllowances::Table)
                .if_not_exists()
                .col(string(HrButlerAllowances::StaffId).primary_key())
                .col(string(HrButlerAllowances::HallId))
                .col(string(HrButlerAllowances::Level))
                .col(double(HrButlerAllowances::Allowance))
                .col(timestamp_with_time_zone(HrButlerAllowances::RecordedAt))
                .to_owned(),
        )
        .await
    }
}

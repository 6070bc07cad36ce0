//! The HR tables: each member of staff's 人事档案 (ID and bank card, salary
//! structure — encrypted), the hall's 五险一金 rates by city and period, the
//! month's pay items (绩效, overtime, corrections), the monthly payroll runs
//! with their payslips, and the bank file's column layout; leave (`leave`);
//! shifts, roster and attendance (`attendance`); uniforms and welfare (`welfare`);
//! openings and candidates (`recruitment`); contract scans (`contract_scans`);
//! 班组 and their leaders (`groups`); the hall's formula pay components
//! (`pay_components`); the quarterly grades for payroll (`assessment_results`).

mod assessment_results;
mod attendance;
mod contract_scans;
mod contracts;
mod establishment;
mod groups;
mod leave;
mod lifecycle;
mod pay_components;
mod recruitment;
mod welfare;

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migration_table_name() -> DynIden {
        "seaql_migrations_hr".into_iden()
    }

    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(M0001Payroll),
            Box::new(leave::M0002Leave),
            Box::new(lifecycle::M0003Lifecycle),
            Box::new(contracts::M0004Contracts),
            Box::new(establishment::M0005Establishment),
            Box::new(attendance::M0006Attendance),
            Box::new(welfare::M0007Welfare),
            Box::new(recruitment::M0008Recruitment),
            Box::new(contract_scans::M0009ContractScans),
            Box::new(groups::M0010Groups),
            Box::new(pay_components::M0011PayComponents),
            Box::new(assessment_results::M0012AssessmentResults),
        ]
    }
}

#[derive(DeriveIden)]
enum HrProfiles {
    Table,
    StaffId,
    HallId,
    IdCardEnc,
    IdCardIdx,
    BankCardEnc,
    BankName,
    City,
    HiredOn,
    DeductionFromJanuary,
    PayEnc,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum HrContributionRates {
    Table,
    Id,
    HallId,
    City,
    Item,
    EffectiveFrom,
    EffectiveTo,
    BaseFloorFen,
    BaseCeilingFen,
    EmployerRateBp,
    EmployeeRateBp,
    Rounding,
    Source,
    CreatedAt,
}

#[derive(DeriveIden)]
enum HrPayItems {
    Table,
    Id,
    HallId,
    StaffId,
    Month,
    Kind,
    DetailEnc,
    RefersMonth,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum HrPayrollRuns {
    Table,
    Id,
    HallId,
    Month,
    Status,
    StaffCount,
    Totals,
    ComputedAt,
    ComputedBy,
    ApprovedAt,
    ApprovedBy,
}

#[derive(DeriveIden)]
enum HrPayslips {
    Table,
    Id,
    RunId,
    HallId,
    StaffId,
    Month,
    DetailEnc,
}

#[derive(DeriveIden)]
enum HrSettings {
    Table,
    HallId,
    BankLayout,
    UpdatedAt,
}

#[derive(DeriveMigrationName)]
pub struct M0001Payroll;

#[async_trait::async_trait]
impl MigrationTrait for M0001Payroll {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(HrProfiles::Table)
                .if_not_exists()
                .col(string(HrProfiles::StaffId).primary_key())
                .col(string(HrProfiles::HallId))
                .col(text_null(HrProfiles::IdCardEnc))
                .col(string_null(HrProfiles::IdCardIdx))
                .col(text_null(HrProfiles::BankCardEnc))
                .col(string(HrProfiles::BankName).default(""))
                .col(string(HrProfiles::City).default(""))
                .col(date_null(HrProfiles::HiredOn))
                .col(boolean(HrProfiles::DeductionFromJanuary).default(false))
                .col(text_null(HrProfiles::PayEnc))
                .col(timestamp_with_time_zone(HrProfiles::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_hr_profiles_id_card")
                .table(HrProfiles::Table)
                .col(HrProfiles::HallId)
                .col(HrProfiles::IdCardIdx)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(HrContributionRates::Table)
                .if_not_exists()
                .col(string(HrContributionRates::Id).primary_key())
                .col(string(HrContributionRates::HallId))
                .col(string(HrContributionRates::City))
                .col(string(HrContributionRates::Item))
                .col(date(HrContributionRates::EffectiveFrom))
                .col(date_null(HrContributionRates::EffectiveTo))
                .col(big_integer(HrContributionRates::BaseFloorFen))
                .col(big_integer(HrContributionRates::BaseCeilingFen))
                .col(integer(HrContributionRates::EmployerRateBp))
                .col(integer(HrContributionRates::EmployeeRateBp))
                .col(string(HrContributionRates::Rounding).default("fen"))
                .col(text(HrContributionRates::Source))
                .col(timestamp_with_time_zone(HrContributionRates::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_hr_contribution_rates_hall")
                .table(HrContributionRates::Table)
                .col(HrContributionRates::HallId)
                .col(HrContributionRates::City)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(HrPayItems::Table)
                .if_not_exists()
                .col(string(HrPayItems::Id).primary_key())
                .col(string(HrPayItems::HallId))
                .col(string(HrPayItems::StaffId))
                .col(string(HrPayItems::Month))
                .col(string(HrPayItems::Kind))
                .col(text(HrPayItems::DetailEnc))
                .col(string_null(HrPayItems::RefersMonth))
                .col(string(HrPayItems::CreatedBy))
                .col(timestamp_with_time_zone(HrPayItems::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_hr_pay_items_month")
                .table(HrPayItems::Table)
                .col(HrPayItems::HallId)
                .col(HrPayItems::Month)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(HrPayrollRuns::Table)
                .if_not_exists()
                .col(string(HrPayrollRuns::Id).primary_key())
                .col(string(HrPayrollRuns::HallId))
                .col(string(HrPayrollRuns::Month))
                .col(string(HrPayrollRuns::Status))
                .col(integer(HrPayrollRuns::StaffCount))
                .col(text(HrPayrollRuns::Totals))
                .col(timestamp_with_time_zone(HrPayrollRuns::ComputedAt))
                .col(string(HrPayrollRuns::ComputedBy))
                .col(timestamp_with_time_zone_null(HrPayrollRuns::ApprovedAt))
                .col(string_null(HrPayrollRuns::ApprovedBy))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_hr_payroll_runs_month")
                .table(HrPayrollRuns::Table)
                .col(HrPayrollRuns::HallId)
                .col(HrPayrollRuns::Month)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(HrPayslips::Table)
                .if_not_exists()
                .col(string(HrPayslips::Id).primary_key())
                .col(string(HrPayslips::RunId))
                .col(string(HrPayslips::HallId))
                .col(string(HrPayslips::StaffId))
                .col(string(HrPayslips::Month))
                .col(text(HrPayslips::DetailEnc))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_hr_payslips_run_staff")
                .table(HrPayslips::Table)
                .col(HrPayslips::RunId)
                .col(HrPayslips::StaffId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_hr_payslips_staff")
                .table(HrPayslips::Table)
                .col(HrPayslips::HallId)
                .col(HrPayslips::StaffId)
                .col(HrPayslips::Month)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(HrSettings::Table)
                .if_not_exists()
                .col(string(HrSettings::HallId).primary_key())
                .col(text(HrSettings::BankLayout))
                .col(timestamp_with_time_zone(HrSettings::UpdatedAt))
                .to_owned(),
        )
        .await
    }
}

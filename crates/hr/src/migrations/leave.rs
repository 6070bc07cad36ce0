//! Leave: the hall's leave types with their rules and sources, the requests
//! with their approval, and the date someone started working (年休假 counts
//! all the years worked, not only ours).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveIden)]
enum HrLeaveTypes {
    Table,
    Id,
    HallId,
    Code,
    Name,
    Rule,
    Days,
    WorkingDays,
    Paid,
    Source,
    SortOrder,
}

#[derive(DeriveIden)]
enum HrLeaveRequests {
    Table,
    Id,
    HallId,
    StaffId,
    TypeCode,
    StartsOn,
    EndsOn,
    Days,
    ReasonEnc,
    Status,
    DecidedBy,
    DecidedAt,
    Opinion,
    CreatedAt,
}

#[derive(DeriveIden)]
enum HrProfiles {
    Table,
    WorkStartedOn,
}

#[derive(DeriveMigrationName)]
pub struct M0002Leave;

#[async_trait::async_trait]
impl MigrationTrait for M0002Leave {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(HrLeaveTypes::Table)
                .if_not_exists()
                .col(string(HrLeaveTypes::Id).primary_key())
                .col(string(HrLeaveTypes::HallId))
                .col(string(HrLeaveTypes::Code))
                .col(string(HrLeaveTypes::Name))
                .col(string(HrLeaveTypes::Rule))
                .col(integer(HrLeaveTypes::Days))
                .col(boolean(HrLeaveTypes::WorkingDays))
                .col(boolean(HrLeaveTypes::Paid))
                .col(text(HrLeaveTypes::Source))
                .col(integer(HrLeaveTypes::SortOrder))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_hr_leave_types_code")
                .table(HrLeaveTypes::Table)
                .col(HrLeaveTypes::HallId)
                .col(HrLeaveTypes::Code)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(HrLeaveRequests::Table)
                .if_not_exists()
                .col(string(HrLeaveRequests::Id).primary_key())
                .col(string(HrLeaveRequests::HallId))
                .col(string(HrLeaveRequests::StaffId))
                .col(string(HrLeaveRequests::TypeCode))
                .col(date(HrLeaveRequests::StartsOn))
                .col(date(HrLeaveRequests::EndsOn))
                .col(integer(HrLeaveRequests::Days))
                .col(text(HrLeaveRequests::ReasonEnc))
                .col(string(HrLeaveRequests::Status))
                .col(string_null(HrLeaveRequests::DecidedBy))
                .col(timestamp_with_time_zone_null(HrLeaveRequests::DecidedAt))
                .col(string(HrLeaveRequests::Opinion).default(""))
                .col(timestamp_with_time_zone(HrLeaveRequests::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_hr_leave_requests_staff")
                .table(HrLeaveRequests::Table)
                .col(HrLeaveRequests::StaffId)
                .col(HrLeaveRequests::StartsOn)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(HrProfiles::Table)
                .add_column(date_null(HrProfiles::WorkStartedOn))
                .to_owned(),
        )
        .await
    }
}

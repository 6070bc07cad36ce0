//! Attendance: the hall's 班次, the roster (a day's shift or rest for one
//! person, where it differs from the calendar's default), clock punches
//! from the phone's QR scan, attendance-machine imports and approved
//! corrections, the correction requests and the shift swaps. Window
//! sign-ins are not copied here: the sheet reads them from the directory.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveIden)]
enum HrShifts {
    Table,
    Id,
    HallId,
    Code,
    Name,
    StartsAt,
    EndsAt,
    GraceMinutes,
    IsDefault,
    SortOrder,
}

#[derive(DeriveIden)]
enum HrRoster {
    Table,
    StaffId,
    Day,
    HallId,
    ShiftCode,
    SetBy,
    SetAt,
}

#[derive(DeriveIden)]
enum HrPunches {
    Table,
    Id,
    HallId,
    StaffId,
    At,
    Source,
    Note,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum HrCorrections {
    Table,
    Id,
    HallId,
    StaffId,
    At,
    Reason,
    Status,
    DecidedBy,
    DecidedAt,
    Opinion,
    CreatedAt,
}

#[derive(DeriveIden)]
enum HrSwaps {
    Table,
    Id,
    HallId,
    StaffId,
    Day,
    OtherStaffId,
    OtherDay,
    Reason,
    Status,
    DecidedBy,
    DecidedAt,
    Opinion,
    CreatedAt,
}

#[derive(DeriveMigrationName)]
pub struct M0006Attendance;

#[async_trait::async_trait]
impl MigrationTrait for M0006Attendance {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(HrShifts::Table)
                .if_not_exists()
                .col(string(HrShifts::Id).primary_key())
                .col(string(HrShifts::HallId))
                .col(string(HrShifts::Code))
                .col(string(HrShifts::Name))
                .col(string(HrShifts::StartsAt))
                .col(string(HrShifts::EndsAt))
                .col(integer(HrShifts::GraceMinutes))
                .col(boolean(HrShifts::IsDefault))
                .col(integer(HrShifts::SortOrder))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_hr_shifts_code")
                .table(HrShifts::Table)
                .col(HrShifts::HallId)
                .col(HrShifts::Code)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(HrRoster::Table)
                .if_not_exists()
                .col(string(HrRoster::StaffId))
                .col(date(HrRoster::Day))
                .col(string(HrRoster::HallId))
                .col(string(HrRoster::ShiftCode))
                .col(string(HrRoster::SetBy))
                .col(timestamp_with_time_zone(HrRoster::SetAt))
                .primary_key(Index::create().col(HrRoster::StaffId).col(HrRoster::Day))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_hr_roster_hall_day")
                .table(HrRoster::Table)
                .col(HrRoster::HallId)
                .col(HrRoster::Day)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(HrPunches::Table)
                .if_not_exists()
                .col(string(HrPunches::Id).primary_key())
                .col(string(HrPunches::HallId))
                .col(string(HrPunches::StaffId))
                .col(timestamp_with_time_zone(HrPunches::At))
                .col(string(HrPunches::Source))
                .col(string(HrPunches::Note).default(""))
                .col(string(HrPunches::CreatedBy))
                .col(timestamp_with_time_zone(HrPunches::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_hr_punches_hall_at")
                .table(HrPunches::Table)
                .col(HrPunches::HallId)
                .col(HrPunches::At)
                .to_owned(),
        )
        .await?;
        // One mark per person per instant: a machine file imported twice adds nothing.
        m.create_index(
            Index::create()
                .name("ux_hr_punches_staff_at")
                .table(HrPunches::Table)
                .col(HrPunches::StaffId)
                .col(HrPunches::At)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(HrCorrections::Table)
                .if_not_exists()
                .col(string(HrCorrections::Id).primary_key())
                .col(string(HrCorrections::HallId))
                .col(string(HrCorrections::StaffId))
                .col(timestamp_with_time_zone(HrCorrections::At))
                .col(string(HrCorrections::Reason))
                .col(string(HrCorrections::Status))
                .col(string_null(HrCorrections::DecidedBy))
                .col(timestamp_with_time_zone_null(HrCorrections::DecidedAt))
                .col(string(HrCorrections::Opinion).default(""))
                .col(timestamp_with_time_zone(HrCorrections::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_hr_corrections_hall")
                .table(HrCorrections::Table)
                .col(HrCorrections::HallId)
                .col(HrCorrections::Status)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(HrSwaps::Table)
                .if_not_exists()
                .col(string(HrSwaps::Id).primary_key())
                .col(string(HrSwaps::HallId))
                .col(string(HrSwaps::StaffId))
                .col(date(HrSwaps::Day))
                .col(string(HrSwaps::OtherStaffId))
                .col(date(HrSwaps::OtherDay))
                .col(string(HrSwaps::Reason))
                .col(string(HrSwaps::Status))
                .col(string_null(HrSwaps::DecidedBy))
                .col(timestamp_with_time_zone_null(HrSwaps::DecidedAt))
                .col(string(HrSwaps::Opinion).default(""))
                .col(timestamp_with_time_zone(HrSwaps::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_hr_swaps_hall")
                .table(HrSwaps::Table)
                .col(HrSwaps::HallId)
                .col(HrSwaps::Status)
                .to_owned(),
        )
        .await
    }
}

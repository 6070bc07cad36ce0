//! 劳动合同: each member of staff's contracts with their term, probation,
//! renewals and termination, and which expiry reminders were given.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveIden)]
enum HrContracts {
    Table,
    Id,
    HallId,
    StaffId,
    Number,
    Kind,
    SignedOn,
    StartsOn,
    EndsOn,
    ProbationMonths,
    RenewsId,
    TerminatedOn,
    TerminationReason,
    Note,
    Reminded,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveMigrationName)]
pub struct M0004Contracts;

#[async_trait::async_trait]
impl MigrationTrait for M0004Contracts {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(HrContracts::Table)
                .if_not_exists()
                .col(string(HrContracts::Id).primary_key())
                .col(string(HrContracts::HallId))
                .col(string(HrContracts::StaffId))
                .col(string(HrContracts::Number))
                .col(string(HrContracts::Kind))
                .col(date(HrContracts::SignedOn))
                .col(date(HrContracts::StartsOn))
                .col(date_null(HrContracts::EndsOn))
                .col(integer(HrContracts::ProbationMonths))
                .col(string_null(HrContracts::RenewsId))
                .col(date_null(HrContracts::TerminatedOn))
                .col(string(HrContracts::TerminationReason).default(""))
                .col(string(HrContracts::Note).default(""))
                .col(integer(HrContracts::Reminded).default(0))
                .col(string(HrContracts::CreatedBy))
                .col(timestamp_with_time_zone(HrContracts::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_hr_contracts_staff")
                .table(HrContracts::Table)
                .col(HrContracts::StaffId)
                .col(HrContracts::StartsOn)
                .to_owned(),
        )
        .await
    }
}

//! 工装 and 福利: each person's sizes, the uniform purchase batches with
//! their cost, what was issued to whom (first issue or replacement), and
//! the welfare items (节日福利, 体检) with who received them.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveIden)]
enum HrUniformSizes {
    Table,
    StaffId,
    HallId,
    Top,
    Bottom,
    Shoes,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum HrUniformBatches {
    Table,
    Id,
    HallId,
    Year,
    Season,
    Item,
    Supplier,
    UnitPriceFen,
    Quantity,
    PurchasedOn,
    Note,
    CreatedAt,
}

#[derive(DeriveIden)]
enum HrUniformIssues {
    Table,
    Id,
    HallId,
    BatchId,
    StaffId,
    Size,
    Quantity,
    Replacement,
    Reason,
    IssuedOn,
    IssuedBy,
}

#[derive(DeriveIden)]
enum HrWelfareItems {
    Table,
    Id,
    HallId,
    Name,
    Kind,
    Day,
    UnitCostFen,
    Note,
    CreatedAt,
}

#[derive(DeriveIden)]
enum HrWelfareReceipts {
    Table,
    ItemId,
    StaffId,
    HallId,
    ReceivedOn,
    RecordedBy,
}

#[derive(DeriveMigrationName)]
pub struct M0007Welfare;

#[async_trait::async_trait]
impl MigrationTrait for M0007Welfare {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(HrUniformSizes::Table)
                .if_not_exists()
                .col(string(HrUniformSizes::StaffId).primary_key())
                .col(string(HrUniformSizes::HallId))
                .col(string(HrUniformSizes::Top))
                .col(string(HrUniformSizes::Bottom))
                .col(string(HrUniformSizes::Shoes))
                .col(timestamp_with_time_zone(HrUniformSizes::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(HrUniformBatches::Table)
                .if_not_exists()
                .col(string(HrUniformBatches::Id).primary_key())
                .col(string(HrUniformBatches::HallId))
                .col(integer(HrUniformBatches::Year))
                .col(string(HrUniformBatches::Season))
                .col(string(HrUniformBatches::Item))
                .col(string(HrUniformBatches::Supplier))
                .col(big_integer(HrUniformBatches::UnitPriceFen))
                .col(integer(HrUniformBatches::Quantity))
                .col(date(HrUniformBatches::PurchasedOn))
                .col(string(HrUniformBatches::Note).default(""))
                .col(timestamp_with_time_zone(HrUniformBatches::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(HrUniformIssues::Table)
                .if_not_exists()
                .col(string(HrUniformIssues::Id).primary_key())
                .col(string(HrUniformIssues::HallId))
                .col(string(HrUniformIssues::BatchId))
                .col(string(HrUniformIssues::StaffId))
                .col(string(HrUniformIssues::Size))
                .col(integer(HrUniformIssues::Quantity))
                .col(boolean(HrUniformIssues::Replacement))
                .col(string(HrUniformIssues::Reason).default(""))
                .col(date(HrUniformIssues::IssuedOn))
                .col(string(HrUniformIssues::IssuedBy))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_hr_uniform_issues_batch")
                .table(HrUniformIssues::Table)
                .col(HrUniformIssues::BatchId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(HrWelfareItems::Table)
                .if_not_exists()
                .col(string(HrWelfareItems::Id).primary_key())
                .col(string(HrWelfareItems::HallId))
                .col(string(HrWelfareItems::Name))
                .col(string(HrWelfareItems::Kind))
                .col(date(HrWelfareItems::Day))
                .col(big_integer(HrWelfareItems::UnitCostFen))
                .col(string(HrWelfareItems::Note).default(""))
                .col(timestamp_with_time_zone(HrWelfareItems::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(HrWelfareReceipts::Table)
                .if_not_exists()
                .col(string(HrWelfareReceipts::ItemId))
                .col(string(HrWelfareReceipts::StaffId))
                .col(string(HrWelfareReceipts::HallId))
                .col(date(HrWelfareReceipts::ReceivedOn))
                .col(string(HrWelfareReceipts::RecordedBy))
                .primary_key(
                    Index::create()
                        .col(HrWelfareReceipts::ItemId)
                        .col(HrWelfareReceipts::StaffId),
                )
                .to_owned(),
        )
        .await
    }
}

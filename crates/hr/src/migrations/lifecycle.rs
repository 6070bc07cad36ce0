//! The staff lifecycle: 入职, 转正, 调岗 and 离职 records with their
//! checklists, and which windows each member of staff may sign in at.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveIden)]
enum HrChanges {
    Table,
    Id,
    HallId,
    StaffId,
    Kind,
    EffectiveOn,
    Status,
    Detail,
    Checklist,
    Applied,
    CreatedBy,
    CreatedAt,
    CompletedAt,
}

#[derive(DeriveIden)]
enum HrWindowGrants {
    Table,
    StaffId,
    WindowId,
    HallId,
    GrantedBy,
    GrantedAt,
}

#[derive(DeriveMigrationName)]
pub struct M0003Lifecycle;

#[async_trait::async_trait]
impl MigrationTrait for M0003Lifecycle {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(HrChanges::Table)
                .if_not_exists()
                .col(string(HrChanges::Id).primary_key())
                .col(string(HrChanges::HallId))
                .col(string(HrChanges::StaffId))
                .col(string(HrChanges::Kind))
                .col(date(HrChanges::EffectiveOn))
                .col(string(HrChanges::Status))
                .col(text(HrChanges::Detail))
                .col(text(HrChanges::Checklist))
                .col(boolean(HrChanges::Applied).default(false))
                .col(string(HrChanges::CreatedBy))
                .col(timestamp_with_time_zone(HrChanges::CreatedAt))
                .col(timestamp_with_time_zone_null(HrChanges::CompletedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_hr_changes_hall")
                .table(HrChanges::Table)
                .col(HrChanges::HallId)
                .col(HrChanges::Status)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(HrWindowGrants::Table)
                .if_not_exists()
                .col(string(HrWindowGrants::StaffId))
                .col(string(HrWindowGrants::WindowId))
                .col(string(HrWindowGrants::HallId))
                .col(string(HrWindowGrants::GrantedBy))
                .col(timestamp_with_time_zone(HrWindowGrants::GrantedAt))
                .primary_key(
                    Index::create()
                        .col(HrWindowGrants::StaffId)
                        .col(HrWindowGrants::WindowId),
                )
                .to_owned(),
        )
        .await
    }
}

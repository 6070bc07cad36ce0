//! 班组: a hall's groups with their 组长; a person is in one group at most.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveIden)]
enum HrGroups {
    Table,
    Id,
    HallId,
    Name,
    LeaderStaffId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum HrGroupMembers {
    Table,
    StaffId,
    GroupId,
    HallId,
}

#[derive(DeriveMigrationName)]
pub struct M0010Groups;

#[async_trait::async_trait]
impl MigrationTrait for M0010Groups {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(HrGroups::Table)
                .if_not_exists()
                .col(string(HrGroups::Id).primary_key())
                .col(string(HrGroups::HallId))
                .col(string(HrGroups::Name))
                .col(string(HrGroups::LeaderStaffId))
                .col(timestamp_with_time_zone(HrGroups::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(HrGroupMembers::Table)
                .if_not_exists()
                .col(string(HrGroupMembers::StaffId).primary_key())
                .col(string(HrGroupMembers::GroupId))
                .col(string(HrGroupMembers::HallId))
                .to_owned(),
        )
        .await
    }
}

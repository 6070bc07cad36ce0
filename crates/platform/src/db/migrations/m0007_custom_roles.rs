//! Roles defined by the 安全管理员.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CustomRoles {
    Table,
    Code,
    Label,
    Permissions,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(CustomRoles::Table)
                .col(string(CustomRoles::Code).primary_key())
                .col(string_uniq(CustomRoles::Label))
                .col(string(CustomRoles::Permissions))
                .col(timestamp_with_time_zone(CustomRoles::CreatedAt))
                .col(timestamp_with_time_zone(CustomRoles::UpdatedAt))
                .to_owned(),
        )
        .await
    }
}

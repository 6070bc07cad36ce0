//! Devices (kiosks, screens, camera boxes) with revocable tokens bound to one hall and one purpose.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Devices {
    Table,
    Id,
    HallId,
    Purpose,
    Name,
    TokenHash,
    Revoked,
    CreatedAt,
    LastSeenAt,
}

#[derive(DeriveIden)]
enum Halls {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Devices::Table)
                .col(string(Devices::Id).primary_key())
                .col(string(Devices::HallId))
                .col(string(Devices::Purpose))
                .col(string(Devices::Name))
                .col(string_uniq(Devices::TokenHash))
                .col(boolean(Devices::Revoked))
                .col(timestamp_with_time_zone(Devices::CreatedAt))
                .col(timestamp_with_time_zone_null(Devices::LastSeenAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Devices::Table, Devices::HallId)
                        .to(Halls::Table, Halls::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await
    }
}

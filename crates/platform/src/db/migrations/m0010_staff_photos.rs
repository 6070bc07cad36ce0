//! Staff photos, shown on the window screen next to the name and 工号.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum StaffPhotos {
    Table,
    StaffId,
    ContentType,
    Body,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(StaffPhotos::Table)
                .col(string(StaffPhotos::StaffId).primary_key())
                .col(string(StaffPhotos::ContentType))
                .col(blob(StaffPhotos::Body))
                .col(timestamp_with_time_zone(StaffPhotos::UpdatedAt))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}

//! 薪资项目: the hall's own pay components, each a formula over the
//! person's salary structure and the month's attendance. A name may have
//! several versions over months (they must not overlap: checked in code).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveIden)]
enum HrPayComponents {
    Table,
    Id,
    HallId,
    Name,
    Kind,
    Formula,
    FromMonth,
    UntilMonth,
    Enabled,
    Note,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveMigrationName)]
pub struct M0011PayComponents;

#[async_trait::async_trait]
impl MigrationTrait for M0011PayComponents {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(HrPayComponents::Table)
                .if_not_exists()
                .col(string(HrPayComponents::Id).primary_key())
                .col(string(HrPayComponents::HallId))
                .col(string(HrPayComponents::Name))
                .col(string(HrPayComponents::Kind))
                .col(text(HrPayComponents::Formula))
                .col(string(HrPayComponents::FromMonth))
                .col(string_null(HrPayComponents::UntilMonth))
                .col(boolean(HrPayComponents::Enabled))
                .col(string(HrPayComponents::Note).default(""))
                .col(string(HrPayComponents::UpdatedBy))
                .col(timestamp_with_time_zone(HrPayComponents::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_hr_pay_components_hall")
                .table(HrPayComponents::Table)
                .col(HrPayComponents::HallId)
                .to_owned(),
        )
        .await
    }
}

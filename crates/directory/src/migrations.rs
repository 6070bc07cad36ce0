//! The directory's own schema changes (its first tables came with the platform's).

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migration_table_name() -> DynIden {
        "seaql_migrations_directory".into_iden()
    }

    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![Box::new(M0001HallDays)]
    }
}

#[derive(DeriveIden)]
enum HallCalendarDays {
    Table,
    HallId,
    Date,
    Kind,
    Name,
    UpdatedAt,
}

/// A hall's own days beside the national calendar: opened on a rest day
/// (周六延时服务) or closed on a working day (闭厅检修).
struct M0001HallDays;

impl MigrationName for M0001HallDays {
    fn name(&self) -> &str {
        "m0001_hall_days"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0001HallDays {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(HallCalendarDays::Table)
                .if_not_exists()
                .col(string(HallCalendarDays::HallId))
                .col(date(HallCalendarDays::Date))
                .col(string(HallCalendarDays::Kind))
                .col(string(HallCalendarDays::Name))
                .col(timestamp_with_time_zone(HallCalendarDays::UpdatedAt))
                .primary_key(
                    Index::create()
                        .col(HallCalendarDays::HallId)
                        .col(HallCalendarDays::Date),
                )
                .to_owned(),
        )
        .await
    }
}

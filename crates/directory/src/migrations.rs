//! The directory's own schema changes (its first tables came with the platform's).

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migration_table_name() -> DynIden {
        "seaql_migrations_directory".into_iden()
    }

    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(M0001HallDays),
            Box::new(M0002HallFaqs),
            Box::new(M0003SessionsByDay),
        ]
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

#[derive(DeriveIden)]
enum HallFaqs {
    Table,
    Id,
    HallId,
    Question,
    Answer,
    Keywords,
    SortOrder,
    UpdatedAt,
}

/// The hall's own questions and answers (停车, 帮办代办…) for 智能导办.
struct M0002HallFaqs;

impl MigrationName for M0002HallFaqs {
    fn name(&self) -> &str {
        "m0002_hall_faqs"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0002HallFaqs {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(HallFaqs::Table)
                .if_not_exists()
                .col(string(HallFaqs::Id).primary_key())
                .col(string(HallFaqs::HallId))
                .col(string(HallFaqs::Question))
                .col(text(HallFaqs::Answer))
                .col(string(HallFaqs::Keywords))
                .col(integer(HallFaqs::SortOrder))
                .col(timestamp_with_time_zone(HallFaqs::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .if_not_exists()
                .name("idx_hall_faqs_hall")
                .table(HallFaqs::Table)
                .col(HallFaqs::HallId)
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum WindowSessions {
    Table,
    HallId,
    StartedAt,
}

/// The attendance sheet reads a hall's sign-ins by month.
#[derive(DeriveMigrationName)]
pub struct M0003SessionsByDay;

#[async_trait::async_trait]
impl MigrationTrait for M0003SessionsByDay {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name("ix_window_sessions_hall_started")
                .table(WindowSessions::Table)
                .col(WindowSessions::HallId)
                .col(WindowSessions::StartedAt)
                .if_not_exists()
                .to_owned(),
        )
        .await
    }
}

//! The queue's own migrations, tracked in their own table.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migration_table_name() -> DynIden {
        "seaql_migrations_queue".into_iden()
    }

    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![Box::new(M0001Queue)]
    }
}

#[derive(DeriveIden, Clone)]
enum QueueLines {
    Table,
    Id,
    HallId,
    Prefix,
    Name,
    OpensAt,
    ClosesAt,
    DailyCap,
    Active,
    SortOrder,
}

#[derive(DeriveIden, Clone)]
enum QueueWindowSkills {
    Table,
    WindowId,
    LineId,
    HallId,
    Level,
}

#[derive(DeriveIden, Clone)]
enum QueueTickets {
    Table,
    Id,
    HallId,
    LineId,
    Day,
    Seq,
    Number,
    Class,
    Channel,
    Status,
    IssuedAt,
    Since,
    WindowId,
    CalledAt,
    CalledCount,
    FinishedAt,
    TokenHash,
    Note,
}

#[derive(DeriveIden, Clone)]
enum QueueDayCounters {
    Table,
    LineId,
    Day,
    LastSeq,
}

#[derive(DeriveIden, Clone)]
enum QueueWindowCounters {
    Table,
    WindowId,
    Day,
    OthersSinceGreen,
    GreensInRow,
    Calls,
    AppointmentCalls,
}

#[derive(DeriveIden)]
enum Halls {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Windows {
    Table,
    Id,
}

struct M0001Queue;

impl MigrationName for M0001Queue {
    fn name(&self) -> &str {
        "m0001_queue"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0001Queue {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(QueueLines::Table)
                .col(string(QueueLines::Id).primary_key())
                .col(string(QueueLines::HallId))
                .col(string(QueueLines::Prefix))
                .col(string(QueueLines::Name))
                .col(string(QueueLines::OpensAt))
                .col(string(QueueLines::ClosesAt))
                .col(integer(QueueLines::DailyCap))
                .col(boolean(QueueLines::Active))
                .col(integer(QueueLines::SortOrder))
                .foreign_key(
                    ForeignKey::create()
                        .from(QueueLines::Table, QueueLines::HallId)
                        .to(Halls::Table, Halls::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_queue_lines_prefix")
                .table(QueueLines::Table)
                .col(QueueLines::HallId)
                .col(QueueLines::Prefix)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(QueueWindowSkills::Table)
                .col(string(QueueWindowSkills::WindowId))
                .col(string(QueueWindowSkills::LineId))
                .col(string(QueueWindowSkills::HallId))
                .col(string(QueueWindowSkills::Level))
                .primary_key(
                    Index::create()
                        .col(QueueWindowSkills::WindowId)
                        .col(QueueWindowSkills::LineId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(QueueWindowSkills::Table, QueueWindowSkills::WindowId)
                        .to(Windows::Table, Windows::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(QueueWindowSkills::Table, QueueWindowSkills::LineId)
                        .to(QueueLines::Table, QueueLines::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(QueueTickets::Table)
                .col(string(QueueTickets::Id).primary_key())
                .col(string(QueueTickets::HallId))
                .col(string(QueueTickets::LineId))
                .col(string(QueueTickets::Day))
                .col(integer(QueueTickets::Seq))
                .col(string(QueueTickets::Number))
                .col(string(QueueTickets::Class))
                .col(string(QueueTickets::Channel))
                .col(string(QueueTickets::Status))
                .col(timestamp_with_time_zone(QueueTickets::IssuedAt))
                .col(timestamp_with_time_zone(QueueTickets::Since))
                .col(string_null(QueueTickets::WindowId))
                .col(timestamp_with_time_zone_null(QueueTickets::CalledAt))
                .col(integer(QueueTickets::CalledCount))
                .col(timestamp_with_time_zone_null(QueueTickets::FinishedAt))
                .col(string(QueueTickets::TokenHash))
                .col(string_null(QueueTickets::Note))
                .foreign_key(
                    ForeignKey::create()
                        .from(QueueTickets::Table, QueueTickets::LineId)
                        .to(QueueLines::Table, QueueLines::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        // A number is issued once per hall and day (it keeps its number when transferred).
        m.create_index(
            Index::create()
                .name("ux_queue_tickets_number")
                .table(QueueTickets::Table)
                .col(QueueTickets::HallId)
                .col(QueueTickets::Day)
                .col(QueueTickets::Number)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_queue_tickets_waiting")
                .table(QueueTickets::Table)
                .col(QueueTickets::HallId)
                .col(QueueTickets::Status)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(QueueDayCounters::Table)
                .col(string(QueueDayCounters::LineId))
                .col(string(QueueDayCounters::Day))
                .col(integer(QueueDayCounters::LastSeq))
                .primary_key(
                    Index::create()
                        .col(QueueDayCounters::LineId)
                        .col(QueueDayCounters::Day),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(QueueWindowCounters::Table)
                .col(string(QueueWindowCounters::WindowId))
                .col(string(QueueWindowCounters::Day))
                .col(integer(QueueWindowCounters::OthersSinceGreen))
                .col(integer(QueueWindowCounters::GreensInRow))
                .col(integer(QueueWindowCounters::Calls))
                .col(integer(QueueWindowCounters::AppointmentCalls))
                .primary_key(
                    Index::create()
                        .col(QueueWindowCounters::WindowId)
                        .col(QueueWindowCounters::Day),
                )
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}

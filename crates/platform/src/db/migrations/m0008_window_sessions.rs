//! Who is signed in at which window (签到/签退). At most one open session per
//! window, enforced by a partial unique index so two clerks cannot race into one window.

use sea_orm::ConnectionTrait;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum WindowSessions {
    Table,
    Id,
    HallId,
    WindowId,
    UserId,
    StartedAt,
    EndedAt,
}

#[derive(DeriveIden)]
enum Windows {
    Table,
    Id,
    PauseReason,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(WindowSessions::Table)
                .col(string(WindowSessions::Id).primary_key())
                .col(string(WindowSessions::HallId))
                .col(string(WindowSessions::WindowId))
                .col(string(WindowSessions::UserId))
                .col(timestamp_with_time_zone(WindowSessions::StartedAt))
                .col(timestamp_with_time_zone_null(WindowSessions::EndedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(WindowSessions::Table, WindowSessions::WindowId)
                        .to(Windows::Table, Windows::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(WindowSessions::Table, WindowSessions::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Windows::Table)
                .add_column(string_null(Windows::PauseReason))
                .to_owned(),
        )
        .await?;
        // Same SQL on SQLite and PostgreSQL.
        let conn = m.get_connection();
        conn.execute_unprepared("CREATE UNIQUE INDEX ux_window_sessions_open_window ON window_sessions (window_id) WHERE ended_at IS NULL")
            .await?;
        conn.execute_unprepared("CREATE UNIQUE INDEX ux_window_sessions_open_user ON window_sessions (user_id) WHERE ended_at IS NULL")
            .await?;
        Ok(())
    }
}

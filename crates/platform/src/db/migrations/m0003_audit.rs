//! The audit log: an SM3 hash chain, append-only for the application
//! (database triggers refuse UPDATE and DELETE).

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Seq,
    OccurredAt,
    ActorId,
    ActorName,
    ActorRoles,
    Action,
    Target,
    Ip,
    Status,
    Outcome,
    PrevHash,
    Hash,
}

const SQLITE_GUARDS: &str = "
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
";

const POSTGRES_GUARDS: &str = "
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'audit_log is append-only'; END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(AuditLog::Table)
                .col(
                    ColumnDef::new(AuditLog::Seq)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(timestamp_with_time_zone(AuditLog::OccurredAt))
                .col(string_null(AuditLog::ActorId))
                .col(string(AuditLog::ActorName))
                .col(string(AuditLog::ActorRoles))
                .col(string(AuditLog::Action))
                .col(string(AuditLog::Target))
                .col(string_null(AuditLog::Ip))
                .col(integer(AuditLog::Status))
                .col(string(AuditLog::Outcome))
                .col(string(AuditLog::PrevHash))
                .col(string(AuditLog::Hash))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_audit_log_occurred_at")
                .table(AuditLog::Table)
                .col(AuditLog::OccurredAt)
                .to_owned(),
        )
        .await?;
        let guards = match m.get_database_backend() {
            DbBackend::Postgres => POSTGRES_GUARDS,
            _ => SQLITE_GUARDS,
        };
        m.get_connection().execute_unprepared(guards).await?;
        Ok(())
    }
}

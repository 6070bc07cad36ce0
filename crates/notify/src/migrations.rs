//! Notify's own schema changes (its first tables came with the platform's).

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migration_table_name() -> DynIden {
        "seaql_migrations_notify".into_iden()
    }

    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![Box::new(M0001WebhookHall)]
    }
}

#[derive(DeriveIden)]
enum Webhooks {
    Table,
    HallId,
}

/// A webhook belongs to a hall and receives that hall's events only; one
/// without a hall (the 系统管理员's) receives every hall's.
struct M0001WebhookHall;

impl MigrationName for M0001WebhookHall {
    fn name(&self) -> &str {
        "m0001_webhook_hall"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0001WebhookHall {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Webhooks::Table)
                .add_column(string_null(Webhooks::HallId))
                .to_owned(),
        )
        .await
    }
}

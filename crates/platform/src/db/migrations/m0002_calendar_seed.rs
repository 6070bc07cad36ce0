//! Seeds the State Council's 2025 and 2026 holiday and 调休 schedules, so every
//! database counts working days correctly from its first start.

use crate::calendar::entity as day;
use govhall_kernel::calendar::official_schedule;
use sea_orm::{ActiveValue::Set, EntityTrait};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let now = chrono::Utc::now();
        let rows = official_schedule().into_iter().map(|d| day::ActiveModel {
            date: Set(d.date),
            kind: Set(d.kind.code().to_string()),
            name: Set(d.name),
            updated_at: Set(now),
        });
        day::Entity::insert_many(rows)
            .exec(m.get_connection())
            .await?;
        Ok(())
    }
}

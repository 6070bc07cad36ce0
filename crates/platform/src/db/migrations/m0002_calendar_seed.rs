//! Seeds the State Council's 2025 and 2026 holiday and 调休 schedules, so every
//! database counts working days correctly from its first start.

use govhall_kernel::calendar::official_schedule;
use sea_orm::{ActiveValue::Set, EntityTrait};
use sea_orm_migration::prelude::*;

/// The calendar's row as it was when this migration was written (the table
/// is the directory's now; a migration keeps its own copy of the shape).
mod day {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "calendar_days")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub date: Date,
        pub kind: String,
        pub name: String,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

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

//! Training plans: courses assigned to a department and/or post by a date.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveIden)]
enum TrainingPlans {
    Table,
    Id,
    HallId,
    Title,
    Kind,
    CourseIds,
    DepartmentId,
    Position,
    DueOn,
    CreatedAt,
}

pub struct M0004Plans;

impl MigrationName for M0004Plans {
    fn name(&self) -> &str {
        "m0004_plans"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0004Plans {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(TrainingPlans::Table)
                .col(string(TrainingPlans::Id).primary_key())
                .col(string(TrainingPlans::HallId))
                .col(string(TrainingPlans::Title))
                .col(string(TrainingPlans::Kind))
                .col(text(TrainingPlans::CourseIds))
                .col(string_null(TrainingPlans::DepartmentId))
                .col(string_null(TrainingPlans::Position))
                .col(date(TrainingPlans::DueOn))
                .col(timestamp_with_time_zone(TrainingPlans::CreatedAt))
                .to_owned(),
        )
        .await
    }
}

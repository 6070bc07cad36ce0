//! Refreshers (a matter's change sent to the clerks certified for it), a
//! course's prerequisite, and learning levels.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveIden)]
enum TrainingRequirements {
    Table,
    Version,
    GraceDays,
}

#[derive(DeriveIden)]
enum TrainingCourses {
    Table,
    PrerequisiteId,
}

#[derive(DeriveIden)]
enum TrainingLevels {
    Table,
    HallId,
    MinPoints,
    Name,
}

#[derive(DeriveIden)]
enum TrainingRefreshers {
    Table,
    Id,
    HallId,
    TaskCode,
    TaskName,
    CourseId,
    FromVersion,
    ToVersion,
    Changes,
    Quiz,
    GraceUntil,
    CreatedAt,
}

#[derive(DeriveIden)]
enum TrainingRefresherPasses {
    Table,
    RefresherId,
    LearnerId,
    PassedAt,
}

pub struct M0006Refreshers;

impl MigrationName for M0006Refreshers {
    fn name(&self) -> &str {
        "m0006_refreshers"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0006Refreshers {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(TrainingCourses::Table)
                .add_column(string_null(TrainingCourses::PrerequisiteId))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(TrainingRequirements::Table)
                .add_column(integer_null(TrainingRequirements::Version))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(TrainingRequirements::Table)
                .add_column(integer(TrainingRequirements::GraceDays).default(14))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TrainingRefreshers::Table)
                .col(string(TrainingRefreshers::Id).primary_key())
                .col(string(TrainingRefreshers::HallId))
                .col(string(TrainingRefreshers::TaskCode))
                .col(string(TrainingRefreshers::TaskName))
                .col(string(TrainingRefreshers::CourseId))
                .col(integer(TrainingRefreshers::FromVersion))
                .col(integer(TrainingRefreshers::ToVersion))
                .col(text(TrainingRefreshers::Changes))
                .col(text(TrainingRefreshers::Quiz))
                .col(timestamp_with_time_zone(TrainingRefreshers::GraceUntil))
                .col(timestamp_with_time_zone(TrainingRefreshers::CreatedAt))
                .to_owned(),
        )
        .await?;
        // One refresher per matter and version, even when two checks race.
        m.create_index(
            Index::create()
                .name("training_refreshers_version")
                .table(TrainingRefreshers::Table)
                .col(TrainingRefreshers::HallId)
                .col(TrainingRefreshers::TaskCode)
                .col(TrainingRefreshers::ToVersion)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TrainingLevels::Table)
                .col(string(TrainingLevels::HallId))
                .col(integer(TrainingLevels::MinPoints))
                .col(string(TrainingLevels::Name))
                .primary_key(
                    Index::create()
                        .col(TrainingLevels::HallId)
                        .col(TrainingLevels::MinPoints),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TrainingRefresherPasses::Table)
                .col(string(TrainingRefresherPasses::RefresherId))
                .col(string(TrainingRefresherPasses::LearnerId))
                .col(timestamp_with_time_zone(TrainingRefresherPasses::PassedAt))
                .primary_key(
                    Index::create()
                        .col(TrainingRefresherPasses::RefresherId)
                        .col(TrainingRefresherPasses::LearnerId),
                )
                .to_owned(),
        )
        .await
    }
}

//! 云游大厅: panoramas of the hall's areas with their hotspots.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveIden)]
enum TrainingTourScenes {
    Table,
    Id,
    HallId,
    Title,
    FileId,
    SortOrder,
    Spots,
    CreatedAt,
}

pub struct M0005Tour;

impl MigrationName for M0005Tour {
    fn name(&self) -> &str {
        "m0005_tour"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0005Tour {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(TrainingTourScenes::Table)
                .col(string(TrainingTourScenes::Id).primary_key())
                .col(string(TrainingTourScenes::HallId))
                .col(string(TrainingTourScenes::Title))
                .col(string(TrainingTourScenes::FileId))
                .col(integer(TrainingTourScenes::SortOrder))
                .col(text(TrainingTourScenes::Spots))
                .col(timestamp_with_time_zone(TrainingTourScenes::CreatedAt))
                .to_owned(),
        )
        .await
    }
}

//! 编制: the hall's approved headcount by post, against which the monthly
//! staff report counts vacancies.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveIden)]
enum HrEstablishment {
    Table,
    HallId,
    Position,
    Headcount,
}

#[derive(DeriveMigrationName)]
pub struct M0005Establishment;

#[async_trait::async_trait]
impl MigrationTrait for M0005Establishment {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(HrEstablishment::Table)
                .if_not_exists()
                .col(string(HrEstablishment::HallId))
                .col(string(HrEstablishment::Position))
                .col(integer(HrEstablishment::Headcount))
                .primary_key(
                    Index::create()
                        .col(HrEstablishment::HallId)
                        .col(HrEstablishment::Position),
                )
                .to_owned(),
        )
        .await
    }
}

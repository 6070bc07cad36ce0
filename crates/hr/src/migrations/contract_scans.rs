//! Contract scans: the signed contract's pages (PDF or photos), kept in the
//! database SM4-encrypted (they carry ID numbers and salaries), so backups
//! and the key rotation cover them like any other personal data.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveIden)]
enum HrContractScans {
    Table,
    Id,
    HallId,
    ContractId,
    FileName,
    ContentType,
    Size,
    ContentEnc,
    UploadedBy,
    UploadedAt,
}

#[derive(DeriveMigrationName)]
pub struct M0009ContractScans;

#[async_trait::async_trait]
impl MigrationTrait for M0009ContractScans {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(HrContractScans::Table)
                .if_not_exists()
                .col(string(HrContractScans::Id).primary_key())
                .col(string(HrContractScans::HallId))
                .col(string(HrContractScans::ContractId))
                .col(string(HrContractScans::FileName))
                .col(string(HrContractScans::ContentType))
                .col(big_integer(HrContractScans::Size))
                .col(text(HrContractScans::ContentEnc))
                .col(string(HrContractScans::UploadedBy))
                .col(timestamp_with_time_zone(HrContractScans::UploadedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_hr_contract_scans_contract")
                .table(HrContractScans::Table)
                .col(HrContractScans::ContractId)
                .to_owned(),
        )
        .await
    }
}

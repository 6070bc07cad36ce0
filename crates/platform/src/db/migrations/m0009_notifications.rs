//! The notification outbox, the integrators' webhooks and SMS verification codes.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    HallId,
    Channel,
    Kind,
    DedupeKey,
    RecipientEnc,
    Recipient,
    WebhookId,
    Params,
    Body,
    Status,
    Attempts,
    NextAt,
    LastError,
    Provider,
    ProviderRef,
    CreatedAt,
    SentAt,
}

#[derive(DeriveIden)]
enum Webhooks {
    Table,
    Id,
    Name,
    Url,
    SecretEnc,
    Events,
    Active,
    LastSeq,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PhoneCodes {
    Table,
    PhoneIdx,
    Purpose,
    CodeHash,
    ExpiresAt,
    Attempts,
    SentAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Notifications::Table)
                .col(string(Notifications::Id).primary_key())
                .col(string_null(Notifications::HallId))
                .col(string(Notifications::Channel))
                .col(string(Notifications::Kind))
                .col(string(Notifications::DedupeKey).unique_key())
                .col(string_null(Notifications::RecipientEnc))
                .col(string(Notifications::Recipient))
                .col(string_null(Notifications::WebhookId))
                .col(text(Notifications::Params))
                .col(text(Notifications::Body))
                .col(string(Notifications::Status))
                .col(integer(Notifications::Attempts))
                .col(timestamp_with_time_zone(Notifications::NextAt))
                .col(text_null(Notifications::LastError))
                .col(string_null(Notifications::Provider))
                .col(string_null(Notifications::ProviderRef))
                .col(timestamp_with_time_zone(Notifications::CreatedAt))
                .col(timestamp_with_time_zone_null(Notifications::SentAt))
                .to_owned(),
        )
        .await?;
        // The dispatcher's scan: what is due.
        m.create_index(
            Index::create()
                .name("ix_notifications_due")
                .table(Notifications::Table)
                .col(Notifications::Status)
                .col(Notifications::NextAt)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_notifications_created")
                .table(Notifications::Table)
                .col(Notifications::CreatedAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Webhooks::Table)
                .col(string(Webhooks::Id).primary_key())
                .col(string(Webhooks::Name))
                .col(string(Webhooks::Url))
                .col(string(Webhooks::SecretEnc))
                .col(string(Webhooks::Events))
                .col(boolean(Webhooks::Active))
                .col(big_integer(Webhooks::LastSeq))
                .col(timestamp_with_time_zone(Webhooks::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PhoneCodes::Table)
                .col(string(PhoneCodes::PhoneIdx))
                .col(string(PhoneCodes::Purpose))
                .col(string(PhoneCodes::CodeHash))
                .col(timestamp_with_time_zone(PhoneCodes::ExpiresAt))
                .col(integer(PhoneCodes::Attempts))
                .col(timestamp_with_time_zone(PhoneCodes::SentAt))
                .primary_key(
                    Index::create()
                        .col(PhoneCodes::PhoneIdx)
                        .col(PhoneCodes::Purpose),
                )
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}

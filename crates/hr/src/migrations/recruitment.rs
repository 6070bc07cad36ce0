//! 招聘: openings by post with their headcount, and the candidates of each
//! through 报名 → 面试 → 录用通知 → 入职 (or not). A candidate's phone and
//! offered salary are SM4-encrypted like the staff's own data.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveIden)]
enum HrOpenings {
    Table,
    Id,
    HallId,
    Position,
    Title,
    Headcount,
    Reason,
    Status,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum HrCandidates {
    Table,
    Id,
    HallId,
    OpeningId,
    Name,
    PhoneEnc,
    PhoneIdx,
    Source,
    Stage,
    InterviewAt,
    Interviewer,
    Score,
    Notes,
    OfferStart,
    OfferEnc,
    StaffId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveMigrationName)]
pub struct M0008Recruitment;

#[async_trait::async_trait]
impl MigrationTrait for M0008Recruitment {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(HrOpenings::Table)
                .if_not_exists()
                .col(string(HrOpenings::Id).primary_key())
                .col(string(HrOpenings::HallId))
                .col(string(HrOpenings::Position))
                .col(string(HrOpenings::Title))
                .col(integer(HrOpenings::Headcount))
                .col(string(HrOpenings::Reason))
                .col(string(HrOpenings::Status))
                .col(string(HrOpenings::CreatedBy))
                .col(timestamp_with_time_zone(HrOpenings::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(HrCandidates::Table)
                .if_not_exists()
                .col(string(HrCandidates::Id).primary_key())
                .col(string(HrCandidates::HallId))
                .col(string(HrCandidates::OpeningId))
                .col(string(HrCandidates::Name))
                .col(text(HrCandidates::PhoneEnc))
                .col(string(HrCandidates::PhoneIdx))
                .col(string(HrCandidates::Source).default(""))
                .col(string(HrCandidates::Stage))
                .col(timestamp_with_time_zone_null(HrCandidates::InterviewAt))
                .col(string(HrCandidates::Interviewer).default(""))
                .col(integer_null(HrCandidates::Score))
                .col(text(HrCandidates::Notes).default(""))
                .col(date_null(HrCandidates::OfferStart))
                .col(text_null(HrCandidates::OfferEnc))
                .col(string_null(HrCandidates::StaffId))
                .col(timestamp_with_time_zone(HrCandidates::CreatedAt))
                .col(timestamp_with_time_zone(HrCandidates::UpdatedAt))
                .to_owned(),
        )
        .await?;
        // One application per person and opening.
        m.create_index(
            Index::create()
                .name("ux_hr_candidates_phone")
                .table(HrCandidates::Table)
                .col(HrCandidates::OpeningId)
                .col(HrCandidates::PhoneIdx)
                .unique()
                .to_owned(),
        )
        .await
    }
}

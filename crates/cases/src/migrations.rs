//! The cases module's own migrations, tracked in their own table.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migration_table_name() -> DynIden {
        "seaql_migrations_cases".into_iden()
    }

    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(M0001Cases),
            Box::new(M0002Handovers),
            Box::new(M0003DocumentTemplates),
            Box::new(M0004MaterialMovesFormsNumbering),
            Box::new(M0005ResultFiles),
            Box::new(M0006HandoverReturns),
            Box::new(M0007CaseBundles),
        ]
    }
}

#[derive(DeriveIden, Clone)]
enum Cases {
    Table,
    Id,
    HallId,
    Number,
    QueryCodeEnc,
    ItemId,
    TaskCode,
    ItemVersion,
    ItemName,
    HandlingItem,
    ProjectType,
    BundleCode,
    TicketId,
    TicketNumber,
    Source,
    WindowId,
    DepartmentId,
    DepartmentName,
    DepartmentCode,
    ApplicantType,
    ApplicantName,
    ApplicantCertType,
    ApplicantCertEnc,
    ApplicantIdx,
    LegalRep,
    ContactName,
    ContactPhoneEnc,
    AgentName,
    AgentCertEnc,
    Status,
    Stage,
    CorrectingAfterAcceptance,
    Answers,
    CorrectionItems,
    RefuseReason,
    CompetentAgency,
    LimitDays,
    LimitUnit,
    ReceivedAt,
    ReceivedBy,
    ReceivedByName,
    AcceptedAt,
    AcceptedOn,
    DueOn,
    PausedOn,
    PausedDays,
    DecidedAt,
    Result,
    ResultReason,
    CertificateName,
    CertificateNo,
    ValidUntil,
    DeliveryMethod,
    TrackingNo,
    RecipientName,
    RecipientCertEnc,
    DeliveredAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone)]
enum CaseMaterials {
    Table,
    Id,
    CaseId,
    MaterialId,
    Name,
    Necessity,
    Copies,
    Way,
    PromisedOn,
    Handover,
    Note,
    SortOrder,
}

#[derive(DeriveIden, Clone)]
enum CaseSteps {
    Table,
    Id,
    CaseId,
    Seq,
    At,
    Action,
    Stage,
    Status,
    ActorId,
    ActorName,
    Opinion,
    SpecialKind,
}

#[derive(DeriveIden, Clone)]
enum CaseDayCounters {
    Table,
    HallId,
    Day,
    LastSeq,
}

#[derive(DeriveIden)]
enum Halls {
    Table,
    Id,
}

struct M0001Cases;

impl MigrationName for M0001Cases {
    fn name(&self) -> &str {
        "m0001_cases"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0001Cases {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use Cases as C;
        m.create_table(
            Table::create()
                .table(C::Table)
                .col(string(C::Id).primary_key())
                .col(string(C::HallId))
                .col(string(C::Number))
                .col(string(C::QueryCodeEnc))
                .col(string(C::ItemId))
                .col(string(C::TaskCode))
                .col(integer(C::ItemVersion))
                .col(string(C::ItemName))
                .col(string(C::HandlingItem))
                .col(string(C::ProjectType))
                .col(string_null(C::BundleCode))
                .col(string_null(C::TicketId))
                .col(string_null(C::TicketNumber))
                .col(string(C::Source))
                .col(string(C::WindowId))
                .col(string_null(C::DepartmentId))
                .col(string(C::DepartmentName))
                .col(string(C::DepartmentCode))
                .col(string(C::ApplicantType))
                .col(string(C::ApplicantName))
                .col(string(C::ApplicantCertType))
                .col(string(C::ApplicantCertEnc))
                .col(string(C::ApplicantIdx))
                .col(string_null(C::LegalRep))
                .col(string(C::ContactName))
                .col(string(C::ContactPhoneEnc))
                .col(string_null(C::AgentName))
                .col(string_null(C::AgentCertEnc))
                .col(integer(C::Status))
                .col(string(C::Stage))
                .col(boolean(C::CorrectingAfterAcceptance))
                .col(text(C::Answers))
                .col(text(C::CorrectionItems))
                .col(string_null(C::RefuseReason))
                .col(string_null(C::CompetentAgency))
                .col(integer(C::LimitDays))
                .col(string(C::LimitUnit))
                .col(timestamp_with_time_zone(C::ReceivedAt))
                .col(string_null(C::ReceivedBy))
                .col(string(C::ReceivedByName))
                .col(timestamp_with_time_zone_null(C::AcceptedAt))
                .col(date_null(C::AcceptedOn))
                .col(date_null(C::DueOn))
                .col(date_null(C::PausedOn))
                .col(integer(C::PausedDays))
                .col(timestamp_with_time_zone_null(C::DecidedAt))
                .col(string_null(C::Result))
                .col(string_null(C::ResultReason))
                .col(string_null(C::CertificateName))
                .col(string_null(C::CertificateNo))
                .col(date_null(C::ValidUntil))
                .col(string_null(C::DeliveryMethod))
                .col(string_null(C::TrackingNo))
                .col(string_null(C::RecipientName))
                .col(string_null(C::RecipientCertEnc))
                .col(timestamp_with_time_zone_null(C::DeliveredAt))
                .col(timestamp_with_time_zone(C::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(C::Table, C::HallId)
                        .to(Halls::Table, Halls::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_cases_number")
                .table(C::Table)
                .col(C::HallId)
                .col(C::Number)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_cases_stage")
                .table(C::Table)
                .col(C::HallId)
                .col(C::Stage)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_cases_applicant")
                .table(C::Table)
                .col(C::ApplicantIdx)
                .to_owned(),
        )
        .await?;
        use CaseMaterials as M;
        m.create_table(
            Table::create()
                .table(M::Table)
                .col(string(M::Id).primary_key())
                .col(string(M::CaseId))
                .col(string(M::MaterialId))
                .col(string(M::Name))
                .col(string(M::Necessity))
                .col(integer(M::Copies))
                .col(string(M::Way))
                .col(date_null(M::PromisedOn))
                .col(string(M::Handover))
                .col(string_null(M::Note))
                .col(integer(M::SortOrder))
                .foreign_key(
                    ForeignKey::create()
                        .from(M::Table, M::CaseId)
                        .to(C::Table, C::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_case_materials_case")
                .table(M::Table)
                .col(M::CaseId)
                .to_owned(),
        )
        .await?;
        use CaseSteps as S;
        m.create_table(
            Table::create()
                .table(S::Table)
                .col(string(S::Id).primary_key())
                .col(string(S::CaseId))
                .col(integer(S::Seq))
                .col(timestamp_with_time_zone(S::At))
                .col(string(S::Action))
                .col(string(S::Stage))
                .col(integer(S::Status))
                .col(string_null(S::ActorId))
                .col(string(S::ActorName))
                .col(text(S::Opinion))
                .col(string_null(S::SpecialKind))
                .foreign_key(
                    ForeignKey::create()
                        .from(S::Table, S::CaseId)
                        .to(C::Table, C::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_case_steps_seq")
                .table(S::Table)
                .col(S::CaseId)
                .col(S::Seq)
                .unique()
                .to_owned(),
        )
        .await?;
        use CaseDayCounters as D;
        m.create_table(
            Table::create()
                .table(D::Table)
                .col(string(D::HallId))
                .col(string(D::Day))
                .col(integer(D::LastSeq))
                .primary_key(Index::create().col(D::HallId).col(D::Day))
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden, Clone)]
enum CaseHandovers {
    Table,
    Id,
    HallId,
    Number,
    DepartmentId,
    DepartmentName,
    CreatedAt,
    CreatedByName,
    SignedAt,
    SignedByName,
}

#[derive(DeriveIden, Clone)]
enum CaseHandoverCases {
    Table,
    HandoverId,
    CaseId,
}

struct M0002Handovers;

impl MigrationName for M0002Handovers {
    fn name(&self) -> &str {
        "m0002_handovers"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0002Handovers {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use CaseHandovers as H;
        m.create_table(
            Table::create()
                .table(H::Table)
                .col(string(H::Id).primary_key())
                .col(string(H::HallId))
                .col(string(H::Number))
                .col(string_null(H::DepartmentId))
                .col(string(H::DepartmentName))
                .col(timestamp_with_time_zone(H::CreatedAt))
                .col(string(H::CreatedByName))
                .col(timestamp_with_time_zone_null(H::SignedAt))
                .col(string_null(H::SignedByName))
                .foreign_key(
                    ForeignKey::create()
                        .from(H::Table, H::HallId)
                        .to(Halls::Table, Halls::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_case_handovers_number")
                .table(H::Table)
                .col(H::HallId)
                .col(H::Number)
                .unique()
                .to_owned(),
        )
        .await?;
        use CaseHandoverCases as I;
        m.create_table(
            Table::create()
                .table(I::Table)
                .col(string(I::HandoverId))
                .col(string(I::CaseId))
                .primary_key(Index::create().col(I::HandoverId).col(I::CaseId))
                .foreign_key(
                    ForeignKey::create()
                        .from(I::Table, I::HandoverId)
                        .to(H::Table, H::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(I::Table, I::CaseId)
                        .to(Cases::Table, Cases::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum CaseDocumentTemplates {
    Table,
    HallId,
    Kind,
    Title,
    Body,
    Footer,
    UpdatedAt,
    UpdatedByName,
}

struct M0003DocumentTemplates;

impl MigrationName for M0003DocumentTemplates {
    fn name(&self) -> &str {
        "m0003_document_templates"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0003DocumentTemplates {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use CaseDocumentTemplates as T;
        m.create_table(
            Table::create()
                .table(T::Table)
                .col(string(T::HallId))
                .col(string(T::Kind))
                .col(string(T::Title))
                .col(text(T::Body))
                .col(text(T::Footer))
                .col(timestamp_with_time_zone(T::UpdatedAt))
                .col(string(T::UpdatedByName))
                .primary_key(Index::create().col(T::HallId).col(T::Kind))
                .foreign_key(
                    ForeignKey::create()
                        .from(T::Table, T::HallId)
                        .to(Halls::Table, Halls::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden, Clone)]
enum M4 {
    CaseMaterials,
    MovedAt,
    FormDataEnc,
    CaseSettings,
    HallId,
    NumberPattern,
    UpdatedAt,
    UpdatedByName,
}

/// When a material last moved (补交, 送交, 签收, 归还), the case's digitized
/// form fields, and each hall's case-number pattern.
struct M0004MaterialMovesFormsNumbering;

impl MigrationName for M0004MaterialMovesFormsNumbering {
    fn name(&self) -> &str {
        "m0004_material_moves_forms_numbering"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0004MaterialMovesFormsNumbering {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(M4::CaseMaterials)
                .add_column(timestamp_with_time_zone_null(M4::MovedAt))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Cases::Table)
                .add_column(text_null(M4::FormDataEnc))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(M4::CaseSettings)
                .col(string(M4::HallId).primary_key())
                .col(string(M4::NumberPattern))
                .col(timestamp_with_time_zone(M4::UpdatedAt))
                .col(string(M4::UpdatedByName))
                .foreign_key(
                    ForeignKey::create()
                        .from(M4::CaseSettings, M4::HallId)
                        .to(Halls::Table, Halls::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden, Clone)]
enum CaseResultFiles {
    Table,
    CaseId,
    HallId,
    Name,
    ContentType,
    Size,
    Sm3,
    BodyEnc,
    UploadedAt,
    UploadedByName,
}

/// The result document a department attaches to a decided case (encrypted:
/// a certificate names the applicant).
struct M0005ResultFiles;

impl MigrationName for M0005ResultFiles {
    fn name(&self) -> &str {
        "m0005_result_files"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0005ResultFiles {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use CaseResultFiles as F;
        m.create_table(
            Table::create()
                .table(F::Table)
                .col(string(F::CaseId).primary_key())
                .col(string(F::HallId))
                .col(string(F::Name))
                .col(string(F::ContentType))
                .col(big_integer(F::Size))
                .col(string(F::Sm3))
                .col(text(F::BodyEnc))
                .col(timestamp_with_time_zone(F::UploadedAt))
                .col(string(F::UploadedByName))
                .foreign_key(
                    ForeignKey::create()
                        .from(F::Table, F::CaseId)
                        .to(Cases::Table, Cases::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden, Clone)]
enum M6 {
    CaseHandovers,
    CaseHandoverCases,
    ReturnedAt,
    ReturnedByName,
    ReturnReason,
}

/// A department may send cases on a handover sheet back with a reason.
struct M0006HandoverReturns;

impl MigrationName for M0006HandoverReturns {
    fn name(&self) -> &str {
        "m0006_handover_returns"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0006HandoverReturns {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds columns one at a time.
        m.alter_table(
            Table::alter()
                .table(M6::CaseHandovers)
                .add_column(timestamp_with_time_zone_null(M6::ReturnedAt))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(M6::CaseHandoverCases)
                .add_column(timestamp_with_time_zone_null(M6::ReturnedAt))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(M6::CaseHandoverCases)
                .add_column(string_null(M6::ReturnedByName))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(M6::CaseHandoverCases)
                .add_column(text_null(M6::ReturnReason))
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden, Clone)]
enum CaseBundles {
    Table,
    Id,
    HallId,
    Number,
    BundleCode,
    BundleName,
    ApplicantName,
    QueryCodeEnc,
    WindowId,
    ReceivedAt,
    ReceivedByName,
    NotNeeded,
}

#[derive(DeriveIden, Clone)]
enum M7 {
    BundleId,
}

/// 一件事 received as one joint intake over its member cases.
struct M0007CaseBundles;

impl MigrationName for M0007CaseBundles {
    fn name(&self) -> &str {
        "m0007_case_bundles"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0007CaseBundles {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use CaseBundles as B;
        m.create_table(
            Table::create()
                .table(B::Table)
                .col(string(B::Id).primary_key())
                .col(string(B::HallId))
                .col(string(B::Number))
                .col(string(B::BundleCode))
                .col(string(B::BundleName))
                .col(string(B::ApplicantName))
                .col(text(B::QueryCodeEnc))
                .col(string(B::WindowId))
                .col(timestamp_with_time_zone(B::ReceivedAt))
                .col(string(B::ReceivedByName))
                .col(text(B::NotNeeded))
                .foreign_key(
                    ForeignKey::create()
                        .from(B::Table, B::HallId)
                        .to(Halls::Table, Halls::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_case_bundles_hall_number")
                .table(B::Table)
                .col(B::HallId)
                .col(B::Number)
                .unique()
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Cases::Table)
                .add_column(string_null(M7::BundleId))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_cases_bundle")
                .table(Cases::Table)
                .col(M7::BundleId)
                .to_owned(),
        )
        .await
    }
}

//! The catalog's own migrations, tracked in their own table so the module's
//! schema evolves independently of the platform's.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migration_table_name() -> DynIden {
        "seaql_migrations_catalog".into_iden()
    }

    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(M0001Catalog),
            Box::new(M0002SearchMisses),
            Box::new(M0003GuidanceChoices),
            Box::new(M0004GuideLinks),
            Box::new(M0005Embeddings),
        ]
    }
}

#[derive(DeriveIden, Clone)]
enum CatalogItems {
    Table,
    Id,
    HallId,
    TaskCode,
    TaskName,
    CatalogCode,
    TaskType,
    Department,
    HasScenarios,
    Completeness,
    Status,
    PublishedVersion,
    LatestVersion,
    UpdatedAt,
}

#[derive(DeriveIden, Clone)]
enum CatalogItemVersions {
    Table,
    Id,
    ItemId,
    Version,
    Status,
    Doc,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    SubmittedBy,
    PublishedBy,
    PublishedAt,
    Note,
}

#[derive(DeriveIden, Clone)]
enum CatalogBundles {
    Table,
    Id,
    HallId,
    Code,
    Name,
    Doc,
    UpdatedAt,
}

#[derive(DeriveIden, Clone)]
enum CatalogWindowItems {
    Table,
    WindowId,
    ItemId,
    HallId,
}

#[derive(DeriveIden, Clone)]
enum CatalogSynonyms {
    Table,
    Id,
    HallId,
    Terms,
    SortOrder,
}

#[derive(DeriveIden, Clone)]
enum CatalogAttachments {
    Table,
    Id,
    HallId,
    Name,
    ContentType,
    Size,
    Sm3,
    CreatedAt,
}

#[derive(DeriveIden, Clone)]
enum Halls {
    Table,
    Id,
}

#[derive(DeriveIden, Clone)]
enum Windows {
    Table,
    Id,
}

struct M0001Catalog;

impl MigrationName for M0001Catalog {
    fn name(&self) -> &str {
        "m0001_catalog"
    }
}

fn hall_fk(
    table: impl IntoIden + Clone + 'static,
    col: impl IntoIden + 'static,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, col)
        .to(Halls::Table, Halls::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for M0001Catalog {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(CatalogItems::Table)
                .col(string(CatalogItems::Id).primary_key())
                .col(string(CatalogItems::HallId))
                .col(string(CatalogItems::TaskCode))
                .col(string(CatalogItems::TaskName))
                .col(string(CatalogItems::CatalogCode))
                .col(string(CatalogItems::TaskType))
                .col(string_null(CatalogItems::Department))
                .col(boolean(CatalogItems::HasScenarios))
                .col(integer(CatalogItems::Completeness))
                .col(string(CatalogItems::Status))
                .col(integer_null(CatalogItems::PublishedVersion))
                .col(integer(CatalogItems::LatestVersion))
                .col(timestamp_with_time_zone(CatalogItems::UpdatedAt))
                .foreign_key(&mut hall_fk(CatalogItems::Table, CatalogItems::HallId))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_catalog_items_code")
                .table(CatalogItems::Table)
                .col(CatalogItems::HallId)
                .col(CatalogItems::TaskCode)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CatalogItemVersions::Table)
                .col(string(CatalogItemVersions::Id).primary_key())
                .col(string(CatalogItemVersions::ItemId))
                .col(integer(CatalogItemVersions::Version))
                .col(string(CatalogItemVersions::Status))
                .col(text(CatalogItemVersions::Doc))
                .col(string_null(CatalogItemVersions::CreatedBy))
                .col(timestamp_with_time_zone(CatalogItemVersions::CreatedAt))
                .col(timestamp_with_time_zone(CatalogItemVersions::UpdatedAt))
                .col(string_null(CatalogItemVersions::SubmittedBy))
                .col(string_null(CatalogItemVersions::PublishedBy))
                .col(timestamp_with_time_zone_null(
                    CatalogItemVersions::PublishedAt,
                ))
                .col(string_null(CatalogItemVersions::Note))
                .foreign_key(
                    ForeignKey::create()
                        .from(CatalogItemVersions::Table, CatalogItemVersions::ItemId)
                        .to(CatalogItems::Table, CatalogItems::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_catalog_versions_item_version")
                .table(CatalogItemVersions::Table)
                .col(CatalogItemVersions::ItemId)
                .col(CatalogItemVersions::Version)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CatalogBundles::Table)
                .col(string(CatalogBundles::Id).primary_key())
                .col(string(CatalogBundles::HallId))
                .col(string(CatalogBundles::Code))
                .col(string(CatalogBundles::Name))
                .col(text(CatalogBundles::Doc))
                .col(timestamp_with_time_zone(CatalogBundles::UpdatedAt))
                .foreign_key(&mut hall_fk(CatalogBundles::Table, CatalogBundles::HallId))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_catalog_bundles_code")
                .table(CatalogBundles::Table)
                .col(CatalogBundles::HallId)
                .col(CatalogBundles::Code)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CatalogWindowItems::Table)
                .col(string(CatalogWindowItems::WindowId))
                .col(string(CatalogWindowItems::ItemId))
                .col(string(CatalogWindowItems::HallId))
                .primary_key(
                    Index::create()
                        .col(CatalogWindowItems::WindowId)
                        .col(CatalogWindowItems::ItemId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(CatalogWindowItems::Table, CatalogWindowItems::WindowId)
                        .to(Windows::Table, Windows::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(CatalogWindowItems::Table, CatalogWindowItems::ItemId)
                        .to(CatalogItems::Table, CatalogItems::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_catalog_window_items_item")
                .table(CatalogWindowItems::Table)
                .col(CatalogWindowItems::ItemId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CatalogSynonyms::Table)
                .col(string(CatalogSynonyms::Id).primary_key())
                .col(string(CatalogSynonyms::HallId))
                .col(string(CatalogSynonyms::Terms))
                .col(integer(CatalogSynonyms::SortOrder))
                .foreign_key(&mut hall_fk(
                    CatalogSynonyms::Table,
                    CatalogSynonyms::HallId,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CatalogAttachments::Table)
                .col(string(CatalogAttachments::Id).primary_key())
                .col(string(CatalogAttachments::HallId))
                .col(string(CatalogAttachments::Name))
                .col(string(CatalogAttachments::ContentType))
                .col(big_integer(CatalogAttachments::Size))
                .col(string(CatalogAttachments::Sm3))
                .col(timestamp_with_time_zone(CatalogAttachments::CreatedAt))
                .foreign_key(&mut hall_fk(
                    CatalogAttachments::Table,
                    CatalogAttachments::HallId,
                ))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}

#[derive(DeriveIden, Clone)]
enum CatalogSearchMisses {
    Table,
    HallId,
    Query,
    Count,
    LastAt,
}

/// Searches by citizens that found nothing, counted per query.
struct M0002SearchMisses;

impl MigrationName for M0002SearchMisses {
    fn name(&self) -> &str {
        "m0002_search_misses"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0002SearchMisses {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use CatalogSearchMisses as S;
        m.create_table(
            Table::create()
                .table(S::Table)
                .col(string(S::HallId))
                .col(string(S::Query))
                .col(integer(S::Count))
                .col(timestamp_with_time_zone(S::LastAt))
                .primary_key(Index::create().col(S::HallId).col(S::Query))
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden, Clone)]
enum CatalogGuidanceChoices {
    Table,
    HallId,
    TaskCode,
    Answers,
    TaskName,
    HandlingItem,
    Count,
    LastAt,
}

/// The answers citizens gave in 智能导办, counted per matter and set of answers.
struct M0003GuidanceChoices;

impl MigrationName for M0003GuidanceChoices {
    fn name(&self) -> &str {
        "m0003_guidance_choices"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0003GuidanceChoices {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use CatalogGuidanceChoices as C;
        m.create_table(
            Table::create()
                .table(C::Table)
                .col(string(C::HallId))
                .col(string(C::TaskCode))
                .col(text(C::Answers))
                .col(string(C::TaskName))
                .col(string(C::HandlingItem))
                .col(integer(C::Count))
                .col(timestamp_with_time_zone(C::LastAt))
                .primary_key(
                    Index::create()
                        .col(C::HallId)
                        .col(C::TaskCode)
                        .col(C::Answers),
                )
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden, Clone)]
enum CatalogGuideLinks {
    Table,
    Token,
    HallId,
    TaskCode,
    Answers,
    CreatedAt,
}

/// Short links a guidance result is texted with (an SMS cannot carry the answers).
struct M0004GuideLinks;

impl MigrationName for M0004GuideLinks {
    fn name(&self) -> &str {
        "m0004_guide_links"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0004GuideLinks {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use CatalogGuideLinks as L;
        m.create_table(
            Table::create()
                .table(L::Table)
                .col(string(L::Token).primary_key())
                .col(string(L::HallId))
                .col(string(L::TaskCode))
                .col(text(L::Answers))
                .col(timestamp_with_time_zone(L::CreatedAt))
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden, Clone)]
enum CatalogEmbeddingSettings {
    Table,
    HallId,
    Enabled,
    BaseUrl,
    Model,
    ApiKeyEnc,
    Floor,
    Sure,
    UpdatedAt,
    UpdatedByName,
}

#[derive(DeriveIden, Clone)]
enum CatalogVectors {
    Table,
    HallId,
    DocId,
    Kind,
    Code,
    Title,
    Model,
    Vector,
    BuiltAt,
}

/// Semantic retrieval: a hall's embeddings endpoint and the vectors of its catalog.
struct M0005Embeddings;

impl MigrationName for M0005Embeddings {
    fn name(&self) -> &str {
        "m0005_embeddings"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0005Embeddings {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use CatalogEmbeddingSettings as S;
        m.create_table(
            Table::create()
                .table(S::Table)
                .col(string(S::HallId).primary_key())
                .col(boolean(S::Enabled))
                .col(string(S::BaseUrl))
                .col(string(S::Model))
                .col(text_null(S::ApiKeyEnc))
                .col(float(S::Floor))
                .col(float(S::Sure))
                .col(timestamp_with_time_zone(S::UpdatedAt))
                .col(string(S::UpdatedByName))
                .to_owned(),
        )
        .await?;
        use CatalogVectors as V;
        m.create_table(
            Table::create()
                .table(V::Table)
                .col(string(V::HallId))
                .col(string(V::DocId))
                .col(string(V::Kind))
                .col(string(V::Code))
                .col(string(V::Title))
                .col(string(V::Model))
                .col(blob(V::Vector))
                .col(timestamp_with_time_zone(V::BuiltAt))
                .primary_key(Index::create().col(V::HallId).col(V::DocId))
                .to_owned(),
        )
        .await
    }
}

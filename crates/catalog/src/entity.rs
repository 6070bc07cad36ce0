//! Catalog tables. An item row is the index card; each version row holds the
//! full 实施清单 document as JSON, so a version is an immutable snapshot.

pub mod item {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "catalog_items")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        /// 实施编码, unique in the hall.
        pub task_code: String,
        // The columns below mirror the latest version, for listing and filtering.
        pub task_name: String,
        pub catalog_code: String,
        pub task_type: String,
        pub department: Option<String>,
        pub has_scenarios: bool,
        pub completeness: i32,
        /// draft / submitted / published / withdrawn (of the latest version).
        pub status: String,
        pub published_version: Option<i32>,
        pub latest_version: i32,
        pub updated_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod version {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "catalog_item_versions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub item_id: String,
        /// 事项版本
        pub version: i32,
        /// draft / submitted / published / superseded / withdrawn
        pub status: String,
        #[sea_orm(column_type = "Text")]
        pub doc: String,
        pub created_by: Option<String>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub submitted_by: Option<String>,
        pub published_by: Option<String>,
        pub published_at: Option<DateTimeUtc>,
        /// Why it was sent back or withdrawn.
        pub note: Option<String>,
    }
    govhall_platform::no_relations!();
}

pub mod bundle {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "catalog_bundles")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub code: String,
        pub name: String,
        #[sea_orm(column_type = "Text")]
        pub doc: String,
        pub updated_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod window_item {
    use sea_orm::entity::prelude::*;

    /// Which comprehensive window may accept which item (无差别受理).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "catalog_window_items")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub window_id: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub item_id: String,
        pub hall_id: String,
    }
    govhall_platform::no_relations!();
}

pub mod synonym {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "catalog_synonyms")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        /// Terms separated by `,`; any one finds what the others find.
        pub terms: String,
        pub sort_order: i32,
    }
    govhall_platform::no_relations!();
}

pub mod attachment {
    use sea_orm::entity::prelude::*;

    /// Blank forms, samples and result samples; the bytes live under the data directory.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "catalog_attachments")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        pub name: String,
        pub content_type: String,
        pub size: i64,
        pub sm3: String,
        pub created_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod search_miss {
    use sea_orm::entity::prelude::*;

    /// A citizen's search that found nothing: what to add as a synonym or keyword.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "catalog_search_misses")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub hall_id: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub query: String,
        pub count: i32,
        pub last_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod guidance_choice {
    use sea_orm::entity::prelude::*;

    /// A set of answers citizens gave in 智能导办 that led to a checklist.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "catalog_guidance_choices")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub hall_id: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub task_code: String,
        /// "question：option；…" in the order asked.
        #[sea_orm(primary_key, auto_increment = false, column_type = "Text")]
        pub answers: String,
        pub task_name: String,
        pub handling_item: String,
        pub count: i32,
        pub last_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod guide_link {
    use sea_orm::entity::prelude::*;

    /// A guidance result sent to a phone: the matter and the answers given.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "catalog_guide_links")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub token: String,
        pub hall_id: String,
        pub task_code: String,
        /// Scenario answers (JSON).
        #[sea_orm(column_type = "Text")]
        pub answers: String,
        pub created_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

pub mod embedding_settings {
    use sea_orm::entity::prelude::*;

    /// A hall's OpenAI-compatible embeddings endpoint for semantic retrieval.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "catalog_embedding_settings")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub hall_id: String,
        pub enabled: bool,
        /// Base URL; `/embeddings` is appended (e.g. `http://10.0.0.5:8000/v1`).
        pub base_url: String,
        pub model: String,
        /// Encrypted; never shown again once saved.
        pub api_key_enc: Option<String>,
        /// Cosine similarity at and below which a semantic match counts for nothing.
        pub floor: f32,
        /// Cosine similarity from which a semantic match is fully confident.
        pub sure: f32,
        pub updated_at: DateTimeUtc,
        pub updated_by_name: String,
    }
    govhall_platform::no_relations!();
}

pub mod vector {
    use sea_orm::entity::prelude::*;

    /// One published item's or bundle's embedding under the hall's model.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "catalog_vectors")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub hall_id: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub doc_id: String,
        pub kind: String,
        pub code: String,
        pub title: String,
        pub model: String,
        /// Little-endian f32s, unit length.
        #[sea_orm(column_type = "Blob")]
        pub vector: Vec<u8>,
        pub built_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

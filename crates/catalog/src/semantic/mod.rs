//! 语义检索 beside the lexical one (hybrid ranking). No model ships with the
//! product: none small enough comes inside a Rust, Python or npm package for
//! Chinese sentence embeddings, and nothing may be fetched from a model hub.
//! A hall may instead configure an OpenAI-compatible embeddings endpoint —
//! many 政务云 run a local model — and rebuild its catalog's vectors; a
//! question is then embedded and its nearest matters fused with the lexical
//! hits. When no endpoint is configured, or it fails or is slow, search is
//! lexical as before: the default build works offline.

pub mod client;
pub mod vectors;

use crate::entity::{embedding_settings, vector};
use crate::events::{EMBEDDINGS_SAVED, EmbeddingsSaved, VECTORS_REBUILT, VectorsRebuilt};
use crate::search::{CONFIDENT, Hit};
use chrono::{DateTime, Utc};
use client::Endpoint;
use govhall_kernel::{AppError, error::AppResult, validate::Checker};
use govhall_platform::{
    AppState,
    auth::CurrentUser,
    db::{DbResultExt, begin_write},
    events::commit_with,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use utoipa::ToSchema;
use vectors::DocVector;

/// A question waits at most this long for its embedding before search goes on lexically.
const QUERY_TIMEOUT: Duration = Duration::from_millis(1500);
/// A batch of the catalog's texts may take this long.
const BATCH_TIMEOUT: Duration = Duration::from_secs(60);
const BATCH: usize = 32;
/// Semantic neighbours considered for fusion.
const NEIGHBOURS: usize = 20;

/// A hall's semantic settings as the settings page shows them (never the key).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EmbeddingSettings {
    pub enabled: bool,
    pub base_url: String,
    pub model: String,
    /// An API key is stored (it is never shown again).
    pub api_key_set: bool,
    pub floor: f32,
    pub sure: f32,
    pub updated_at: Option<DateTime<Utc>>,
    pub updated_by_name: Option<String>,
    /// Vectors built for the configured model.
    pub vectors: u64,
    pub built_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct EmbeddingSettingsInput {
    pub enabled: bool,
    /// Base URL of the OpenAI-compatible API, e.g. `http://10.0.0.5:8000/v1`.
    pub base_url: String,
    pub model: String,
    /// Absent: keep the stored key; empty: remove it.
    #[serde(default)]
    pub api_key: Option<String>,
    /// Cosine similarity at or below which a match counts for nothing (default 0.6).
    #[serde(default = "default_floor")]
    pub floor: f32,
    /// Cosine similarity from which a match is fully confident (default 0.85).
    #[serde(default = "default_sure")]
    pub sure: f32,
}

fn default_floor() -> f32 {
    0.6
}

fn default_sure() -> f32 {
    0.85
}

/// What a rebuild did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RebuildReport {
    pub vectors: usize,
    pub dims: usize,
    pub model: String,
    pub millis: u64,
}

/// What search needs of a hall, loaded once and dropped when settings or vectors change.
struct HallVectors {
    endpoint: Endpoint,
    floor: f32,
    sure: f32,
    docs: Vec<DocVector>,
}

/// The halls' loaded vectors (`None`: semantic retrieval off for the hall).
#[derive(Default)]
pub struct VectorCache(RwLock<HashMap<String, Option<Arc<HallVectors>>>>);

/// The cache registered when the catalog opened.
fn cache(state: &AppState) -> AppResult<Arc<VectorCache>> {
    state
        .extension::<Arc<VectorCache>>()
        .ok_or_else(|| AppError::internal("semantic vector cache not opened"))
}

fn forget(state: &AppState, hall_id: &str) -> AppResult<()> {
    cache(state)?
        .0
        .write()
        .expect("vector cache")
        .remove(hall_id);
    Ok(())
}

async fn settings_row(
    state: &AppState,
    hall_id: &str,
) -> AppResult<Option<embedding_settings::Model>> {
    embedding_settings::Entity::find_by_id(hall_id.to_string())
        .one(&state.db)
        .await
        .db_err()
}

fn endpoint_of(state: &AppState, s: &embedding_settings::Model) -> Endpoint {
    Endpoint {
        base_url: s.base_url.clone(),
        model: s.model.clone(),
        api_key: s
            .api_key_enc
            .as_deref()
            .and_then(|k| state.pii.decrypt(k).ok()),
    }
}

async fn load(state: &AppState, hall_id: &str) -> AppResult<Option<Arc<HallVectors>>> {
    let cache = cache(state)?;
    if let Some(found) = cache.0.read().expect("vector cache").get(hall_id) {
        return Ok(found.clone());
    }
    let loaded = match settings_row(state, hall_id).await? {
        Some(s) if s.enabled => {
            let rows = vector::Entity::find()
                .filter(vector::Column::HallId.eq(hall_id))
                .filter(vector::Column::Model.eq(&s.model))
                .all(&state.db)
                .await
                .db_err()?;
            let docs: Vec<DocVector> = rows
                .into_iter()
                .map(|r| DocVector {
                    vector: vectors::from_bytes(&r.vector),
                    kind: r.kind,
                    id: r.doc_id,
                    code: r.code,
                    title: r.title,
                })
                .collect();
            (!docs.is_empty()).then(|| {
                Arc::new(HallVectors {
                    endpoint: endpoint_of(state, &s),
                    floor: s.floor,
                    sure: s.sure,
                    docs,
                })
            })
        }
        _ => None,
    };
    cache
        .0
        .write()
        .expect("vector cache")
        .insert(hall_id.to_string(), loaded.clone());
    Ok(loaded)
}

/// The hall's hits for `q`: lexical, fused with the semantic neighbours when
/// the hall has an endpoint and vectors. `confident_only` keeps what
/// citizens are shown.
pub async fn search(
    state: &AppState,
    hall_id: &str,
    q: &str,
    limit: usize,
    browse: bool,
    confident_only: bool,
) -> AppResult<Vec<Hit>> {
    let index = crate::indexing::index(state)?;
    let mut hits = index
        .search(hall_id, q, limit.max(NEIGHBOURS))
        .map_err(AppError::internal)?;
    // A question in Chinese, not a topic browsed or pinyin typed at the counter.
    let asked = !browse && !q.is_ascii();
    let hall_vectors = if asked {
        load(state, hall_id).await?
    } else {
        None
    };
    if let Some(hv) = hall_vectors {
        let question = [q.trim().to_string()];
        match hv.endpoint.embed(&question, QUERY_TIMEOUT).await {
            Ok(v) => {
                let near = vectors::nearest(&hv.docs, &v[0], NEIGHBOURS);
                hits = vectors::fuse(hits, &near, hv.floor, hv.sure, limit.max(NEIGHBOURS));
            }
            // The question itself is never logged: it may name a person.
            Err(e) => {
                tracing::warn!(hall = hall_id, error = %e, "语义检索不可用，本次仅按词语检索")
            }
        }
    }
    if confident_only && !browse {
        hits.retain(|h| h.confidence >= CONFIDENT);
    }
    hits.truncate(limit);
    Ok(hits)
}

async fn count_vectors(state: &AppState, hall_id: &str, model: &str) -> AppResult<u64> {
    vector::Entity::find()
        .filter(vector::Column::HallId.eq(hall_id))
        .filter(vector::Column::Model.eq(model))
        .count(&state.db)
        .await
        .db_err()
}

/// The hall's settings (defaults when none are saved).
pub async fn get(state: &AppState, hall_id: &str) -> AppResult<EmbeddingSettings> {
    let Some(s) = settings_row(state, hall_id).await? else {
        return Ok(EmbeddingSettings {
            enabled: false,
            base_url: String::new(),
            model: String::new(),
            api_key_set: false,
            floor: default_floor(),
            sure: default_sure(),
            updated_at: None,
            updated_by_name: None,
            vectors: 0,
            built_at: None,
        });
    };
    let built_at = vector::Entity::find()
        .filter(vector::Column::HallId.eq(hall_id))
        .filter(vector::Column::Model.eq(&s.model))
        .one(&state.db)
        .await
        .db_err()?
        .map(|v| v.built_at);
    Ok(EmbeddingSettings {
        vectors: count_vectors(state, hall_id, &s.model).await?,
        built_at,
        enabled: s.enabled,
        base_url: s.base_url,
        model: s.model,
        api_key_set: s.api_key_enc.is_some(),
        floor: s.floor,
        sure: s.sure,
        updated_at: Some(s.updated_at),
        updated_by_name: Some(s.updated_by_name),
    })
}

/// Saves the hall's endpoint; every bad field is named and nothing changes.
pub async fn save(
    state: &AppState,
    user: &CurrentUser,
    hall_id: &str,
    input: EmbeddingSettingsInput,
) -> AppResult<EmbeddingSettings> {
    let mut ch = Checker::new();
    let base_url = input.base_url.trim().trim_end_matches('/').to_string();
    let model = input.model.trim().to_string();
    let configured = !base_url.is_empty() || input.enabled;
    if configured {
        ch.check(
            (base_url.starts_with("http://") || base_url.starts_with("https://"))
                && base_url.len() > "https://".len()
                && base_url.len() <= 300,
            "base_url",
            "向量服务地址须以 http:// 或 https:// 开头（如 http://10.0.0.5:8000/v1），不超过 300 个字符",
        );
        ch.check(
            !model.is_empty() && model.len() <= 100,
            "model",
            "请填写向量模型名称（如 bge-m3），不超过 100 个字符",
        );
    }
    ch.check(
        (0.0..1.0).contains(&input.floor),
        "floor",
        "起算相似度须在 0 到 1 之间",
    );
    ch.check(
        input.sure > input.floor && input.sure <= 1.0,
        "sure",
        "确信相似度须大于起算相似度且不超过 1",
    );
    ch.check(
        input.api_key.as_deref().is_none_or(|k| k.len() <= 500),
        "api_key",
        "API 密钥不超过 500 个字符",
    );
    ch.finish()?;
    let existing = settings_row(state, hall_id).await?;
    let api_key_enc = match input.api_key.as_deref().map(str::trim) {
        None => existing.as_ref().and_then(|s| s.api_key_enc.clone()),
        Some("") => None,
        Some(k) => Some(state.pii.encrypt(k)),
    };
    let actor = user.actor();
    let row = embedding_settings::ActiveModel {
        hall_id: Set(hall_id.to_string()),
        enabled: Set(input.enabled),
        base_url: Set(base_url),
        model: Set(model),
        api_key_enc: Set(api_key_enc),
        floor: Set(input.floor),
        sure: Set(input.sure),
        updated_at: Set(Utc::now()),
        updated_by_name: Set(actor.name.clone()),
    };
    let txn = begin_write(&state.db).await.db_err()?;
    let saved = if existing.is_some() {
        row.update(&txn).await.db_err()?
    } else {
        row.insert(&txn).await.db_err()?
    };
    let ev = EMBEDDINGS_SAVED.event(
        Some(hall_id),
        &EmbeddingsSaved {
            enabled: saved.enabled,
            model: saved.model.clone(),
        },
    );
    commit_with(state, txn, &actor, vec![ev]).await?;
    forget(state, hall_id)?;
    get(state, hall_id).await
}

/// The text a document is embedded from: its name, keywords and a little of its body.
fn text_of(d: &crate::search::SearchDoc) -> String {
    let body: String = d.body.chars().take(200).collect();
    format!("{}。{}。{}", d.title, d.keywords.join("、"), body)
}

/// Embeds every published matter and 一件事 of the hall under the configured
/// model and replaces its vectors; an endpoint problem is reported and the
/// old vectors stay.
pub async fn rebuild(
    state: &AppState,
    user: &CurrentUser,
    hall_id: &str,
) -> AppResult<RebuildReport> {
    let Some(s) = settings_row(state, hall_id)
        .await?
        .filter(|s| !s.base_url.is_empty())
    else {
        return Err(AppError::Conflict {
            message: "请先填写并保存向量服务地址和模型".into(),
            fields: vec![],
        });
    };
    let started = Instant::now();
    let endpoint = endpoint_of(state, &s);
    let docs = crate::indexing::hall_docs(state, hall_id).await?;
    let mut vectors_out = Vec::with_capacity(docs.len());
    for chunk in docs.chunks(BATCH) {
        let texts: Vec<String> = chunk.iter().map(text_of).collect();
        let got = endpoint
            .embed(&texts, BATCH_TIMEOUT)
            .await
            .map_err(|e| AppError::Conflict {
                message: format!("重建向量失败（原有向量保留）：{e}"),
                fields: vec![],
            })?;
        vectors_out.extend(chunk.iter().zip(got));
    }
    let dims = vectors_out.first().map_or(0, |(_, v)| v.len());
    let now = Utc::now();
    let txn = begin_write(&state.db).await.db_err()?;
    vector::Entity::delete_many()
        .filter(vector::Column::HallId.eq(hall_id))
        .exec(&txn)
        .await
        .db_err()?;
    for (d, v) in &vectors_out {
        vector::Model {
            hall_id: hall_id.to_string(),
            doc_id: d.id.clone(),
            kind: d.kind.to_string(),
            code: d.code.clone(),
            title: d.title.clone(),
            model: s.model.clone(),
            vector: vectors::to_bytes(v),
            built_at: now,
        }
        .into_active_model()
        .insert(&txn)
        .await
        .db_err()?;
    }
    let report = RebuildReport {
        vectors: vectors_out.len(),
        dims,
        model: s.model.clone(),
        millis: started.elapsed().as_millis() as u64,
    };
    let ev = VECTORS_REBUILT.event(
        Some(hall_id),
        &VectorsRebuilt {
            vectors: report.vectors,
            dims,
            model: s.model.clone(),
        },
    );
    commit_with(state, txn, &user.actor(), vec![ev]).await?;
    forget(state, hall_id)?;
    Ok(report)
}

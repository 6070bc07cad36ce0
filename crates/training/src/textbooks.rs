//! 培训教材: the hall's textbooks, each with its editions (a PDF per
//! version). Learners read the newest edition; the older ones stay listed,
//! so what was taught in an earlier year can be looked up.

use crate::entity::{file, textbook, textbook_version};
use chrono::{DateTime, Utc};
use govhall_kernel::{AppError, error::AppResult, new_id, validate::Checker};
use govhall_platform::{
    AppState,
    db::{DbResultExt, is_unique_violation},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct TextbookInput {
    pub title: String,
    /// A category of the hall's tree.
    pub category: String,
    #[serde(default)]
    pub summary: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct TextbookVersionInput {
    /// The edition's label, e.g. 2026 版 (unique within the textbook).
    pub version: String,
    /// An uploaded PDF (`POST …/training/files`).
    pub file_id: String,
    /// What changed in this edition.
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TextbookVersionDto {
    pub id: String,
    pub version: String,
    pub file_id: String,
    pub pages: Option<i32>,
    pub size: i64,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TextbookDto {
    pub id: String,
    pub title: String,
    pub category: String,
    pub summary: String,
    /// Newest first; the first is the one to read.
    pub versions: Vec<TextbookVersionDto>,
    pub created_at: DateTime<Utc>,
}

pub async fn create(
    state: &AppState,
    hall_id: &str,
    input: &TextbookInput,
) -> AppResult<TextbookDto> {
    let mut ch = Checker::new();
    let title = ch.text("title", "教材名称", &input.title, 60);
    crate::categories::check(&mut ch, state, hall_id, "category", &input.category).await?;
    ch.optional_text("summary", "教材简介", Some(&input.summary), 1000);
    ch.finish()?;
    let row = textbook::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall_id.to_string()),
        title: Set(title),
        category: Set(input.category.clone()),
        summary: Set(input.summary.trim().to_string()),
        created_at: Set(Utc::now()),
    }
    .insert(&state.db)
    .await
    .db_err()?;
    one(state, hall_id, &row.id).await
}

/// Adds an edition; its file must be a PDF of the hall.
pub async fn add_version(
    state: &AppState,
    hall_id: &str,
    id: &str,
    input: &TextbookVersionInput,
) -> AppResult<TextbookDto> {
    let book = find(state, hall_id, id).await?;
    let mut ch = Checker::new();
    let version = ch.text("version", "版本", &input.version, 30);
    ch.optional_text("note", "修订说明", Some(&input.note), 500);
    let f = file::Entity::find_by_id(input.file_id.clone())
        .filter(file::Column::HallId.eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?;
    match f {
        None => ch.fail("file_id", "教材文件不存在或不属于本大厅"),
        Some(f) if f.mime != "application/pdf" => {
            ch.fail("file_id", format!("教材须为 PDF 文件（“{}”不是）", f.name))
        }
        Some(_) => {}
    }
    ch.finish()?;
    let inserted = textbook_version::ActiveModel {
        id: Set(new_id().to_string()),
        textbook_id: Set(book.id.clone()),
        hall_id: Set(hall_id.to_string()),
        version: Set(version.clone()),
        file_id: Set(input.file_id.clone()),
        note: Set(input.note.trim().to_string()),
        created_at: Set(Utc::now()),
    }
    .insert(&state.db)
    .await;
    match inserted {
        Ok(_) => one(state, hall_id, &book.id).await,
        Err(e) if is_unique_violation(&e) => Err(AppError::duplicate(
            "version",
            format!("《{}》已有“{version}”版本，请换一个版本名", book.title),
        )),
        Err(e) => Err(AppError::internal(e)),
    }
}

async fn find(state: &AppState, hall_id: &str, id: &str) -> AppResult<textbook::Model> {
    textbook::Entity::find_by_id(id.to_string())
        .filter(textbook::Column::HallId.eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("培训教材"))
}

async fn one(state: &AppState, hall_id: &str, id: &str) -> AppResult<TextbookDto> {
    list(state, hall_id)
        .await?
        .into_iter()
        .find(|t| t.id == id)
        .ok_or_else(|| AppError::not_found("培训教材"))
}

/// The hall's textbooks by title, each with its editions newest first.
pub async fn list(state: &AppState, hall_id: &str) -> AppResult<Vec<TextbookDto>> {
    let books = textbook::Entity::find()
        .filter(textbook::Column::HallId.eq(hall_id))
        .order_by_asc(textbook::Column::Title)
        .all(&state.db)
        .await
        .db_err()?;
    let versions = textbook_version::Entity::find()
        .filter(textbook_version::Column::HallId.eq(hall_id))
        .order_by_desc(textbook_version::Column::CreatedAt)
        .all(&state.db)
        .await
        .db_err()?;
    let files = file::Entity::find()
        .filter(file::Column::HallId.eq(hall_id))
        .filter(file::Column::Id.is_in(versions.iter().map(|v| v.file_id.clone())))
        .all(&state.db)
        .await
        .db_err()?;
    Ok(books
        .into_iter()
        .map(|b| TextbookDto {
            versions: versions
                .iter()
                .filter(|v| v.textbook_id == b.id)
                .map(|v| {
                    let f = files.iter().find(|f| f.id == v.file_id);
                    TextbookVersionDto {
                        id: v.id.clone(),
                        version: v.version.clone(),
                        file_id: v.file_id.clone(),
                        pages: f.and_then(|f| f.pages),
                        size: f.map_or(0, |f| f.size),
                        note: v.note.clone(),
                        created_at: v.created_at,
                    }
                })
                .collect(),
            id: b.id,
            title: b.title,
            category: b.category,
            summary: b.summary,
            created_at: b.created_at,
        })
        .collect())
}

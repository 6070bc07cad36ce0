//! Citizens' searches that found nothing, counted per query, so the center sees
//! which everyday words to add as synonyms or item keywords. Queries that may
//! carry personal data (a run of six or more digits: an ID or phone number) are
//! never kept.

use crate::entity::search_miss;
use chrono::{DateTime, Utc};
use govhall_kernel::error::AppResult;
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write},
    events::{Actor, commit_with},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::Serialize;
use utoipa::ToSchema;

/// A hall keeps at most this many distinct queries (the search is public).
const MAX_QUERIES: u64 = 5000;
/// Longer queries are kept cut to this many characters.
const MAX_CHARS: usize = 30;

/// The query as counted, or `None` when it must not be kept.
pub fn normalized(q: &str) -> Option<String> {
    let q: String = q.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut digits = 0;
    for c in q.chars() {
        digits = if c.is_ascii_digit() { digits + 1 } else { 0 };
        if digits >= 6 {
            return None;
        }
    }
    let q: String = q.chars().take(MAX_CHARS).collect();
    (!q.is_empty()).then_some(q)
}

/// Counts a search that found nothing.
pub async fn record(state: &AppState, hall_id: &str, q: &str) -> AppResult<()> {
    let Some(query) = normalized(q) else {
        return Ok(());
    };
    let now = Utc::now();
    let txn = begin_write(&state.db).await.db_err()?;
    let known = search_miss::Entity::find_by_id((hall_id.to_string(), query.clone()))
        .one(&txn)
        .await
        .db_err()?;
    match known {
        Some(m) => {
            let count = m.count + 1;
            let mut m: search_miss::ActiveModel = m.into();
            m.count = Set(count);
            m.last_at = Set(now);
            m.update(&txn).await.db_err()?;
        }
        None => {
            let kept = search_miss::Entity::find()
                .filter(search_miss::Column::HallId.eq(hall_id))
                .count(&txn)
                .await
                .db_err()?;
            if kept >= MAX_QUERIES {
                return Ok(());
            }
            search_miss::ActiveModel {
                hall_id: Set(hall_id.to_string()),
                query: Set(query.clone()),
                count: Set(1),
                last_at: Set(now),
            }
            .insert(&txn)
            .await
            .db_err()?;
        }
    }
    let citizen = Actor {
        id: None,
        name: "群众（公开检索）".into(),
    };
    let ev = crate::events::SEARCH_MISSED.event(
        Some(hall_id),
        &crate::events::SearchMissed {
            query: query.to_string(),
        },
    );
    commit_with(state, txn, &citizen, vec![ev]).await
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MissDto {
    pub query: String,
    pub count: i32,
    pub last_at: DateTime<Utc>,
}

/// The most frequent searches that found nothing.
pub async fn top(state: &AppState, hall_id: &str) -> AppResult<Vec<MissDto>> {
    Ok(search_miss::Entity::find()
        .filter(search_miss::Column::HallId.eq(hall_id))
        .order_by_desc(search_miss::Column::Count)
        .order_by_desc(search_miss::Column::LastAt)
        .limit(100)
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .map(|m| MissDto {
            query: m.query,
            count: m.count,
            last_at: m.last_at,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::normalized;

    #[test]
    fn personal_numbers_are_never_kept_and_long_queries_are_cut() {
        assert_eq!(normalized("  开个  烧烤店 "), Some("开个 烧烤店".into()));
        assert_eq!(normalized("610116199001011234 的社保"), None);
        assert_eq!(normalized("13912345678"), None);
        assert_eq!(normalized("2026年社保"), Some("2026年社保".into()));
        assert_eq!(normalized("   "), None);
        assert_eq!(normalized(&"长".repeat(50)).unwrap().chars().count(), 30);
    }
}

//! What other modules ask the catalog: a matter by id or 实施编码 with its
//! published guide, a hall's matters, and which windows may accept one. The
//! catalog's tables stay private; these are its answers.

use crate::entity::item;
use crate::items::{self, published_doc};
use crate::model::ItemDoc;
use govhall_kernel::error::AppResult;
use govhall_kernel::ids::{DepartmentId, HallId};
use govhall_platform::{AppState, db::DbResultExt};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

/// A matter of a hall's catalog, as other modules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub id: String,
    pub hall_id: HallId,
    /// 实施编码.
    pub task_code: String,
    pub task_name: String,
    /// The hall department that handles it (from its 实施主体编码).
    pub department: Option<DepartmentId>,
    /// The version cases and guides use; `None` until first published.
    pub published_version: Option<i32>,
}

impl Item {
    /// The row as the rest of the code sees it.
    pub(crate) fn from_row(m: &item::Model) -> Self {
        Item {
            id: m.id.clone(),
            hall_id: HallId::new(m.hall_id.clone()),
            task_code: m.task_code.clone(),
            task_name: m.task_name.clone(),
            department: m.department.clone().map(DepartmentId::new),
            published_version: m.published_version,
        }
    }
}

/// The hall's matter by id or 实施编码 (cases receive by either).
pub async fn item(state: &AppState, hall_id: &str, key: &str) -> AppResult<Item> {
    Ok(Item::from_row(
        &items::find_by_key(state, hall_id, key).await?,
    ))
}

/// The matter's published version number and document.
pub async fn published(state: &AppState, it: &Item) -> AppResult<(i32, ItemDoc)> {
    published_doc(state, &it.id, &it.task_name, it.published_version).await
}

/// Every matter of the hall, by 实施编码.
pub async fn hall_items(state: &AppState, hall_id: &str) -> AppResult<Vec<Item>> {
    Ok(item::Entity::find()
        .filter(item::Column::HallId.eq(hall_id))
        .order_by_asc(item::Column::TaskCode)
        .all(&state.db)
        .await
        .db_err()?
        .iter()
        .map(Item::from_row)
        .collect())
}

/// The windows authorised to accept the matter (无差别受理).
pub use crate::items::windows_of;

/// The published matters each window of the hall may accept (window id →
/// matters by name): what a window is for, as a citizen reads it.
pub async fn published_items_by_window(
    state: &AppState,
    hall_id: &str,
) -> AppResult<std::collections::HashMap<String, Vec<Item>>> {
    let items: Vec<Item> = hall_items(state, hall_id)
        .await?
        .into_iter()
        .filter(|i| i.published_version.is_some())
        .collect();
    let links = crate::entity::window_item::Entity::find()
        .filter(crate::entity::window_item::Column::HallId.eq(hall_id))
        .all(&state.db)
        .await
        .db_err()?;
    let mut out: std::collections::HashMap<String, Vec<Item>> = Default::default();
    for l in links {
        if let Some(it) = items.iter().find(|i| i.id == l.item_id) {
            out.entry(l.window_id).or_default().push(it.clone());
        }
    }
    for list in out.values_mut() {
        list.sort_by(|a, b| a.task_name.cmp(&b.task_name));
    }
    Ok(out)
}

/// When a version of the matter was published (`None` if it never was).
pub async fn version_published_at(
    state: &AppState,
    item_id: &str,
    version: i32,
) -> AppResult<Option<chrono::DateTime<chrono::Utc>>> {
    Ok(items::version_of(&state.db, item_id, version)
        .await?
        .published_at)
}

/// The document of one version of the matter (a case keeps the version it was received under).
pub async fn version_doc(state: &AppState, item_id: &str, version: i32) -> AppResult<ItemDoc> {
    items::parse_doc(&items::version_of(&state.db, item_id, version).await?)
}

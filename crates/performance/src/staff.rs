//! The hall's staff as this module's pages name them.

use govhall_directory::service as directory;
use govhall_kernel::error::AppResult;
use govhall_platform::AppState;
use std::collections::HashMap;

/// The hall's staff by id, as `工号 姓名`.
pub(crate) async fn labels(state: &AppState, hall_id: &str) -> AppResult<HashMap<String, String>> {
    Ok(directory::hall_staff(&state.db, hall_id)
        .await?
        .into_iter()
        .map(|s| (s.id.to_string(), format!("{} {}", s.employee_no, s.name)))
        .collect())
}

//! 补正 items: what a matter's applicants were most often asked to bring
//! again (the items of its 一次性告知), for the 成效报告's problems.

use crate::sql;
use chrono::NaiveDate;
use govhall_kernel::error::AppResult;
use govhall_platform::{AppState, db::DbResultExt};
use std::collections::HashMap;

/// The `per_matter` most frequent items of each matter over `from..=to`, with their counts.
pub async fn top_items(
    state: &AppState,
    hall_id: &str,
    from: NaiveDate,
    to: NaiveDate,
    per_matter: usize,
) -> AppResult<HashMap<String, Vec<(String, i64)>>> {
    let rows = sql::rows(
        &state.read,
        "SELECT task_code, item, COUNT(*) AS n FROM analytics_correction_items \
         WHERE hall_id = $1 AND day BETWEEN $2 AND $3 GROUP BY task_code, item",
        vec![
            hall_id.into(),
            from.to_string().into(),
            to.to_string().into(),
        ],
    )
    .await
    .db_err()?;
    let mut out: HashMap<String, Vec<(String, i64)>> = HashMap::new();
    for r in &rows {
        if let (Some(code), Some(item)) = (sql::string(r, "task_code"), sql::string(r, "item")) {
            out.entry(code)
                .or_default()
                .push((item, sql::int(r, "n").unwrap_or(0)));
        }
    }
    for items in out.values_mut() {
        items.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        items.truncate(per_matter);
    }
    Ok(out)
}

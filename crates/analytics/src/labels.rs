//! Names of the things figures are grouped by, as the modules' events last
//! described them (a window renamed since keeps its figures, under its new name).

use crate::sql;
use govhall_platform::AppState;
use std::collections::HashMap;

/// What an empty key is called in a table.
pub const NONE: &str = "（未记录）";

/// The labels of `ids` of one kind (window, staff, department, area, line,
/// matter, bundle); an id without a label keeps its id.
pub async fn many(state: &AppState, kind: &str, ids: &[String]) -> HashMap<String, String> {
    let mut out: HashMap<String, String> = HashMap::new();
    for chunk in ids.chunks(500) {
        let marks: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "SELECT id, label FROM analytics_labels WHERE kind = $1 AND id IN ({})",
            marks.join(", ")
        );
        let mut values = vec![kind.into()];
        values.extend(chunk.iter().map(|i| i.as_str().into()));
        if let Ok(rows) = sql::rows(&state.read, &sql, values).await {
            for r in rows {
                if let (Some(id), Some(label)) = (sql::string(&r, "id"), sql::string(&r, "label")) {
                    out.insert(id, label);
                }
            }
        }
    }
    for id in ids {
        out.entry(id.clone()).or_insert_with(|| fallback(kind, id));
    }
    out
}

pub async fn one(state: &AppState, kind: &str, id: &str) -> String {
    many(state, kind, &[id.to_string()])
        .await
        .remove(id)
        .unwrap_or_default()
}

fn fallback(kind: &str, id: &str) -> String {
    if id.is_empty() {
        // Tickets at comprehensive windows belong to no department: 一窗受理.
        return if kind == "department" {
            "未归属部门（综合窗口）".into()
        } else {
            NONE.into()
        };
    }
    match kind {
        "channel" => channel(id).to_string(),
        "hall" => "本厅".into(),
        _ if id.starts_with("user:") => "未建档账号".into(),
        _ => id.to_string(),
    }
}

/// A ticket's or a case's channel in Chinese.
pub fn channel(code: &str) -> &str {
    govhall_queue::tickets::CHANNELS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(code, |(_, l)| l)
}

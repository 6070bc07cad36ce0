//! The demo hall's performance data: this quarter's scheme for every post
//! (the suggested indicators, locked as the quarter has started) and its
//! figures so far, so the 季度考核 page and the phone's 我的考核 have content.

use crate::assessments;
use crate::quarter::Quarter;
use crate::schemes::{self, SchemeIndicator, SchemeInput};
use govhall_kernel::{error::AppResult, time};
use govhall_platform::{AppState, events::Actor};

/// The suggested scheme: volume, satisfaction, 差评, one visit, attendance
/// and the manager's score.
pub fn suggested() -> SchemeInput {
    let ind = |key: &str, weight: f64, formula: &str| SchemeIndicator {
        key: key.into(),
        weight,
        formula: formula.into(),
    };
    SchemeInput {
        post: String::new(),
        indicators: vec![
            ind(
                "tickets_served",
                25.0,
                "IF(全厅最高 > 0, 值 / 全厅最高 * 100, 100)",
            ),
            ind("good_rate", 25.0, "值"),
            ind("bad_upheld_count", 10.0, "MAX(0, 100 - 值 * 20)"),
            ind("one_visit_rate", 10.0, "值"),
            ind("attendance_rate", 10.0, "值"),
            ind("manager_score", 20.0, "值"),
        ],
        grades: None,
    }
}

/// Seeds this quarter's scheme and computes it, when the hall has none.
pub async fn seed_if_empty(state: &AppState, hall_id: &str) -> AppResult<bool> {
    let q = Quarter::of(time::today());
    if !schemes::of_quarter(state, hall_id, &q).await?.is_empty() {
        return Ok(false);
    }
    let actor = Actor::system();
    schemes::save(state, &actor, hall_id, &q.to_string(), &suggested()).await?;
    assessments::compute(state, &actor, hall_id, &q.to_string()).await?;
    Ok(true)
}

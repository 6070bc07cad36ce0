//! 培训考试成绩 as a KPI figure, from the training module's exam results:
//! for each exam a person handed in during the quarter, their best marked
//! sitting as a share of the paper's points; the figure is the mean over
//! those exams (a sitting awaiting an instructor's marks does not count
//! yet). The sittings are its evidence.

use crate::figures;
use crate::quarter::Quarter;
use govhall_kernel::{error::AppResult, time};
use govhall_platform::AppState;
use govhall_training::results::{self, Sitting};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};

/// The indicator's key in a scheme.
pub const KEY: &str = "training_exam_score";

/// Each person's mean of their best marked score per exam, 0–100.
pub fn mean_of_best(sittings: &[Sitting]) -> HashMap<String, f64> {
    let mut best: HashMap<(&str, &str), f64> = HashMap::new();
    for s in sittings.iter().filter(|s| !s.awaiting_marks()) {
        let b = best.entry((&s.staff_id, &s.exam_id)).or_insert(0.0);
        *b = b.max(s.percent());
    }
    let mut per: HashMap<String, Vec<f64>> = HashMap::new();
    for ((staff, _), p) in best {
        per.entry(staff.to_string()).or_default().push(p);
    }
    per.into_iter()
        .map(|(k, v)| {
            let mean = v.iter().sum::<f64>() / v.len() as f64;
            (k, (mean * 10.0).round() / 10.0)
        })
        .collect()
}

async fn quarter_sittings(state: &AppState, hall_id: &str, q: &Quarter) -> AppResult<Vec<Sitting>> {
    let from = time::day_start(q.first_day());
    let to = time::day_start(figures::until(q) + chrono::Days::new(1));
    results::hall_sittings(&state.db, hall_id, from, to).await
}

/// Every person's figure over the quarter.
pub(crate) async fn figures(
    state: &AppState,
    hall_id: &str,
    q: &Quarter,
) -> AppResult<HashMap<String, f64>> {
    Ok(mean_of_best(&quarter_sittings(state, hall_id, q).await?))
}

/// One person's sittings of the quarter, each marked as counted or not.
pub(crate) async fn evidence(
    state: &AppState,
    hall_id: &str,
    q: &Quarter,
    staff_id: &str,
) -> AppResult<Vec<BTreeMap<String, Value>>> {
    let titles: HashMap<String, String> = results::exam_titles(&state.db, hall_id)
        .await?
        .into_iter()
        .map(|e| (e.id, e.title))
        .collect();
    let mine: Vec<Sitting> = quarter_sittings(state, hall_id, q)
        .await?
        .into_iter()
        .filter(|s| s.staff_id == staff_id)
        .collect();
    // The sitting that counts for each exam: the best marked one.
    let mut best: HashMap<&str, (&str, f64)> = HashMap::new();
    for s in mine.iter().filter(|s| !s.awaiting_marks()) {
        let b = best.entry(&s.exam_id).or_insert((&s.attempt_id, -1.0));
        if s.percent() > b.1 {
            *b = (&s.attempt_id, s.percent());
        }
    }
    Ok(mine
        .iter()
        .map(|s| {
            let counted = best.get(s.exam_id.as_str()).is_some_and(|b| b.0 == s.attempt_id);
            let v = json!({
                "exam": titles.get(&s.exam_id).cloned().unwrap_or_default(),
                "submitted_at": time::local(s.submitted_at).format("%Y-%m-%d %H:%M").to_string(),
                "score": format!("{}/{}", s.score, s.max_score),
                "percent": (s.percent() * 10.0).round() / 10.0,
                "status": match s.status.as_str() {
                    "passed" => "通过",
                    "failed" => "未通过",
                    _ => "待阅卷",
                },
                "counted": if counted { "计入" } else if s.awaiting_marks() { "待阅卷，暂不计" } else { "以本场另一次成绩计入" },
            });
            match v {
                Value::Object(m) => m.into_iter().collect(),
                _ => BTreeMap::new(),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sitting(staff: &str, exam: &str, score: f64, status: &str) -> Sitting {
        Sitting {
            attempt_id: format!("{staff}-{exam}-{score}"),
            exam_id: exam.into(),
            staff_id: staff.into(),
            score,
            max_score: 100.0,
            status: status.into(),
            submitted_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn the_best_marked_sitting_of_each_exam_counts() {
        let s = [
            sitting("a", "e1", 50.0, "failed"),
            sitting("a", "e1", 90.0, "passed"),
            sitting("a", "e2", 70.0, "passed"),
            sitting("a", "e3", 100.0, "marking"),
            sitting("b", "e1", 0.0, "failed"),
        ];
        let m = mean_of_best(&s);
        assert_eq!(m["a"], 80.0);
        assert_eq!(m["b"], 0.0);
        assert!(!mean_of_best(&[sitting("c", "e1", 80.0, "marking")]).contains_key("c"));
    }
}

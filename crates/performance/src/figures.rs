//! The quarter's figures of every person, gathered through the other
//! modules' service APIs — the analytics indicators by staff member (the
//! facts are brought up to date from the event log first, so a recompute
//! sees every ticket, case and rating), the HR attendance sheets and the
//! training module's exam results — and
//! scored by each person's scheme.

use crate::catalog::{self, ATTENDANCE, FigureSource, MANAGER};
use crate::quarter::Quarter;
use crate::schemes::Stored;
use crate::scoring::{self, Spread};
use govhall_analytics::query::{self, QueryInput};
use govhall_analytics::scope::Scope;
use govhall_kernel::{AppError, error::AppResult, formula::Formula, time};
use govhall_platform::AppState;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;

/// One indicator of one person's assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct KpiFigure {
    pub key: String,
    pub name: String,
    pub unit: String,
    pub weight: f64,
    pub formula: String,
    /// The figure; `None` when the person has none (no ratings, say).
    pub value: Option<f64>,
    /// 0–100 by the formula; `None` until it can be scored (领导评价
    /// before the review).
    pub score: Option<f64>,
    /// The hall's average of the figure among the people on the scheme.
    pub hall_average: Option<f64>,
    /// The records behind the figure can be listed.
    pub has_evidence: bool,
    /// Counted in the total: not when nobody on the scheme has the figure
    /// (its weight then goes to the others in proportion).
    pub counts: bool,
    /// Why the score is what it is, when not plain.
    pub note: String,
}

/// The weighted total of the figures that count, once each has a score.
pub fn total_of(figures: &[KpiFigure]) -> Option<f64> {
    let parts: Vec<(f64, Option<f64>, bool)> = figures
        .iter()
        .map(|f| (f.weight, f.score, f.counts))
        .collect();
    scoring::total(&parts)
}

/// Every person's raw figures: staff id → indicator key → value.
pub(crate) type Raw = HashMap<String, HashMap<String, Option<f64>>>;

/// The last day the quarter's figures reach: its end, or today.
pub(crate) fn until(q: &Quarter) -> chrono::NaiveDate {
    q.last_day().min(time::today())
}

/// Gathers the figures the schemes need for `staff` over the quarter.
pub(crate) async fn gather(
    state: &AppState,
    hall_id: &str,
    q: &Quarter,
    schemes: &[Stored],
) -> AppResult<Raw> {
    let keys: Vec<&str> = {
        let mut k: Vec<&str> = schemes
            .iter()
            .flat_map(|s| s.indicators.iter().map(|i| i.key.as_str()))
            .collect();
        k.sort_unstable();
        k.dedup();
        k
    };
    let analytics: Vec<&str> = keys
        .iter()
        .copied()
        .filter(|k| catalog::find(k).is_some_and(|d| d.source == FigureSource::Analytics))
        .collect();
    let mut raw: Raw = HashMap::new();
    if !analytics.is_empty() {
        govhall_analytics::follower::catch_up(&state.db, 5_000).await?;
        let input = QueryInput::over(&analytics, &["staff"], q.first_day(), until(q));
        let out = query::run(state, hall_id, &Scope::Hall, &input).await?;
        for row in out.rows {
            let Some(staff) = row.members.get("staff") else {
                continue;
            };
            let mine = raw.entry(staff.id.clone()).or_default();
            for (k, v) in row.values {
                mine.insert(k, v);
            }
        }
    }
    if keys.contains(&crate::training_scores::KEY) {
        for (staff, score) in crate::training_scores::figures(state, hall_id, q).await? {
            raw.entry(staff)
                .or_default()
                .insert(crate::training_scores::KEY.into(), Some(score));
        }
    }
    if keys.contains(&ATTENDANCE) {
        for (staff, rate) in attendance_rates(state, hall_id, q).await? {
            raw.entry(staff)
                .or_default()
                .insert(ATTENDANCE.into(), rate);
        }
    }
    Ok(raw)
}

/// Each person's 出勤率 over the quarter: the mean of the months' rates
/// that have working days judged so far.
async fn attendance_rates(
    state: &AppState,
    hall_id: &str,
    q: &Quarter,
) -> AppResult<HashMap<String, Option<f64>>> {
    let this_month = time::today().format("%Y-%m").to_string();
    let mut rates: HashMap<String, Vec<f64>> = HashMap::new();
    for month in q.months().into_iter().filter(|m| *m <= this_month) {
        let sheet = govhall_hr::attendance::sheet::build(state, hall_id, &month, None).await?;
        for row in sheet.rows {
            let entry = rates.entry(row.staff_id).or_default();
            if let Some(r) = row.figures.attendance_rate {
                entry.push(r);
            }
        }
    }
    Ok(rates
        .into_iter()
        .map(|(k, v)| {
            let mean = (!v.is_empty())
                .then(|| (v.iter().sum::<f64>() / v.len() as f64 * 10.0).round() / 10.0);
            (k, mean)
        })
        .collect())
}

/// One person to score: their raw figures and the manager's score.
pub(crate) struct Person<'a> {
    pub staff_id: &'a str,
    pub manager_score: Option<f64>,
}

/// Each person's scored figures and total, by staff id.
pub(crate) type Scored = HashMap<String, (Vec<KpiFigure>, Option<f64>)>;

/// Scores the people of one scheme: each one's figures, and the total.
pub(crate) fn score_all(scheme: &Stored, people: &[Person<'_>], raw: &Raw) -> AppResult<Scored> {
    let value_of = |p: &Person<'_>, key: &str| -> Option<f64> {
        if key == MANAGER {
            return p.manager_score;
        }
        raw.get(p.staff_id)
            .and_then(|m| m.get(key))
            .copied()
            .flatten()
    };
    let mut out: Scored = HashMap::new();
    for ind in &scheme.indicators {
        let def = catalog::find(&ind.key);
        let formula = Formula::parse(&ind.formula).map_err(AppError::internal)?;
        let spread = Spread::of(people.iter().filter_map(|p| value_of(p, &ind.key)));
        for p in people {
            let value = value_of(p, &ind.key);
            // 领导评价 is the manager's own: nothing stands in for it.
            let (score, note) = if ind.key == MANAGER {
                match value {
                    Some(v) => (Some(v.clamp(0.0, 100.0)), String::new()),
                    None => (None, "待评定".to_string()),
                }
            } else {
                let score = scoring::score(&formula, value, spread.as_ref()).map_err(|e| {
                    AppError::field(
                        "scheme",
                        format!("指标“{}”的评分公式无法计算：{e}", ind.key),
                    )
                })?;
                let note = match (value, score) {
                    (None, Some(_)) => "本季度无此项数据，按全厅平均计".to_string(),
                    (None, None) => "全厅本季度均无此项数据，权重按比例计入其余指标".to_string(),
                    _ => String::new(),
                };
                (score, note)
            };
            out.entry(p.staff_id.to_string())
                .or_default()
                .0
                .push(KpiFigure {
                    key: ind.key.clone(),
                    name: def
                        .as_ref()
                        .map_or_else(|| ind.key.clone(), |d| d.name.clone()),
                    unit: def.as_ref().map_or_else(String::new, |d| d.unit.clone()),
                    weight: ind.weight,
                    formula: ind.formula.clone(),
                    value: value.map(|v| (v * 100.0).round() / 100.0),
                    score,
                    hall_average: spread.map(|s| (s.average * 100.0).round() / 100.0),
                    has_evidence: def.as_ref().is_some_and(|d| d.has_evidence),
                    counts: ind.key == MANAGER || spread.is_some(),
                    note,
                });
        }
    }
    for (figures, total) in out.values_mut() {
        *total = total_of(figures);
    }
    Ok(out)
}

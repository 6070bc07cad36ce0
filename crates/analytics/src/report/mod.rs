//! 成效报告: a month's or a quarter's key indicators beside the period before,
//! charts, and the highlights, problems and suggestions found by explicit
//! rules over the data (`rules`). Every figure comes from the query API's
//! own computation for the whole hall, so the report and the analysis pages
//! agree. A report is generated as a draft whose text can be edited, then
//! published and archived (`archive`); it renders to PDF and .docx.

pub mod archive;
pub mod docx;
pub mod pdf;
pub mod period;
mod rules;

use crate::indicators::{self, Better};
use crate::query::{self, QueryInput, QueryOutput};
use crate::scope::Scope;
use chrono::NaiveDate;
use govhall_kernel::error::AppResult;
use govhall_platform::AppState;
pub use period::Period;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// The indicators every report opens with, in this order.
pub const KEY_INDICATORS: &[&str] = &[
    "tickets_issued",
    "tickets_served",
    "wait_avg",
    "wait_p90",
    "wait_over_rate",
    "service_avg",
    "cases_received",
    "instant_rate",
    "one_visit_rate",
    "on_time_rate",
    "overdue_count",
    "correction_rate",
    "good_rate",
    "bad_count",
    "rect_on_time_rate",
    "window_utilization",
    "share_appointment",
    "share_mobile",
];

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct KeyFigure {
    pub key: String,
    pub name: String,
    pub unit: String,
    pub better: Better,
    pub value: Option<f64>,
    pub previous: Option<f64>,
    pub definition: String,
    pub formula: String,
}

/// A ranking for a bar chart: label and value.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Ranked {
    pub label: String,
    pub value: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Report {
    pub hall_code: String,
    pub hall_name: String,
    /// `2026-11` or `2026-Q4`.
    pub period: String,
    pub period_label: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub previous_from: NaiveDate,
    pub previous_to: NaiveDate,
    pub title: String,
    pub figures: Vec<KeyFigure>,
    /// Tickets issued per day of the period.
    pub daily_labels: Vec<String>,
    pub daily_tickets: Vec<Option<f64>>,
    pub top_matters: Vec<Ranked>,
    pub departments: Vec<Ranked>,
    /// Editable before publishing.
    pub summary: String,
    pub highlights: Vec<String>,
    pub problems: Vec<String>,
    pub suggestions: Vec<String>,
}

impl Report {
    pub fn figure(&self, key: &str) -> Option<&KeyFigure> {
        self.figures.iter().find(|f| f.key == key)
    }
}

/// One whole-hall query, as the query API would answer it.
pub(crate) async fn ask(
    state: &AppState,
    hall_id: &str,
    inds: &[&str],
    dims: &[&str],
    from: NaiveDate,
    to: NaiveDate,
    grain: Option<crate::dimensions::Grain>,
) -> AppResult<QueryOutput> {
    let input = QueryInput {
        grain,
        ..QueryInput::over(inds, dims, from, to)
    };
    query::run(state, hall_id, &Scope::Hall, &input).await
}

fn totals(out: &QueryOutput) -> BTreeMap<String, Option<f64>> {
    out.rows
        .first()
        .map(|r| r.values.clone())
        .unwrap_or_default()
}

/// Ranks the rows of a one-dimension query by `key`, largest first.
pub(crate) fn ranked(out: &QueryOutput, dim: &str, key: &str, n: usize) -> Vec<Ranked> {
    let mut rows: Vec<Ranked> = out
        .rows
        .iter()
        .filter_map(|r| {
            let m = r.members.get(dim)?;
            let v = r.values.get(key).copied().flatten()?;
            (!m.id.is_empty() && v > 0.0).then(|| Ranked {
                label: m.label.clone(),
                value: v,
            })
        })
        .collect();
    rows.sort_by(|a, b| b.value.total_cmp(&a.value));
    rows.truncate(n);
    rows
}

/// The report of `period` for the hall, with its rule-found text.
pub async fn build(
    state: &AppState,
    hall: &govhall_platform::halls::HallRef,
    period: &Period,
) -> AppResult<Report> {
    let now = ask(
        state,
        &hall.id,
        KEY_INDICATORS,
        &[],
        period.from,
        period.to,
        None,
    )
    .await?;
    let before = ask(
        state,
        &hall.id,
        KEY_INDICATORS,
        &[],
        period.previous_from,
        period.previous_to,
        None,
    )
    .await?;
    let (now_v, before_v) = (totals(&now), totals(&before));
    let figures: Vec<KeyFigure> = KEY_INDICATORS
        .iter()
        .filter_map(|k| indicators::find(k))
        .map(|i| KeyFigure {
            key: i.key.into(),
            name: i.name.into(),
            unit: i.unit.into(),
            better: i.better,
            value: now_v.get(i.key).copied().flatten(),
            previous: before_v.get(i.key).copied().flatten(),
            definition: i.definition.into(),
            formula: i.formula.into(),
        })
        .collect();
    let daily = ask(
        state,
        &hall.id,
        &["tickets_issued"],
        &[],
        period.from,
        period.to,
        Some(crate::dimensions::Grain::Day),
    )
    .await?;
    let daily_labels: Vec<String> = period
        .from
        .iter_days()
        .take_while(|d| *d <= period.to)
        .map(|d| d.format("%m-%d").to_string())
        .collect();
    let daily_tickets = period
        .from
        .iter_days()
        .take_while(|d| *d <= period.to)
        .map(|d| {
            let day = d.to_string();
            daily
                .rows
                .iter()
                .find(|r| r.period.as_deref() == Some(day.as_str()))
                .and_then(|r| r.values.get("tickets_issued").copied().flatten())
        })
        .collect();
    let matters = ask(
        state,
        &hall.id,
        &["cases_received"],
        &["matter"],
        period.from,
        period.to,
        None,
    )
    .await?;
    let departments = ask(
        state,
        &hall.id,
        &["cases_received"],
        &["department"],
        period.from,
        period.to,
        None,
    )
    .await?;
    let mut report = Report {
        hall_code: hall.code.clone(),
        hall_name: hall.name.clone(),
        period: period.key.clone(),
        period_label: period.label.clone(),
        from: period.from,
        to: period.to,
        previous_from: period.previous_from,
        previous_to: period.previous_to,
        title: format!("{}{}政务服务成效报告", hall.name, period.label),
        figures,
        daily_labels,
        daily_tickets,
        top_matters: ranked(&matters, "matter", "cases_received", 10),
        departments: ranked(&departments, "department", "cases_received", 12),
        summary: String::new(),
        highlights: vec![],
        problems: vec![],
        suggestions: vec![],
    };
    let found = rules::find(state, &hall.id, period, &report).await?;
    report.summary = rules::summary(&report);
    report.highlights = found.highlights;
    report.problems = found.problems;
    report.suggestions = found.suggestions;
    Ok(report)
}

/// The key-figure table's rows: 指标, 本期, 上期, 变化.
pub fn figure_rows(r: &Report) -> Vec<Vec<String>> {
    r.figures
        .iter()
        .map(|f| {
            vec![
                f.name.clone(),
                show(f.value, &f.unit),
                show(f.previous, &f.unit),
                change(f),
            ]
        })
        .collect()
}

/// The 指标口径 appendix's rows: 指标（单位）, 定义, 公式.
pub fn definition_rows(r: &Report) -> Vec<Vec<String>> {
    r.figures
        .iter()
        .map(|f| {
            vec![
                format!("{}（{}）", f.name, f.unit),
                f.definition.clone(),
                f.formula.clone(),
            ]
        })
        .collect()
}

/// A figure as the report writes it: `1,234 张`, `12.3%`, `4.5 分钟`, `—`.
pub fn show(v: Option<f64>, unit: &str) -> String {
    match v {
        None => "—".into(),
        Some(v) if matches!(unit, "张" | "件" | "条" | "次" | "个") => {
            let n = v.round() as i64;
            let s = n.abs().to_string();
            let mut out = String::new();
            for (i, c) in s.chars().enumerate() {
                if i > 0 && (s.len() - i).is_multiple_of(3) {
                    out.push(',');
                }
                out.push(c);
            }
            format!("{}{out} {unit}", if n < 0 { "-" } else { "" })
        }
        Some(v) if unit == "%" => format!("{v:.1}%"),
        Some(v) => format!("{v:.1} {unit}"),
    }
}

/// The change from `previous` to `value` as the report writes it (`+12.3%`, `−0.8 个百分点` for rates).
pub fn change(f: &KeyFigure) -> String {
    match (f.value, f.previous) {
        (Some(v), Some(p)) if f.unit == "%" => format!("{:+.1} 个百分点", v - p),
        (Some(v), Some(p)) if p != 0.0 => format!("{:+.1}%", (v - p) / p.abs() * 100.0),
        _ => "—".into(),
    }
}

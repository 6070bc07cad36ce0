//! Drill-down to the records behind a number: the tickets or cases (or
//! ratings) an indicator counted for one group, within the user's scope.

use crate::dimensions::{Dimension, Source};
use crate::scope::Scope;
use crate::{indicators, labels, sql};
use chrono::NaiveDate;
use govhall_kernel::error::{AppError, AppResult};
use govhall_platform::{AppState, db::DbResultExt};
use sea_orm::Value;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

pub const MAX_RECORDS: u64 = 500;

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RecordsInput {
    /// The hall (id or code); default: the user's own.
    #[serde(default)]
    pub hall: Option<String>,
    /// The indicator whose number is drilled into.
    pub indicator: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The row's members: `{"window": "…id", "staff": "…id"}`.
    #[serde(default)]
    pub members: BTreeMap<String, String>,
    /// Only this day (a row of a daily series).
    #[serde(default)]
    pub day: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Column {
    pub key: &'static str,
    pub label: &'static str,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Records {
    /// tickets / cases / ratings
    pub kind: &'static str,
    pub columns: Vec<Column>,
    #[schema(value_type = Vec<Object>)]
    pub rows: Vec<BTreeMap<String, serde_json::Value>>,
    /// More records matched than are listed (the first 500 are).
    pub truncated: bool,
}

/// What each kind of record lists: (column or SQL expression, key, label, label kind).
type Spec = &'static [(
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
)];

const TICKETS: Spec = &[
    ("number", "number", "号票", None),
    ("issued_at", "issued_at", "取号时间", None),
    ("line_id", "line", "业务队列", Some("line")),
    ("channel", "channel", "渠道", Some("channel")),
    ("window_id", "window", "窗口", Some("window")),
    ("staff_id", "staff", "办理人员", Some("staff")),
    ("wait_s", "wait_min", "等候（分钟）", None),
    ("service_s", "service_min", "办理（分钟）", None),
    ("outcome", "outcome", "结果", None),
];

const CASES: Spec = &[
    ("number", "number", "办件编号", None),
    ("task_code", "matter", "事项", Some("matter")),
    ("received_at", "received_at", "收件时间", None),
    ("department_id", "department", "部门", Some("department")),
    ("window_id", "window", "受理窗口", Some("window")),
    ("staff_id", "staff", "受理人员", Some("staff")),
    ("due_on", "due_on", "承诺办结日", None),
    ("d_day", "decided_on", "办结日", None),
    ("stage", "stage", "环节", None),
];

const RATINGS: Spec = &[
    ("number", "number", "号票/办件", None),
    ("day", "day", "评价日", None),
    ("window_id", "window", "窗口", Some("window")),
    ("staff_id", "staff", "人员", Some("staff")),
    ("overall", "overall", "总体评价（5 非常满意）", None),
    ("subject", "subject", "对象", None),
];

fn outcome_label(code: &str) -> &str {
    match code {
        "waiting" => "等候中",
        "called" => "已叫号",
        "serving" => "办理中",
        "parked" => "挂起",
        "done" => "办结",
        "no_show" => "过号",
        "cancelled" => "取消",
        "voided" => "日终作废",
        other => other,
    }
}

pub async fn records(
    state: &AppState,
    hall_id: &str,
    scope: &Scope,
    input: &RecordsInput,
) -> AppResult<Records> {
    let ind = indicators::find(&input.indicator)
        .ok_or_else(|| AppError::field("indicator", format!("未知指标“{}”", input.indicator)))?;
    let (kind, spec) = match ind.source {
        Source::Tickets => ("tickets", TICKETS),
        Source::Cases | Source::CasesDecided => ("cases", CASES),
        Source::Ratings => ("ratings", RATINGS),
        _ => {
            return Err(AppError::field(
                "indicator",
                format!("指标“{}”没有逐条明细", ind.name),
            ));
        }
    };
    if input.from > input.to || (input.to - input.from).num_days() >= crate::query::MAX_DAYS {
        return Err(AppError::field(
            "from",
            "期间无效：开始日期须不晚于结束日期，且不超过约三年",
        ));
    }
    let src = ind.source;
    let (day_col, _, _) = src.time_columns();
    let mut values: Vec<Value> = vec![];
    let mut bind = |v: Value| {
        values.push(v);
        format!("${}", values.len())
    };
    let mut conds = vec![
        src.base_filter().to_string(),
        format!("hall_id = {}", bind(hall_id.into())),
    ];
    let (from, to) = match input.day {
        Some(d) => (d, d),
        None => (input.from, input.to),
    };
    conds.push(format!(
        "{day_col} BETWEEN {} AND {}",
        bind(from.to_string().into()),
        bind(to.to_string().into())
    ));
    if let Some((col, id)) = scope.condition(src, ind.name)? {
        conds.push(format!("{col} = {}", bind(id.into())));
    }
    for (key, id) in &input.members {
        let d = Dimension::parse(key)
            .ok_or_else(|| AppError::field("members", format!("未知维度“{key}”")))?;
        crate::query::refuse_outside(scope, [(d, id.as_str())])?;
        let col = d.column(src).ok_or_else(|| {
            AppError::field(
                "members",
                format!("指标“{}”不能按“{}”筛选", ind.name, d.label()),
            )
        })?;
        conds.push(format!(
            "COALESCE({col}, '') = {}",
            bind(id.as_str().into())
        ));
    }
    // Only the rows the indicator itself counts (called tickets for a wait, …).
    match ind.key {
        "tickets_called" | "wait_avg" | "wait_median" | "wait_p90" | "wait_over_rate" | "no_show_rate" => conds.push("called = 1".into()),
        "tickets_served" | "service_avg" | "served_per_staff" => conds.push("served = 1".into()),
        "wait_avg_walkin" => conds.push("called = 1 AND class = 'normal'".into()),
        "overdue_count" => conds.push(format!(
            "due_on IS NOT NULL AND ((d_day IS NOT NULL AND d_day > due_on) OR (d_day IS NULL AND closed = 0 AND due_on < '{}'))",
            govhall_kernel::time::today()
        )),
        "bad_count" => conds.push("overall <= 2".into()),
        "bad_upheld_count" => conds.push("overall <= 2 AND invalidated = 0".into()),
        "bad_attitude_count" => conds.push("overall <= 2 AND attitude <= 2".into()),
        "bad_efficiency_count" => conds.push("overall <= 2 AND efficiency <= 2".into()),
        "bad_skill_count" => conds.push("overall <= 2 AND skill <= 2".into()),
        "tolerance_count" => conds.push("accepted = 1 AND deferred > 0".into()),
        "cases_returned" => conds.push("returned > 0".into()),
        _ => {}
    }
    let cols: Vec<&str> = spec.iter().map(|(c, ..)| *c).collect();
    let order = if kind == "tickets" {
        "issued_at"
    } else if kind == "cases" {
        "received_at"
    } else {
        "day"
    };
    let sql = format!(
        "SELECT {} FROM {} WHERE {} ORDER BY {order} DESC LIMIT {}",
        cols.join(", "),
        src.table(),
        conds.join(" AND "),
        MAX_RECORDS + 1
    );
    let found = sql::rows(&state.read, &sql, values).await.db_err()?;
    let truncated = found.len() as u64 > MAX_RECORDS;
    // Labels of every referenced thing, fetched once per kind.
    let mut names: BTreeMap<&str, std::collections::HashMap<String, String>> = BTreeMap::new();
    for (col, _, _, lk) in spec {
        if let Some(lk) = lk {
            let mut ids: Vec<String> = found.iter().filter_map(|r| sql::string(r, col)).collect();
            ids.sort();
            ids.dedup();
            names.insert(lk, labels::many(state, lk, &ids).await);
        }
    }
    let rows = found
        .iter()
        .take(MAX_RECORDS as usize)
        .map(|r| {
            spec.iter()
                .map(|(col, key, _, lk)| {
                    let v = match (*lk, *key) {
                        (Some(lk), _) => {
                            let id = sql::string(r, col).unwrap_or_default();
                            serde_json::Value::from(
                                names[lk]
                                    .get(&id)
                                    .cloned()
                                    .unwrap_or_else(|| labels::NONE.into()),
                            )
                        }
                        (_, "issued_at" | "received_at") => sql::int(r, col)
                            .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
                            .map(|t| {
                                govhall_kernel::time::local(t)
                                    .format("%Y-%m-%d %H:%M")
                                    .to_string()
                            })
                            .into(),
                        (_, "wait_min" | "service_min") => sql::int(r, col)
                            .map(|s| (s as f64 / 6.0).round() / 10.0)
                            .into(),
                        (_, "overall") => sql::int(r, col).into(),
                        (_, "outcome") => {
                            outcome_label(&sql::string(r, col).unwrap_or_default()).into()
                        }
                        _ => sql::string(r, col).into(),
                    };
                    (key.to_string(), v)
                })
                .collect()
        })
        .collect();
    Ok(Records {
        kind,
        columns: spec
            .iter()
            .map(|(_, key, label, _)| Column { key, label })
            .collect(),
        rows,
        truncated,
    })
}

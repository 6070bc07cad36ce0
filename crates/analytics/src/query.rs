//! The query API's engine: indicators × dimensions × period × grain → rows,
//! within the user's scope, optionally beside the same figures of a
//! comparison period (同比 / 环比). Whole closed months come from the month
//! cube (`cube.rs`), the days around them from the facts, by the same
//! statement (`measure.rs`); quantiles from a one-minute histogram.

use crate::dimensions::{Dimension, Grain};
use crate::indicators::{self, Indicator, IndicatorDto};
use crate::measure::{self, Key};
use crate::scope::{Scope, ScopeDto};
use crate::{cube, labels};
use chrono::{Datelike, Months, NaiveDate};
use govhall_kernel::error::{AppError, AppResult};
use govhall_platform::{AppState, db::DbResultExt};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use utoipa::ToSchema;

/// Longest period one query may span (three years and a day or two).
pub const MAX_DAYS: i64 = 1_100;
/// Most groups one answer may hold.
pub const MAX_ROWS: usize = 10_000;
pub const MAX_DIMENSIONS: usize = 3;

/// 同比 (the same dates a year before) or 环比 (the period just before, as long).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Compare {
    YearAgo,
    Previous,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct QueryInput {
    /// The hall (id or code); default: the user's own.
    #[serde(default)]
    pub hall: Option<String>,
    /// Indicator keys from `GET /api/v1/analytics/indicators`.
    pub indicators: Vec<String>,
    /// Dimension keys to group by (at most 3): hall, area, department, window, staff, line, matter, bundle, channel.
    #[serde(default)]
    pub dimensions: Vec<String>,
    /// Only these members of a dimension: `{"window": ["…id"]}`.
    #[serde(default)]
    pub filters: BTreeMap<String, Vec<String>>,
    /// First day, `YYYY-MM-DD` (Asia/Shanghai).
    pub from: NaiveDate,
    /// Last day, inclusive.
    pub to: NaiveDate,
    /// Time grain of the rows (default: the whole period as one figure).
    #[serde(default)]
    pub grain: Option<Grain>,
    #[serde(default)]
    pub compare: Option<Compare>,
    /// 超时等候 threshold in minutes (default 30).
    #[serde(default)]
    pub wait_threshold_minutes: Option<u32>,
    /// Only what happened before this hour of each day (1–24): today so far
    /// beside the same hours of an earlier day.
    #[serde(default)]
    pub before_hour: Option<u32>,
}

impl QueryInput {
    /// A whole-period query of `indicators` by `dimensions` (no filters,
    /// grain or comparison), for the screen, reports and benchmarks.
    pub fn over(
        indicators: &[&str],
        dimensions: &[&str],
        from: NaiveDate,
        to: NaiveDate,
    ) -> QueryInput {
        QueryInput {
            hall: None,
            indicators: indicators.iter().map(|s| s.to_string()).collect(),
            dimensions: dimensions.iter().map(|s| s.to_string()).collect(),
            filters: BTreeMap::new(),
            from,
            to,
            grain: None,
            compare: None,
            wait_threshold_minutes: None,
            before_hour: None,
        }
    }
}

/// A member of a dimension in a row.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Member {
    pub id: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Row {
    /// The time bucket (day, Monday of the week, `2026-11`, `2026-Q4`, `2026`, hour `0`–`23`); absent for the total.
    pub period: Option<String>,
    /// The row's member of each requested dimension, by dimension key.
    pub members: BTreeMap<String, Member>,
    /// Each indicator's figure; `null` where it has no denominator (no calls, no ratings …).
    pub values: BTreeMap<String, Option<f64>>,
    /// The comparison period's figures for the same members and bucket.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compare: Option<BTreeMap<String, Option<f64>>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QueryOutput {
    pub indicators: Vec<IndicatorDto>,
    pub dimensions: Vec<String>,
    pub grain: Grain,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The comparison period, when one was asked for.
    pub compare_from: Option<NaiveDate>,
    pub compare_to: Option<NaiveDate>,
    pub wait_threshold_minutes: u32,
    pub scope: ScopeDto,
    pub rows: Vec<Row>,
    /// When the figures were last brought up to date from the event log (UTC).
    pub fresh_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A checked query: every key resolved, every rule met.
pub struct Plan {
    pub hall_id: String,
    pub indicators: Vec<&'static Indicator>,
    pub dimensions: Vec<Dimension>,
    pub filters: Vec<(Dimension, Vec<String>)>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub grain: Grain,
    pub threshold_s: i64,
    pub before_hour: Option<u32>,
}

fn bad(field: &str, message: String) -> AppError {
    AppError::field(field, message)
}

/// Checks the input against the dictionary and the rules; the first broken
/// rule is reported with the field it concerns.
pub fn plan(hall_id: &str, input: &QueryInput) -> AppResult<Plan> {
    if input.indicators.is_empty() {
        return Err(bad("indicators", "请至少选择一个指标".into()));
    }
    let mut inds = Vec::new();
    for key in &input.indicators {
        let i = indicators::find(key)
            .ok_or_else(|| bad("indicators", format!("未知指标“{key}”，可选指标见指标口径")))?;
        if !inds.iter().any(|x: &&Indicator| x.key == i.key) {
            inds.push(i);
        }
    }
    if input.dimensions.len() > MAX_DIMENSIONS {
        return Err(bad(
            "dimensions",
            format!("一次最多按 {MAX_DIMENSIONS} 个维度分组"),
        ));
    }
    let mut dims = Vec::new();
    for key in &input.dimensions {
        let d =
            Dimension::parse(key).ok_or_else(|| bad("dimensions", format!("未知维度“{key}”")))?;
        if !dims.contains(&d) {
            dims.push(d);
        }
    }
    let mut filters = Vec::new();
    for (key, ids) in &input.filters {
        let d =
            Dimension::parse(key).ok_or_else(|| bad("filters", format!("未知筛选维度“{key}”")))?;
        if ids.is_empty() || ids.len() > 500 {
            return Err(bad(
                "filters",
                format!("筛选“{}”须列出 1 至 500 个成员", d.label()),
            ));
        }
        filters.push((d, ids.clone()));
    }
    for i in &inds {
        for d in dims.iter().chain(filters.iter().map(|(d, _)| d)) {
            if d.column(i.source).is_none() {
                return Err(bad(
                    "dimensions",
                    format!("指标“{}”不能按“{}”分组或筛选", i.name, d.label()),
                ));
            }
        }
    }
    if input.from > input.to {
        return Err(bad(
            "from",
            format!("开始日期 {} 晚于结束日期 {}", input.from, input.to),
        ));
    }
    let days = (input.to - input.from).num_days() + 1;
    if days > MAX_DAYS {
        return Err(bad(
            "to",
            format!("查询期间 {days} 天，超过上限 {MAX_DAYS} 天（约三年）"),
        ));
    }
    let minutes = input.wait_threshold_minutes.unwrap_or(30);
    if !(1..=240).contains(&minutes) {
        return Err(bad(
            "wait_threshold_minutes",
            "超时等候阈值须在 1 至 240 分钟之间".into(),
        ));
    }
    if let Some(h) = input.before_hour
        && !(1..=24).contains(&h)
    {
        return Err(bad("before_hour", "截止小时须在 1 至 24 之间".into()));
    }
    Ok(Plan {
        hall_id: hall_id.to_string(),
        indicators: inds,
        dimensions: dims,
        filters,
        from: input.from,
        to: input.to,
        grain: input.grain.unwrap_or(Grain::Total),
        threshold_s: i64::from(minutes) * 60,
        before_hour: input.before_hour,
    })
}

/// The comparison period for `compare`.
pub fn compare_period(from: NaiveDate, to: NaiveDate, compare: Compare) -> (NaiveDate, NaiveDate) {
    match compare {
        Compare::YearAgo => (
            from.checked_sub_months(Months::new(12)).unwrap_or(from),
            to.checked_sub_months(Months::new(12)).unwrap_or(to),
        ),
        Compare::Previous => {
            let len = to - from + chrono::Duration::days(1);
            (from - len, to - len)
        }
    }
}

/// The bucket of the current period a comparison bucket stands beside.
fn shift_bucket(grain: Grain, bucket: &str, from: NaiveDate, cfrom: NaiveDate) -> String {
    let months =
        (from.year() * 12 + from.month() as i32) - (cfrom.year() * 12 + cfrom.month() as i32);
    match grain {
        Grain::Day | Grain::Week => NaiveDate::parse_from_str(bucket, "%Y-%m-%d")
            .map(|d| (d + (from - cfrom)).format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        Grain::Month => NaiveDate::parse_from_str(&format!("{bucket}-01"), "%Y-%m-%d")
            .ok()
            .and_then(|d| d.checked_add_months(Months::new(months.max(0) as u32)))
            .map(|d| d.format("%Y-%m").to_string())
            .unwrap_or_default(),
        Grain::Quarter => {
            let (y, q) = bucket.split_once("-Q").unwrap_or(("0", "1"));
            let idx =
                y.parse::<i32>().unwrap_or(0) * 4 + q.parse::<i32>().unwrap_or(1) - 1 + months / 3;
            format!("{}-Q{}", idx.div_euclid(4), idx.rem_euclid(4) + 1)
        }
        Grain::Year => (bucket.parse::<i32>().unwrap_or(0) + months / 12).to_string(),
        Grain::Hour | Grain::Total => bucket.to_string(),
    }
}

/// Where a query's whole closed months are read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadFrom {
    /// The month cube (the default): years of figures from a few rows a month.
    Cube,
    /// Every fact row, as a check of the cube.
    Facts,
}

/// One indicator's figures per group over one period.
async fn measure(
    state: &AppState,
    plan: &Plan,
    ind: &Indicator,
    scope: &Scope,
    (from, to): (NaiveDate, NaiveDate),
    source: ReadFrom,
) -> AppResult<HashMap<Key, Option<f64>>> {
    let monthly = matches!(
        plan.grain,
        Grain::Total | Grain::Month | Grain::Quarter | Grain::Year | Grain::Hour
    ) && plan.before_hour.is_none();
    let split = if monthly && source == ReadFrom::Cube {
        cube::split(from, to, govhall_kernel::time::today())
    } else {
        None
    };
    let parts = match split {
        None => {
            let bucket = plan.grain.bucket(ind.source);
            measure::statement(plan, ind, scope, bucket.as_deref())?
                .run(state, from, to)
                .await?
        }
        Some(split) => {
            let bucket = cube::bucket(ind.source, plan.grain == Grain::Hour);
            let st = measure::statement(plan, ind, scope, Some(&bucket))?;
            let map = |p: &str| month_bucket(plan.grain, p);
            let regroup = cube::Regroup {
                sql: month_bucket_sql(plan.grain),
                map: &map,
            };
            let table = ind.source.table();
            let mut parts =
                cube::partials(state, &st, &plan.hall_id, table, &split.months, &regroup).await?;
            // Month (and hour) buckets of the facts into the grain's.
            for (f, t) in split.add {
                for ((p, members), part) in st.run(state, f, t).await? {
                    let bucket = map(p.as_deref().unwrap_or_default());
                    parts.entry((bucket, members)).or_default().add(&part);
                }
            }
            for (f, t) in split.minus {
                for ((p, members), part) in st.run(state, f, t).await? {
                    let bucket = map(p.as_deref().unwrap_or_default());
                    parts.entry((bucket, members)).or_default().sub(&part);
                }
            }
            parts.retain(|_, p| !p.is_empty());
            parts
        }
    };
    Ok(parts
        .into_iter()
        .map(|(k, p)| {
            let v = measure::finish(ind, &p);
            (k, v)
        })
        .collect())
}

/// `month_bucket` in SQL over the cube's column `p`, so the database sums
/// the months (`None`: the whole period is one bucket).
fn month_bucket_sql(grain: Grain) -> Option<&'static str> {
    match grain {
        Grain::Total => None,
        Grain::Hour => Some("substr(p, 9)"),
        Grain::Year => Some("substr(p, 1, 4)"),
        Grain::Quarter => Some(
            "substr(p, 1, 4) || '-Q' || CAST((CAST(substr(p, 6, 2) AS INTEGER) + 2) / 3 AS TEXT)",
        ),
        Grain::Month | Grain::Day | Grain::Week => Some("substr(p, 1, 7)"),
    }
}

/// The grain's bucket of a cube bucket (`2026-11` or `2026-11|9`).
fn month_bucket(grain: Grain, p: &str) -> Option<String> {
    let (month, hour) = p.split_once('|').unwrap_or((p, ""));
    match grain {
        Grain::Total => None,
        Grain::Hour => Some(hour.to_string()),
        Grain::Year => Some(month.chars().take(4).collect()),
        Grain::Quarter => {
            let m: u32 = month.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
            Some(format!(
                "{}-Q{}",
                &month[..4.min(month.len())],
                m.div_ceil(3)
            ))
        }
        Grain::Month | Grain::Day | Grain::Week => Some(month.to_string()),
    }
}

/// The `q` quantile of a histogram of whole minutes, interpolated within the
/// minute it falls in (people are taken as spread evenly over their minute).
pub fn quantile_of_histogram(hist: &[(i64, f64)], q: f64) -> Option<f64> {
    let total: f64 = hist.iter().map(|(_, n)| n).sum();
    if total <= 0.0 {
        return None;
    }
    let target = q * total;
    let mut seen = 0.0;
    for (minute, n) in hist {
        if seen + n >= target {
            return Some(*minute as f64 + ((target - seen) / n).clamp(0.0, 1.0));
        }
        seen += n;
    }
    hist.last().map(|(m, _)| *m as f64 + 1.0)
}

/// Runs a query for a hall within the user's scope.
pub async fn run(
    state: &AppState,
    hall_id: &str,
    scope: &Scope,
    input: &QueryInput,
) -> AppResult<QueryOutput> {
    run_from(state, hall_id, scope, input, ReadFrom::Cube).await
}

/// `run`, reading closed months from the cube or from every fact row.
pub async fn run_from(
    state: &AppState,
    hall_id: &str,
    scope: &Scope,
    input: &QueryInput,
    source: ReadFrom,
) -> AppResult<QueryOutput> {
    let plan = plan(hall_id, input)?;
    refuse_outside(
        scope,
        plan.filters
            .iter()
            .flat_map(|(d, ids)| ids.iter().map(move |i| (*d, i.as_str()))),
    )?;
    let compare = input.compare.map(|c| compare_period(plan.from, plan.to, c));
    let mut current: HashMap<Key, BTreeMap<String, Option<f64>>> = HashMap::new();
    let mut before: HashMap<Key, BTreeMap<String, Option<f64>>> = HashMap::new();
    for ind in &plan.indicators {
        for (k, v) in measure(state, &plan, ind, scope, (plan.from, plan.to), source).await? {
            current.entry(k).or_default().insert(ind.key.to_string(), v);
        }
        if let Some((cfrom, cto)) = compare {
            for ((p, m), v) in measure(state, &plan, ind, scope, (cfrom, cto), source).await? {
                let p = p.map(|p| shift_bucket(plan.grain, &p, plan.from, cfrom));
                before
                    .entry((p, m))
                    .or_default()
                    .insert(ind.key.to_string(), v);
            }
        }
    }
    if current.len() > MAX_ROWS {
        return Err(bad(
            "dimensions",
            format!(
                "结果有 {} 行，超过 {MAX_ROWS} 行：请缩短期间、改用较粗的粒度或减少维度",
                current.len()
            ),
        ));
    }
    let mut keys: Vec<Key> = current.keys().cloned().collect();
    if compare.is_some() {
        // A group present only in the comparison period is shown too (its figures now are empty).
        keys.extend(before.keys().filter(|k| !current.contains_key(*k)).cloned());
    }
    keys.sort_by(|a, b| {
        period_order(&a.0)
            .cmp(&period_order(&b.0))
            .then(a.1.cmp(&b.1))
    });
    let mut names: Vec<HashMap<String, String>> = Vec::new();
    for (n, d) in plan.dimensions.iter().enumerate() {
        let mut ids: Vec<String> = keys.iter().map(|k| k.1[n].clone()).collect();
        ids.sort();
        ids.dedup();
        names.push(labels::many(state, d.key(), &ids).await);
    }
    let empty = |ks: &[&Indicator]| {
        ks.iter()
            .map(|i| (i.key.to_string(), None))
            .collect::<BTreeMap<_, _>>()
    };
    let rows = keys
        .into_iter()
        .map(|k| {
            let members = plan
                .dimensions
                .iter()
                .enumerate()
                .map(|(n, d)| {
                    let id = k.1[n].clone();
                    let label = names[n].get(&id).cloned().unwrap_or_else(|| id.clone());
                    (d.key().to_string(), Member { id, label })
                })
                .collect();
            let mut values = empty(&plan.indicators);
            values.extend(current.get(&k).cloned().unwrap_or_default());
            let compare = compare.map(|_| {
                let mut c = empty(&plan.indicators);
                c.extend(before.get(&k).cloned().unwrap_or_default());
                c
            });
            Row {
                period: k.0,
                members,
                values,
                compare,
            }
        })
        .collect();
    let (_, fresh) = crate::follower::position(&state.read).await.db_err()?;
    Ok(QueryOutput {
        indicators: plan
            .indicators
            .iter()
            .map(|i| IndicatorDto::from(*i))
            .collect(),
        dimensions: plan
            .dimensions
            .iter()
            .map(|d| d.key().to_string())
            .collect(),
        grain: plan.grain,
        from: plan.from,
        to: plan.to,
        compare_from: compare.map(|c| c.0),
        compare_to: compare.map(|c| c.1),
        wait_threshold_minutes: (plan.threshold_s / 60) as u32,
        scope: scope.describe(state).await,
        rows,
        fresh_at: fresh.and_then(|t| chrono::DateTime::from_timestamp(t, 0)),
    })
}

/// A filter naming another department or person than the scope allows is
/// refused outright (it would otherwise quietly return nothing).
pub(crate) fn refuse_outside<'a>(
    scope: &Scope,
    asked: impl IntoIterator<Item = (Dimension, &'a str)>,
) -> AppResult<()> {
    let (dim, own, what) = match scope {
        Scope::Hall => return Ok(()),
        Scope::Department(d) => (Dimension::Department, d, "本部门"),
        Scope::Staff(s) => (Dimension::Staff, s, "本人"),
    };
    for (d, id) in asked {
        if d == dim && id != own {
            return Err(AppError::Forbidden(format!(
                "所选{}超出权限：只能查看{what}的统计",
                d.label()
            )));
        }
    }
    Ok(())
}

/// Hours sort as numbers (9 before 10); other buckets as text.
fn period_order(p: &Option<String>) -> (i64, String) {
    match p {
        Some(p) => (p.parse::<i64>().unwrap_or(i64::MAX), p.clone()),
        None => (0, String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_within_the_minute() {
        // 10 people: 5 called within minute 0, 5 within minute 10.
        let h = [(0, 5.0), (10, 5.0)];
        assert_eq!(quantile_of_histogram(&h, 0.5), Some(1.0));
        assert_eq!(quantile_of_histogram(&h, 0.9), Some(10.8));
        assert_eq!(quantile_of_histogram(&[], 0.5), None);
    }

    #[test]
    fn comparison_buckets_line_up_with_the_current_ones() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let (f, t) = compare_period(d("2026-11-01"), d("2026-11-30"), Compare::YearAgo);
        assert_eq!((f, t), (d("2025-11-01"), d("2025-11-30")));
        assert_eq!(
            shift_bucket(Grain::Day, "2025-11-03", d("2026-11-01"), f),
            "2026-11-03"
        );
        assert_eq!(
            shift_bucket(Grain::Month, "2025-11", d("2026-11-01"), f),
            "2026-11"
        );
        assert_eq!(
            shift_bucket(Grain::Quarter, "2025-Q4", d("2026-10-01"), d("2025-10-01")),
            "2026-Q4"
        );
        let (f, t) = compare_period(d("2026-11-01"), d("2026-11-30"), Compare::Previous);
        assert_eq!((f, t), (d("2026-10-02"), d("2026-10-31")));
        assert_eq!(
            shift_bucket(Grain::Quarter, "2026-Q3", d("2026-10-01"), d("2026-07-01")),
            "2026-Q4"
        );
    }

    fn input(json: serde_json::Value) -> QueryInput {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn bad_queries_name_the_field() {
        let field = |j: serde_json::Value| match plan("h", &input(j)) {
            Err(AppError::Validation { fields, .. }) => fields[0].field.clone(),
            Err(e) => format!("{e:?}"),
            Ok(_) => "ok".into(),
        };
        assert_eq!(
            field(
                serde_json::json!({"indicators": ["nope"], "from": "2026-11-01", "to": "2026-11-02"})
            ),
            "indicators"
        );
        assert_eq!(
            field(
                serde_json::json!({"indicators": ["wait_avg"], "dimensions": ["matter"], "from": "2026-11-01", "to": "2026-11-02"})
            ),
            "dimensions"
        );
        assert_eq!(
            field(
                serde_json::json!({"indicators": ["wait_avg"], "from": "2026-11-03", "to": "2026-11-02"})
            ),
            "from"
        );
        assert_eq!(
            field(
                serde_json::json!({"indicators": ["wait_avg"], "from": "2020-01-01", "to": "2026-11-02"})
            ),
            "to"
        );
        assert_eq!(
            field(
                serde_json::json!({"indicators": ["wait_avg"], "from": "2026-11-01", "to": "2026-11-02"})
            ),
            "ok"
        );
    }
}

//! 科学测算 window planning: per line and hour of the week, the arrival rate
//! and service time the history shows, the windows Erlang C recommends for a
//! service level, and a simulation that replays a real day under a what-if.

pub mod erlang;
pub mod simulate;

use crate::{labels, sql};
use chrono::{Datelike, NaiveDate};
use govhall_kernel::error::{AppError, AppResult};
use govhall_platform::{AppState, db::DbResultExt};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use utoipa::ToSchema;

const WEEKDAYS: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PlanningInput {
    /// The hall (id or code); default: the user's own.
    #[serde(default)]
    pub hall: Option<String>,
    /// History to learn from, first and last day.
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Share to be called within `target_minutes` (default 0.8).
    #[serde(default)]
    pub target_share: Option<f64>,
    /// Default 10 minutes.
    #[serde(default)]
    pub target_minutes: Option<u32>,
}

/// One line in one hour of the week.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Cell {
    /// 0 Monday … 6 Sunday.
    pub weekday: u32,
    pub weekday_label: &'static str,
    pub hour: u32,
    /// Mean arrivals in that hour on the days the hall was open.
    pub arrivals_per_hour: f64,
    /// Mean service time, minutes.
    pub service_minutes: f64,
    /// Windows that actually called this line in that hour, on average.
    pub windows_observed: f64,
    /// Erlang C's recommendation for the target (null when the history has too little to say).
    pub windows_recommended: Option<u32>,
    pub occupancy: Option<f64>,
    /// Mean wait Erlang C expects with the recommended windows, minutes.
    pub expected_wait_minutes: Option<f64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LinePlan {
    pub line_id: String,
    pub line: String,
    pub cells: Vec<Cell>,
    /// The most windows any hour of the week needs.
    pub peak_recommended: u32,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StaffingTable {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub target_share: f64,
    pub target_minutes: u32,
    pub lines: Vec<LinePlan>,
    /// Per hour of the week, the windows all lines need together if each
    /// keeps its own windows (no pooling): the staffing to roster.
    pub total_by_hour: Vec<TotalCell>,
    pub method: &'static str,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TotalCell {
    pub weekday: u32,
    pub hour: u32,
    pub recommended: u32,
    pub observed: f64,
}

#[derive(Default)]
struct Acc {
    arrivals: f64,
    service_sum: f64,
    service_n: f64,
    windows: f64,
    days: HashSet<String>,
}

fn period_ok(from: NaiveDate, to: NaiveDate) -> AppResult<()> {
    if from > to || (to - from).num_days() >= crate::query::MAX_DAYS {
        return Err(AppError::field(
            "from",
            "期间无效：开始日期须不晚于结束日期，且不超过约三年",
        ));
    }
    Ok(())
}

pub async fn staffing_table(
    state: &AppState,
    hall_id: &str,
    input: &PlanningInput,
) -> AppResult<StaffingTable> {
    period_ok(input.from, input.to)?;
    let share = input.target_share.unwrap_or(0.8);
    if !(0.5..=0.99).contains(&share) {
        return Err(AppError::field(
            "target_share",
            "服务水平目标须在 0.5 至 0.99 之间（如 0.8 表示 80%）",
        ));
    }
    let minutes = input.target_minutes.unwrap_or(10);
    if !(1..=120).contains(&minutes) {
        return Err(AppError::field(
            "target_minutes",
            "目标等候时间须在 1 至 120 分钟之间",
        ));
    }
    let rows = sql::rows(
        &state.read,
        "SELECT line_id, day, hour, CAST(COUNT(*) AS DOUBLE PRECISION) AS n, \
         CAST(SUM(CASE WHEN served = 1 THEN service_s END) AS DOUBLE PRECISION) AS ss, \
         CAST(SUM(served) AS DOUBLE PRECISION) AS sn, \
         CAST(COUNT(DISTINCT window_id) AS DOUBLE PRECISION) AS w \
         FROM analytics_tickets WHERE hall_id = $1 AND day BETWEEN $2 AND $3 GROUP BY line_id, day, hour",
        vec![hall_id.into(), input.from.to_string().into(), input.to.to_string().into()],
    )
    .await
    .db_err()?;
    // Open days per weekday: the denominator of the hourly means.
    let mut open_days: HashMap<u32, HashSet<String>> = HashMap::new();
    let mut cells: BTreeMap<(String, u32, u32), Acc> = BTreeMap::new();
    let mut service_by_line: HashMap<String, (f64, f64)> = HashMap::new();
    for r in &rows {
        let (Some(line), Some(day)) = (sql::string(r, "line_id"), sql::string(r, "day")) else {
            continue;
        };
        let Ok(date) = NaiveDate::parse_from_str(&day, "%Y-%m-%d") else {
            continue;
        };
        let wd = date.weekday().num_days_from_monday();
        let hour = sql::int(r, "hour").unwrap_or(0) as u32;
        open_days.entry(wd).or_default().insert(day.clone());
        let a = cells.entry((line.clone(), wd, hour)).or_default();
        a.arrivals += sql::num(r, "n").unwrap_or(0.0);
        a.service_sum += sql::num(r, "ss").unwrap_or(0.0);
        a.service_n += sql::num(r, "sn").unwrap_or(0.0);
        a.windows += sql::num(r, "w").unwrap_or(0.0);
        a.days.insert(day);
        let s = service_by_line.entry(line).or_default();
        s.0 += sql::num(r, "ss").unwrap_or(0.0);
        s.1 += sql::num(r, "sn").unwrap_or(0.0);
    }
    let line_ids: Vec<String> = {
        let mut v: Vec<String> = service_by_line.keys().cloned().collect();
        v.sort();
        v
    };
    let names = labels::many(state, "line", &line_ids).await;
    let t = f64::from(minutes);
    let mut totals: BTreeMap<(u32, u32), (u32, f64)> = BTreeMap::new();
    let mut lines = Vec::new();
    for line in &line_ids {
        let (ss, sn) = service_by_line[line];
        let line_mean = if sn > 0.0 { ss / sn / 60.0 } else { 0.0 };
        let mut out = Vec::new();
        for ((l, wd, hour), a) in cells.range((line.clone(), 0, 0)..=(line.clone(), 6, 23)) {
            debug_assert_eq!(l, line);
            let days = open_days.get(wd).map_or(1, |d| d.len()).max(1) as f64;
            let lambda = a.arrivals / days; // per hour
            // Too few services in the cell: the line's mean is the better estimate.
            let h = if a.service_n >= 20.0 {
                a.service_sum / a.service_n / 60.0
            } else {
                line_mean
            };
            let need = (h > 0.0)
                .then(|| erlang::windows_needed(lambda / 60.0, h, t, share, 200))
                .flatten();
            let observed = a.windows / days;
            let total = totals.entry((*wd, *hour)).or_default();
            total.0 += need.map_or(0, |n| n.windows);
            total.1 += observed;
            out.push(Cell {
                weekday: *wd,
                weekday_label: WEEKDAYS[*wd as usize],
                hour: *hour,
                arrivals_per_hour: round1(lambda),
                service_minutes: round1(h),
                windows_observed: round1(observed),
                windows_recommended: need.map(|n| n.windows),
                occupancy: need.map(|n| round3(n.occupancy)),
                expected_wait_minutes: need.map(|n| round1(n.mean_wait)),
            });
        }
        lines.push(LinePlan {
            line_id: line.clone(),
            line: names.get(line).cloned().unwrap_or_default(),
            peak_recommended: out
                .iter()
                .filter_map(|c| c.windows_recommended)
                .max()
                .unwrap_or(0),
            cells: out,
        });
    }
    Ok(StaffingTable {
        from: input.from,
        to: input.to,
        target_share: share,
        target_minutes: minutes,
        lines,
        total_by_hour: totals
            .into_iter()
            .map(|((weekday, hour), (recommended, observed))| TotalCell {
                weekday,
                hour,
                recommended,
                observed: round1(observed),
            })
            .collect(),
        method: "Erlang C（M/M/c）：按历史到达率 λ 与平均办理时长 h 求满足“目标比例的群众在目标时间内被叫号”的最少窗口数；各队列窗口不共用时的合计即排班所需窗口。",
    })
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SimulationInput {
    /// The hall (id or code); default: the user's own.
    #[serde(default)]
    pub hall: Option<String>,
    /// The day whose arrivals are replayed.
    pub day: NaiveDate,
    /// The windows of the what-if, each with the line ids it serves; empty:
    /// the windows that worked that day, each with the lines it called.
    #[serde(default)]
    pub windows: Vec<Vec<String>>,
    /// Target wait for the share reported, minutes (default 10).
    #[serde(default)]
    pub target_minutes: Option<u32>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WaitFigures {
    pub served: usize,
    pub mean_wait_minutes: f64,
    pub p90_wait_minutes: f64,
    /// Share called within the target time.
    pub within_target: f64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SimulationResult {
    pub day: NaiveDate,
    pub arrivals: usize,
    pub windows: usize,
    /// What really happened that day.
    pub actual: WaitFigures,
    /// The replay under the what-if.
    pub simulated: WaitFigures,
    /// Arrivals whose line no window of the what-if serves.
    pub unserved: usize,
}

pub async fn simulate_day(
    state: &AppState,
    hall_id: &str,
    input: &SimulationInput,
) -> AppResult<SimulationResult> {
    let minutes = f64::from(input.target_minutes.unwrap_or(10).clamp(1, 120));
    let rows = sql::rows(
        &state.read,
        "SELECT line_id, window_id, issued_at, wait_s, service_s FROM analytics_tickets \
         WHERE hall_id = $1 AND day = $2 ORDER BY issued_at",
        vec![hall_id.into(), input.day.to_string().into()],
    )
    .await
    .db_err()?;
    if rows.is_empty() {
        return Err(AppError::field(
            "day",
            format!("{} 没有取号记录，无法模拟", input.day),
        ));
    }
    let mut line_index: HashMap<String, usize> = HashMap::new();
    let mut served_by: HashMap<String, HashSet<usize>> = HashMap::new();
    let mut arrivals = Vec::new();
    let mut actual = Vec::new();
    let mut service_sum = HashMap::<usize, (f64, f64)>::new();
    let start = sql::int(&rows[0], "issued_at").unwrap_or(0);
    for r in &rows {
        let line = sql::string(r, "line_id").unwrap_or_default();
        let n = line_index.len();
        let li = *line_index.entry(line).or_insert(n);
        if let Some(w) = sql::string(r, "window_id") {
            served_by.entry(w).or_default().insert(li);
        }
        if let Some(w) = sql::int(r, "wait_s") {
            actual.push(w as f64);
        }
        let service = sql::int(r, "service_s").map(|s| s as f64);
        if let Some(s) = service {
            let e = service_sum.entry(li).or_default();
            e.0 += s;
            e.1 += 1.0;
        }
        arrivals.push((
            sql::int(r, "issued_at").unwrap_or(start) - start,
            li,
            service,
        ));
    }
    // People who left before service get their line's mean service time.
    let mean = |li: usize| service_sum.get(&li).map_or(300.0, |(s, n)| s / n);
    let arrivals: Vec<simulate::Arrival> = arrivals
        .into_iter()
        .map(|(at, line, service)| simulate::Arrival {
            at: at as f64,
            line,
            service: service.unwrap_or_else(|| mean(line)),
        })
        .collect();
    let windows: Vec<simulate::WindowSpec> = if input.windows.is_empty() {
        served_by
            .into_values()
            .map(|l| simulate::WindowSpec {
                lines: l.into_iter().collect(),
            })
            .collect()
    } else {
        let mut out = Vec::new();
        for (n, lines) in input.windows.iter().enumerate() {
            if lines.is_empty() {
                return Err(AppError::field(
                    "windows",
                    format!("第 {} 个窗口没有选择业务队列", n + 1),
                ));
            }
            out.push(simulate::WindowSpec {
                lines: lines
                    .iter()
                    .filter_map(|l| line_index.get(l).copied())
                    .collect(),
            });
        }
        out
    };
    if windows.len() > 200 {
        return Err(AppError::field("windows", "窗口数不能超过 200 个"));
    }
    let out = simulate::run(&arrivals, &windows, line_index.len());
    let actual = simulate::Outcome {
        waits: actual,
        calls: vec![],
        unserved: 0,
    };
    let figures = |o: &simulate::Outcome| WaitFigures {
        served: o.waits.len(),
        mean_wait_minutes: round1(o.mean_wait() / 60.0),
        p90_wait_minutes: round1(o.quantile(0.9) / 60.0),
        within_target: round3(o.within(minutes * 60.0)),
    };
    Ok(SimulationResult {
        day: input.day,
        arrivals: arrivals.len(),
        windows: windows.len(),
        actual: figures(&actual),
        simulated: figures(&out),
        unserved: out.unserved,
    })
}

//! The big screen's widgets (数据大屏). Each widget is a handful of figures and
//! series computed through the same query as the analysis pages, for the
//! whole hall, so a number on the screen is the number a manager finds when
//! clicking through. The screen asks for each widget on its own schedule.

use crate::indicators::{self, Better};
use crate::query::{self, QueryInput, QueryOutput};
use crate::scope::Scope;
use chrono::{Datelike, Duration, NaiveDate, Timelike};
use govhall_kernel::error::{AppError, AppResult};
use govhall_platform::AppState;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

/// The widgets, each with what it shows.
pub const WIDGETS: &[(&str, &str)] = &[
    ("today", "今日核心指标（与上周同日同一时段对比）"),
    ("hourly", "今日分时取号与等候（与上周同日对比）"),
    ("matters", "本月办件量前十的事项"),
    ("departments", "本月各部门办件量与超期件"),
    ("satisfaction", "本月好差评与近30天好评率"),
    ("trend", "近30天每日取号量与办件量"),
];

#[derive(Debug, Deserialize, IntoParams)]
pub struct ScreenQuery {
    /// The hall (code or id); default: the device's or user's own.
    pub hall: Option<String>,
    /// One of: today, hourly, matters, departments, satisfaction, trend.
    pub widget: String,
    /// Only this department's figures (an id from `/screen/options`).
    pub department: Option<String>,
    /// Only this area's or floor's figures (an id from `/screen/options`).
    pub area: Option<String>,
}

/// What the screen's filter box offers: the hall's departments and areas
/// that have windows.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScreenOptions {
    pub departments: Vec<query::Member>,
    pub areas: Vec<query::Member>,
}

/// The part of the hall a screen shows (the filter box); empty: the whole hall.
#[derive(Debug, Clone, Default)]
pub struct Focus {
    pub department: Option<String>,
    pub area: Option<String>,
}

/// The departments and areas of the hall's windows, by name.
pub async fn options(state: &AppState, hall_id: &str) -> AppResult<ScreenOptions> {
    let members = |kind: &'static str, column: &'static str| async move {
        // `column` is one of two constants below.
        let rows = crate::sql::rows(
            &state.read,
            &format!(
                "SELECT DISTINCT {column} AS id FROM analytics_windows WHERE hall_id = $1 AND {column} IS NOT NULL"
            ),
            vec![hall_id.into()],
        )
        .await
        .map_err(AppError::internal)?;
        let ids: Vec<String> = rows
            .iter()
            .filter_map(|r| crate::sql::string(r, "id"))
            .collect();
        let names = crate::labels::many(state, kind, &ids).await;
        let mut list: Vec<query::Member> = ids
            .into_iter()
            .map(|id| query::Member {
                label: names.get(&id).cloned().unwrap_or_else(|| id.clone()),
                id,
            })
            .collect();
        list.sort_by(|a, b| a.label.cmp(&b.label));
        AppResult::Ok(list)
    };
    let departments = members("department", "department_id").await?;
    let areas = members("area", "area_id").await?;
    Ok(ScreenOptions { departments, areas })
}

impl Focus {
    /// Checks the focus against the hall's options; its filters for a query.
    async fn filters(
        &self,
        state: &AppState,
        hall_id: &str,
    ) -> AppResult<(BTreeMap<String, Vec<String>>, Option<String>)> {
        let mut filters = BTreeMap::new();
        let mut names = vec![];
        if self.department.is_none() && self.area.is_none() {
            return Ok((filters, None));
        }
        let offered = options(state, hall_id).await?;
        for (field, id, list, what) in [
            ("department", &self.department, &offered.departments, "部门"),
            ("area", &self.area, &offered.areas, "区域"),
        ] {
            let Some(id) = id else { continue };
            let m = list.iter().find(|m| &m.id == id).ok_or_else(|| {
                AppError::field(
                    field,
                    format!("大屏筛选的{what}“{id}”不是本厅有窗口的{what}"),
                )
            })?;
            filters.insert(field.to_string(), vec![id.clone()]);
            names.push(m.label.clone());
        }
        Ok((filters, Some(names.join(" · "))))
    }
}

/// One number of a widget, with the figure it is compared with.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Figure {
    pub key: &'static str,
    pub name: &'static str,
    pub unit: &'static str,
    pub better: Better,
    pub value: Option<f64>,
    /// The comparison figure (same weekday last week, same hours), when the widget compares.
    pub compare: Option<f64>,
    /// 指标口径, shown on hover.
    pub definition: &'static str,
}

/// One series of a chart.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Series {
    pub name: String,
    pub unit: &'static str,
    pub values: Vec<Option<f64>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Widget {
    pub widget: String,
    pub title: &'static str,
    /// The period the figures cover (`2026-12-03`, `2026-12-01 至 2026-12-03`).
    pub period: String,
    pub figures: Vec<Figure>,
    /// The categories of the series (hours, matters, departments, days).
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    /// The part of the hall the figures are about (the filter box), when not the whole hall.
    pub focus: Option<String>,
    /// When the facts were last brought up to date from the event log (UTC).
    pub fresh_at: Option<chrono::DateTime<chrono::Utc>>,
}

struct Ask<'a> {
    indicators: &'a [&'a str],
    dimension: Option<&'a str>,
    from: NaiveDate,
    to: NaiveDate,
    grain: Option<crate::dimensions::Grain>,
    before_hour: Option<u32>,
}

/// Where a widget's queries run: the hall and the screen's focus in it.
struct On<'a> {
    state: &'a AppState,
    hall_id: &'a str,
    filters: BTreeMap<String, Vec<String>>,
}

impl On<'_> {
    async fn ask(&self, a: Ask<'_>) -> AppResult<QueryOutput> {
        let input = QueryInput {
            grain: a.grain,
            before_hour: a.before_hour,
            filters: self.filters.clone(),
            ..QueryInput::over(a.indicators, a.dimension.as_slice(), a.from, a.to)
        };
        query::run(self.state, self.hall_id, &Scope::Hall, &input).await
    }
}

fn total(out: &QueryOutput, key: &str) -> Option<f64> {
    out.rows
        .first()
        .and_then(|r| r.values.get(key).copied().flatten())
}

fn figure(key: &'static str, value: Option<f64>, compare: Option<f64>) -> Figure {
    let i = indicators::find(key).expect("dictionary key");
    Figure {
        key: i.key,
        name: i.name,
        unit: i.unit,
        better: i.better,
        value,
        compare,
        definition: i.definition,
    }
}

fn series(out: &QueryOutput, key: &'static str, name: &str, buckets: &[String]) -> Series {
    let unit = indicators::find(key).map(|i| i.unit).unwrap_or("");
    Series {
        name: name.to_string(),
        unit,
        values: buckets
            .iter()
            .map(|b| {
                out.rows
                    .iter()
                    .find(|r| r.period.as_deref() == Some(b.as_str()))
                    .and_then(|r| r.values.get(key).copied().flatten())
            })
            .collect(),
    }
}

const TODAY: &[&str] = &[
    "tickets_issued",
    "tickets_served",
    "wait_avg",
    "wait_over_rate",
    "good_rate",
    "cases_received",
    "instant_rate",
    "overdue_count",
];

/// The widget's figures for the hall (or the focused part of it), as of now.
pub async fn widget(
    state: &AppState,
    hall_id: &str,
    key: &str,
    focus: &Focus,
) -> AppResult<Widget> {
    let title = WIDGETS
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, t)| *t)
        .ok_or_else(|| {
            AppError::field(
                "widget",
                format!(
                    "未知的大屏组件“{key}”，可选：{}",
                    WIDGETS
                        .iter()
                        .map(|(k, _)| *k)
                        .collect::<Vec<_>>()
                        .join("、")
                ),
            )
        })?;
    let (filters, focus) = focus.filters(state, hall_id).await?;
    let on = On {
        state,
        hall_id,
        filters,
    };
    let now = govhall_kernel::time::local(chrono::Utc::now());
    let today = now.date_naive();
    let week_ago = today - Duration::days(7);
    let month_start = today.with_day(1).unwrap_or(today);
    let days30 = today - Duration::days(29);
    let (mut figures, mut categories, mut list) = (vec![], vec![], vec![]);
    let period;
    match key {
        "today" => {
            let before = Some(now.hour() + 1);
            let at = |d| Ask {
                indicators: TODAY,
                dimension: None,
                from: d,
                to: d,
                grain: None,
                before_hour: before,
            };
            let (now_out, then_out) = (on.ask(at(today)).await?, on.ask(at(week_ago)).await?);
            figures = TODAY
                .iter()
                .map(|k| figure(k, total(&now_out, k), total(&then_out, k)))
                .collect();
            period = today.to_string();
        }
        "hourly" => {
            let at = |d| Ask {
                indicators: &["tickets_issued", "wait_avg"],
                dimension: None,
                from: d,
                to: d,
                grain: Some(crate::dimensions::Grain::Hour),
                before_hour: None,
            };
            let (now_out, then_out) = (on.ask(at(today)).await?, on.ask(at(week_ago)).await?);
            categories = (7..=19).map(|h| h.to_string()).collect();
            list = vec![
                series(&now_out, "tickets_issued", "今日取号", &categories),
                series(&then_out, "tickets_issued", "上周同日取号", &categories),
                series(&now_out, "wait_avg", "今日平均等候", &categories),
            ];
            period = today.to_string();
        }
        "matters" | "departments" => {
            let (dim, inds): (&str, &[&str]) = if key == "matters" {
                ("matter", &["cases_received"])
            } else {
                ("department", &["cases_received", "overdue_count"])
            };
            let out = on
                .ask(Ask {
                    indicators: inds,
                    dimension: Some(dim),
                    from: month_start,
                    to: today,
                    grain: None,
                    before_hour: None,
                })
                .await?;
            let mut rows = out.rows.clone();
            rows.retain(|r| r.members.get(dim).is_some_and(|m| !m.id.is_empty()));
            rows.sort_by(|a, b| {
                let v = |r: &query::Row| r.values.get("cases_received").copied().flatten();
                v(b).partial_cmp(&v(a)).unwrap_or(std::cmp::Ordering::Equal)
            });
            rows.truncate(10);
            categories = rows.iter().map(|r| r.members[dim].label.clone()).collect();
            for k in inds {
                let i = indicators::find(k).expect("dictionary key");
                list.push(Series {
                    name: i.name.to_string(),
                    unit: i.unit,
                    values: rows
                        .iter()
                        .map(|r| r.values.get(*k).copied().flatten())
                        .collect(),
                });
            }
            period = format!("{month_start} 至 {today}");
        }
        "satisfaction" => {
            let keys = [
                "good_rate",
                "ratings_count",
                "bad_count",
                "rect_on_time_rate",
            ];
            let month = on
                .ask(Ask {
                    indicators: &keys,
                    dimension: None,
                    from: month_start,
                    to: today,
                    grain: None,
                    before_hour: None,
                })
                .await?;
            figures = keys
                .iter()
                .map(|k| figure(k, total(&month, k), None))
                .collect();
            let daily = on.ask(daily(&["good_rate"], days30, today)).await?;
            categories = days(days30, today);
            list = vec![series(&daily, "good_rate", "每日好评率", &categories)];
            period = format!("{month_start} 至 {today}");
        }
        _ => {
            let out = on
                .ask(daily(&["tickets_issued", "cases_received"], days30, today))
                .await?;
            categories = days(days30, today);
            list = vec![
                series(&out, "tickets_issued", "取号量", &categories),
                series(&out, "cases_received", "收件量", &categories),
            ];
            period = format!("{days30} 至 {today}");
        }
    }
    let (_, fresh) = crate::follower::position(&state.read)
        .await
        .map_err(AppError::internal)?;
    let fresh = fresh.and_then(|t| chrono::DateTime::from_timestamp(t, 0));
    Ok(Widget {
        widget: key.to_string(),
        title,
        period,
        figures,
        categories,
        series: list,
        focus,
        fresh_at: fresh,
    })
}

fn daily<'a>(indicators: &'a [&'a str], from: NaiveDate, to: NaiveDate) -> Ask<'a> {
    Ask {
        indicators,
        dimension: None,
        from,
        to,
        grain: Some(crate::dimensions::Grain::Day),
        before_hour: None,
    }
}

fn days(from: NaiveDate, to: NaiveDate) -> Vec<String> {
    from.iter_days()
        .take_while(|d| *d <= to)
        .map(|d| d.to_string())
        .collect()
}

//! The rules that write a report's highlights, problems and suggestions.
//! Each rule is explicit (a threshold named below) and quotes the figures it
//! found, so a reader can check it against the analysis pages.

use super::{KeyFigure, Period, Report, ask, show};
use crate::indicators::Better;
use crate::query::QueryOutput;
use govhall_kernel::error::AppResult;
use govhall_platform::AppState;

/// A key figure improving by at least this share (or, for rates, this many
/// percentage points) against the period before is a highlight.
const IMPROVED_SHARE: f64 = 0.05;
const IMPROVED_POINTS: f64 = 1.0;
/// A line whose 90th-percentile wait rose by this share and at least this many minutes.
const P90_RISE_SHARE: f64 = 0.10;
const P90_RISE_MINUTES: f64 = 1.0;
/// A window staffed but serving less than this share of its signed-in time.
const UNDER_USED_PERCENT: f64 = 30.0;
/// Matters with at least this many cases are ranked by their corrections.
const CORRECTION_MIN_CASES: f64 = 5.0;
/// How many of a matter's most frequent 补正 items a problem names.
const CORRECTION_ITEMS: usize = 3;
/// More than this share of waits over the threshold is a problem.
const OVER_WAIT_PERCENT: f64 = 10.0;
/// 差评 by what they are about: the count, then each part of the rating
/// with the suggestion when it leads.
const THEMES: [(&str, &str, &str); 4] = [
    ("bad_count", "", ""),
    (
        "bad_attitude_count",
        "服务态度",
        "差评以服务态度为主：开展服务礼仪与沟通培训，对相关窗口逐条回访，纳入月度考评。",
    ),
    (
        "bad_efficiency_count",
        "办事效率",
        "差评以办事效率为主：核查高峰时段窗口配置与办理时长，精简环节，推行预约与帮办分流。",
    ),
    (
        "bad_skill_count",
        "业务水平",
        "差评以业务水平为主：对相关事项开展业务培训与导师带训，核对一次性告知是否准确。",
    ),
];
/// A matter or window with at least this many 差评 is named.
const BAD_CLUSTER: f64 = 2.0;

#[derive(Default)]
pub struct Found {
    pub highlights: Vec<String>,
    pub problems: Vec<String>,
    pub suggestions: Vec<String>,
}

fn improved(f: &KeyFigure) -> Option<String> {
    let (v, p) = (f.value?, f.previous?);
    let sign = match f.better {
        Better::Higher => 1.0,
        Better::Lower => -1.0,
        Better::Neither => return None,
    };
    let good = if f.unit == "%" {
        (v - p) * sign >= IMPROVED_POINTS
    } else {
        p != 0.0 && (v - p) / p.abs() * sign >= IMPROVED_SHARE
    };
    good.then(|| {
        format!(
            "{}为 {}，较上期（{}）{}{}。",
            f.name,
            show(Some(v), &f.unit),
            show(Some(p), &f.unit),
            if v > p { "提高" } else { "下降" },
            if f.unit == "%" {
                format!(" {:.1} 个百分点", (v - p).abs())
            } else {
                format!(" {:.1}%", ((v - p) / p * 100.0).abs())
            }
        )
    })
}

fn members(out: &QueryOutput, dim: &str, key: &str) -> Vec<(String, f64, Option<f64>)> {
    out.rows
        .iter()
        .filter_map(|r| {
            let m = r.members.get(dim)?;
            let v = r.values.get(key).copied().flatten()?;
            (!m.id.is_empty()).then(|| {
                (
                    m.label.clone(),
                    v,
                    r.compare
                        .as_ref()
                        .and_then(|c| c.get(key).copied().flatten()),
                )
            })
        })
        .collect()
}

pub async fn find(state: &AppState, hall_id: &str, p: &Period, r: &Report) -> AppResult<Found> {
    // 亮点: figures that improved, and the ones already at the top.
    let mut out = Found {
        highlights: r.figures.iter().filter_map(improved).collect(),
        ..Found::default()
    };
    if let Some(v) = r.figure("good_rate").and_then(|f| f.value)
        && v >= 98.0
    {
        out.highlights
            .push(format!("好评率 {v:.1}%，群众满意度保持高位。"));
    }
    if let Some(v) = r.figure("on_time_rate").and_then(|f| f.value)
        && v >= 99.0
    {
        out.highlights
            .push(format!("按期办结率 {v:.1}%，承诺时限基本全部兑现。"));
    }
    if let Some(m) = r.top_matters.first() {
        out.highlights.push(format!(
            "办件量最多的事项是“{}”（{} 件），前十位事项合计 {} 件。",
            m.label,
            m.value,
            r.top_matters.iter().map(|m| m.value).sum::<f64>()
        ));
    }

    // Lines whose 90th-percentile wait rose most.
    let lines = ask(state, hall_id, &["wait_p90"], &["line"], p.from, p.to, None).await?;
    let lines_before = ask(
        state,
        hall_id,
        &["wait_p90"],
        &["line"],
        p.previous_from,
        p.previous_to,
        None,
    )
    .await?;
    let mut rises: Vec<(String, f64, f64)> = members(&lines, "line", "wait_p90")
        .into_iter()
        .filter_map(|(label, v, _)| {
            let before = members(&lines_before, "line", "wait_p90")
                .into_iter()
                .find(|(l, _, _)| *l == label)?
                .1;
            (v - before >= P90_RISE_MINUTES
                && before > 0.0
                && (v - before) / before >= P90_RISE_SHARE)
                .then_some((label, v, before))
        })
        .collect();
    rises.sort_by(|a, b| ((b.1 - b.2) / b.2).total_cmp(&((a.1 - a.2) / a.2)));
    for (label, v, before) in rises.iter().take(3) {
        out.problems.push(format!(
            "“{label}”队列 90 分位等候 {v:.1} 分钟，较上期（{before:.1} 分钟）上升 {:.1}%。",
            (v - before) / before * 100.0
        ));
    }
    if !rises.is_empty() {
        out.suggestions.push(format!(
            "在高峰时段为{}增开窗口或调配综合窗口支援，按“窗口测算”的建议窗口数排班。",
            rises
                .iter()
                .take(3)
                .map(|r| format!("“{}”", r.0))
                .collect::<Vec<_>>()
                .join("、")
        ));
    }
    if let Some(v) = r.figure("wait_over_rate").and_then(|f| f.value)
        && v > OVER_WAIT_PERCENT
    {
        out.problems.push(format!(
            "超时等候率 {v:.1}%，超过 {OVER_WAIT_PERCENT:.0}%。"
        ));
        out.suggestions
            .push("推广预约分时段办理，引导群众错峰；高峰前开足窗口。".into());
    }

    // Windows under-used.
    let windows = ask(
        state,
        hall_id,
        &["window_utilization"],
        &["window"],
        p.from,
        p.to,
        None,
    )
    .await?;
    let mut idle: Vec<(String, f64, Option<f64>)> =
        members(&windows, "window", "window_utilization")
            .into_iter()
            .filter(|(_, v, _)| *v < UNDER_USED_PERCENT)
            .collect();
    idle.sort_by(|a, b| a.1.total_cmp(&b.1));
    if !idle.is_empty() {
        out.problems.push(format!(
            "{} 个窗口利用率低于 {UNDER_USED_PERCENT:.0}%：{}。",
            idle.len(),
            idle.iter()
                .take(6)
                .map(|(l, v, _)| format!("{l}（{v:.1}%）"))
                .collect::<Vec<_>>()
                .join("、")
        ));
        out.suggestions
            .push("低利用率窗口改设为综合窗口或合并，人员调往高峰队列；结合导服分流。".into());
    }

    // Matters with most 补正.
    let matters = ask(
        state,
        hall_id,
        &["cases_received", "correction_rate"],
        &["matter"],
        p.from,
        p.to,
        None,
    )
    .await?;
    let mut corrections: Vec<(String, f64, f64, String)> = matters
        .rows
        .iter()
        .filter_map(|row| {
            let m = row.members.get("matter")?;
            let n = row.values.get("cases_received").copied().flatten()?;
            let rate = row.values.get("correction_rate").copied().flatten()?;
            (n >= CORRECTION_MIN_CASES && rate > 0.0)
                .then(|| (m.label.clone(), n, rate, m.id.clone()))
        })
        .collect();
    corrections.sort_by(|a, b| (b.1 * b.2).total_cmp(&(a.1 * a.2)));
    let items =
        crate::corrections::top_items(state, hall_id, p.from, p.to, CORRECTION_ITEMS).await?;
    for (label, n, rate, code) in corrections.iter().take(3) {
        let asked = items
            .get(code)
            .map(|list| {
                format!(
                    "；最常要求补正：{}",
                    list.iter()
                        .map(|(item, k)| format!("{item}（{k} 次）"))
                        .collect::<Vec<_>>()
                        .join("、")
                )
            })
            .unwrap_or_default();
        out.problems.push(format!(
            "“{label}”补正率 {rate:.1}%（收件 {n:.0} 件，约 {:.0} 件需补正{asked}）。",
            n * rate / 100.0
        ));
    }
    if !corrections.is_empty() {
        out.suggestions.push(format!(
            "修订{}的一次性告知单与材料示范文本，收件前增加预审，减少补正。",
            corrections
                .iter()
                .take(3)
                .map(|c| format!("“{}”", c.0))
                .collect::<Vec<_>>()
                .join("、")
        ));
    }

    // Departments with overdue cases.
    let depts = ask(
        state,
        hall_id,
        &["overdue_count"],
        &["department"],
        p.from,
        p.to,
        None,
    )
    .await?;
    let mut overdue: Vec<(String, f64, Option<f64>)> =
        members(&depts, "department", "overdue_count")
            .into_iter()
            .filter(|(_, v, _)| *v > 0.0)
            .collect();
    overdue.sort_by(|a, b| b.1.total_cmp(&a.1));
    if !overdue.is_empty() {
        out.problems.push(format!(
            "超期办件 {} 件，涉及：{}。",
            overdue.iter().map(|o| o.1).sum::<f64>(),
            overdue
                .iter()
                .map(|(l, v, _)| format!("{l} {v:.0} 件"))
                .collect::<Vec<_>>()
                .join("、")
        ));
        out.suggestions
            .push("对超期件逐件督办，核对承诺时限与特别程序登记；部门负责人每周通报进度。".into());
    }

    // Where 差评 cluster.
    for (dim, what) in [("matter", "事项"), ("window", "窗口")] {
        let bad = ask(state, hall_id, &["bad_count"], &[dim], p.from, p.to, None).await?;
        let mut named: Vec<(String, f64, Option<f64>)> = members(&bad, dim, "bad_count")
            .into_iter()
            .filter(|(_, v, _)| *v >= BAD_CLUSTER)
            .collect();
        named.sort_by(|a, b| b.1.total_cmp(&a.1));
        if !named.is_empty() {
            out.problems.push(format!(
                "差评集中的{what}：{}。",
                named
                    .iter()
                    .take(3)
                    .map(|(l, v, _)| format!("{l}（{v:.0} 条）"))
                    .collect::<Vec<_>>()
                    .join("、")
            ));
        }
    }
    // What the 差评 are about: the part of the rating scored as badly.
    let themes = ask(
        state,
        hall_id,
        &THEMES.map(|t| t.0),
        &[],
        p.from,
        p.to,
        None,
    )
    .await?;
    let count = |key: &str| {
        themes
            .rows
            .first()
            .and_then(|row| row.values.get(key).copied().flatten())
            .unwrap_or(0.0)
    };
    let bad = count("bad_count");
    let mut found: Vec<(&str, f64, &str)> = THEMES[1..]
        .iter()
        .map(|(key, name, advice)| (*name, count(key), *advice))
        .filter(|(_, n, _)| *n > 0.0)
        .collect();
    found.sort_by(|a, b| b.1.total_cmp(&a.1));
    if let Some((_, _, advice)) = found.first().filter(|_| bad > 0.0) {
        out.problems.push(format!(
            "差评 {bad:.0} 条，主要反映{}。",
            found
                .iter()
                .map(|(name, n, _)| format!("{name} {n:.0} 条（{:.0}%）", n / bad * 100.0))
                .collect::<Vec<_>>()
                .join("、")
        ));
        out.suggestions.push((*advice).to_string());
    }
    if let Some(v) = r.figure("rect_on_time_rate").and_then(|f| f.value)
        && v < 100.0
    {
        out.problems
            .push(format!("差评整改按期率 {v:.1}%，有整改逾期。"));
    }
    if out.problems.iter().any(|p| p.starts_with("差评")) {
        out.suggestions
            .push("对差评集中的事项和窗口回访群众、复盘办理过程，整改结果在本月内反馈。".into());
    }
    if out.problems.is_empty() {
        out.problems.push("本期未发现超过预警阈值的问题。".into());
    }
    Ok(out)
}

/// The opening paragraph: the period's main figures in one breath.
pub fn summary(r: &Report) -> String {
    let v = |k: &str| {
        r.figure(k)
            .map(|f| show(f.value, &f.unit))
            .unwrap_or_else(|| "—".into())
    };
    format!(
        "{}（{} 至 {}），大厅共取号 {}，窗口办理 {}；收件 {}，即办率 {}，按期办结率 {}。群众平均等候 {}（90 分位 {}），好评率 {}。",
        r.period_label,
        r.from,
        r.to,
        v("tickets_issued"),
        v("tickets_served"),
        v("cases_received"),
        v("instant_rate"),
        v("on_time_rate"),
        v("wait_avg"),
        v("wait_p90"),
        v("good_rate"),
    )
}

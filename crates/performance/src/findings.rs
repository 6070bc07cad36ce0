//! 异常服务行为: findings from rules over the projected facts (the same
//! tickets, window days, ratings and cases the figures are made of), or
//! entered by hand with their evidence; each with a 整改期限, the clerk's
//! explanation, and the manager's closure — upheld (put right, and the
//! points deducted with the finding as evidence) or dismissed.
//!
//! The rules, each run over a week (a second run finds nothing twice), with
//! the limits the hall sets (`finding_rules`):
//! - 暂停超时: a day's pauses at a window above the limit;
//! - 办理超时: a service more than a factor × the line's median that week
//!   and some minutes over it;
//! - 叫号未办理: a ticket called and then neither served nor marked 过号;
//! - 差评集中: so many 差评 of one person in the week (those found invalid
//!   on appeal not counted);
//! - 办件超期: a case promised that week, decided late or still open;
//! - 有人等候时空闲: a window idle at a stretch while people waited for
//!   its lines (`idle`).
//!
//! A finding by hand is refused for someone not on duty that day: on
//! approved leave, or with no clock mark or window sign-in.

use crate::entity::finding;
use crate::events::{
    FINDING_CLOSED, FINDING_EXPLAINED, FINDINGS_RAISED, FindingChanged, FindingsRaised,
};
use crate::finding_rules::{self, FindingRules};
use crate::points;
use chrono::{Datelike, Duration, NaiveDate, Utc};
use govhall_analytics::facts;
use govhall_directory::service as directory;
use govhall_kernel::{AppError, error::AppResult, new_id, time, validate::Checker};
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write},
    events::{Actor, commit_with},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use utoipa::ToSchema;

/// A line needs this many services in the week for its median to count.
const SLOW_MIN_SAMPLE: usize = 10;

pub const RULES: &[(&str, &str)] = &[
    ("long_pause", "暂停超时"),
    ("slow_service", "办理超时"),
    ("called_not_served", "叫号未办理"),
    ("bad_cluster", "差评集中"),
    ("overdue_case", "办件超期"),
    ("idle_waiting", "有人等候时空闲"),
    ("manual", "人工登记"),
];

pub fn rule_label(key: &str) -> &'static str {
    RULES.iter().find(|(k, _)| *k == key).map_or("", |(_, l)| l)
}

pub const STATUSES: &[(&str, &str)] = &[
    ("open", "待说明"),
    ("explained", "已说明，待核实"),
    ("rectified", "属实，已整改"),
    ("dismissed", "不属实，已撤销"),
];

fn status_label(s: &str) -> &'static str {
    STATUSES
        .iter()
        .find(|(k, _)| *k == s)
        .map_or("", |(_, l)| l)
}

/// A record a finding rests on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct EvidenceItem {
    /// ticket / window_day / rating / case / text
    pub kind: String,
    pub id: String,
    /// What people read: the ticket or case number, the window and day.
    pub label: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FindingDto {
    pub id: String,
    pub staff_id: String,
    pub employee_no: String,
    pub name: String,
    pub source: String,
    pub rule_key: String,
    pub rule_label: String,
    pub day: NaiveDate,
    pub week: NaiveDate,
    pub title: String,
    pub detail: String,
    pub evidence: Vec<EvidenceItem>,
    pub deadline: NaiveDate,
    pub overdue: bool,
    pub status: String,
    pub status_label: String,
    pub explanation: String,
    pub close_note: String,
    pub created_at: chrono::DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FindingsWeek {
    /// The Monday.
    pub week: NaiveDate,
    pub week_label: String,
    pub rows: Vec<FindingDto>,
    /// Earlier weeks' findings still open.
    pub carried_over: Vec<FindingDto>,
}

/// The Monday of `day`'s week.
pub fn monday(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

pub fn week_label(monday: NaiveDate) -> String {
    let iso = monday.iso_week();
    format!(
        "{}年第{}周（{}—{}）",
        iso.year(),
        iso.week(),
        monday.format("%-m月%-d日"),
        (monday + Duration::days(6)).format("%-m月%-d日")
    )
}

fn dto(f: finding::Model, staff: &HashMap<String, (String, String)>) -> FindingDto {
    let (no, name) = staff.get(&f.staff_id).cloned().unwrap_or_default();
    let today = time::today();
    FindingDto {
        overdue: matches!(f.status.as_str(), "open" | "explained") && f.deadline < today,
        rule_label: rule_label(&f.rule_key).into(),
        status_label: status_label(&f.status).into(),
        evidence: serde_json::from_str(&f.evidence).unwrap_or_default(),
        id: f.id,
        staff_id: f.staff_id,
        employee_no: no,
        name,
        source: f.source,
        rule_key: f.rule_key,
        day: f.day,
        week: f.week,
        title: f.title,
        detail: f.detail,
        deadline: f.deadline,
        status: f.status,
        explanation: f.explanation,
        close_note: f.close_note,
        created_at: f.created_at,
    }
}

async fn staff_names(
    state: &AppState,
    hall_id: &str,
) -> AppResult<HashMap<String, (String, String)>> {
    Ok(directory::hall_staff(&state.db, hall_id)
        .await?
        .into_iter()
        .map(|s| (s.id.to_string(), (s.employee_no, s.name)))
        .collect())
}

/// A finding a rule makes, before it is stored.
pub(crate) struct Found {
    pub staff_id: String,
    pub rule_key: &'static str,
    /// What the finding is about (a ticket, a window day …): found once.
    pub subject: String,
    pub day: NaiveDate,
    pub title: String,
    pub detail: String,
    pub evidence: Vec<EvidenceItem>,
}

fn parse_day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// What the rules find in the week.
async fn apply_rules(
    state: &AppState,
    hall_id: &str,
    week: NaiveDate,
    rules: &FindingRules,
) -> AppResult<Vec<Found>> {
    let today = time::today();
    let (from, to) = (
        week,
        (week + Duration::days(6)).min(today - Duration::days(1)),
    );
    let mut out = Vec::new();
    if from > to {
        return Ok(out);
    }
    govhall_analytics::follower::catch_up(&state.db, 5_000).await?;
    let windows: HashMap<String, String> = directory::windows(&state.db, hall_id)
        .await?
        .into_iter()
        .map(|w| (w.id.to_string(), w.code))
        .collect();
    let window = |id: &str| {
        windows
            .get(id)
            .map_or_else(|| "窗口".to_string(), |c| format!("{c} 号窗口"))
    };
    for d in facts::window_days(state, hall_id, from, to).await? {
        let minutes = d.paused_s / 60;
        if rules.on("long_pause") && minutes > rules.pause_limit_minutes {
            out.push(Found {
                staff_id: d.staff_id.clone(),
                rule_key: "long_pause",
                subject: format!("{}:{}:{}", d.window_id, d.staff_id, d.day),
                day: parse_day(&d.day),
                title: format!("{} 暂停 {minutes} 分钟", window(&d.window_id)),
                detail: format!(
                    "{} 在{}签到 {} 分钟，暂停累计 {minutes} 分钟，超过每日 {} 分钟的限度。",
                    d.day,
                    window(&d.window_id),
                    d.signed_s / 60,
                    rules.pause_limit_minutes
                ),
                evidence: vec![EvidenceItem {
                    kind: "window_day".into(),
                    id: format!("{}:{}", d.window_id, d.day),
                    label: format!("{} {}", d.day, window(&d.window_id)),
                }],
            });
        }
    }
    let tickets = facts::called_tickets(state, hall_id, from, to).await?;
    let mut by_line: HashMap<&str, Vec<f64>> = HashMap::new();
    for t in &tickets {
        if let (Some(s), "done") = (t.service_s, t.outcome.as_str()) {
            by_line
                .entry(t.line_id.as_str())
                .or_default()
                .push(s as f64 / 60.0);
        }
    }
    let medians: HashMap<&str, f64> = by_line
        .into_iter()
        .filter(|(_, v)| v.len() >= SLOW_MIN_SAMPLE)
        .map(|(k, mut v)| (k, median(&mut v)))
        .collect();
    for t in &tickets {
        let Some(staff) = &t.staff_id else {
            continue;
        };
        let w = t.window_id.as_deref().map(window).unwrap_or_default();
        if let (Some(s), Some(m)) = (t.service_s, medians.get(t.line_id.as_str())) {
            let minutes = s as f64 / 60.0;
            if rules.on("slow_service")
                && minutes > m * rules.slow_factor
                && minutes - m >= rules.slow_extra_minutes
            {
                out.push(Found {
                    staff_id: staff.clone(),
                    rule_key: "slow_service",
                    subject: t.id.clone(),
                    day: parse_day(&t.day),
                    title: format!("{} 号办理 {:.0} 分钟", t.number, minutes),
                    detail: format!(
                        "{} {}办理 {} 号用时 {:.0} 分钟，本周该业务办理时长中位数 {:.1} 分钟（超过 {} 倍且多出 {} 分钟以上）。",
                        t.day, w, t.number, minutes, m, rules.slow_factor, rules.slow_extra_minutes
                    ),
                    evidence: vec![EvidenceItem {
                        kind: "ticket".into(),
                        id: t.id.clone(),
                        label: format!("{} {}", t.day, t.number),
                    }],
                });
            }
        }
        let hanging = rules.on("called_not_served")
            && (t.outcome == "voided" || (t.outcome == "called" && parse_day(&t.day) < today));
        if hanging {
            out.push(Found {
                staff_id: staff.clone(),
                rule_key: "called_not_served",
                subject: t.id.clone(),
                day: parse_day(&t.day),
                title: format!("{} 号叫号后未办理", t.number),
                detail: format!(
                    "{} {}叫了 {} 号，之后既未开始办理，也未标记过号，号票日终作废。",
                    t.day, w, t.number
                ),
                evidence: vec![EvidenceItem {
                    kind: "ticket".into(),
                    id: t.id.clone(),
                    label: format!("{} {}", t.day, t.number),
                }],
            });
        }
    }
    if rules.on("idle_waiting") {
        out.extend(
            crate::idle::find(
                state,
                hall_id,
                (from, to),
                rules.idle_limit_minutes,
                &tickets,
                &window,
            )
            .await?,
        );
    }
    let mut bad: HashMap<String, Vec<facts::BadRating>> = HashMap::new();
    for r in facts::bad_ratings(state, hall_id, from, to).await? {
        bad.entry(r.staff_id.clone()).or_default().push(r);
    }
    let clusters = bad
        .into_iter()
        .filter(|(_, l)| rules.on("bad_cluster") && l.len() >= rules.bad_cluster);
    for (staff, list) in clusters {
        let numbers: Vec<&str> = list.iter().map(|r| r.number.as_str()).collect();
        out.push(Found {
            staff_id: staff.clone(),
            rule_key: "bad_cluster",
            subject: format!("{staff}:{week}"),
            day: list.last().map_or(week, |r| parse_day(&r.day)),
            title: format!("一周内差评 {} 条", list.len()),
            detail: format!(
                "本周收到差评 {} 条（{}），达到 {} 条的通报线。",
                list.len(),
                numbers.join("、"),
                rules.bad_cluster
            ),
            evidence: list
                .iter()
                .map(|r| EvidenceItem {
                    kind: "rating".into(),
                    id: r.id.clone(),
                    label: format!("{} {} 评 {} 分", r.day, r.number, r.overall),
                })
                .collect(),
        });
    }
    let overdue = if rules.on("overdue_case") {
        facts::overdue_cases(state, hall_id, from, to, today).await?
    } else {
        Vec::new()
    };
    for c in overdue {
        out.push(Found {
            staff_id: c.staff_id.clone(),
            rule_key: "overdue_case",
            subject: c.id.clone(),
            day: parse_day(&c.due_on),
            title: format!("办件 {} 超期", c.number),
            detail: match &c.decided_on {
                Some(d) => format!(
                    "办件 {}（{}）承诺 {} 办结，实际 {d} 办结。",
                    c.number, c.task_code, c.due_on
                ),
                None => format!(
                    "办件 {}（{}）承诺 {} 办结，至今未办结。",
                    c.number, c.task_code, c.due_on
                ),
            },
            evidence: vec![EvidenceItem {
                kind: "case".into(),
                id: c.id.clone(),
                label: c.number.clone(),
            }],
        });
    }
    Ok(out)
}

fn parse_week(raw: Option<&str>) -> AppResult<NaiveDate> {
    match raw {
        None => Ok(monday(time::today())),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(monday)
            .map_err(|_| AppError::field("week", "周须为该周任一天的日期，如 2026-12-07")),
    }
}

/// 按规则检查: the week's findings; those found before are kept as they are.
pub async fn scan(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    week: Option<&str>,
) -> AppResult<FindingsWeek> {
    let week = parse_week(week)?;
    let rules = finding_rules::get(state, hall_id).await?;
    let found = apply_rules(state, hall_id, week, &rules).await?;
    let existing: HashSet<(String, String)> = finding::Entity::find()
        .filter(finding::Column::HallId.eq(hall_id))
        .filter(finding::Column::Week.eq(week))
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .map(|f| (f.rule_key, f.subject))
        .collect();
    let cal = govhall_directory::calendar::load_for_hall(state, hall_id).await?;
    let deadline = cal.add_working_days(time::today(), rules.rectify_working_days);
    let now = Utc::now();
    let txn = begin_write(&state.db).await.db_err()?;
    let mut raised = 0;
    for f in found {
        if existing.contains(&(f.rule_key.to_string(), f.subject.clone())) {
            continue;
        }
        finding::ActiveModel {
            id: Set(new_id().to_string()),
            hall_id: Set(hall_id.to_string()),
            staff_id: Set(f.staff_id),
            source: Set("rule".into()),
            rule_key: Set(f.rule_key.into()),
            subject: Set(f.subject),
            day: Set(f.day),
            week: Set(week),
            title: Set(f.title),
            detail: Set(f.detail),
            evidence: Set(serde_json::to_string(&f.evidence).map_err(AppError::internal)?),
            deadline: Set(deadline),
            status: Set("open".into()),
            explanation: Set(String::new()),
            explained_at: Set(None),
            close_note: Set(String::new()),
            closed_by: Set(None),
            closed_at: Set(None),
            created_by: Set(actor.name.clone()),
            created_at: Set(now),
        }
        .insert(&txn)
        .await
        .db_err()?;
        raised += 1;
    }
    let ev = FINDINGS_RAISED.event(
        Some(hall_id),
        &FindingsRaised {
            week: week.to_string(),
            raised,
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    list(state, hall_id, Some(&week.to_string())).await
}

pub async fn list(state: &AppState, hall_id: &str, week: Option<&str>) -> AppResult<FindingsWeek> {
    let week = parse_week(week)?;
    let names = staff_names(state, hall_id).await?;
    let all = finding::Entity::find()
        .filter(finding::Column::HallId.eq(hall_id))
        .filter(finding::Column::Week.lte(week))
        .order_by_asc(finding::Column::Day)
        .all(&state.db)
        .await
        .db_err()?;
    let (this, earlier): (Vec<_>, Vec<_>) = all.into_iter().partition(|f| f.week == week);
    Ok(FindingsWeek {
        week,
        week_label: week_label(week),
        rows: this.into_iter().map(|f| dto(f, &names)).collect(),
        carried_over: earlier
            .into_iter()
            .filter(|f| matches!(f.status.as_str(), "open" | "explained"))
            .map(|f| dto(f, &names))
            .collect(),
    })
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ManualFindingInput {
    pub staff_id: String,
    pub day: NaiveDate,
    pub title: String,
    pub detail: String,
    /// What it rests on (a camera clip's time, a complaint's number …).
    pub evidence: String,
}

/// A finding entered by hand; refused for someone not on duty that day.
pub async fn raise(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    input: &ManualFindingInput,
) -> AppResult<FindingDto> {
    let names = staff_names(state, hall_id).await?;
    let mut ch = Checker::new();
    ch.check(
        names.contains_key(&input.staff_id),
        "staff_id",
        "本大厅没有这名工作人员",
    );
    ch.check(input.day <= time::today(), "day", "日期不能在将来");
    let title = ch.text("title", "问题", &input.title, 60);
    let detail = ch.text("detail", "情况说明", &input.detail, 1000);
    let evidence = ch.text("evidence", "依据", &input.evidence, 300);
    ch.finish()?;
    let key = (input.staff_id.clone(), input.day);
    let leave =
        govhall_hr::attendance::sheet::leave_days(state, hall_id, input.day, input.day).await?;
    if leave.contains_key(&key) {
        return Err(AppError::field(
            "day",
            format!(
                "该工作人员 {} 在请假，不在岗，不能登记异常服务行为",
                input.day
            ),
        ));
    }
    let marks = govhall_hr::attendance::sheet::marks(state, hall_id, input.day, input.day).await?;
    if !marks.contains_key(&key) {
        return Err(AppError::field(
            "day",
            format!(
                "该工作人员 {} 没有打卡或窗口签到记录，不在岗，不能登记异常服务行为",
                input.day
            ),
        ));
    }
    let cal = govhall_directory::calendar::load_for_hall(state, hall_id).await?;
    let rectify_days = finding_rules::get(state, hall_id)
        .await?
        .rectify_working_days;
    let txn = begin_write(&state.db).await.db_err()?;
    let row = finding::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall_id.to_string()),
        staff_id: Set(input.staff_id.clone()),
        source: Set("manual".into()),
        rule_key: Set("manual".into()),
        subject: Set(new_id().to_string()),
        day: Set(input.day),
        week: Set(monday(input.day)),
        title: Set(title),
        detail: Set(detail),
        evidence: Set(serde_json::to_string(&[EvidenceItem {
            kind: "text".into(),
            id: String::new(),
            label: evidence,
        }])
        .map_err(AppError::internal)?),
        deadline: Set(cal.add_working_days(time::today(), rectify_days)),
        status: Set("open".into()),
        explanation: Set(String::new()),
        explained_at: Set(None),
        close_note: Set(String::new()),
        closed_by: Set(None),
        closed_at: Set(None),
        created_by: Set(actor.name.clone()),
        created_at: Set(Utc::now()),
    }
    .insert(&txn)
    .await
    .db_err()?;
    let ev = FINDINGS_RAISED.event(
        Some(hall_id),
        &FindingsRaised {
            week: row.week.to_string(),
            raised: 1,
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    Ok(dto(row, &names))
}

async fn find(state: &AppState, hall_id: &str, id: &str) -> AppResult<finding::Model> {
    finding::Entity::find_by_id(id.to_string())
        .filter(finding::Column::HallId.eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("异常服务行为记录"))
}

/// The person's own findings, newest first.
pub async fn mine(state: &AppState, hall_id: &str, staff_id: &str) -> AppResult<Vec<FindingDto>> {
    let names = staff_names(state, hall_id).await?;
    Ok(finding::Entity::find()
        .filter(finding::Column::HallId.eq(hall_id))
        .filter(finding::Column::StaffId.eq(staff_id))
        .order_by_desc(finding::Column::Day)
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .map(|f| dto(f, &names))
        .collect())
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ExplanationInput {
    pub text: String,
}

/// The clerk explains (before it is closed).
pub async fn explain(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    staff_id: &str,
    id: &str,
    input: &ExplanationInput,
) -> AppResult<FindingDto> {
    let f = find(state, hall_id, id).await?;
    if f.staff_id != staff_id {
        return Err(AppError::not_found("异常服务行为记录"));
    }
    let mut ch = Checker::new();
    let text = ch.text("text", "情况说明", &input.text, 1000);
    ch.check(
        matches!(f.status.as_str(), "open" | "explained"),
        "status",
        format!("该记录{}，不能再说明", status_label(&f.status)),
    );
    ch.finish()?;
    let mut m = f.into_active_model();
    m.explanation = Set(text);
    m.explained_at = Set(Some(Utc::now()));
    m.status = Set("explained".into());
    let txn = begin_write(&state.db).await.db_err()?;
    let row = m.update(&txn).await.db_err()?;
    let ev = FINDING_EXPLAINED.event(Some(hall_id), &changed(&row));
    commit_with(state, txn, actor, vec![ev]).await?;
    Ok(dto(row, &staff_names(state, hall_id).await?))
}

fn changed(f: &finding::Model) -> FindingChanged {
    FindingChanged {
        finding_id: f.id.clone(),
        staff_id: f.staff_id.clone(),
        rule_key: f.rule_key.clone(),
        status: f.status.clone(),
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CloseInput {
    /// 属实 (the points are deducted, the finding as evidence) or not.
    pub upheld: bool,
    /// How it was put right, or why it is not upheld.
    pub note: String,
}

/// The manager closes a finding: upheld (rectified; the 异常服务行为 rule's
/// points deducted, the finding as the entry's evidence) or dismissed.
pub async fn close(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    id: &str,
    input: &CloseInput,
) -> AppResult<FindingDto> {
    let f = find(state, hall_id, id).await?;
    let mut ch = Checker::new();
    let note = ch.text(
        "note",
        if input.upheld {
            "整改情况"
        } else {
            "撤销理由"
        },
        &input.note,
        1000,
    );
    ch.check(
        matches!(f.status.as_str(), "open" | "explained"),
        "status",
        format!("该记录{}，不能再处理", status_label(&f.status)),
    );
    ch.finish()?;
    let per = points::event_points(state, hall_id, points::FINDING).await?;
    let month = format!("{}-{:02}", f.day.year(), f.day.month());
    let mut m = f.clone().into_active_model();
    m.status = Set(if input.upheld {
        "rectified"
    } else {
        "dismissed"
    }
    .into());
    m.close_note = Set(note);
    m.closed_by = Set(actor.id.clone());
    m.closed_at = Set(Some(Utc::now()));
    let txn = begin_write(&state.db).await.db_err()?;
    let row = m.update(&txn).await.db_err()?;
    if input.upheld && per != 0.0 {
        let b = points::Booked {
            rule: points::FINDING,
            staff_id: &f.staff_id,
            month: &month,
            points: per,
            reason: format!("异常服务行为经核实：{}", f.title),
            evidence: format!("异常服务行为记录 {}", f.id),
        };
        points::book(&txn, actor, hall_id, b).await?;
    }
    let ev = FINDING_CLOSED.event(Some(hall_id), &changed(&row));
    commit_with(state, txn, actor, vec![ev]).await?;
    Ok(dto(row, &staff_names(state, hall_id).await?))
}

/// The week's bulletin as a PDF: the findings by rule with their deadlines
/// and status, then the earlier weeks' findings still open.
pub fn bulletin_pdf(hall_name: &str, w: &FindingsWeek, rules: &FindingRules) -> AppResult<Vec<u8>> {
    let mut doc = govhall_pdf::Document::new(&format!("异常服务行为通报 {}", w.week_label));
    doc.heading(&format!("{hall_name}异常服务行为通报"), 18.0);
    doc.text(&w.week_label, 11.0, false);
    let mut counts: Vec<String> = Vec::new();
    for (key, label) in RULES {
        let n = w.rows.iter().filter(|f| f.rule_key == *key).count();
        if n > 0 {
            counts.push(format!("{label} {n} 起"));
        }
    }
    doc.text(
        &if w.rows.is_empty() {
            "本周未发现异常服务行为。".to_string()
        } else {
            format!(
                "本周发现异常服务行为 {} 起：{}。",
                w.rows.len(),
                counts.join("，")
            )
        },
        11.0,
        false,
    );
    let rows = |list: &[FindingDto]| -> Vec<Vec<String>> {
        list.iter()
            .map(|f| {
                vec![
                    format!("{} {}", f.employee_no, f.name),
                    f.day.format("%-m月%-d日").to_string(),
                    f.rule_label.clone(),
                    f.title.clone(),
                    f.deadline.format("%-m月%-d日").to_string(),
                    if f.explanation.is_empty() {
                        f.status_label.clone()
                    } else {
                        format!("{}：{}", f.status_label, f.explanation)
                    },
                ]
            })
            .collect()
    };
    let headers = ["人员", "日期", "类别", "问题", "整改期限", "状态与说明"];
    let widths = [1.6, 1.0, 1.1, 2.6, 1.1, 2.6];
    if !w.rows.is_empty() {
        doc.text("一、本周通报", 12.0, true);
        doc.table(&headers, &widths, &rows(&w.rows), 9.5);
    }
    doc.text(
        &format!("二、往期未整改完毕（{} 起）", w.carried_over.len()),
        12.0,
        true,
    );
    if w.carried_over.is_empty() {
        doc.text("无。", 10.5, false);
    } else {
        doc.table(&headers, &widths, &rows(&w.carried_over), 9.5);
    }
    doc.text(
        &format!(
            "请相关人员在整改期限（{} 个工作日）内于手机“考核与积分”页作出说明；逾期未整改的，纳入季度考核。系统监测规则：{}",
            rules.rectify_working_days,
            rules.describe()
        ),
        9.5,
        false,
    );
    govhall_pdf::render(doc).map_err(AppError::internal)
}

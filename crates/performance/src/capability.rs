//! 能力画像 and the 交叉轮岗 plan. A person is certified for a line when they
//! served at least [`CERTIFIED_SERVED`] of its tickets in the last
//! [`LOOKBACK_DAYS`] days (the analytics facts), or hold a window
//! authorisation (HR 窗口授权) at a window serving it — and, for each of the
//! line's matters that requires a course (培训上岗认证), may accept it now
//! (course completed, certificate valid, refresher done), so the counter
//! will not refuse them where the plan puts them. Type: 管理型 for the
//! center's managers and the 组长, 综合型 for three lines or more, 业务型
//! otherwise; level by tickets served in the period. The plan (`rotation`)
//! moves people across windows keeping every line covered; applying it sets
//! each moved person's window authorisation through the HR service.

use crate::events::{ROTATION_APPLIED, RotationApplied};
use crate::rotation::{self, Person, Plan, Window};
use chrono::{Duration, NaiveDate};
use govhall_analytics::query::{self, QueryInput};
use govhall_analytics::scope::Scope;
use govhall_directory::service as directory;
use govhall_kernel::{AppError, error::AppResult, time};
use govhall_platform::{AppState, events::Actor};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use utoipa::ToSchema;

pub const CERTIFIED_SERVED: f64 = 10.0;
pub const LOOKBACK_DAYS: i64 = 180;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LineRef {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Portrait {
    pub staff_id: String,
    pub employee_no: String,
    pub name: String,
    /// 管理型 / 业务型 / 综合型.
    pub kind: String,
    /// 初级 / 中级 / 高级.
    pub level: String,
    /// Tickets served in the period, by line id.
    pub served: BTreeMap<String, f64>,
    pub certified_lines: Vec<String>,
    /// Lines the person would be certified for but for a training
    /// requirement of one of its matters: `线路名：事项编码`.
    pub training_missing: Vec<String>,
    pub current_window: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanRow {
    pub window_id: String,
    pub window_code: String,
    pub lines: Vec<String>,
    pub current_staff: Option<String>,
    pub proposed_staff: Option<String>,
    pub moved: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CapabilityPage {
    pub lines: Vec<LineRef>,
    pub portraits: Vec<Portrait>,
    pub plan: Vec<PlanRow>,
    pub moved: usize,
    /// Lines covered by today's staffing, and by the plan.
    pub covered_today: Vec<String>,
    pub covered_after: Vec<String>,
    /// Lines nobody is certified for.
    pub without_certified: Vec<String>,
    /// The plan scheduled for a later day, if any (then `plan` is that plan).
    pub scheduled: Option<crate::rotation_plans::RotationRecord>,
    /// The latest plans applied, cancelled or failed, newest first.
    pub history: Vec<crate::rotation_plans::RotationRecord>,
}

/// Everything the plan needs: windows, people, portraits, line names.
struct Facts {
    lines: Vec<LineRef>,
    windows: Vec<(Window, String)>,
    people: Vec<Person>,
    portraits: Vec<Portrait>,
}

/// Each line's matters that require a course, with the line's name.
struct Gated {
    name: String,
    matters: Vec<String>,
}

async fn gated_matters(state: &AppState, hall_id: &str) -> AppResult<HashMap<String, Gated>> {
    let required: BTreeSet<String> = govhall_training::gate::list(state, hall_id)
        .await?
        .into_iter()
        .map(|r| r.task_code)
        .collect();
    Ok(govhall_queue::lines::list(state, hall_id)
        .await?
        .into_iter()
        .filter_map(|l| {
            let matters: Vec<String> = l
                .matters
                .iter()
                .filter(|m| required.contains(*m))
                .cloned()
                .collect();
            (!matters.is_empty()).then_some((
                l.id,
                Gated {
                    name: l.name,
                    matters,
                },
            ))
        })
        .collect())
}

/// Removes from `certified` the lines with a matter the person may not
/// accept yet (no account counts as untrained); says which.
async fn drop_untrained(
    state: &AppState,
    hall_id: &str,
    staff_id: &str,
    gated: &HashMap<String, Gated>,
    certified: &mut BTreeSet<String>,
) -> AppResult<Vec<String>> {
    let mut missing = Vec::new();
    if !certified.iter().any(|l| gated.contains_key(l)) {
        return Ok(missing);
    }
    let account = govhall_platform::auth::service::account_of_staff(&state.db, staff_id).await?;
    let lines: Vec<String> = certified.iter().cloned().collect();
    for line in lines {
        let Some(g) = gated.get(&line) else {
            continue;
        };
        for m in &g.matters {
            let ok = match &account {
                Some(a) => govhall_training::gate::certified_for(state, hall_id, &a.id, m).await?,
                None => false,
            };
            if !ok {
                missing.push(format!("{}：{m}", g.name));
                certified.remove(&line);
                break;
            }
        }
    }
    Ok(missing)
}

async fn gather(state: &AppState, hall_id: &str) -> AppResult<Facts> {
    let today = time::today();
    let lines: Vec<LineRef> = govhall_queue::lines::list(state, hall_id)
        .await?
        .into_iter()
        .filter(|l| l.active)
        .map(|l| LineRef {
            id: l.id,
            name: l.name,
        })
        .collect();
    let all_lines: BTreeSet<String> = lines.iter().map(|l| l.id.clone()).collect();
    let gated = gated_matters(state, hall_id).await?;
    let skills = govhall_queue::lines::all_skills(state, hall_id).await?;
    let windows: Vec<(Window, String)> = directory::windows(&state.db, hall_id)
        .await?
        .into_iter()
        .map(|w| {
            let mine: BTreeSet<String> = skills
                .iter()
                .filter(|s| s.window_id == w.id.as_str())
                .map(|s| s.line_id.clone())
                .collect();
            let lines = if mine.is_empty() {
                all_lines.clone()
            } else {
                mine
            };
            (
                Window {
                    id: w.id.to_string(),
                    lines,
                },
                w.code,
            )
        })
        .collect();
    govhall_analytics::follower::catch_up(&state.db, 5_000).await?;
    let from = today - Duration::days(LOOKBACK_DAYS);
    let input = QueryInput::over(&["tickets_served"], &["staff", "line"], from, today);
    let mut served: HashMap<String, BTreeMap<String, f64>> = HashMap::new();
    for row in query::run(state, hall_id, &Scope::Hall, &input).await?.rows {
        if let (Some(s), Some(l), Some(Some(v))) = (
            row.members.get("staff"),
            row.members.get("line"),
            row.values.get("tickets_served"),
        ) {
            served
                .entry(s.id.clone())
                .or_default()
                .insert(l.id.clone(), *v);
        }
    }
    // Where each works today: the window with the most signed-in time lately.
    let mut at: HashMap<String, HashMap<String, i64>> = HashMap::new();
    for d in
        govhall_analytics::facts::window_days(state, hall_id, today - Duration::days(30), today)
            .await?
    {
        *at.entry(d.staff_id)
            .or_default()
            .entry(d.window_id)
            .or_default() += d.signed_s;
    }
    let leaders: BTreeSet<String> = govhall_hr::groups::list(state, hall_id)
        .await?
        .into_iter()
        .map(|g| g.leader_staff_id)
        .collect();
    let mut people = Vec::new();
    let mut portraits = Vec::new();
    for s in directory::hall_staff(&state.db, hall_id).await? {
        let id = s.id.to_string();
        let mine = served.remove(&id).unwrap_or_default();
        let mut certified: BTreeSet<String> = mine
            .iter()
            .filter(|(_, n)| **n >= CERTIFIED_SERVED)
            .map(|(l, _)| l.clone())
            .collect();
        for w in govhall_hr::grants::of_staff(&state.db, &id).await? {
            if let Some((win, _)) = windows.iter().find(|(x, _)| x.id == w) {
                certified.extend(win.lines.iter().cloned());
            }
        }
        let training_missing = drop_untrained(state, hall_id, &id, &gated, &mut certified).await?;
        let current = at
            .get(&id)
            .and_then(|m| m.iter().max_by_key(|(_, s)| **s).map(|(w, _)| w.clone()));
        let total: f64 = mine.values().sum();
        let kind = if s.position == "center_admin" || leaders.contains(&id) {
            "管理型"
        } else if certified.len() >= 3 {
            "综合型"
        } else {
            "业务型"
        };
        let level = if total >= 1500.0 {
            "高级"
        } else if total >= 500.0 {
            "中级"
        } else {
            "初级"
        };
        portraits.push(Portrait {
            staff_id: id.clone(),
            employee_no: s.employee_no.clone(),
            name: s.name.clone(),
            kind: kind.into(),
            level: level.into(),
            served: mine,
            certified_lines: certified.iter().cloned().collect(),
            training_missing,
            current_window: current.clone(),
        });
        if s.position != "center_admin" {
            people.push(Person {
                id,
                current,
                certified,
            });
        }
    }
    Ok(Facts {
        lines,
        windows,
        people,
        portraits,
    })
}

fn page_of(f: &Facts, plan: &Plan) -> CapabilityPage {
    let windows: Vec<Window> = f.windows.iter().map(|(w, _)| w.clone()).collect();
    let today = rotation::today(&windows, &f.people);
    let name = |id: &str| {
        f.portraits
            .iter()
            .find(|p| p.staff_id == id)
            .map(|p| format!("{} {}", p.employee_no, p.name))
    };
    let rows: Vec<PlanRow> = f
        .windows
        .iter()
        .map(|(w, code)| {
            let now = today.get(&w.id);
            let next = plan.get(&w.id);
            PlanRow {
                window_id: w.id.clone(),
                window_code: code.clone(),
                lines: w.lines.iter().cloned().collect(),
                current_staff: now.and_then(|p| name(p)),
                proposed_staff: next.cloned(),
                moved: next.is_some_and(|p| {
                    f.people
                        .iter()
                        .find(|x| &x.id == p)
                        .is_some_and(|x| x.current.as_deref() != Some(w.id.as_str()))
                }),
            }
        })
        .collect();
    let certified_any: BTreeSet<&String> =
        f.people.iter().flat_map(|p| p.certified.iter()).collect();
    CapabilityPage {
        lines: f.lines.clone(),
        portraits: f.portraits.clone(),
        moved: rows.iter().filter(|r| r.moved).count(),
        plan: rows,
        covered_today: rotation::covered(&windows, &today).into_iter().collect(),
        covered_after: rotation::covered(&windows, plan).into_iter().collect(),
        without_certified: f
            .lines
            .iter()
            .filter(|l| !certified_any.contains(&l.id))
            .map(|l| l.id.clone())
            .collect(),
        scheduled: None,
        history: Vec::new(),
    }
}

/// The portraits and a plan: the one scheduled, else a proposal.
pub async fn page(state: &AppState, hall_id: &str) -> AppResult<CapabilityPage> {
    let f = gather(state, hall_id).await?;
    let windows: Vec<Window> = f.windows.iter().map(|(w, _)| w.clone()).collect();
    let plan = match crate::rotation_plans::scheduled_plan(state, hall_id).await? {
        Some(plan) => plan,
        None => rotation::propose(&windows, &f.people),
    };
    let mut page = page_of(&f, &plan);
    crate::rotation_plans::attach(state, hall_id, &mut page).await?;
    Ok(page)
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct Assignment {
    pub window_id: String,
    pub staff_id: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ApplyInput {
    /// The plan as edited: each staffed window and its person.
    pub assignments: Vec<Assignment>,
    /// 执行日期: a later day schedules the plan for that morning (within
    /// [`SCHEDULE_DAYS`] days); today, or none, applies it at once.
    #[serde(default)]
    pub effective_on: Option<NaiveDate>,
}

/// How far ahead a plan may be scheduled (a quarter).
pub const SCHEDULE_DAYS: i64 = 92;

/// Applies a plan (as proposed or edited), or schedules it for a later
/// day: refused, with every problem named, when someone is not certified
/// for their window or a line covered today would lose its cover.
pub async fn apply(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    input: &ApplyInput,
) -> AppResult<CapabilityPage> {
    let plan: Plan = input
        .assignments
        .iter()
        .map(|a| (a.window_id.clone(), a.staff_id.clone()))
        .collect();
    let today = time::today();
    match input.effective_on {
        Some(d) if d < today => Err(AppError::field("effective_on", "执行日期不能早于今天")),
        Some(d) if d > today + Duration::days(SCHEDULE_DAYS) => Err(AppError::field(
            "effective_on",
            format!("执行日期须在 {SCHEDULE_DAYS} 天之内"),
        )),
        Some(d) if d > today => {
            let f = gather(state, hall_id).await?;
            refuse_problems(&f, &plan)?;
            let moved = page_of(&f, &plan).moved;
            crate::rotation_plans::schedule(state, actor, hall_id, d, &plan, moved).await?;
            page(state, hall_id).await
        }
        _ => {
            let mut page = apply_now(state, actor, hall_id, &plan).await?;
            crate::rotation_plans::record_applied(state, actor, hall_id, &plan).await?;
            crate::rotation_plans::attach(state, hall_id, &mut page).await?;
            Ok(page)
        }
    }
}

/// Every problem of a plan, named, as one refusal.
fn refuse_problems(f: &Facts, plan: &Plan) -> AppResult<()> {
    let windows: Vec<Window> = f.windows.iter().map(|(w, _)| w.clone()).collect();
    let name = |id: &str| {
        f.portraits.iter().find(|p| p.staff_id == id).map_or_else(
            || id.to_string(),
            |p| format!("{} {}", p.employee_no, p.name),
        )
    };
    let code = |id: &str| {
        f.windows
            .iter()
            .find(|(w, _)| w.id == id)
            .map_or_else(|| id.to_string(), |(_, c)| format!("{c} 号窗口"))
    };
    let line = |id: &str| {
        f.lines
            .iter()
            .find(|l| l.id == id)
            .map_or(id, |l| l.name.as_str())
            .to_string()
    };
    let mut problems = Vec::new();
    if plan.is_empty() {
        problems.push("方案中没有安排任何人员".to_string());
    }
    let mut seen = BTreeSet::new();
    for (w, p) in plan {
        let win = windows.iter().find(|x| &x.id == w);
        let person = f.people.iter().find(|x| &x.id == p);
        match (win, person) {
            (Some(win), Some(person)) if !rotation::eligible(person, win) => {
                problems.push(format!("{} 未取得 {} 全部业务的资格", name(p), code(w)))
            }
            (None, _) | (_, None) => {
                problems.push(format!("方案中的 {} 或 {} 不是本大厅的", code(w), name(p)))
            }
            _ => {}
        }
        if !seen.insert(p.clone()) {
            problems.push(format!("{} 被安排到多个窗口", name(p)));
        }
    }
    let before = rotation::covered(&windows, &rotation::today(&windows, &f.people));
    let after = rotation::covered(&windows, plan);
    for l in before.difference(&after) {
        problems.push(format!("业务“{}”现在有人能办，按方案无人能办", line(l)));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(AppError::field("assignments", problems.join("；")))
    }
}

/// Checks a plan against today's staff and applies it: each person's
/// window authorisation becomes their planned window. Answers the plan as
/// it stood against the staffing before.
pub(crate) async fn apply_now(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    plan: &Plan,
) -> AppResult<CapabilityPage> {
    let f = gather(state, hall_id).await?;
    refuse_problems(&f, plan)?;
    for (w, p) in plan {
        govhall_hr::grants::set(state, &actor.name, hall_id, p, std::slice::from_ref(w)).await?;
    }
    let page = page_of(&f, plan);
    let txn = govhall_platform::db::begin_write(&state.db)
        .await
        .map_err(AppError::internal)?;
    let ev = ROTATION_APPLIED.event(
        Some(hall_id),
        &RotationApplied {
            windows: plan.len(),
            moved: page.moved,
        },
    );
    govhall_platform::events::commit_with(state, txn, actor, vec![ev]).await?;
    Ok(page)
}

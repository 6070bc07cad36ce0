//! `govhall demo history`: N days of a district hall's past activity, written
//! as the modules' own typed events with the times they would have happened,
//! so the analytics, screens and benchmarks have years to show.
//!
//! What it models: arrivals by hour (morning and afternoon peaks), weekday
//! (Monday busiest) and month (quiet at the Spring Festival, busy in March and
//! December), only on the hall's working days (holidays and 调休 from the
//! calendar); appointment, mobile and proxy shares; the green channel;
//! no-shows; service times per line from a skewed (log-normal) distribution;
//! windows staffed by their clerks, with a few absences and, at about half the
//! windows, a pause of a few minutes between two people; the queue itself is
//! replayed by the planning simulation, so waits follow from staffing; cases
//! on most visits with the matter's promised limit (即办, 补正 — asking for the
//! matter's materials, the first of its guide most often — then 受理, 容缺,
//! 不予受理, a few overdue); 好差评 with a realistic mix, a 差评 mostly about
//! one part of the rating (态度, 效率, 业务), rectified; guidance searches.
//!
//! What it does not: the past tickets and cases exist as events (and so in the
//! analytics), not as rows of the queue's and the cases' own tables — those
//! hold today's work; no transfers between lines; no 一件事 joint intakes.

use anyhow::Context as _;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use govhall_analytics::planning::simulate;
use govhall_platform::{
    AppState,
    auth::{Role, service as accounts},
    events::{Actor, NewEvent},
};
use rand::{Rng, SeedableRng, rngs::StdRng};
use std::collections::HashMap;

/// What to write.
#[derive(Debug, Clone)]
pub struct HistoryPlan {
    pub hall: String,
    /// Calendar days back from yesterday.
    pub days: u32,
    /// Tickets on an average working day.
    pub daily_tickets: f64,
    pub seed: u64,
}

#[derive(Debug, Default, Clone)]
pub struct Written {
    pub days: u32,
    pub tickets: usize,
    pub cases: usize,
    pub ratings: usize,
    pub events: usize,
}

struct Line {
    id: String,
    prefix: String,
    weight: f64,
    /// Median service minutes.
    median: f64,
}

struct Desk {
    /// The window as its events describe it (pauses repeat it).
    view: govhall_directory::windows::WindowDto,
    window_id: String,
    code: String,
    name: String,
    department: Option<String>,
    lines: Vec<usize>,
    staff_id: String,
    actor: Actor,
}

struct Matter {
    code: String,
    name: String,
    version: i32,
    department: Option<String>,
    promise_days: u32,
    /// The materials' names, in the guide's order (the first ones are asked for most).
    materials: Vec<String>,
}

/// Each event of a day with its time, written in time order.
type Day = Vec<(DateTime<Utc>, Actor, NewEvent)>;

fn at(day: NaiveDate, seconds: f64) -> DateTime<Utc> {
    let local = govhall_kernel::time::HALL_TZ
        .from_local_datetime(&day.and_time(NaiveTime::MIN))
        .single()
        .expect("Shanghai has no DST");
    (local + Duration::milliseconds((seconds * 1000.0) as i64)).with_timezone(&Utc)
}

/// A log-normal draw with this median and spread.
fn lognormal(rng: &mut StdRng, median: f64, sigma: f64) -> f64 {
    // Box–Muller.
    let (u1, u2): (f64, f64) = (rng.r#gen::<f64>().max(1e-12), rng.r#gen());
    let z = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
    median * (sigma * z).exp()
}

/// Arrivals by hour of the day (share of the day), 9:00–17:00 with a lunch dip.
const HOURLY: [(u32, f64); 8] = [
    (9, 0.14),
    (10, 0.17),
    (11, 0.14),
    (12, 0.08),
    (13, 0.09),
    (14, 0.14),
    (15, 0.13),
    (16, 0.11),
];

fn month_factor(m: u32) -> f64 {
    [
        0.95, 0.7, 1.2, 1.05, 1.0, 1.05, 1.1, 1.0, 1.05, 0.95, 1.0, 1.15,
    ][(m - 1) as usize]
}

fn weekday_factor(d: NaiveDate) -> f64 {
    [1.25, 1.05, 1.0, 0.95, 0.85, 0.5, 0.4][d.weekday().num_days_from_monday() as usize]
}

async fn desks(
    state: &AppState,
    hall_id: &str,
    lines: &[Line],
    rng: &mut StdRng,
) -> anyhow::Result<Vec<Desk>> {
    let windows = govhall_directory::service::windows(&state.db, hall_id).await?;
    let views = govhall_directory::service::window_views(state, hall_id).await?;
    let skills = govhall_queue::lines::all_skills(state, hall_id).await?;
    let staff = govhall_directory::service::hall_staff(&state.db, hall_id).await?;
    let clerks: Vec<_> = staff
        .iter()
        .filter(|s| s.position == "window_staff")
        .collect();
    let line_index: HashMap<&str, usize> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| (l.id.as_str(), i))
        .collect();
    let mut out = Vec::new();
    let serving: Vec<_> = windows
        .iter()
        .filter(|w| matches!(w.kind.as_str(), "comprehensive" | "professional"))
        .collect();
    for (n, w) in serving.iter().enumerate() {
        let mut served: Vec<usize> = skills
            .iter()
            .filter(|s| w.id == s.window_id.as_str())
            .filter_map(|s| line_index.get(s.line_id.as_str()).copied())
            .collect();
        if served.is_empty() {
            // A window without skills serves every line.
            served = (0..lines.len()).collect();
        }
        let Some(clerk) = clerks.get(n % clerks.len().max(1)) else {
            continue;
        };
        let account = match accounts::account_of_staff(&state.db, clerk.id.as_ref()).await? {
            Some(a) => a.id,
            None => {
                let password = format!("Hist@{:016x}Aa", rng.r#gen::<u64>());
                accounts::create_user(
                    state,
                    &Actor::system(),
                    accounts::NewUser {
                        username: format!("h{}", clerk.employee_no.to_lowercase()),
                        display_name: clerk.name.clone(),
                        password,
                        roles: vec![Role::WindowStaff],
                        custom_roles: vec![],
                        hall_id: Some(hall_id.to_string()),
                        staff_id: Some(clerk.id.to_string()),
                        must_change_password: true,
                    },
                )
                .await?
            }
        };
        let Some(view) = views.iter().find(|v| w.id == v.id.as_str()) else {
            continue;
        };
        out.push(Desk {
            view: view.clone(),
            window_id: w.id.to_string(),
            code: w.code.clone(),
            name: w.name.clone(),
            department: w.department_id.as_ref().map(|d| d.to_string()),
            lines: served,
            staff_id: clerk.id.to_string(),
            actor: Actor {
                id: Some(account),
                name: clerk.name.clone(),
            },
        });
    }
    Ok(out)
}

async fn matters(state: &AppState, hall_id: &str) -> anyhow::Result<Vec<Matter>> {
    let mut out = Vec::new();
    for it in govhall_catalog::service::hall_items(state, hall_id).await? {
        if it.published_version.is_none() {
            continue;
        }
        let (version, doc) = govhall_catalog::service::published(state, &it).await?;
        out.push(Matter {
            code: it.task_code.clone(),
            name: it.task_name.clone(),
            version,
            department: it.department.map(|d| d.to_string()),
            promise_days: doc.promise_day,
            materials: doc.materials.iter().map(|m| m.name.clone()).collect(),
        });
    }
    Ok(out)
}

/// Writes the history and brings the analytics up to date.
pub async fn generate(state: &AppState, plan: &HistoryPlan) -> anyhow::Result<Written> {
    let hall = govhall_directory::service::hall(state, &plan.hall)
        .await
        .context("大厅不存在")?;
    let hall_id = hall.id.to_string();
    let mut rng = StdRng::seed_from_u64(plan.seed);
    let lines: Vec<Line> = govhall_queue::lines::list(state, &hall_id)
        .await?
        .into_iter()
        .enumerate()
        .map(|(i, l)| Line {
            id: l.id,
            prefix: l.prefix,
            weight: 0.0,
            median: 5.0 + (i % 3) as f64 * 1.5,
        })
        .collect();
    anyhow::ensure!(!lines.is_empty(), "大厅没有业务队列，无法生成历史");
    let desks = desks(state, &hall_id, &lines, &mut rng).await?;
    anyhow::ensure!(!desks.is_empty(), "大厅没有综合或专业窗口，无法生成历史");
    // Demand follows the hall's staffing (as a hall's windows grew to meet
    // it): each line draws in proportion to the windows serving it.
    let mut lines = lines;
    for d in &desks {
        for &l in &d.lines {
            lines[l].weight += 1.0 / d.lines.len() as f64;
        }
    }
    let matters = matters(state, &hall_id).await?;
    let calendar = govhall_directory::calendar::load_for_hall(state, &hall_id).await?;
    let today = govhall_kernel::time::today();
    let now = Utc::now();
    let mut written = Written::default();
    for back in (1..=plan.days).rev() {
        let day = today - Duration::days(i64::from(back));
        if !calendar.is_working_day(day) {
            continue;
        }
        let mut rng = StdRng::seed_from_u64(
            plan.seed ^ (day.num_days_from_ce() as u64).wrapping_mul(0x9E37_79B9),
        );
        let mut evs = Day::new();
        let counts = one_day(
            &hall_id, &hall.code, day, plan, &lines, &desks, &matters, &calendar, &mut rng,
            &mut evs,
        );
        evs.retain(|(t, ..)| *t < now);
        evs.sort_by_key(|(t, ..)| *t);
        written.days += 1;
        written.tickets += counts.0;
        written.cases += counts.1;
        written.ratings += counts.2;
        written.events += evs.len();
        let txn = govhall_platform::db::begin_write(&state.db).await?;
        let mut rest = evs;
        while !rest.is_empty() {
            let tail = rest.split_off(rest.len().min(2_000));
            govhall_platform::events::append_history(
                &txn,
                rest.into_iter().map(|(t, a, e)| (a, e, t)).collect(),
            )
            .await?;
            rest = tail;
        }
        txn.commit().await?;
    }
    govhall_analytics::follower::catch_up(&state.db, govhall_analytics::follower::REBUILD_BATCH)
        .await?;
    Ok(written)
}

/// One working day of the hall; returns (tickets, cases, ratings).
#[allow(clippy::too_many_arguments)]
fn one_day(
    hall_id: &str,
    hall_code: &str,
    day: NaiveDate,
    plan: &HistoryPlan,
    lines: &[Line],
    desks: &[Desk],
    matters: &[Matter],
    calendar: &govhall_kernel::calendar::WorkCalendar,
    rng: &mut StdRng,
    evs: &mut Day,
) -> (usize, usize, usize) {
    use govhall_queue::events as qe;
    use govhall_ratings::events as re;
    let hall = Some(hall_id);
    let expected = plan.daily_tickets
        * month_factor(day.month())
        * weekday_factor(day)
        * rng.gen_range(0.85..1.15);
    let n = expected.round().max(0.0) as usize;
    let total_weight: f64 = lines.iter().map(|l| l.weight).sum();
    // Arrivals: hour by the profile, minute uniform; line by weight.
    let mut arrivals: Vec<(f64, usize)> = (0..n)
        .map(|_| {
            let mut r = rng.r#gen::<f64>();
            let hour = HOURLY
                .iter()
                .find(|(_, s)| {
                    r -= s;
                    r <= 0.0
                })
                .map_or(16, |(h, _)| *h);
            let t = f64::from(hour) * 3600.0 + rng.r#gen::<f64>() * 3600.0;
            let mut w = rng.r#gen::<f64>() * total_weight;
            let line = lines
                .iter()
                .position(|l| {
                    w -= l.weight;
                    w <= 0.0
                })
                .unwrap_or(0);
            (t, line)
        })
        .collect();
    arrivals.sort_by(|a, b| a.0.total_cmp(&b.0));
    // 3 % do not come when called; they hold the window a minute.
    let no_show: Vec<bool> = (0..n).map(|_| rng.gen_bool(0.03)).collect();
    let sim_arrivals: Vec<simulate::Arrival> = arrivals
        .iter()
        .zip(&no_show)
        .map(|(&(t, line), &gone)| simulate::Arrival {
            at: t,
            line,
            service: if gone {
                60.0
            } else {
                lognormal(rng, lines[line].median * 60.0, 0.6).clamp(60.0, 5400.0)
            },
        })
        .collect();
    // Some windows are unstaffed today (leave, training).
    let present: Vec<usize> = (0..desks.len()).filter(|_| rng.gen_bool(0.93)).collect();
    let specs: Vec<simulate::WindowSpec> = present
        .iter()
        .map(|&d| simulate::WindowSpec {
            lines: desks[d].lines.clone(),
        })
        .collect();
    let out = simulate::run(&sim_arrivals, &specs, lines.len());
    let open = f64::from(8 * 3600 + 55 * 60);
    for &d in &present {
        let desk = &desks[d];
        let signed_in = govhall_directory::events::WindowSignedIn {
            window_id: desk.window_id.clone(),
            code: desk.code.clone(),
            name: desk.name.clone(),
            user_id: desk.actor.id.clone().unwrap_or_default(),
            staff_name: desk.actor.name.clone(),
        };
        evs.push((
            at(day, open + rng.gen_range(0.0..600.0)),
            desk.actor.clone(),
            govhall_directory::events::WINDOW_SIGNED_IN.event(hall, &signed_in),
        ));
        let out_ev = govhall_directory::events::WindowSignedOut {
            window_id: desk.window_id.clone(),
            code: desk.code.clone(),
            user_id: signed_in.user_id.clone(),
        };
        evs.push((
            at(day, 17.0 * 3600.0 + rng.gen_range(300.0..1800.0)),
            desk.actor.clone(),
            govhall_directory::events::WINDOW_SIGNED_OUT.event(hall, &out_ev),
        ));
    }
    let mut numbers = vec![0u32; lines.len()];
    let mut number_of = vec![String::new(); n];
    let mut ids = vec![String::new(); n];
    for (i, &(t, line)) in arrivals.iter().enumerate() {
        numbers[line] += 1;
        number_of[i] = format!("{}{:03}", lines[line].prefix, numbers[line]);
        ids[i] = govhall_kernel::new_id().to_string();
        let r: f64 = rng.r#gen();
        let (class, channel) = match r {
            r if r < 0.15 => ("appointment", "appointment"),
            r if r < 0.17 => ("green", "proxy"),
            r if r < 0.35 => ("normal", "mobile"),
            r if r < 0.42 => ("normal", "proxy"),
            _ => ("normal", "kiosk"),
        };
        let appointment_id = (class == "appointment").then(|| govhall_kernel::new_id().to_string());
        if let Some(a) = &appointment_id {
            let from = NaiveTime::from_num_seconds_from_midnight_opt(((t as u32) / 1800) * 1800, 0)
                .unwrap_or(NaiveTime::MIN);
            let booked = qe::AppointmentBooked {
                appointment_id: a.clone(),
                line_id: lines[line].id.clone(),
                day: day.to_string(),
                from: from.format("%H:%M").to_string(),
                to: (from + Duration::minutes(30)).format("%H:%M").to_string(),
            };
            evs.push((
                at(day, t) - Duration::days(2),
                Actor {
                    id: None,
                    name: "群众".into(),
                },
                qe::APPOINTMENT_BOOKED.event(hall, &booked),
            ));
        }
        let issued = qe::TicketIssued {
            ticket_id: ids[i].clone(),
            number: number_of[i].clone(),
            line_id: lines[line].id.clone(),
            class: class.into(),
            green_reason: (class == "green").then(|| "老年人".to_string()),
            channel: channel.into(),
            ahead: 0,
            quoted_wait: None,
            appointment_id,
        };
        evs.push((
            at(day, t),
            Actor {
                id: None,
                name: "取号机".into(),
            },
            qe::TICKET_ISSUED.event(hall, &issued),
        ));
    }
    // Appointments booked and not kept (爽约).
    for _ in 0..(n as f64 * 0.012) as usize {
        let line = rng.gen_range(0..lines.len());
        let booked = qe::AppointmentBooked {
            appointment_id: govhall_kernel::new_id().to_string(),
            line_id: lines[line].id.clone(),
            day: day.to_string(),
            from: "10:00".into(),
            to: "10:30".into(),
        };
        evs.push((
            at(day, 9.0 * 3600.0) - Duration::days(3),
            Actor {
                id: None,
                name: "群众".into(),
            },
            qe::APPOINTMENT_BOOKED.event(hall, &booked),
        ));
    }
    let (mut cases, mut ratings) = (0, 0);
    for &(who, w, called_at) in &out.calls {
        let desk = &desks[present[w]];
        let (line, service) = (sim_arrivals[who].line, sim_arrivals[who].service);
        let actor = desk.actor.clone();
        let at_window = |requeued: Option<bool>| qe::TicketAtWindow {
            ticket_id: ids[who].clone(),
            number: number_of[who].clone(),
            window_id: desk.window_id.clone(),
            called_count: 1,
            requeued,
            from_line: None,
            to_line: None,
            front: None,
            to_window: None,
        };
        let called = qe::TicketCalled {
            ticket_id: ids[who].clone(),
            number: number_of[who].clone(),
            line_id: lines[line].id.clone(),
            window_id: desk.window_id.clone(),
            reason: "按取号顺序".into(),
        };
        evs.push((
            at(day, called_at),
            actor.clone(),
            qe::TICKET_CALLED.event(hall, &called),
        ));
        if no_show[who] {
            evs.push((
                at(day, called_at + 60.0),
                actor.clone(),
                qe::TICKET_NO_SHOW.event(hall, &at_window(Some(false))),
            ));
            continue;
        }
        let start = called_at + 30.0;
        let finish = called_at + service;
        evs.push((
            at(day, start),
            actor.clone(),
            qe::TICKET_STARTED.event(hall, &at_window(None)),
        ));
        evs.push((
            at(day, finish),
            actor.clone(),
            qe::TICKET_FINISHED.event(hall, &at_window(None)),
        ));
        if rng.gen_bool(0.6) {
            let eligible: Vec<&Matter> = matters
                .iter()
                .filter(|m| desk.department.is_none() || m.department == desk.department)
                .collect();
            if let Some(m) = eligible.get(rng.gen_range(0..eligible.len().max(1))) {
                cases += 1;
                case_events(
                    hall,
                    hall_code,
                    day,
                    cases,
                    m,
                    desk,
                    &ids[who],
                    start + 120.0,
                    calendar,
                    rng,
                    evs,
                );
            }
        }
        if rng.gen_bool(0.4) {
            ratings += 1;
            let overall = match rng.r#gen::<f64>() {
                r if r < 0.80 => 5,
                r if r < 0.95 => 4,
                r if r < 0.98 => 3,
                r if r < 0.992 => 2,
                _ => 1,
            };
            let parts = rating_parts(overall, rng);
            let rating_id = govhall_kernel::new_id().to_string();
            let rated = re::RatingRecorded {
                rating_id: rating_id.clone(),
                subject: "visit".into(),
                ticket_id: Some(ids[who].clone()),
                case_id: None,
                number: number_of[who].clone(),
                window_id: Some(desk.window_id.clone()),
                staff_id: Some(desk.staff_id.clone()),
                overall,
                efficiency: parts[0],
                skill: parts[1],
                attitude: parts[2],
                channel: "pad".into(),
            };
            let rated_at = at(day, finish + 20.0);
            evs.push((
                rated_at,
                Actor {
                    id: None,
                    name: "评价器".into(),
                },
                re::RATING_RECORDED.event(hall, &rated),
            ));
            if overall <= 2 {
                let rect = govhall_kernel::new_id().to_string();
                let due = calendar.add_working_days(day, 5);
                let opened = re::RectificationOpened {
                    rectification_id: rect.clone(),
                    rating_id,
                    due_day: due.to_string(),
                };
                evs.push((
                    rated_at,
                    Actor::system(),
                    re::RECTIFICATION_OPENED.event(hall, &opened),
                ));
                let late = rng.gen_bool(0.1);
                let closed_on =
                    calendar.add_working_days(day, if late { 7 } else { rng.gen_range(1..=5) });
                let advanced = re::RectificationAdvanced {
                    rectification_id: rect,
                    from: "callback".into(),
                    to: "closed".into(),
                };
                evs.push((
                    at(closed_on, 15.0 * 3600.0),
                    Actor {
                        id: None,
                        name: "中心管理员".into(),
                    },
                    re::RECTIFICATION_ADVANCED.event(hall, &advanced),
                ));
            }
        }
    }
    pauses(
        hall,
        day,
        desks,
        &present,
        &out.calls,
        &sim_arrivals,
        rng,
        evs,
    );
    // Guidance searches at the kiosks and on phones.
    for _ in 0..(n as f64 * 0.3) as usize {
        let t = at(day, rng.gen_range(9.0 * 3600.0..17.0 * 3600.0));
        let actor = Actor {
            id: None,
            name: "取号机".into(),
        };
        if rng.gen_bool(0.85) && !matters.is_empty() {
            let m = &matters[rng.gen_range(0..matters.len())];
            let resolved = govhall_catalog::events::GuidanceResolved {
                task_code: m.code.clone(),
                handling_item: m.name.clone(),
                answers: String::new(),
            };
            evs.push((
                t,
                actor,
                govhall_catalog::events::GUIDANCE_RESOLVED.event(hall, &resolved),
            ));
        } else {
            let missed = govhall_catalog::events::SearchMissed {
                query: "（历史检索）".into(),
            };
            evs.push((
                t,
                actor,
                govhall_catalog::events::SEARCH_MISSED.event(hall, &missed),
            ));
        }
    }
    (n, cases, ratings)
}

/// Clerks step away between two people (a break, fetching files): about
/// half of the staffed windows pause once a day, in a gap of at least six
/// minutes between finishing one person and calling the next, for a few
/// minutes (median 6).
#[allow(clippy::too_many_arguments)]
fn pauses(
    hall: Option<&str>,
    day: NaiveDate,
    desks: &[Desk],
    present: &[usize],
    calls: &[(usize, usize, f64)],
    arrivals: &[simulate::Arrival],
    rng: &mut StdRng,
    evs: &mut Day,
) {
    use govhall_directory::events as de;
    for (w, &d) in present.iter().enumerate() {
        if !rng.gen_bool(0.5) {
            continue;
        }
        let mut served: Vec<(f64, f64)> = calls
            .iter()
            .filter(|c| c.1 == w)
            .map(|&(who, _, at)| (at, at + arrivals[who].service))
            .collect();
        served.sort_by(|a, b| a.0.total_cmp(&b.0));
        let gaps: Vec<(f64, f64)> = served
            .windows(2)
            .map(|p| (p[0].1 + 60.0, p[1].0 - 30.0))
            .filter(|(from, to)| to - from >= 300.0)
            .collect();
        let Some(&(from, to)) = gaps.get(rng.gen_range(0..gaps.len().max(1))) else {
            continue;
        };
        let until = (from + lognormal(rng, 360.0, 0.5)).min(to);
        let desk = &desks[d];
        let mut paused = desk.view.clone();
        paused.status = "paused".into();
        paused.status_label = "暂停服务".into();
        paused.pause_reason = Some("临时离岗".into());
        evs.push((
            at(day, from),
            desk.actor.clone(),
            de::WINDOW_PAUSED.event(hall, &paused),
        ));
        evs.push((
            at(day, until),
            desk.actor.clone(),
            de::WINDOW_RESUMED.event(hall, &desk.view),
        ));
    }
}

/// The three parts of a rating (办事效率, 业务水平, 服务态度): a 差评 is
/// mostly about one of them (attitude 45 %, efficiency 40 %, skill 15 %), the
/// others scored a little better; otherwise all as the overall score.
fn rating_parts(overall: i32, rng: &mut StdRng) -> [i32; 3] {
    if overall > 2 {
        return [overall; 3];
    }
    let mut parts = [0; 3].map(|_| (overall + rng.gen_range(1..=2)).min(5));
    let about = match rng.r#gen::<f64>() {
        r if r < 0.45 => 2,
        r if r < 0.85 => 0,
        _ => 1,
    };
    parts[about] = overall;
    parts
}

/// What a 一次性告知 asks for: one or two of the matter's materials, the
/// first of the guide more often (Zipf-like), each with the usual reason.
fn correction_items(m: &Matter, rng: &mut StdRng) -> Vec<String> {
    const REASONS: [&str; 4] = ["缺失", "复印件不清晰", "已过有效期", "未签字盖章"];
    if m.materials.is_empty() {
        return vec!["申请表填写不完整".into()];
    }
    let weights: Vec<f64> = (1..=m.materials.len()).map(|i| 1.0 / i as f64).collect();
    let total: f64 = weights.iter().sum();
    let pick = |rng: &mut StdRng| {
        let mut x = rng.r#gen::<f64>() * total;
        let i = weights
            .iter()
            .position(|w| {
                x -= w;
                x <= 0.0
            })
            .unwrap_or(0);
        format!(
            "{}（{}）",
            m.materials[i],
            REASONS[rng.gen_range(0..REASONS.len())]
        )
    };
    let mut items = vec![pick(rng)];
    if rng.gen_bool(0.3) {
        let second = pick(rng);
        if !items.contains(&second) {
            items.push(second);
        }
    }
    items
}

/// One case received at the window, and what becomes of it.
#[allow(clippy::too_many_arguments)]
fn case_events(
    hall: Option<&str>,
    hall_code: &str,
    day: NaiveDate,
    seq: usize,
    m: &Matter,
    desk: &Desk,
    ticket: &str,
    received: f64,
    calendar: &govhall_kernel::calendar::WorkCalendar,
    rng: &mut StdRng,
    evs: &mut Day,
) {
    use govhall_cases::events as ce;
    let case_id = govhall_kernel::new_id().to_string();
    let number = format!("{hall_code}{}{seq:05}", day.format("%Y%m%d"));
    let ev = |stage: &str, status: i32, due: Option<NaiveDate>, detail: serde_json::Value| {
        ce::CaseEvent {
            case_id: case_id.clone(),
            number: number.clone(),
            task_code: m.code.clone(),
            item_version: m.version,
            item_name: m.name.clone(),
            department_id: m.department.clone(),
            window_id: desk.window_id.clone(),
            ticket_id: Some(ticket.to_string()),
            status,
            stage: stage.into(),
            due_on: due,
            detail: detail.as_object().cloned().unwrap_or_default(),
        }
    };
    let actor = desk.actor.clone();
    let t0 = at(day, received);
    evs.push((
        t0,
        actor.clone(),
        ce::RECEIVED.event(
            hall,
            &ev(
                "received",
                1,
                None,
                serde_json::json!({"source": "一窗综合受理"}),
            ),
        ),
    ));
    let r: f64 = rng.r#gen();
    let deferred = i64::from(rng.gen_bool(0.04));
    let outcome = serde_json::json!({"materials_missing": 0, "materials_exempt": 0, "materials_deferred": deferred});
    if m.promise_days == 0 {
        evs.push((
            t0,
            actor,
            ce::FINISHED.event(hall, &ev("decided", 7, Some(day), outcome)),
        ));
        return;
    }
    let (accepted_on, first) = if r < 0.03 {
        evs.push((
            t0,
            actor,
            ce::REFUSED.event(hall, &ev("refused", 4, None, outcome)),
        ));
        return;
    } else if r < 0.13 {
        let mut asked = outcome.clone();
        asked["correction_items"] = correction_items(m, rng).into();
        evs.push((
            t0,
            actor.clone(),
            ce::CORRECTION_REQUESTED.event(hall, &ev("correcting", 3, None, asked)),
        ));
        if rng.gen_bool(0.3) {
            // Never came back.
            return;
        }
        (calendar.add_working_days(day, rng.gen_range(1..=5)), false)
    } else {
        (day, true)
    };
    let due = calendar.add_working_days(accepted_on, m.promise_days);
    // A first-visit acceptance carries the intake's counts (容缺); after 补正 none.
    let accepted = ev(
        "accepted",
        2,
        Some(due),
        if first {
            outcome
        } else {
            serde_json::json!({})
        },
    );
    if first {
        evs.push((t0, actor, ce::ACCEPTED.event(hall, &accepted)));
    } else {
        evs.push((
            at(accepted_on, 10.0 * 3600.0),
            actor,
            ce::ACCEPT.event(hall, &accepted),
        ));
    }
    // Decided within the limit, now and then late.
    let late = rng.gen_bool(0.03);
    let took = if late {
        m.promise_days + rng.gen_range(1..=3)
    } else {
        rng.gen_range(0..=m.promise_days)
    };
    let decided_on = calendar.add_working_days(accepted_on, took);
    let reviewer = Actor {
        id: None,
        name: "部门审批人员".into(),
    };
    let decided_at =
        at(decided_on, rng.gen_range(10.0 * 3600.0..16.5 * 3600.0)).max(t0 + Duration::minutes(10));
    evs.push((
        decided_at,
        reviewer,
        ce::DECIDE.event(hall, &ev("decided", 7, Some(due), serde_json::json!({}))),
    ));
}

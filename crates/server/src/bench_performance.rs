//! `govhall bench performance`: a quarter's KPIs and a quarter's points for
//! the demo hall's 76 staff over a year of generated history (the analytics
//! history generator's tickets, cases and ratings, with the demo's attendance
//! marks), then a staff member's evidence page — their figures and the
//! records behind the busiest indicator — as latency percentiles. The scale
//! run adds staff to the hall (without history of their own) and recomputes:
//! it measures what grows with the number of people (scoring, the attendance
//! sheets, the rows written), not a city's volume of tickets. In process, on
//! a temporary SQLite database, with the machine's SQLite commit rate beside.

use crate::bench_soak::sqlite_commit_rate;
use crate::{demo, history};
use govhall_directory::staff;
use govhall_kernel::AppError;
use govhall_performance::{demo as perf_demo, quarter::Quarter, service};
use govhall_platform::{AppState, config::Config, events::Actor, halls::find_hall};
use std::time::{Duration, Instant};

pub struct PerformanceBench {
    /// Days of history before today.
    pub days: u32,
    /// Tickets on an average working day.
    pub daily_tickets: f64,
    /// Staff of the scale run.
    pub staff: usize,
}

fn err(e: AppError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

/// The last quarter that has ended.
fn last_quarter() -> Quarter {
    let today = govhall_kernel::time::today();
    let this = Quarter::of(today);
    Quarter::of(this.first_day().pred_opt().unwrap_or(today))
}

/// Times the quarter's KPIs, then its three months' points.
async fn quarter_run(
    state: &AppState,
    hall_id: &str,
    q: &Quarter,
) -> anyhow::Result<(Duration, Duration, usize)> {
    let actor = Actor::system();
    let started = Instant::now();
    let out = service::compute_quarter(state, &actor, hall_id, &q.to_string())
        .await
        .map_err(err)?;
    let kpis = started.elapsed();
    let started = Instant::now();
    for m in q.months() {
        service::settle_month(state, &actor, hall_id, &m)
            .await
            .map_err(err)?;
    }
    let points = started.elapsed();
    Ok((kpis, points, out.rows.len()))
}

/// The `q` quantile of sorted values (nearest rank).
fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

pub async fn performance(args: PerformanceBench) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let config = Config {
        data_dir: dir.path().to_path_buf(),
        ..Config::default()
    };
    let state = crate::open_state(config).await?;
    demo::seed_if_empty(&state).await.map_err(err)?;
    demo::seed_queue_if_empty(&state).await.map_err(err)?;
    let hall = find_hall(&state, demo::HALL_CODE).await.map_err(err)?;
    eprintln!(
        "生成 {} 天历史（每工作日约 {} 张号，不计时）…",
        args.days, args.daily_tickets
    );
    let written = history::generate(
        &state,
        &history::HistoryPlan {
            hall: demo::HALL_CODE.into(),
            days: args.days,
            daily_tickets: args.daily_tickets,
            seed: 7,
        },
    )
    .await?;
    govhall_analytics::follower::catch_up(&state.db, 20_000)
        .await
        .map_err(err)?;
    // The demo's HR profiles (hire dates: the staff are employed through the
    // quarter) and attendance marks for it, as a machine export.
    govhall_hr::demo::seed_if_empty(&state, &hall.id, govhall_kernel::time::today())
        .await
        .map_err(err)?;
    let q = last_quarter();
    let marks =
        govhall_hr::attendance::demo::marks_for(&state, &hall.id, q.first_day(), q.last_day())
            .await
            .map_err(err)?;
    for chunk in marks.chunks(20_000) {
        govhall_hr::attendance::punches::record_machine_marks(
            &state,
            &Actor::system(),
            &hall.id,
            chunk,
            "基准测试",
        )
        .await
        .map_err(err)?;
    }
    service::save_scheme(
        &state,
        &Actor::system(),
        &hall.id,
        &q.to_string(),
        &perf_demo::suggested(),
    )
    .await
    .map_err(err)?;

    let (kpis, points, people) = quarter_run(&state, &hall.id, &q).await?;
    // Again: the figures recomputed with the reviews kept, the points settled
    // with nothing new to book.
    let (kpis_again, points_again, _) = quarter_run(&state, &hall.id, &q).await?;

    // A staff member's evidence page: their quarter and the busiest figure's records.
    let staff_list = govhall_directory::service::hall_staff(&state.db, &hall.id)
        .await
        .map_err(err)?;
    let mut pages = Vec::new();
    let mut listed = 0usize;
    for round in 0..3 {
        for s in &staff_list {
            let started = Instant::now();
            service::assessment_of(&state, &hall.id, &q.to_string(), s.id.as_str())
                .await
                .map_err(err)?;
            let ev = service::evidence_of(
                &state,
                &hall.id,
                &q.to_string(),
                s.id.as_str(),
                "tickets_served",
            )
            .await
            .map_err(err)?;
            pages.push(started.elapsed().as_secs_f64() * 1000.0);
            if round == 0 {
                listed += ev.rows.len();
            }
        }
    }
    pages.sort_by(f64::total_cmp);

    // The 异常服务行为 rules over last full week (every rule on, the defaults).
    let last_week = govhall_performance::findings::monday(govhall_kernel::time::today())
        - chrono::Duration::days(7);
    let started = Instant::now();
    let found = govhall_performance::findings::scan(
        &state,
        &Actor::system(),
        &hall.id,
        Some(&last_week.to_string()),
    )
    .await
    .map_err(err)?;
    let scan = started.elapsed();
    let mut by_rule: std::collections::BTreeMap<String, usize> = Default::default();
    for f in &found.rows {
        *by_rule.entry(f.rule_label.clone()).or_default() += 1;
    }

    eprintln!(
        "再添 {} 名工作人员（不计时）…",
        args.staff.saturating_sub(people)
    );
    let actor = Actor::system();
    for i in people..args.staff {
        staff::create(
            &state,
            &actor,
            &hall.id,
            &staff::StaffInput {
                employee_no: format!("S{i:05}"),
                name: format!("测试{i}"),
                department_id: None,
                position: "window_staff".into(),
                phone: None,
            },
        )
        .await
        .map_err(err)?;
    }
    let (big_kpis, big_points, big_people) = quarter_run(&state, &hall.id, &q).await?;
    let commits = sqlite_commit_rate().await?;

    println!("\n## govhall bench performance（SQLite，进程内）\n");
    println!(
        "历史：{} 个工作日，{} 张号、{} 件办件、{} 条评价；考核季度 {}；本季度考勤打卡 {} 条。\n",
        written.days,
        written.tickets,
        written.cases,
        written.ratings,
        q.label(),
        marks.len()
    );
    println!("| 项目 | 人数 | 用时 | 目标 |");
    println!("|---|---:|---:|---|");
    for (what, n, took, target) in [
        ("季度考核指标核算（首次）", people, kpis, "< 5 s（含积分）"),
        (
            "季度积分结算（三个月，首次）",
            people,
            points,
            "< 5 s（含指标）",
        ),
        ("季度考核指标重算（保留评定）", people, kpis_again, "—"),
        ("季度积分补结算（无新增）", people, points_again, "—"),
        (
            "季度考核指标核算（扩员后）",
            big_people,
            big_kpis,
            "< 5 min（含积分）",
        ),
        (
            "季度积分结算（扩员后，无新增）",
            big_people,
            big_points,
            "—",
        ),
    ] {
        println!("| {what} | {n} | {:.3} s | {target} |", took.as_secs_f64());
    }
    println!(
        "\n个人考核依据页（本人考核详情 + 办理量逐条记录，{} 次，共列出 {} 条号票/轮）：p50 {:.1} ms，p99 {:.1} ms，最长 {:.1} ms（目标 p99 ≤ 200 ms）。",
        pages.len(),
        listed,
        percentile(&pages, 0.5),
        percentile(&pages, 0.99),
        percentile(&pages, 1.0)
    );
    let found_text: Vec<String> = by_rule.iter().map(|(r, n)| format!("{r} {n}")).collect();
    println!(
        "\n异常服务行为周检查（{}，全部规则）：{:.3} s，发现 {} 条（{}）。",
        found.week_label,
        scan.as_secs_f64(),
        found.rows.len(),
        if found_text.is_empty() {
            "无".to_string()
        } else {
            found_text.join("、")
        }
    );
    println!("\n本机上限：SQLite 提交 {commits:.0} 次/秒。");
    println!(
        "\n说明：扩员的 {} 人没有自己的历史，测的是随人数增长的部分（评分、考勤月报、写入），不是全市规模的号票量。",
        big_people.saturating_sub(people)
    );
    Ok(())
}

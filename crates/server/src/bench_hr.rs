//! `govhall bench hr`: a month's payroll for the demo hall's 76 staff and
//! for 10,000 staff of a city-wide deployment (one hall holding them all,
//! the worst case of one run), in process on a temporary SQLite database.
//! Each size closes one month and then computes the next, whose 个税 starts
//! from the closed month's year to date — the figures a real month has. The
//! machine's own limits (the SQLite commit rate, SM4 over a payslip-sized
//! record) are printed beside them. Then the month's attendance sheet for
//! both halls (marks generated as a machine export would hold them), and
//! the demo hall's 76 staff all scanning the clock-in code at once.

use crate::bench_soak::sqlite_commit_rate;
use crate::demo;
use chrono::Datelike;
use govhall_directory::{halls, staff};
use govhall_hr::{attendance, month::Month, profiles::ProfileInput, service};
use govhall_kernel::AppError;
use govhall_platform::{AppState, config::Config, events::Actor, halls::find_hall};
use std::time::{Duration, Instant};

pub struct HrBench {
    /// Staff of the city-wide run.
    pub staff: usize,
}

struct Row {
    what: String,
    staff: usize,
    took: Duration,
    target: &'static str,
}

fn err(e: AppError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

/// Closes January and computes February for the hall; the times of both.
async fn run_two_months(state: &AppState, hall_id: &str) -> anyhow::Result<(Duration, Duration)> {
    let actor = Actor::system();
    let january = Month {
        year: 2026,
        month: 1,
    }
    .to_string();
    let february = Month {
        year: 2026,
        month: 2,
    }
    .to_string();
    let started = Instant::now();
    let first = service::compute_month(state, &actor, hall_id, &january)
        .await
        .map_err(err)?;
    let closing = started.elapsed();
    service::approve_month(state, &actor, hall_id, &january)
        .await
        .map_err(err)?;
    let started = Instant::now();
    let second = service::compute_month(state, &actor, hall_id, &february)
        .await
        .map_err(err)?;
    let next = started.elapsed();
    anyhow::ensure!(
        first.run.staff_count == second.run.staff_count && second.run.totals.skipped.is_empty(),
        "核算人数不符：{} / {}，未核算 {}",
        first.run.staff_count,
        second.run.staff_count,
        second.run.totals.skipped.len()
    );
    Ok((closing, next))
}

/// The previous month, `YYYY-MM` (wholly past, so every day is judged).
fn last_month() -> String {
    let first = govhall_kernel::time::today()
        .with_day(1)
        .unwrap_or_default();
    (first - chrono::Duration::days(1))
        .format("%Y-%m")
        .to_string()
}

/// Fills the month with generated machine marks (not timed), then times the
/// sheet; answers the time and the people on it.
async fn sheet_of(
    state: &AppState,
    hall_id: &str,
    month: &str,
) -> anyhow::Result<(Duration, usize)> {
    let m = Month::parse(month).map_err(|e| anyhow::anyhow!(e))?;
    let marks = attendance::demo::marks_for(state, hall_id, m.first_day(), m.last_day())
        .await
        .map_err(err)?;
    eprintln!("写入 {} 条打卡记录（不计时）…", marks.len());
    let actor = Actor::system();
    for chunk in marks.chunks(20_000) {
        attendance::punches::record_machine_marks(state, &actor, hall_id, chunk, "基准测试")
            .await
            .map_err(err)?;
    }
    let started = Instant::now();
    let sheet = attendance::sheet::build(state, hall_id, month, None)
        .await
        .map_err(err)?;
    let took = started.elapsed();
    anyhow::ensure!(sheet.totals.present_days > 0, "考勤月报没有出勤记录");
    Ok((took, sheet.rows.len()))
}

/// Every one of the hall's staff scans the screen's code, the arrivals
/// spread evenly over `within` (zero: all at once); each call's time in
/// milliseconds, sorted, and the time until all were done.
async fn clock_in_burst(
    state: &AppState,
    hall_id: &str,
    within: Duration,
) -> anyhow::Result<(Vec<f64>, Duration)> {
    let staff = govhall_directory::service::hall_staff(&state.db, hall_id)
        .await
        .map_err(err)?;
    let all = Instant::now();
    let n = staff.len().max(1) as u32;
    let tasks: Vec<_> = staff
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let state = state.clone();
            let hall_id = hall_id.to_string();
            let arrives = all + within / n * i as u32;
            tokio::spawn(async move {
                tokio::time::sleep_until(arrives.into()).await;
                // The code on the screen when this person scans it.
                let code =
                    attendance::punches::current_code(&state, &hall_id, chrono::Utc::now()).code;
                let started = Instant::now();
                let r = attendance::punches::clock_in(
                    &state,
                    &Actor::system(),
                    &hall_id,
                    s.id.as_str(),
                    &code,
                )
                .await;
                (started.elapsed().as_secs_f64() * 1000.0, r.is_ok())
            })
        })
        .collect();
    let mut took = Vec::new();
    for t in tasks {
        let (ms, ok) = t.await?;
        anyhow::ensure!(ok, "扫码打卡失败");
        took.push(ms);
    }
    let wall = all.elapsed();
    took.sort_by(f64::total_cmp);
    Ok((took, wall))
}

/// The `q` quantile of sorted values (nearest rank).
fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// The SM4 round trip of a payslip-sized record (about 2 KB of JSON), per second.
fn sm4_rate(state: &AppState) -> f64 {
    let record = "x".repeat(2048);
    let started = Instant::now();
    let mut n = 0u32;
    while started.elapsed() < Duration::from_secs(1) {
        let enc = state.pii.encrypt(&record);
        let _ = state.pii.decrypt(&enc);
        n += 1;
    }
    f64::from(n) / started.elapsed().as_secs_f64()
}

pub async fn hr(args: HrBench) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let config = Config {
        data_dir: dir.path().to_path_buf(),
        ..Config::default()
    };
    let state = crate::open_state(config).await?;
    demo::seed_if_empty(&state).await.map_err(err)?;
    let hall = find_hall(&state, demo::HALL_CODE).await.map_err(err)?;
    // The demo's payroll profiles and rates; its own closed months are
    // before today, so the benchmark's January and February of 2026 need a
    // clean year: the demo seeds as if today were 1 January.
    let january_first = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    govhall_hr::demo::seed_if_empty(&state, &hall.id, january_first)
        .await
        .map_err(err)?;
    let mut rows = Vec::new();
    let (close, next) = run_two_months(&state, &hall.id).await?;
    rows.push(Row {
        what: "核算一个月（1 月，年初）".into(),
        staff: 76,
        took: close,
        target: "< 1 s",
    });
    rows.push(Row {
        what: "核算下一个月（2 月，接上月累计）".into(),
        staff: 76,
        took: next,
        target: "< 1 s",
    });

    eprintln!("建立 {} 名工作人员与人事档案（不计时）…", args.staff);
    let actor = Actor::system();
    let city = halls::create(
        &state,
        &actor,
        &halls::HallInput {
            code: "CITY-PAY".into(),
            name: "全市薪酬测试".into(),
            region_code: "610100".into(),
            address: "西安市".into(),
            opens_at: "09:00".into(),
            closes_at: "17:00".into(),
            hours_note: "周一至周五".into(),
        },
    )
    .await
    .map_err(err)?;
    for r in govhall_hr::demo::demo_rates() {
        service::create_rate(&state, &city.id, &r)
            .await
            .map_err(err)?;
    }
    for i in 0..args.staff {
        let s = staff::create(
            &state,
            &actor,
            &city.id,
            &staff::StaffInput {
                employee_no: format!("C{i:05}"),
                name: format!("测试{i}"),
                department_id: None,
                position: "window_staff".into(),
                phone: None,
            },
        )
        .await
        .map_err(err)?;
        let input: ProfileInput = govhall_hr::demo::profile_input(i, "window_staff");
        service::save_profile(&state, &city.id, &s.id, &input)
            .await
            .map_err(err)?;
    }
    let (close, next) = run_two_months(&state, &city.id).await?;
    rows.push(Row {
        what: "核算一个月（1 月，年初）".into(),
        staff: args.staff,
        took: close,
        target: "< 60 s",
    });
    rows.push(Row {
        what: "核算下一个月（2 月，接上月累计）".into(),
        staff: args.staff,
        took: next,
        target: "< 60 s",
    });

    let month = last_month();
    for (hall_id, staff, target) in [
        (hall.id.as_str(), 76, "—"),
        (city.id.as_str(), args.staff, "—"),
    ] {
        let (took, judged) = sheet_of(&state, hall_id, &month).await?;
        rows.push(Row {
            what: format!("考勤月报 {month}（{judged} 人·月，含判定每天）"),
            staff,
            took,
            target,
        });
    }
    let (burst, burst_wall) = clock_in_burst(&state, &hall.id, Duration::ZERO).await?;
    eprintln!("76 人在一分钟内陆续扫码（计时约 60 秒）…");
    let (minute, _) = clock_in_burst(&state, &hall.id, Duration::from_secs(60)).await?;

    let commits = sqlite_commit_rate().await?;
    let sm4 = sm4_rate(&state);
    println!("\n## govhall bench hr（SQLite，进程内）\n");
    println!("| 项目 | 人数 | 用时 | 每人 | 目标 |");
    println!("|---|---:|---:|---:|---|");
    for r in &rows {
        println!(
            "| {} | {} | {:.3} s | {:.2} ms | {} |",
            r.what,
            r.staff,
            r.took.as_secs_f64(),
            r.took.as_secs_f64() * 1000.0 / r.staff as f64,
            r.target
        );
    }
    println!(
        "\n本机上限：SQLite 提交 {commits:.0} 次/秒；SM4 加密+解密 2 KB 记录 {sm4:.0} 次/秒。"
    );
    println!(
        "\n扫码打卡（进程内调用打卡服务，不经 HTTP；目标 p99 ≤ 50 ms）：\n\n| 情形 | 人数 | p50 | p99 | 最长 |\n|---|---:|---:|---:|---:|"
    );
    for (what, took) in [
        ("一分钟内陆续到达（均匀错开）", &minute),
        ("同一瞬间全部到达（最坏情形）", &burst),
    ] {
        println!(
            "| {what} | {} | {:.1} ms | {:.1} ms | {:.1} ms |",
            took.len(),
            percentile(took, 0.50),
            percentile(took, 0.99),
            percentile(took, 1.0),
        );
    }
    println!(
        "\n同一瞬间的 {} 次打卡全部完成用时 {:.3} s。",
        burst.len(),
        burst_wall.as_secs_f64()
    );
    Ok(())
}

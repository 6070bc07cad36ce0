//! `govhall bench hr`: a month's payroll for the demo hall's 76 staff and
//! for 10,000 staff of a city-wide deployment (one hall holding them all,
//! the worst case of one run), in process on a temporary SQLite database.
//! Each size closes one month and then computes the next, whose 个税 starts
//! from the closed month's year to date — the figures a real month has. The
//! machine's own limits (the SQLite commit rate, SM4 over a payslip-sized
//! record) are printed beside them.

use crate::bench_soak::sqlite_commit_rate;
use crate::demo;
use govhall_directory::{halls, staff};
use govhall_hr::{month::Month, profiles::ProfileInput, service};
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
    println!("未测：考勤表与扫码打卡（考勤模块尚未实现）。");
    Ok(())
}

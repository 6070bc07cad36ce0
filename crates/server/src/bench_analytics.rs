//! `govhall bench analytics`: 数据可视化 at a district's scale on this
//! machine. For SQLite (and PostgreSQL when given) it generates years of the
//! demo hall's history through the modules' events, rebuilds the facts from
//! the whole log (timed), then runs each analysis panel over the full period
//! and today's live figures: once from every fact row, once cold (the month
//! cube computed and stored), then repeatedly (p50/p95), and the big screen's six
//! widgets (the data of its first paint). With `--queue` it also runs a short
//! queue benchmark with the analytics follower off and on, alternating: the
//! rollups' cost on the call path. The machine's own limits are printed beside.

use crate::bench_queue::{QueueBench, percentile};
use crate::demo;
use chrono::Duration as Days;
use govhall_analytics::query::{self, QueryInput, ReadFrom};
use govhall_analytics::scope::Scope;
use govhall_platform::{AppState, config::Config, halls::find_hall};
use std::time::{Duration, Instant};

/// Queue benchmark runs with the follower off and on, alternating.
const QUEUE_ROUNDS: usize = 2;

pub struct AnalyticsBench {
    pub days: u32,
    pub daily_tickets: f64,
    pub samples: usize,
    pub postgres: Option<String>,
    pub queue: bool,
}

struct Panel {
    name: &'static str,
    /// The first run: closed months not yet in the cube are computed and stored.
    cold: Duration,
    /// The later runs, from the cube.
    p50: Duration,
    p95: Duration,
    /// One run reading every fact row instead of the cube.
    facts: Duration,
    rows: usize,
}

struct Run {
    backend: &'static str,
    tickets: usize,
    cases: usize,
    events: usize,
    generate: Duration,
    rebuild: Duration,
    rebuilt_events: usize,
    panels: Vec<Panel>,
    /// The six widgets of the big screen, fetched one after another.
    screen: Duration,
    /// `SELECT 1` per second on the read pool: this machine's floor for a query.
    trivial_qps: f64,
    /// The big screen in Chromium: first contentful paint and all panels filled (medians), or why not measured.
    first_paint: Result<FirstPaint, String>,
}

struct FirstPaint {
    runs: usize,
    panels: usize,
    fcp: Duration,
    ready: Duration,
}

/// Serves the benchmark's data on a local port and opens the big screen in
/// Chromium (`web/bench/first-paint.mjs`, playwright-core) five times.
async fn first_paint(state: &AppState) -> Result<FirstPaint, String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let base = format!(
        "http://{}",
        listener.local_addr().map_err(|e| e.to_string())?
    );
    let server = tokio::spawn(crate::app::serve(state.clone(), listener));
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../web/bench/first-paint.mjs"
    );
    let out = tokio::process::Command::new("node")
        .args([script, &base, "5"])
        .output()
        .await;
    state.shutdown.cancel();
    let _ = server.await;
    let out = out.map_err(|e| format!("无法运行 node：{e}"))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(format!(
            "浏览器测量失败：{}",
            err.lines().next().unwrap_or("")
        ));
    }
    let runs: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let median = |key: &str| {
        let mut v: Vec<f64> = runs.iter().filter_map(|r| r[key].as_f64()).collect();
        v.sort_by(f64::total_cmp);
        Duration::from_secs_f64(v.get(v.len() / 2).copied().unwrap_or(0.0) / 1000.0)
    };
    Ok(FirstPaint {
        runs: runs.len(),
        panels: runs.first().and_then(|r| r["panels"].as_u64()).unwrap_or(0) as usize,
        fcp: median("fcp"),
        ready: median("ready"),
    })
}

/// The panels a manager opens, each over the whole generated period.
fn panels(from: chrono::NaiveDate, to: chrono::NaiveDate) -> Vec<(&'static str, QueryInput)> {
    use govhall_analytics::dimensions::Grain;
    let today = govhall_kernel::time::today();
    let with = |mut q: QueryInput, f: &dyn Fn(&mut QueryInput)| {
        f(&mut q);
        q
    };
    vec![
        (
            "全期核心指标（18 项合计）",
            QueryInput::over(govhall_analytics::report::KEY_INDICATORS, &[], from, to),
        ),
        (
            "按月 取号/平均等候/好评率",
            with(
                QueryInput::over(&["tickets_issued", "wait_avg", "good_rate"], &[], from, to),
                &|q| q.grain = Some(Grain::Month),
            ),
        ),
        (
            "按部门 收件/按期办结率/超期",
            QueryInput::over(
                &["cases_received", "on_time_rate", "overdue_count"],
                &["department"],
                from,
                to,
            ),
        ),
        (
            "按窗口 办理量/利用率",
            QueryInput::over(
                &["tickets_served", "window_utilization"],
                &["window"],
                from,
                to,
            ),
        ),
        (
            "按人员 办理量/人均/好评率",
            QueryInput::over(
                &["tickets_served", "served_per_staff", "good_rate"],
                &["staff"],
                from,
                to,
            ),
        ),
        (
            "按事项 收件/补正率/即办率",
            QueryInput::over(
                &["cases_received", "correction_rate", "instant_rate"],
                &["matter"],
                from,
                to,
            ),
        ),
        (
            "按队列×小时 90分位等候",
            with(QueryInput::over(&["wait_p90"], &["line"], from, to), &|q| {
                q.grain = Some(Grain::Hour)
            }),
        ),
        (
            "近一年按季度 同比",
            with(
                QueryInput::over(
                    &["tickets_issued", "wait_avg"],
                    &[],
                    to - Days::days(364),
                    to,
                ),
                &|q| {
                    q.grain = Some(Grain::Quarter);
                    q.compare = Some(query::Compare::YearAgo);
                },
            ),
        ),
        (
            "今日实时（取号/等候/办理，按小时）",
            with(
                QueryInput::over(
                    &["tickets_issued", "wait_avg", "tickets_served"],
                    &[],
                    today,
                    today,
                ),
                &|q| q.grain = Some(Grain::Hour),
            ),
        ),
    ]
}

async fn trivial_qps(state: &AppState) -> anyhow::Result<f64> {
    use sea_orm::{ConnectionTrait, Statement};
    let started = Instant::now();
    let mut n = 0u64;
    while started.elapsed() < Duration::from_secs(1) {
        state
            .read
            .query_one_raw(Statement::from_string(
                state.read.get_database_backend(),
                "SELECT 1",
            ))
            .await?;
        n += 1;
    }
    Ok(n as f64 / started.elapsed().as_secs_f64())
}

async fn run(
    backend: &'static str,
    pg: Option<&String>,
    args: &AnalyticsBench,
) -> anyhow::Result<Run> {
    let dir = tempfile::tempdir()?;
    let scratch = match pg {
        Some(admin) => Some(crate::bench_pg::Scratch::create(admin).await?),
        None => None,
    };
    let config = Config {
        data_dir: dir.path().to_path_buf(),
        database_url: scratch.as_ref().map(|s| s.url.clone()),
        ..Config::default()
    };
    let state = crate::open_state(config).await?;
    let err = |e: govhall_kernel::AppError| anyhow::anyhow!("{e}");
    demo::seed_if_empty(&state).await.map_err(err)?;
    demo::seed_queue_if_empty(&state).await.map_err(err)?;
    eprintln!(
        "[{backend}] 生成 {} 天历史（每工作日约 {} 张号）…",
        args.days, args.daily_tickets
    );
    let started = Instant::now();
    let plan = crate::history::HistoryPlan {
        hall: demo::HALL_CODE.into(),
        days: args.days,
        daily_tickets: args.daily_tickets,
        seed: 2026,
    };
    let written = crate::history::generate(&state, &plan).await?;
    let generate = started.elapsed();
    eprintln!("[{backend}] 重建统计数据…");
    let started = Instant::now();
    let rebuilt_events = govhall_analytics::follower::rebuild(&state.db)
        .await
        .map_err(err)?;
    let rebuild = started.elapsed();

    let hall = find_hall(&state, demo::HALL_CODE).await.map_err(err)?;
    let to = govhall_kernel::time::today() - Days::days(1);
    let from = to - Days::days(i64::from(args.days) - 1);
    let mut out = vec![];
    for (name, q) in panels(from, to) {
        eprintln!("[{backend}] {name}");
        let started = Instant::now();
        query::run_from(&state, &hall.id, &Scope::Hall, &q, ReadFrom::Facts)
            .await
            .map_err(err)?;
        let facts = started.elapsed();
        let mut times = vec![];
        let mut rows = 0;
        for _ in 0..=args.samples {
            let started = Instant::now();
            rows = query::run(&state, &hall.id, &Scope::Hall, &q)
                .await
                .map_err(err)?
                .rows
                .len();
            times.push(started.elapsed());
        }
        let cold = times.remove(0);
        times.sort();
        out.push(Panel {
            name,
            cold,
            p50: percentile(&times, 0.50),
            p95: percentile(&times, 0.95),
            facts,
            rows,
        });
    }
    let started = Instant::now();
    for (w, _) in govhall_analytics::screen::WIDGETS {
        govhall_analytics::screen::widget(&state, &hall.id, w, &Default::default())
            .await
            .map_err(err)?;
    }
    let screen = started.elapsed();
    let trivial_qps = trivial_qps(&state).await?;
    eprintln!("[{backend}] 数据大屏首屏（Chromium）…");
    let first_paint = first_paint(&state).await;
    drop(state);
    if let Some(s) = scratch {
        s.drop_database().await?;
    }
    Ok(Run {
        backend,
        tickets: written.tickets,
        cases: written.cases,
        events: written.events,
        generate,
        rebuild,
        rebuilt_events,
        panels: out,
        screen,
        trivial_qps,
        first_paint,
    })
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

pub async fn analytics(args: AnalyticsBench) -> anyhow::Result<()> {
    anyhow::ensure!(args.days >= 7, "--days 至少为 7");
    anyhow::ensure!(args.samples >= 2, "--samples 至少为 2");
    let commits = crate::bench_soak::sqlite_commit_rate().await?;
    let mut runs = vec![run("SQLite", None, &args).await?];
    if let Some(url) = &args.postgres {
        runs.push(run("PostgreSQL", Some(url), &args).await?);
    }
    println!(
        "\n## govhall bench analytics（{} 天，每工作日约 {} 张号，每项 {} 次）\n",
        args.days, args.daily_tickets, args.samples
    );
    println!("本机上限：SQLite 单行提交 {commits:.0} 次/秒（WAL，synchronous=NORMAL）");
    for r in &runs {
        println!("\n### {}\n", r.backend);
        println!(
            "历史：号票 {}，办件 {}，事件 {}；生成 {:.1} 秒；全量重建 {} 条事件 {:.1} 秒（{:.0} 条/秒）；`SELECT 1` {:.0} 次/秒\n",
            r.tickets,
            r.cases,
            r.events,
            r.generate.as_secs_f64(),
            r.rebuilt_events,
            r.rebuild.as_secs_f64(),
            r.rebuilt_events as f64 / r.rebuild.as_secs_f64().max(1e-9),
            r.trivial_qps
        );
        println!(
            "| 面板 | 行数 | 逐行读事实 ms | 首次（计算并存月汇总）ms | 之后 p50 ms | 之后 p95 ms | 目标（p95） |"
        );
        println!("|---|---:|---:|---:|---:|---:|---|");
        for p in &r.panels {
            let target = if p.name.starts_with("今日") {
                50.0
            } else {
                300.0
            };
            let ok = if p.p95.as_secs_f64() * 1000.0 <= target {
                "达标"
            } else {
                "未达标"
            };
            println!(
                "| {} | {} | {} | {} | {} | {} | ≤ {target:.0} ms {ok} |",
                p.name,
                p.rows,
                ms(p.facts),
                ms(p.cold),
                ms(p.p50),
                ms(p.p95)
            );
        }
        println!(
            "| 数据大屏 6 个组件（服务端取数） | — | — | {} | — | — | — |",
            ms(r.screen)
        );
        match &r.first_paint {
            Ok(f) => println!(
                "\n数据大屏首屏（Chromium 1920×1080，冷缓存，{} 次中位数）：首次内容绘制 {} ms，{} 个面板全部显示数据 {} ms",
                f.runs,
                ms(f.fcp),
                f.panels,
                ms(f.ready)
            ),
            Err(e) => println!("\n数据大屏首屏：未测（{e}）"),
        }
    }
    if args.queue {
        println!("\n### 汇总维护对叫号链路的影响（SQLite，统计跟随开/关各跑一次叫号基准）\n");
        let bench = || QueueBench {
            tickets: 6000,
            clients: 16,
            subscribers: 100,
            postgres: None,
        };
        // Alternating runs, so a drift of the machine falls on both sides.
        let mut runs = vec![];
        for round in 0..QUEUE_ROUNDS {
            for follower in [false, true] {
                eprintln!(
                    "[叫号基准] 第 {} 轮，统计跟随{}",
                    round + 1,
                    if follower { "开" } else { "关" }
                );
                runs.push((
                    follower,
                    crate::bench_queue::call_figures(bench(), follower).await?,
                ));
            }
        }
        println!("| 统计跟随 | 取号 次/秒 | 叫号 次/秒（有订阅） | 叫号 p99 ms |");
        println!("|---|---:|---:|---:|");
        for (follower, f) in &runs {
            let label = if *follower { "开" } else { "关" };
            println!("| {label} | {:.0} | {:.0} | {} |", f.0, f.1, ms(f.2));
        }
        let mean = |on: bool, pick: &dyn Fn(&(f64, f64, Duration)) -> f64| {
            let v: Vec<f64> = runs
                .iter()
                .filter(|r| r.0 == on)
                .map(|r| pick(&r.1))
                .collect();
            v.iter().sum::<f64>() / v.len().max(1) as f64
        };
        let (on, off) = (mean(true, &|f| f.1), mean(false, &|f| f.1));
        let (p99_on, p99_off) = (
            mean(true, &|f| f.2.as_secs_f64()),
            mean(false, &|f| f.2.as_secs_f64()),
        );
        println!(
            "\n叫号吞吐变化（{QUEUE_ROUNDS} 轮平均）：{:+.1}%（目标：下降不超过 5%）；叫号 p99 变化 {:+.1}%",
            (on - off) / off.max(1e-9) * 100.0,
            (p99_on - p99_off) / p99_off.max(1e-9) * 100.0
        );
    }
    Ok(())
}

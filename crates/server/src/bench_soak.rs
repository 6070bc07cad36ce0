//! `govhall bench soak`: the queue under sustained load for N minutes. For each
//! database (SQLite, and PostgreSQL when given) it seeds the demo hall, starts
//! `govhall serve` as a child process and subscribes screens to the hall's
//! feed; then `clients` workers each issue a ticket at the kiosk and call the
//! next one at their window, over and over, as fast as the server answers.
//! Every request is timed. Once a second it reads the WAL and database sizes
//! (on PostgreSQL the database size and the WAL position) and the server's
//! resident memory. It prints one row per minute, the machine's own limits
//! beside them (a trivial route's rate, the SQLite commit rate), and where the
//! bytes of a ticket go (each table and index, per ticket issued).

use crate::bench_queue::{Histogram, login, post, seed, start_server};
use futures::StreamExt;
use reqwest::{Client, StatusCode};
use sea_orm::sqlx::{self, Connection, Row};
use serde_json::{Value, json};
use std::{
    path::{Path, PathBuf},
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

const HALL: &str = "CA-ZWFW";

/// A request slower than this breaks the issue's target.
const SLOW: Duration = Duration::from_millis(100);

pub struct SoakBench {
    pub minutes: u64,
    /// Workers: each issues a ticket, then calls the next at its own window.
    pub clients: usize,
    /// Screens subscribed to the hall's feed all along.
    pub screens: usize,
    /// Also run against this PostgreSQL server (a scratch database is created and dropped).
    pub postgres: Option<String>,
}

/// One minute's figures, filled by many tasks at once.
struct Minute {
    latency: Histogram,
    max_us: AtomicU64,
    slow: AtomicU64,
    issued: AtomicU64,
    called: AtomicU64,
    errors: AtomicU64,
    /// SQLite: the largest WAL file seen; PostgreSQL: WAL bytes written since the start.
    wal: AtomicU64,
    /// Database size at the last sample of the minute.
    db: AtomicU64,
    /// Server's resident memory (kB) at the last sample, and the most seen.
    rss_kb: AtomicU64,
    rss_max_kb: AtomicU64,
}

impl Minute {
    fn new() -> Self {
        Minute {
            latency: Histogram::new(),
            max_us: AtomicU64::new(0),
            slow: AtomicU64::new(0),
            issued: AtomicU64::new(0),
            called: AtomicU64::new(0),
            errors: AtomicU64::new(0),
            wal: AtomicU64::new(0),
            db: AtomicU64::new(0),
            rss_kb: AtomicU64::new(0),
            rss_max_kb: AtomicU64::new(0),
        }
    }

    fn record(&self, d: Duration) {
        self.latency.add(d);
        self.max_us
            .fetch_max(d.as_micros() as u64, Ordering::Relaxed);
        if d > SLOW {
            self.slow.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// The minutes of a run, indexed by the time since its start.
struct Clock {
    start: Instant,
    minutes: Vec<Minute>,
    /// Requests slower than `SLOW`: when (UTC), what, how long.
    slow: std::sync::Mutex<Vec<(chrono::DateTime<chrono::Utc>, &'static str, Duration)>>,
}

impl Clock {
    fn now(&self) -> &Minute {
        let i = (self.start.elapsed().as_secs() / 60) as usize;
        &self.minutes[i.min(self.minutes.len() - 1)]
    }

    /// Times a finished request into the current minute.
    fn record(&self, what: &'static str, took: Duration) -> &Minute {
        let m = self.now();
        m.record(took);
        if took > SLOW
            && let Ok(mut slow) = self.slow.lock()
            && slow.len() < 100
        {
            slow.push((chrono::Utc::now(), what, took));
        }
        m
    }
}

/// This machine's own limits, measured in the same run.
struct Limits {
    /// Single-row commits per second on a fresh SQLite file (WAL, synchronous=NORMAL).
    sqlite_commits: f64,
}

/// One backend's figures.
struct Run {
    backend: &'static str,
    /// `GET /healthz` per second with `clients` concurrent clients, before the load.
    trivial_rate: f64,
    minutes: Vec<Minute>,
    all: Histogram,
    max_us: u64,
    screens: u64,
    deliveries: u64,
    expected_deliveries: u64,
    /// Tables and indexes: (name, bytes, rows).
    storage: Vec<(String, u64, u64)>,
    tickets: u64,
    /// Requests over `SLOW`: when, what, how long.
    slow: Vec<(chrono::DateTime<chrono::Utc>, &'static str, Duration)>,
    /// The server's WAL checkpoint counters.
    checkpoints: Option<Checkpoints>,
}

pub async fn soak(args: SoakBench) -> anyhow::Result<()> {
    anyhow::ensure!(args.minutes >= 1, "--minutes 至少为 1");
    anyhow::ensure!(args.clients >= 1, "--clients 至少为 1");
    let limits = Limits {
        sqlite_commits: sqlite_commit_rate().await?,
    };
    let mut runs = vec![run("SQLite", None, &args).await?];
    if let Some(url) = &args.postgres {
        runs.push(run("PostgreSQL", Some(url), &args).await?);
    }
    for r in &runs {
        print_run(r, &args, &limits);
    }
    Ok(())
}

fn print_run(r: &Run, args: &SoakBench, limits: &Limits) {
    let ms = |us: f64| format!("{:.2}", us / 1000.0);
    let pct = |h: &Histogram, p: f64| ms(h.percentile(p).as_micros() as f64);
    let mb = |b: u64| format!("{:.1}", b as f64 / 1_048_576.0);
    let pg = r.backend == "PostgreSQL";
    println!(
        "\n## {}：{} 分钟持续负载（{} 个客户端各自取号后叫号，{} 个屏幕订阅）\n",
        r.backend, args.minutes, args.clients, args.screens
    );
    println!(
        "本机上限：空路由 GET /healthz {:.0} 次/s（{} 客户端），SQLite 单行提交 {:.0} 次/s\n",
        r.trivial_rate, args.clients, limits.sqlite_commits
    );
    let (wal_head, db_head) = if pg {
        ("WAL 写入 MB", "数据库 MB")
    } else {
        ("WAL 最大 MB", "数据库 MB")
    };
    println!(
        "| 分钟 | 取号/s | 叫号/s | p50 ms | p99 ms | p99.9 ms | 最大 ms | >100ms | 错误 | {wal_head} | {db_head} | 常驻内存 MB |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    let mut pg_wal_before = 0;
    for (i, m) in r.minutes.iter().enumerate() {
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        let wal = if pg {
            let w = get(&m.wal).saturating_sub(pg_wal_before);
            pg_wal_before = get(&m.wal).max(pg_wal_before);
            w
        } else {
            get(&m.wal)
        };
        println!(
            "| {} | {:.0} | {:.0} | {} | {} | {} | {} | {} | {} | {} | {} | {:.0} |",
            i + 1,
            get(&m.issued) as f64 / 60.0,
            get(&m.called) as f64 / 60.0,
            pct(&m.latency, 0.5),
            pct(&m.latency, 0.99),
            pct(&m.latency, 0.999),
            ms(get(&m.max_us) as f64),
            get(&m.slow),
            get(&m.errors),
            mb(wal),
            mb(get(&m.db)),
            get(&m.rss_kb) as f64 / 1024.0,
        );
    }
    let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
    let slow: u64 = r.minutes.iter().map(|m| get(&m.slow)).sum();
    let errors: u64 = r.minutes.iter().map(|m| get(&m.errors)).sum();
    println!(
        "\n全程：{} 个请求，p50 {} ms，p99 {} ms，p99.9 {} ms，最大 {} ms；超过 100 ms 的请求 {slow} 个，错误 {errors} 个",
        r.all.count(),
        pct(&r.all, 0.5),
        pct(&r.all, 0.99),
        pct(&r.all, 0.999),
        ms(r.max_us as f64)
    );
    if !pg {
        let wal_max = r.minutes.iter().map(|m| get(&m.wal)).max().unwrap_or(0);
        println!("WAL 文件全程最大 {} MB（目标 ≤ 64 MB）", mb(wal_max));
    }
    if let Some(c) = &r.checkpoints {
        println!(
            "WAL 检查点：被动 {} 次（最长 {} ms），日志重新开始 {} 次（最长 {} ms，超过 50 ms 的 {} 次），因读者未离开旧日志而放弃 {} 次",
            c.passive,
            c.passive_longest_ms,
            c.restarts,
            c.restart_longest_ms,
            c.restarts_slow,
            c.busy
        );
    }
    for (at, what, took) in &r.slow {
        println!(
            "慢请求：{} {what} {:.1} ms",
            at.format("%H:%M:%S%.3f"),
            took.as_secs_f64() * 1000.0
        );
    }
    let first = get(&r.minutes[0].rss_kb) as f64 / 1024.0;
    let later = r.minutes[1..]
        .iter()
        .map(|m| get(&m.rss_max_kb))
        .max()
        .unwrap_or(0) as f64
        / 1024.0;
    println!(
        "常驻内存：第 1 分钟末 {first:.0} MB，之后最高 {later:.0} MB（增长 {:+.0} MB）",
        later - first
    );
    println!(
        "屏幕：{} 个订阅，收到 {} 个事件帧 / 应收 {}",
        r.screens, r.deliveries, r.expected_deliveries
    );
    if r.tickets > 0 && !r.storage.is_empty() {
        println!(
            "\n每张票的存储（共 {} 张；一次叫号也计入其票）\n\n| 表或索引 | 行数 | 每票行数 | MB | 每票字节 |\n|---|---|---|---|---|",
            r.tickets
        );
        let mut total = 0;
        for (name, bytes, rows) in &r.storage {
            total += bytes;
            println!(
                "| {name} | {rows} | {:.2} | {} | {:.0} |",
                *rows as f64 / r.tickets as f64,
                mb(*bytes),
                *bytes as f64 / r.tickets as f64
            );
        }
        println!(
            "| 合计 | | | {} | {:.0} |",
            mb(total),
            total as f64 / r.tickets as f64
        );
    }
}

async fn run(backend: &'static str, pg: Option<&String>, args: &SoakBench) -> anyhow::Result<Run> {
    let dir = tempfile::tempdir()?;
    let scratch = match pg {
        Some(admin) => Some(crate::bench_pg::Scratch::create(admin).await?),
        None => None,
    };
    let url = scratch.as_ref().map(|s| s.url.clone());
    let config = govhall_platform::config::Config {
        data_dir: dir.path().to_path_buf(),
        database_url: url.clone(),
        ..Default::default()
    };
    let db_file = dir.path().join("govhall.db");
    eprintln!("[{backend}] 准备演示大厅与 {} 个窗口…", args.clients);
    seed(config, args.clients).await?;
    let server = start_server(dir.path(), url.as_deref()).await?;
    let pid = server.child.id().unwrap_or(0);
    let base = server.base.clone();
    let h = format!("{base}/api/v1/halls/{HALL}");

    let (manager, csrf) = login(&base, "manager").await?;
    for (prefix, name) in [("A", "综合受理"), ("B", "企业服务")] {
        post(
            &manager,
            &csrf,
            format!("{h}/queue/lines"),
            json!({"prefix": prefix, "name": name, "opens_at": "00:00", "closes_at": "23:59"}),
        )
        .await?;
    }
    let device = |purpose: &'static str| {
        let (manager, csrf, h) = (&manager, &csrf, &h);
        async move {
            let v = post(
                manager,
                csrf,
                format!("{h}/devices"),
                json!({"name": format!("压测{purpose}"), "purpose": purpose}),
            )
            .await?;
            Ok::<_, anyhow::Error>(v["token"].as_str().unwrap_or_default().to_string())
        }
    };
    let kiosk = device("kiosk").await?;
    let screen = device("screen").await?;
    let clerks = sign_in_windows(&base, &h, &manager, args.clients).await?;
    let trivial_rate = trivial_rate(&base, args.clients).await;

    // Screens on threads of their own, so their reads do not time the workers.
    let screens_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("bench-screens")
        .enable_all()
        .build()?;
    let connected = Arc::new(AtomicU64::new(0));
    let frames = Arc::new(AtomicU64::new(0));
    let feed_client = Client::builder().pool_max_idle_per_host(0).build()?;
    for _ in 0..args.screens {
        let (client, url, token) = (feed_client.clone(), format!("{h}/events"), screen.clone());
        let (connected, frames) = (connected.clone(), frames.clone());
        screens_rt.spawn(async move {
            let Ok(resp) = client.get(url).bearer_auth(token).send().await else {
                return;
            };
            connected.fetch_add(1, Ordering::Relaxed);
            let mut body = resp.bytes_stream();
            while let Some(Ok(chunk)) = body.next().await {
                let n = memchr::memmem::find_iter(&chunk, b"\n\n").count();
                frames.fetch_add(n as u64, Ordering::Relaxed);
            }
        });
    }
    let waited = Instant::now();
    while (connected.load(Ordering::Relaxed) as usize) < args.screens
        && waited.elapsed() < Duration::from_secs(30)
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let frames_before = frames.load(Ordering::Relaxed);

    eprintln!(
        "[{backend}] {} 分钟持续取号与叫号（{} 个客户端，{} 个屏幕）…",
        args.minutes,
        args.clients,
        connected.load(Ordering::Relaxed)
    );
    let clock = Arc::new(Clock {
        start: Instant::now(),
        minutes: (0..args.minutes).map(|_| Minute::new()).collect(),
        slow: Default::default(),
    });
    let deadline = Duration::from_secs(args.minutes * 60);
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = tokio::spawn(sample(
        clock.clone(),
        stop.clone(),
        pid,
        db_file.clone(),
        url.clone(),
        backend,
    ));
    let workers: Vec<_> = clerks
        .into_iter()
        .enumerate()
        .map(|(i, clerk)| {
            let clock = clock.clone();
            let (issue_url, kiosk) = (format!("{h}/tickets"), kiosk.clone());
            let call_url = format!("{h}/windows/{}/call-next", clerk.window);
            tokio::spawn(async move {
                let client = Client::new();
                let mut k = 0usize;
                while clock.start.elapsed() < deadline {
                    k += 1;
                    let line = if (i + k).is_multiple_of(3) { "B" } else { "A" };
                    let t = Instant::now();
                    let r = client
                        .post(&issue_url)
                        .bearer_auth(&kiosk)
                        .json(&json!({"line": line}))
                        .send()
                        .await;
                    let ok = matches!(&r, Ok(r) if r.status() == StatusCode::CREATED);
                    let m = clock.record("取号", t.elapsed());
                    if ok {
                        m.issued.fetch_add(1, Ordering::Relaxed);
                    } else {
                        m.errors.fetch_add(1, Ordering::Relaxed);
                    }
                    let t = Instant::now();
                    let r = clerk
                        .client
                        .post(&call_url)
                        .header("x-csrf-token", &clerk.csrf)
                        .send()
                        .await;
                    let m = clock.record("叫号", t.elapsed());
                    match r.map(|r| r.status()) {
                        Ok(StatusCode::OK) => m.called.fetch_add(1, Ordering::Relaxed),
                        Ok(StatusCode::NO_CONTENT) => 0,
                        _ => m.errors.fetch_add(1, Ordering::Relaxed),
                    };
                }
            })
        })
        .collect();
    futures::future::join_all(workers).await;
    stop.store(true, Ordering::Relaxed);
    sampler.await??;
    // Let the last frames reach the screens.
    tokio::time::sleep(Duration::from_millis(500)).await;
    screens_rt.shutdown_background();

    let clock = Arc::try_unwrap(clock).map_err(|_| anyhow::anyhow!("计时器仍在使用"))?;
    let slow = clock.slow.lock().map(|s| s.clone()).unwrap_or_default();
    let all = Histogram::new();
    let mut max_us = 0;
    let mut issued = 0;
    let mut called = 0;
    for m in &clock.minutes {
        all.merge(&m.latency);
        max_us = max_us.max(m.max_us.load(Ordering::Relaxed));
        issued += m.issued.load(Ordering::Relaxed);
        called += m.called.load(Ordering::Relaxed);
    }
    let screens = connected.load(Ordering::Relaxed);
    let checkpoints = if url.is_none() {
        checkpoint_counters(&base).await
    } else {
        None
    };
    drop(server);
    let (storage, tickets) = match &url {
        None => sqlite_storage(&db_file).await?,
        Some(u) => pg_storage(u).await?,
    };
    if let Some(s) = scratch {
        s.drop_database().await?;
    }
    Ok(Run {
        backend,
        trivial_rate,
        minutes: clock.minutes,
        all,
        max_us,
        screens,
        deliveries: frames.load(Ordering::Relaxed) - frames_before,
        // Every issue and every call is one frame on every screen.
        expected_deliveries: (issued + called) * screens,
        storage,
        tickets,
        slow,
        checkpoints,
    })
}

/// What the server's SQLite checkpointer did (from `/metrics`).
struct Checkpoints {
    passive: u64,
    passive_longest_ms: u64,
    restarts: u64,
    restart_longest_ms: u64,
    /// Restarts that held the writer over 50 ms: beside the slow requests, they tell
    /// whether the tail is the checkpointer's.
    restarts_slow: u64,
    busy: u64,
}

async fn checkpoint_counters(base: &str) -> Option<Checkpoints> {
    let text = Client::new()
        .get(format!("{base}/metrics"))
        .send()
        .await
        .ok()?
        .text()
        .await
        .ok()?;
    let read = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.trim().parse::<f64>().ok())
            .map(|v| v as u64)
    };
    Some(Checkpoints {
        passive: read("govhall_sqlite_wal_checkpoints_total ")?,
        passive_longest_ms: read("govhall_sqlite_wal_passive_longest_ms ")?,
        restarts: read("govhall_sqlite_wal_restarts_total ")?,
        restart_longest_ms: read("govhall_sqlite_wal_restart_longest_ms ")?,
        restarts_slow: read("govhall_sqlite_wal_restarts_slow_total ")?,
        busy: read("govhall_sqlite_wal_restarts_busy_total ")?,
    })
}

/// A clerk signed in at their window.
struct Clerk {
    client: Client,
    csrf: String,
    window: String,
}

async fn sign_in_windows(
    base: &str,
    h: &str,
    manager: &Client,
    n: usize,
) -> anyhow::Result<Vec<Clerk>> {
    let page: Value = manager
        .get(format!("{h}/windows?page_size=200"))
        .send()
        .await?
        .json()
        .await?;
    let windows = page["items"].as_array().cloned().unwrap_or_default();
    let mut clerks = Vec::new();
    for k in 1..=n {
        let code = format!("{k:02}");
        let (client, csrf) = login(base, &format!("bench{code}")).await?;
        let window = windows
            .iter()
            .find(|w| w["code"] == code.as_str())
            .and_then(|w| w["id"].as_str())
            .unwrap_or_default()
            .to_string();
        post(
            &client,
            &csrf,
            format!("{h}/windows/{window}/sign-in"),
            json!({}),
        )
        .await?;
        clerks.push(Clerk {
            client,
            csrf,
            window,
        });
    }
    Ok(clerks)
}

/// `GET /healthz` per second with `clients` concurrent clients for 3 s.
pub(crate) async fn trivial_rate(base: &str, clients: usize) -> f64 {
    let started = Instant::now();
    let span = Duration::from_secs(3);
    let tasks = (0..clients).map(|_| {
        let url = format!("{base}/healthz");
        tokio::spawn(async move {
            let client = Client::new();
            let mut n = 0u64;
            while started.elapsed() < span {
                if client.get(&url).send().await.is_ok() {
                    n += 1;
                }
            }
            n
        })
    });
    let n: u64 = futures::future::join_all(tasks)
        .await
        .into_iter()
        .map(|r| r.unwrap_or(0))
        .sum();
    n as f64 / started.elapsed().as_secs_f64()
}

/// Single-row commits per second on a fresh SQLite file, with the server's
/// journal settings: the ceiling of any writer on this disk.
pub(crate) async fn sqlite_commit_rate() -> anyhow::Result<f64> {
    use std::str::FromStr;
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("limit.db").display());
    let opts = sqlx::sqlite::SqliteConnectOptions::from_str(&url)?
        .create_if_missing(true)
        .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
        .synchronous(sqlx::sqlite::SqliteSynchronous::Normal);
    let mut conn = sqlx::SqliteConnection::connect_with(&opts).await?;
    sqlx::query("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
        .execute(&mut conn)
        .await?;
    let started = Instant::now();
    let mut n = 0u64;
    while started.elapsed() < Duration::from_secs(2) {
        sqlx::query("INSERT INTO t (v) VALUES ('x')")
            .execute(&mut conn)
            .await?;
        n += 1;
    }
    Ok(n as f64 / started.elapsed().as_secs_f64())
}

/// Once a second until `stop`: WAL and database sizes and the server's memory,
/// into the current minute.
async fn sample(
    clock: Arc<Clock>,
    stop: Arc<AtomicBool>,
    pid: u32,
    db_file: PathBuf,
    pg_url: Option<String>,
    backend: &'static str,
) -> anyhow::Result<()> {
    let pg = match &pg_url {
        Some(u) => Some(sqlx::PgPool::connect(u).await?),
        None => None,
    };
    let pg_wal = async |pool: &sqlx::PgPool| -> anyhow::Result<(u64, u64)> {
        let row = sqlx::query(
            "SELECT pg_database_size(current_database())::bigint, \
             pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint",
        )
        .fetch_one(pool)
        .await?;
        Ok((
            row.try_get::<i64, _>(0)? as u64,
            row.try_get::<i64, _>(1)? as u64,
        ))
    };
    let wal_start = match &pg {
        Some(pool) => pg_wal(pool).await?.1,
        None => 0,
    };
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let mut reported = 0;
    let wal_file = PathBuf::from(format!("{}-wal", db_file.display()));
    while !stop.load(Ordering::Relaxed) {
        tick.tick().await;
        let m = clock.now();
        match &pg {
            Some(pool) => {
                let (db, wal) = pg_wal(pool).await?;
                m.db.store(db, Ordering::Relaxed);
                m.wal.store(wal - wal_start, Ordering::Relaxed);
            }
            None => {
                m.wal.fetch_max(file_size(&wal_file), Ordering::Relaxed);
                m.db.store(file_size(&db_file), Ordering::Relaxed);
            }
        }
        let rss = rss_kb(pid);
        m.rss_kb.store(rss, Ordering::Relaxed);
        m.rss_max_kb.fetch_max(rss, Ordering::Relaxed);
        let minute = (clock.start.elapsed().as_secs() / 60) as usize;
        if minute > reported && minute <= clock.minutes.len() {
            let done = &clock.minutes[minute - 1];
            eprintln!(
                "[{backend}] 第 {minute} 分钟：取号 {}，叫号 {}，最慢 {:.1} ms，内存 {:.0} MB",
                done.issued.load(Ordering::Relaxed),
                done.called.load(Ordering::Relaxed),
                done.max_us.load(Ordering::Relaxed) as f64 / 1000.0,
                done.rss_kb.load(Ordering::Relaxed) as f64 / 1024.0
            );
            reported = minute;
        }
    }
    Ok(())
}

fn file_size(p: &Path) -> u64 {
    std::fs::metadata(p).map_or(0, |m| m.len())
}

/// Resident memory of a process, in kB.
fn rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// Every table and index of a SQLite file with its bytes and rows (`dbstat`),
/// and the tickets issued.
async fn sqlite_storage(file: &Path) -> anyhow::Result<(Vec<(String, u64, u64)>, u64)> {
    let opts = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(file)
        .read_only(true);
    let mut conn = sqlx::SqliteConnection::connect_with(&opts).await?;
    let rows = sqlx::query(
        "SELECT name, SUM(pgsize), SUM(CASE WHEN pagetype = 'leaf' THEN ncell ELSE 0 END) \
         FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 20",
    )
    .fetch_all(&mut conn)
    .await?;
    let storage = rows
        .iter()
        .map(|r| {
            Ok((
                r.try_get::<String, _>(0)?,
                r.try_get::<i64, _>(1)? as u64,
                r.try_get::<i64, _>(2)? as u64,
            ))
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let tickets: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM queue_tickets")
        .fetch_one(&mut conn)
        .await?;
    Ok((storage, tickets as u64))
}

/// The largest tables and indexes of a PostgreSQL database, and the tickets issued.
async fn pg_storage(url: &str) -> anyhow::Result<(Vec<(String, u64, u64)>, u64)> {
    let pool = sqlx::PgPool::connect(url).await?;
    // Row estimates come from the statistics.
    sqlx::query("ANALYZE").execute(&pool).await?;
    let rows = sqlx::query(
        "SELECT c.relname::text, pg_relation_size(c.oid)::bigint, \
         GREATEST(c.reltuples, 0)::bigint \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i') \
         ORDER BY 2 DESC LIMIT 20",
    )
    .fetch_all(&pool)
    .await?;
    let storage = rows
        .iter()
        .map(|r| {
            Ok((
                r.try_get::<String, _>(0)?,
                r.try_get::<i64, _>(1)? as u64,
                r.try_get::<i64, _>(2)? as u64,
            ))
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let tickets: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM queue_tickets")
        .fetch_one(&pool)
        .await?;
    pool.close().await;
    Ok((storage, tickets as u64))
}

//! `govhall bench queue`: the queue's hot path through HTTP against a real
//! server process on this machine. For each database (SQLite, and PostgreSQL
//! when given) it seeds the demo hall, starts `govhall serve` as a child
//! process, then: 32 kiosk clients issue tickets; 32 windows call half of
//! them; 1,000 screens subscribe to the hall's event feed; the windows call an
//! eighth at the rate the targets name (2,000 calls/s) to warm up, an eighth
//! more at that rate, timed, then the rest as fast as they can. Delivery to
//! the screens is timed in the last two phases: at a named rate it is the
//! latency a screen sees, flat out it is mostly the queue of work on two
//! saturated cores. It checks that
//! no ticket was called twice and none issued was missed, and prints
//! throughput, latency percentiles, call-to-screen delivery and the server's
//! peak resident memory.

use crate::demo::{self, DEMO_PASSWORD};
use futures::StreamExt;
use govhall_directory::windows;
use govhall_platform::{
    auth::{Role, service as accounts},
    config::Config,
    events::Actor,
    halls::find_hall,
};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::{
    collections::HashSet,
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};
use tokio::io::{AsyncBufReadExt, BufReader};

const HALL: &str = "CA-ZWFW";
/// The `n`-th valid ID number of someone born in 1950 (one person holds one
/// ticket per line, so each elderly ticket is a different citizen).
fn elder_id(n: usize) -> String {
    let born = chrono::NaiveDate::from_ymd_opt(1950, 1, 1).expect("a date")
        + chrono::Duration::days((n / 1000) as i64);
    let first17 = format!("610116{}{:03}", born.format("%Y%m%d"), n % 1000);
    let check = govhall_kernel::validate::id_card_check_char(&first17).expect("17 digits");
    format!("{first17}{check}")
}

pub struct QueueBench {
    pub tickets: usize,
    pub clients: usize,
    pub subscribers: usize,
    /// Also run against this PostgreSQL server (a scratch database is created and dropped).
    pub postgres: Option<String>,
}

/// One calling phase's figures.
#[derive(Default)]
struct Calls {
    rate: f64,
    p50: Duration,
    p99: Duration,
    ids: Vec<String>,
}

/// One backend's figures.
struct Run {
    backend: &'static str,
    issue_rate: f64,
    issue_p50: Duration,
    issue_p99: Duration,
    /// Calls while no screen is subscribed.
    quiet: Calls,
    /// Calls at `PACED_RATE` while every screen is subscribed.
    paced: Calls,
    /// Calls as fast as the windows can while every screen is subscribed.
    watched: Calls,
    /// Call-to-screen delivery (p50, p99) in the paced and the flat-out phase.
    delivery_paced: (Duration, Duration),
    delivery: (Duration, Duration),
    deliveries: u64,
    /// Calls × connected screens: every screen should see every call.
    expected_deliveries: u64,
    subscribers: usize,
    peak_rss_mb: f64,
    double_calls: usize,
    missing: usize,
}

/// Servers started from now on run without the analytics follower (to
/// measure what projecting the facts costs the call path).
static FOLLOWER_OFF: AtomicBool = AtomicBool::new(false);

/// One SQLite run with the analytics follower on or off: issue rate, the
/// calls' rate and p99 while screens are subscribed.
pub(crate) async fn call_figures(
    args: QueueBench,
    follower: bool,
) -> anyhow::Result<(f64, f64, Duration)> {
    FOLLOWER_OFF.store(!follower, Ordering::SeqCst);
    let r = run("SQLite", None, &args).await;
    FOLLOWER_OFF.store(false, Ordering::SeqCst);
    let r = r?;
    Ok((r.issue_rate, r.watched.rate, r.watched.p99))
}

pub async fn queue(args: QueueBench) -> anyhow::Result<()> {
    let mut runs = vec![run("SQLite", None, &args).await?];
    if let Some(url) = &args.postgres {
        runs.push(run("PostgreSQL", Some(url), &args).await?);
    }
    println!(
        "\n叫号热路径（{} 张票，{} 个并发客户端；先无屏幕叫一半，再连 {} 个屏幕，按 {PACED_RATE:.0}/s 预热八分之一、计时八分之一，不限速叫其余）\n",
        args.tickets, args.clients, args.subscribers
    );
    println!(
        "| 项目 | {} | 目标 |",
        runs.iter()
            .map(|r| r.backend)
            .collect::<Vec<_>>()
            .join(" | ")
    );
    println!("|---|{}---|", "---|".repeat(runs.len()));
    let ms = |d: Duration| format!("{:.2} ms", d.as_secs_f64() * 1000.0);
    let row = |name: &str, target: &str, f: &dyn Fn(&Run) -> String| {
        println!(
            "| {name} | {} | {target} |",
            runs.iter().map(f).collect::<Vec<_>>().join(" | ")
        );
    };
    row("取号吞吐", "≥ 3000/s", &|r| {
        format!("{:.0}/s", r.issue_rate)
    });
    row("取号 p50 / p99", "p99 ≤ 10 ms", &|r| {
        format!("{} / {}", ms(r.issue_p50), ms(r.issue_p99))
    });
    row("叫号吞吐（无屏幕订阅）", "≥ 2000/s", &|r| {
        format!("{:.0}/s", r.quiet.rate)
    });
    row(
        "叫号 p50 / p99（无屏幕订阅）",
        "p99 ≤ 10 ms",
        &|r| format!("{} / {}", ms(r.quiet.p50), ms(r.quiet.p99)),
    );
    let paced = format!("（{} 屏订阅，按 {PACED_RATE:.0}/s 叫号）", args.subscribers);
    row(&format!("叫号实际速率{paced}"), "2000/s", &|r| {
        format!("{:.0}/s", r.paced.rate)
    });
    row(&format!("叫号 p50 / p99{paced}"), "—", &|r| {
        format!("{} / {}", ms(r.paced.p50), ms(r.paced.p99))
    });
    row(
        &format!("叫号到屏幕 p50 / p99{paced}"),
        "p99 ≤ 50 ms",
        &|r| format!("{} / {}", ms(r.delivery_paced.0), ms(r.delivery_paced.1)),
    );
    let flat = format!("（{} 屏订阅，不限速）", args.subscribers);
    row(&format!("叫号吞吐{flat}"), "—", &|r| {
        format!("{:.0}/s", r.watched.rate)
    });
    row(&format!("叫号 p50 / p99{flat}"), "—", &|r| {
        format!("{} / {}", ms(r.watched.p50), ms(r.watched.p99))
    });
    row(&format!("叫号到屏幕 p50 / p99{flat}"), "—", &|r| {
        format!("{} / {}", ms(r.delivery.0), ms(r.delivery.1))
    });
    row("屏幕收到的叫号事件 / 应收", "相等", &|r| {
        format!(
            "{} / {}（{} 屏）",
            r.deliveries, r.expected_deliveries, r.subscribers
        )
    });
    row("服务器峰值常驻内存", "≤ 200 MB", &|r| {
        format!("{:.0} MB", r.peak_rss_mb)
    });
    row("重复叫号 / 漏叫", "0 / 0", &|r| {
        format!("{} / {}", r.double_calls, r.missing)
    });
    Ok(())
}

/// One screen in this many times the calls it receives.
const TIMED_EVERY: usize = 10;

/// The calls per second of the paced phase: the call throughput the targets name.
const PACED_RATE: f64 = 2000.0;

/// The calling phases with screens watching, as indexes of their delivery histograms.
const PACED: usize = 0;
const FLAT_OUT: usize = 1;
const WARM_UP: usize = 2;

/// What a screen looks for in the feed's bytes, built once.
struct Finders {
    frame_end: memchr::memmem::Finder<'static>,
    /// A call event's frame contains this.
    called: memchr::memmem::Finder<'static>,
    time: memchr::memmem::Finder<'static>,
}

impl Finders {
    const TIME: &'static [u8] = br#""occurred_at":""#;

    fn new() -> Self {
        Finders {
            frame_end: memchr::memmem::Finder::new(b"\n\n"),
            called: memchr::memmem::Finder::new(br#""event_type":"queue.ticket.called""#),
            time: memchr::memmem::Finder::new(Self::TIME),
        }
    }

    /// The `occurred_at` of an event frame.
    fn occurred_at(&self, frame: &[u8]) -> Option<chrono::DateTime<chrono::Utc>> {
        let from = self.time.find(frame)? + Self::TIME.len();
        let len = memchr::memchr(b'"', &frame[from..])?;
        std::str::from_utf8(&frame[from..from + len])
            .ok()?
            .parse()
            .ok()
    }
}

/// Latency samples in 10 µs buckets up to 2 s, shared by many tasks.
pub(crate) struct Histogram(Vec<AtomicU64>);

impl Histogram {
    pub(crate) fn new() -> Self {
        Histogram((0..200_000).map(|_| AtomicU64::new(0)).collect())
    }
    pub(crate) fn add(&self, d: Duration) {
        let i = ((d.as_micros() / 10) as usize).min(self.0.len() - 1);
        self.0[i].fetch_add(1, Ordering::Relaxed);
    }
    /// Adds `other`'s samples to these.
    pub(crate) fn merge(&self, other: &Histogram) {
        for (mine, theirs) in self.0.iter().zip(&other.0) {
            mine.fetch_add(theirs.load(Ordering::Relaxed), Ordering::Relaxed);
        }
    }
    pub(crate) fn count(&self) -> u64 {
        self.0.iter().map(|c| c.load(Ordering::Relaxed)).sum()
    }
    pub(crate) fn percentile(&self, p: f64) -> Duration {
        let total = self.count();
        let want = ((total as f64) * p).ceil() as u64;
        let mut seen = 0;
        for (i, c) in self.0.iter().enumerate() {
            seen += c.load(Ordering::Relaxed);
            if seen >= want.max(1) {
                return Duration::from_micros(i as u64 * 10 + 10);
            }
        }
        Duration::ZERO
    }
}

/// Seeds the demo hall plus enough window staff, in-process, before the server starts.
pub(crate) async fn seed(config: Config, clients: usize) -> anyhow::Result<()> {
    let state = crate::open_state(config).await?;
    demo::seed_if_empty(&state)
        .await
        .map_err(|e| anyhow::anyhow!("演示数据写入失败：{e}"))?;
    let hall = find_hall(&state, HALL).await?;
    for n in 1..=clients {
        let code = format!("{n:02}");
        if n > 30 {
            windows::create(
                &state,
                &Actor::system(),
                &hall.id,
                &windows::WindowInput {
                    code: code.clone(),
                    name: format!("{n}号压测窗口"),
                    kind: "comprehensive".into(),
                    status: "open".into(),
                    area_id: None,
                    department_id: None,
                },
            )
            .await?;
        }
        accounts::create_user(
            &state,
            &Actor::system(),
            accounts::NewUser {
                username: format!("bench{code}"),
                display_name: format!("压测{code}"),
                password: DEMO_PASSWORD.into(),
                roles: vec![Role::WindowStaff],
                custom_roles: vec![],
                hall_id: Some(hall.id.clone()),
                staff_id: None,
                must_change_password: false,
            },
        )
        .await?;
    }
    state.close().await?;
    Ok(())
}

pub(crate) struct Server {
    pub(crate) child: tokio::process::Child,
    pub(crate) base: String,
}

pub(crate) async fn start_server(
    dir: &std::path::Path,
    url: Option<&str>,
) -> anyhow::Result<Server> {
    let mut child = tokio::process::Command::new(std::env::current_exe()?)
        .arg("--data-dir")
        .arg(dir)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("GOVHALL_DATABASE_URL", url.unwrap_or(""))
        // Benchmarks drive kiosks at machine speed: the per-kiosk limit is a person's pace.
        .env("GOVHALL_KIOSK_TICKETS_PER_MINUTE", "0")
        .env(
            "GOVHALL_ANALYTICS_FOLLOWER",
            if FOLLOWER_OFF.load(Ordering::SeqCst) {
                "off"
            } else {
                "on"
            },
        )
        // GOVHALL_BENCH_LOG=filter shows the server's log (e.g. `govhall_platform::db=debug`).
        .env(
            "GOVHALL_LOG",
            std::env::var("GOVHALL_BENCH_LOG").unwrap_or_else(|_| "warn".into()),
        )
        .stdout(std::process::Stdio::piped())
        // With GOVHALL_BENCH_LOG set, a server that fails to start says why.
        .stderr(if std::env::var_os("GOVHALL_BENCH_LOG").is_some() {
            std::process::Stdio::inherit()
        } else {
            std::process::Stdio::null()
        })
        .kill_on_drop(true)
        .spawn()?;
    let mut lines = BufReader::new(child.stdout.take().expect("piped")).lines();
    let base = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(line) = lines.next_line().await? {
            if let Some(at) = line.find("http://") {
                return Ok::<_, anyhow::Error>(line[at..].trim().to_string());
            }
        }
        anyhow::bail!("服务器未能启动")
    })
    .await??;
    // Keep draining stdout so the server never blocks on a full pipe.
    let show = std::env::var_os("GOVHALL_BENCH_LOG").is_some();
    tokio::spawn(async move {
        while let Ok(Some(line)) = lines.next_line().await {
            if show {
                eprintln!("{line}");
            }
        }
    });
    Ok(Server { child, base })
}

pub(crate) fn peak_rss_mb(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// A signed-in browser-like client: session cookie plus the CSRF header.
pub(crate) async fn login(base: &str, username: &str) -> anyhow::Result<(Client, String)> {
    let client = Client::builder().cookie_store(true).build()?;
    let r = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": username, "password": DEMO_PASSWORD}))
        .send()
        .await?;
    anyhow::ensure!(
        r.status().is_success(),
        "{username} 登录失败：{}",
        r.status()
    );
    let csrf = r
        .cookies()
        .find(|c| c.name() == "govhall_csrf")
        .map(|c| c.value().to_string())
        .unwrap_or_default();
    Ok((client, csrf))
}

pub(crate) async fn post(
    client: &Client,
    csrf: &str,
    url: String,
    body: Value,
) -> anyhow::Result<Value> {
    let r = client
        .post(url)
        .header("x-csrf-token", csrf)
        .json(&body)
        .send()
        .await?;
    let status = r.status();
    let text = r.text().await?;
    anyhow::ensure!(status.is_success(), "{status}: {text}");
    Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
}

pub(crate) fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

async fn run(backend: &'static str, pg: Option<&String>, args: &QueueBench) -> anyhow::Result<Run> {
    let dir = tempfile::tempdir()?;
    let scratch = match pg {
        Some(admin) => Some(crate::bench_pg::Scratch::create(admin).await?),
        None => None,
    };
    let url = scratch.as_ref().map(|s| s.url.clone());
    let config = Config {
        data_dir: dir.path().to_path_buf(),
        database_url: url.clone(),
        ..Config::default()
    };
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
    let kiosk = post(
        &manager,
        &csrf,
        format!("{h}/devices"),
        json!({"name": "压测取号机", "purpose": "kiosk"}),
    )
    .await?["token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let screen = post(
        &manager,
        &csrf,
        format!("{h}/devices"),
        json!({"name": "压测叫号屏", "purpose": "screen"}),
    )
    .await?["token"]
        .as_str()
        .unwrap_or_default()
        .to_string();

    // 1. Issue: `clients` kiosks in parallel.
    eprintln!("[{backend}] 取号 {} 张…", args.tickets);
    let per = args.tickets / args.clients;
    let started = Instant::now();
    let tasks = (0..args.clients).map(|i| {
        let (url, token) = (format!("{h}/tickets"), kiosk.clone());
        tokio::spawn(async move {
            let client = Client::new();
            let mut out = Vec::with_capacity(per);
            for k in 0..per {
                let t = Instant::now();
                let mut body = json!({"line": if (i + k) % 3 == 0 { "B" } else { "A" }});
                if k % 10 == 0 {
                    // One in ten is over 70: a kiosk may not set the green
                    // channel itself, the ID card puts them in it.
                    body["id_number"] = json!(elder_id(i * per + k));
                }
                let r = client
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await?;
                anyhow::ensure!(
                    r.status() == StatusCode::CREATED,
                    "取号失败：{}",
                    r.text().await?
                );
                let v: Value = r.json().await?;
                out.push((
                    t.elapsed(),
                    v["ticket"]["id"].as_str().unwrap_or_default().to_string(),
                ));
            }
            Ok::<_, anyhow::Error>(out)
        })
    });
    let mut issue_lat = Vec::new();
    let mut issued = HashSet::new();
    for r in futures::future::join_all(tasks).await {
        for (d, id) in r?? {
            issue_lat.push(d);
            issued.insert(id);
        }
    }
    let issue_rate = issued.len() as f64 / started.elapsed().as_secs_f64();
    issue_lat.sort();
    eprintln!(
        "[{backend}] 取号 {:.0}/s，p99 {:.2} ms",
        issue_rate,
        percentile(&issue_lat, 0.99).as_secs_f64() * 1000.0
    );

    // 2. Windows sign in; half the tickets are called with no screen watching.
    let mut clerks = Vec::new();
    let page: Value = manager
        .get(format!("{h}/windows?page_size=200"))
        .send()
        .await?
        .json()
        .await?;
    let ids: Vec<(String, String)> = page["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|w| {
            (
                w["code"].as_str().unwrap_or_default().to_string(),
                w["id"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    for n in 1..=args.clients {
        let code = format!("{n:02}");
        let (client, csrf) = login(&base, &format!("bench{code}")).await?;
        let w = ids
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, id)| id.clone())
            .unwrap_or_default();
        post(
            &client,
            &csrf,
            format!("{h}/windows/{w}/sign-in"),
            json!({}),
        )
        .await?;
        clerks.push((client, csrf, w));
    }
    eprintln!("[{backend}] {} 个窗口并发叫号（无屏幕订阅）…", args.clients);
    let quiet = call(backend, &clerks, &h, Some(args.tickets / 2), None).await?;

    // 3. Screens: subscribers to the hall's live feed, timing each call event.
    eprintln!("[{backend}] 连接 {} 个屏幕订阅…", args.subscribers);
    // One histogram per phase (paced, flat out, warm-up); `phase` says which
    // the screens add to.
    let delivery = Arc::new([Histogram::new(), Histogram::new(), Histogram::new()]);
    let phase = Arc::new(AtomicUsize::new(WARM_UP));
    let connected = Arc::new(AtomicU64::new(0));
    let calls = Arc::new(AtomicU64::new(0));
    let finders = Arc::new(Finders::new());
    let feed_client = Client::builder().pool_max_idle_per_host(0).build()?;
    // The screens run on threads of their own: on the windows' runtime a
    // call's answer would wait in line behind a thousand screens' reads, and
    // the figures would time the benchmark instead of the server.
    let screens_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("bench-screens")
        .enable_all()
        .build()?;
    let mut subs = Vec::new();
    for i in 0..args.subscribers {
        let (client, url, token) = (feed_client.clone(), format!("{h}/events"), screen.clone());
        let (delivery, connected, calls) = (delivery.clone(), connected.clone(), calls.clone());
        let phase = phase.clone();
        // Every screen reads every frame and counts the calls; every tenth
        // also times them. The screens share this machine's two cores with the
        // server, so they find frames by byte search and parse only the time.
        let timing = i % TIMED_EVERY == 0;
        let finders = finders.clone();
        subs.push(screens_rt.spawn(async move {
            let Ok(resp) = client.get(url).bearer_auth(token).send().await else {
                return;
            };
            connected.fetch_add(1, Ordering::Relaxed);
            let mut body = resp.bytes_stream();
            let mut buf: Vec<u8> = Vec::new();
            while let Some(Ok(chunk)) = body.next().await {
                buf.extend_from_slice(&chunk);
                let mut start = 0;
                while let Some(cut) = finders.frame_end.find(&buf[start..]) {
                    let frame = &buf[start..start + cut];
                    start += cut + 2;
                    if finders.called.find(frame).is_none() {
                        continue;
                    }
                    calls.fetch_add(1, Ordering::Relaxed);
                    if timing && let Some(at) = finders.occurred_at(frame) {
                        let lag = (chrono::Utc::now() - at).to_std().unwrap_or_default();
                        delivery[phase.load(Ordering::Relaxed)].add(lag);
                    }
                }
                buf.drain(..start);
            }
        }));
    }
    let wait_from = Instant::now();
    while (connected.load(Ordering::Relaxed) as usize) < args.subscribers
        && wait_from.elapsed() < Duration::from_secs(60)
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // 4. An eighth is called at the named rate with every screen watching,
    //    untimed: a thousand new streams first grow their buffers (in this
    //    process and in the server, memory is allocated and faulted in for
    //    them), which a hall's screens, connected all day, do once. Then an
    //    eighth more, timed, and the rest as fast as the windows can.
    let phases = [
        (WARM_UP, "预热", Some(args.tickets / 8), Some(PACED_RATE)),
        (PACED, "", Some(args.tickets / 8), Some(PACED_RATE)),
        (FLAT_OUT, "", None, None),
    ];
    let mut watched_phases = Vec::new();
    for (index, note, budget, rate) in phases {
        phase.store(index, Ordering::Relaxed);
        let pace = rate.map_or("不限速".to_string(), |r| format!("按 {r:.0}/s "));
        eprintln!(
            "[{backend}] {} 个窗口{pace}叫号{note}（{} 屏订阅）…",
            args.clients, args.subscribers
        );
        watched_phases.push(call(backend, &clerks, &h, budget, rate).await?);
        // Let the last events reach the screens before the next phase is timed.
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let [warm_up, paced, watched] =
        <[Calls; 3]>::try_from(watched_phases).map_err(|_| anyhow::anyhow!("叫号阶段不全"))?;
    let peak_rss_mb = peak_rss_mb(pid);
    for s in subs {
        s.abort();
    }
    screens_rt.shutdown_background();
    let called: Vec<&String> = quiet
        .ids
        .iter()
        .chain(&warm_up.ids)
        .chain(&paced.ids)
        .chain(&watched.ids)
        .collect();
    let unique: HashSet<&String> = called.iter().copied().collect();
    let result = Run {
        backend,
        issue_rate,
        issue_p50: percentile(&issue_lat, 0.5),
        issue_p99: percentile(&issue_lat, 0.99),
        delivery_paced: (
            delivery[PACED].percentile(0.5),
            delivery[PACED].percentile(0.99),
        ),
        delivery: (
            delivery[FLAT_OUT].percentile(0.5),
            delivery[FLAT_OUT].percentile(0.99),
        ),
        deliveries: calls.load(Ordering::Relaxed),
        expected_deliveries: ((warm_up.ids.len() + paced.ids.len() + watched.ids.len())
            * connected.load(Ordering::Relaxed) as usize) as u64,
        subscribers: connected.load(Ordering::Relaxed) as usize,
        peak_rss_mb,
        double_calls: called.len() - unique.len(),
        missing: issued.iter().filter(|id| !unique.contains(id)).count(),
        quiet,
        paced,
        watched,
    };
    drop(server);
    if let Some(s) = scratch {
        s.drop_database().await?;
    }
    Ok(result)
}

/// Every window calls until nobody waits, or until `budget` calls were made;
/// with `rate`, the windows together call that many times a second (each on
/// its own schedule, staggered; a late call goes at once, as a clerk's would).
async fn call(
    backend: &str,
    clerks: &[(Client, String, String)],
    h: &str,
    budget: Option<usize>,
    rate: Option<f64>,
) -> anyhow::Result<Calls> {
    let left = Arc::new(AtomicU64::new(budget.unwrap_or(usize::MAX) as u64));
    let started = Instant::now();
    let period = rate.map(|r| Duration::from_secs_f64(clerks.len() as f64 / r));
    let tasks = clerks
        .iter()
        .cloned()
        .enumerate()
        .map(|(i, (client, csrf, w))| {
            let url = format!("{h}/windows/{w}/call-next");
            let left = left.clone();
            let mut schedule = period.map(|p| {
                let first = tokio::time::Instant::now() + p * i as u32 / clerks.len() as u32;
                tokio::time::interval_at(first, p)
            });
            tokio::spawn(async move {
                let mut out = Vec::new();
                while left
                    .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
                    .is_ok()
                {
                    if let Some(s) = schedule.as_mut() {
                        s.tick().await;
                    }
                    let t = Instant::now();
                    let r = client
                        .post(&url)
                        .header("x-csrf-token", &csrf)
                        .send()
                        .await?;
                    match r.status() {
                        StatusCode::NO_CONTENT => return Ok::<_, anyhow::Error>(out),
                        StatusCode::OK => {
                            let v: Value = r.json().await?;
                            out.push((
                                t.elapsed(),
                                v["ticket"]["id"].as_str().unwrap_or_default().to_string(),
                            ));
                        }
                        other => anyhow::bail!("叫号失败 {other}：{}", r.text().await?),
                    }
                }
                Ok(out)
            })
        });
    let mut call_lat = Vec::new();
    let mut called = Vec::new();
    for r in futures::future::join_all(tasks).await {
        for (d, id) in r?? {
            call_lat.push(d);
            called.push(id);
        }
    }
    let call_rate = called.len() as f64 / started.elapsed().as_secs_f64();
    call_lat.sort();
    eprintln!(
        "[{backend}] 叫号 {:.0}/s，p99 {:.2} ms",
        call_rate,
        percentile(&call_lat, 0.99).as_secs_f64() * 1000.0
    );
    Ok(Calls {
        rate: call_rate,
        p50: percentile(&call_lat, 0.5),
        p99: percentile(&call_lat, 0.99),
        ids: called,
    })
}

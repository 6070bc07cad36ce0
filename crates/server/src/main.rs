//! `govhall` — the command line of the server.

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use govhall_kernel::crypto::SoftwarePiiCipher;
use govhall_platform::{
    audit,
    auth::{Role, devices, password, service as accounts},
    config::{Config, redact_url},
    db,
    events::Actor,
    keys,
};
use govhall_server::{catalog_cli, demo, web::TERMINALS};
use std::{path::PathBuf, process::ExitCode};

#[derive(Parser)]
#[command(name = "govhall", version, about = "政务服务中心一体化平台 govhall")]
struct Cli {
    /// Configuration file (default: ./govhall.toml when present).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Database URL: sqlite://… or postgres://… (env GOVHALL_DATABASE_URL).
    #[arg(long, global = true)]
    database: Option<String>,
    /// Data directory for the SQLite file, backups and the key file (default ./data).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// Structured JSON logs.
    #[arg(long, global = true)]
    log_json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server.
    Serve {
        /// Listen address (default 127.0.0.1:8080).
        #[arg(long)]
        listen: Option<String>,
        /// Seed the demo hall into an empty database.
        #[arg(long)]
        demo: bool,
    },
    /// Bring the database schema up to date and exit.
    Migrate,
    /// Create a system administrator with a one-time password.
    CreateAdmin {
        #[arg(long, default_value = "admin")]
        username: String,
        #[arg(long, default_value = "系统管理员")]
        name: String,
    },
    /// Back up the database (SQLite: a consistent copy; PostgreSQL: how to use pg_dump).
    Backup {
        /// Target folder (default <data-dir>/backups).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Exit 0 when a running server answers /healthz.
    Healthcheck {
        /// Server base URL (default from the listen address).
        #[arg(long)]
        url: Option<String>,
    },
    /// Print the effective configuration with secrets hidden.
    Config,
    /// Re-encrypt all personal data under a new key (stop the server first).
    RotateKey {
        /// The new key (64 hex characters). Required when the key comes from GOVHALL_PII_KEY;
        /// otherwise a new key file is generated next to the current one.
        #[arg(long)]
        new_key: Option<String>,
    },
    /// Terminal devices (kiosks, screens, camera boxes) and their tokens.
    Device {
        #[command(subcommand)]
        command: DeviceCommand,
    },
    /// Audit log tools.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Rebuild the catalog search index from the database (stop the server first,
    /// or use 事项库 › 重建索引 in the admin while it runs).
    Reindex,
    /// Measure speed on this machine and print a table (run a release build).
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
    /// Catalog (事项库) import and export.
    Catalog {
        #[command(subcommand)]
        command: CatalogCommand,
    },
    /// Demonstration data.
    Demo {
        #[command(subcommand)]
        command: DemoCommand,
    },
    /// 成效报告: write a month's (`2026-11`) or a quarter's (`2026-Q4`) report
    /// as PDF and .docx (the published one when it exists, else from the data).
    Report {
        /// Hall code (default: the demo hall).
        #[arg(long)]
        hall: Option<String>,
        #[arg(long)]
        period: String,
        /// Folder to write into (default: the current one).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// 数据可视化: the facts behind the figures.
    Analytics {
        #[command(subcommand)]
        command: AnalyticsCommand,
    },
}

#[derive(Subcommand)]
enum DemoCommand {
    /// Write years of a district hall's past activity as the modules' events
    /// (seeds the demo hall first into an empty database).
    History {
        /// Years back from yesterday.
        #[arg(long, default_value_t = 1)]
        years: u32,
        /// Days back instead of years.
        #[arg(long)]
        days: Option<u32>,
        /// Hall code (default: the demo hall).
        #[arg(long)]
        hall: Option<String>,
        /// Tickets on an average working day.
        #[arg(long, default_value_t = 1330.0)]
        daily_tickets: f64,
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
}

#[derive(Subcommand)]
enum AnalyticsCommand {
    /// Throw the analytics facts away and project the whole event log again.
    Rebuild,
}

#[derive(Subcommand)]
enum BenchCommand {
    /// A month's payroll for the demo hall's 76 staff and for a city-wide run (in a temporary SQLite database).
    Hr {
        /// Staff of the city-wide run.
        #[arg(long, default_value_t = 10_000)]
        staff: usize,
    },
    /// A quarter's KPIs and points for the demo hall over a year of generated history, the evidence page's latency, and a run with more staff (in a temporary SQLite database).
    Performance {
        /// Days of history before today.
        #[arg(long, default_value_t = 365)]
        days: u32,
        /// Tickets on an average working day.
        #[arg(long, default_value_t = 1330.0)]
        daily_tickets: f64,
        /// Staff of the scale run.
        #[arg(long, default_value_t = 10_000)]
        staff: usize,
    },
    /// Import 10,000 items, resolve scenarios, search 20,000 items (in a temporary SQLite database).
    Catalog,
    /// Guidance search relevance: colloquial questions over the demo catalog, top-1 and top-3 hit rates.
    Guidance,
    /// A case's full life through HTTP, by one clerk and then by many at once (SQLite, server process).
    Cases {
        /// Clerks working at once.
        #[arg(long, default_value_t = 100)]
        clerks: usize,
        /// Cases each clerk takes from intake to delivery.
        #[arg(long, default_value_t = 5)]
        each: usize,
        /// A clerk's pause before each request, in milliseconds (the working pace).
        #[arg(long, default_value_t = 1000)]
        think_ms: u64,
    },
    /// 数据可视化 at a district's scale: generate years of history, rebuild the facts,
    /// time each analysis panel (p50/p95), today's live figures and the big screen.
    Analytics {
        /// Years of history (about 1,330 tickets a working day ≈ 330,000 a year).
        #[arg(long, default_value_t = 3)]
        years: u32,
        /// Days instead of years.
        #[arg(long)]
        days: Option<u32>,
        #[arg(long, default_value_t = 1330.0)]
        daily_tickets: f64,
        /// Runs of each panel.
        #[arg(long, default_value_t = 20)]
        samples: usize,
        /// Also run on PostgreSQL: URL of the maintenance database (a scratch database is created beside it).
        #[arg(long)]
        postgres: Option<String>,
        /// Also run the queue benchmark with the analytics follower on and off.
        #[arg(long)]
        queue: bool,
    },
    /// 人员培训 under the whole staff at once: video through Range requests, progress
    /// reports at a set rate, an exam handed in by everyone in the same second.
    Training {
        /// Learners at once.
        #[arg(long, default_value_t = 76)]
        learners: usize,
        /// Progress reports per second, all learners together.
        #[arg(long, default_value_t = 500.0)]
        rate: f64,
        /// Seconds of reporting.
        #[arg(long, default_value_t = 20)]
        seconds: u64,
        /// Questions on the exam.
        #[arg(long, default_value_t = 100)]
        questions: usize,
        /// Length of the generated video, in seconds.
        #[arg(long, default_value_t = 300)]
        video_seconds: u32,
        /// Seconds over which the learners hand in the exam (the same minute).
        #[arg(long, default_value_t = 60)]
        spread_seconds: u64,
    },
    /// Issue and call tickets through HTTP against a server process, with 1,000 screens subscribed.
    Queue {
        /// Tickets to issue (and then call).
        #[arg(long, default_value_t = 20000)]
        tickets: usize,
        /// Concurrent kiosk clients, and windows calling.
        #[arg(long, default_value_t = 32)]
        clients: usize,
        /// Screens subscribed to the hall's event feed while windows call.
        #[arg(long, default_value_t = 1000)]
        subscribers: usize,
        /// Also run on PostgreSQL: URL of the maintenance database (a scratch database is created beside it).
        #[arg(long)]
        postgres: Option<String>,
    },
    /// Issue and call tickets without pause for N minutes with screens subscribed; per minute:
    /// throughput, latency percentiles, WAL and database size, memory.
    Soak {
        /// Minutes of load.
        #[arg(long, default_value_t = 10)]
        minutes: u64,
        /// Concurrent clients, each issuing a ticket and then calling the next at its window.
        #[arg(long, default_value_t = 8)]
        clients: usize,
        /// Screens subscribed to the hall's event feed.
        #[arg(long, default_value_t = 50)]
        screens: usize,
        /// Also run on PostgreSQL: URL of the maintenance database (a scratch database is created beside it).
        #[arg(long)]
        postgres: Option<String>,
    },
}

#[derive(Subcommand)]
enum CatalogCommand {
    /// Import a JSON or Excel catalog file into a hall; nothing is written if any problem is found.
    Import {
        /// Hall code or id.
        #[arg(long)]
        hall: String,
        /// The .json or .xlsx file.
        file: PathBuf,
        /// Publish the imported versions at once (otherwise they are drafts).
        #[arg(long)]
        publish: bool,
    },
    /// Export a hall's catalog (.json or .xlsx by the file name).
    Export {
        #[arg(long)]
        hall: String,
        file: PathBuf,
        /// Only published versions.
        #[arg(long)]
        published_only: bool,
    },
}

#[derive(Subcommand)]
enum DeviceCommand {
    /// Register a device and print its token (shown once).
    Create {
        /// Hall code or id.
        #[arg(long)]
        hall: String,
        /// kiosk | screen | camera
        #[arg(long)]
        purpose: String,
        #[arg(long)]
        name: String,
    },
    /// Revoke a device's token.
    Revoke {
        #[arg(long)]
        hall: String,
        #[arg(long)]
        id: String,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the SM3 hash chain; exit 1 and name the first broken entry if it was tampered with.
    Verify,
    /// Remove entries older than `audit_retention_days` (at least 180); the purge itself is audited.
    Purge,
}

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One clear line, no backtrace.
            eprintln!("错误：{e:#}");
            ExitCode::FAILURE
        }
    }
}

fn load_config(cli: &Cli, listen: Option<&String>) -> anyhow::Result<Config> {
    let mut overrides = serde_json::Map::new();
    if let Some(url) = &cli.database {
        overrides.insert("database_url".into(), url.clone().into());
    }
    if let Some(dir) = &cli.data_dir {
        overrides.insert("data_dir".into(), dir.display().to_string().into());
    }
    if cli.log_json {
        overrides.insert("log_json".into(), true.into());
    }
    if let Some(listen) = listen {
        overrides.insert("listen".into(), listen.clone().into());
    }
    Config::load(cli.config.as_deref(), &serde_json::Value::Object(overrides)).context("配置无效")
}

fn init_logging(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("GOVHALL_LOG")
        .unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn,sea_orm_migration=warn".into());
    // The log goes to stderr (the banner and command output to stdout), in
    // colour only when a person is watching it.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match &cli.command {
        Command::Serve { listen, demo: seed } => {
            let mut config = load_config(&cli, listen.as_ref())?;
            // A demonstration has no SMS gateway: its pages show the codes.
            if *seed && config.sms_provider == "outbox" {
                config.sms_provider = "demo".into();
            }
            init_logging(config.log_json);
            tracing::debug!(config = %config.redacted(), "starting govhall");
            serve(config, *seed).await
        }
        Command::Migrate => {
            let config = load_config(&cli, None)?;
            let conn = db::connect(&config.database_url(), config.db_pool_size).await?;
            govhall_server::migrate(&conn).await?;
            println!("数据库已是最新结构：{}", redact_url(&config.database_url()));
            Ok(())
        }
        Command::CreateAdmin { username, name } => {
            let config = load_config(&cli, None)?;
            let state = govhall_server::open_state(config).await?;
            let one_time = password::generate_one_time();
            accounts::create_user(
                &state,
                &Actor::system(),
                accounts::NewUser {
                    username: username.clone(),
                    display_name: name.clone(),
                    password: one_time.clone(),
                    roles: vec![Role::SystemAdmin],
                    custom_roles: vec![],
                    hall_id: None,
                    staff_id: None,
                    must_change_password: true,
                },
            )
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("已创建系统管理员 {username}");
            println!("一次性密码：{one_time}");
            println!("首次登录后必须修改密码。");
            Ok(())
        }
        Command::Backup { out } => {
            let config = load_config(&cli, None)?;
            let url = config.database_url();
            if !url.starts_with("sqlite:") {
                println!("PostgreSQL 请使用 pg_dump 备份，例如：");
                println!(
                    "  pg_dump --format=custom --file=govhall-$(date +%Y%m%d-%H%M%S).dump '{}'",
                    redact_url(&url)
                );
                println!("恢复：pg_restore --clean --dbname=<目标库> <备份文件>");
                println!(
                    "同时备份个人信息密钥（GOVHALL_PII_KEY 或 {}）。",
                    config.data_dir.join("pii.key").display()
                );
                bail!("PostgreSQL 数据库不支持内置备份");
            }
            let conn = db::connect(&url, 1).await?;
            let dir = out
                .clone()
                .unwrap_or_else(|| config.data_dir.join("backups"));
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("无法创建备份目录 {}", dir.display()))?;
            let target = dir.join(format!(
                "govhall-{}.db",
                chrono::Local::now().format("%Y%m%d-%H%M%S")
            ));
            db::backup_sqlite(&conn, &target).await?;
            println!("已备份到 {}", target.display());
            println!(
                "请一并妥善保管个人信息密钥文件 {}（数据库中不含密钥）。",
                config.data_dir.join("pii.key").display()
            );
            Ok(())
        }
        Command::Healthcheck { url } => {
            let config = load_config(&cli, None)?;
            let base = url.clone().unwrap_or_else(|| {
                format!("http://{}", config.listen.replace("0.0.0.0", "127.0.0.1"))
            });
            let resp = reqwest::Client::new()
                .get(format!("{}/healthz", base.trim_end_matches('/')))
                .timeout(std::time::Duration::from_secs(5))
                .send()
                .await
                .with_context(|| format!("服务器 {base} 无响应"))?;
            if !resp.status().is_success() {
                bail!("服务器 {base} 返回 {}", resp.status());
            }
            println!("正常：{base}");
            Ok(())
        }
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            let config = load_config(&cli, None)?;
            let conn = db::connect(&config.database_url(), 1).await?;
            let seal = audit::seal::Seal::open(&config, false)?;
            let report = audit::verify(&conn, &seal)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            match (report.first_broken, report.reason) {
                (None, None) => {
                    let anchored =
                        report.anchored_head.map_or("尚无校验点".to_string(), |s| {
                            format!("校验点至第 {s} 条")
                        });
                    println!(
                        "审计日志完整：共 {} 条，密钥链校验通过，{anchored}",
                        report.checked
                    );
                    Ok(())
                }
                (Some(seq), reason) => bail!(
                    "审计日志第 {seq} 条校验失败：{}（此前 {} 条完整）",
                    reason.unwrap_or_default(),
                    report.checked
                ),
                (None, reason) => bail!("审计日志校验失败：{}", reason.unwrap_or_default()),
            }
        }
        Command::Device { command } => {
            let state = govhall_server::open_state(load_config(&cli, None)?).await?;
            let app_err = |e: govhall_kernel::AppError| anyhow::anyhow!("{e}");
            match command {
                DeviceCommand::Create {
                    hall,
                    purpose,
                    name,
                } => {
                    let hall = govhall_directory::halls::get(&state, hall)
                        .await
                        .map_err(app_err)?;
                    let req = devices::NewDeviceRequest {
                        name: name.clone(),
                        purpose: purpose.clone(),
                    };
                    let created = devices::register(&state, &Actor::system(), &hall.id, &req)
                        .await
                        .map_err(app_err)?;
                    println!(
                        "已登记设备 {}（{}，{}），编号 {}",
                        created.device.name,
                        created.device.purpose_label,
                        hall.name,
                        created.device.id
                    );
                    println!(
                        "设备令牌（只显示这一次，请配置到设备上）：{}",
                        created.token
                    );
                }
                DeviceCommand::Revoke { hall, id } => {
                    let hall = govhall_directory::halls::get(&state, hall)
                        .await
                        .map_err(app_err)?;
                    devices::revoke(&state, &Actor::system(), &hall.id, id)
                        .await
                        .map_err(app_err)?;
                    println!("设备 {id} 的令牌已吊销");
                }
            }
            Ok(())
        }
        Command::RotateKey { new_key } => {
            rotate_key(load_config(&cli, None)?, new_key.as_deref()).await
        }
        Command::Audit {
            command: AuditCommand::Purge,
        } => {
            let state = govhall_server::open_state(load_config(&cli, None)?).await?;
            let removed = audit::purge(&state, "命令行")
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "已清理保存期（{} 天）以前的审计记录 {removed} 条",
                state.config.audit_retention_days.max(180)
            );
            Ok(())
        }
        Command::Demo {
            command:
                DemoCommand::History {
                    years,
                    days,
                    hall,
                    daily_tickets,
                    seed,
                },
        } => {
            let state = govhall_server::open_state(load_config(&cli, None)?).await?;
            if hall.is_none() {
                demo::seed_if_empty(&state)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                demo::seed_queue_if_empty(&state)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
            }
            let plan = govhall_server::history::HistoryPlan {
                hall: hall.clone().unwrap_or_else(|| demo::HALL_CODE.into()),
                days: days.unwrap_or(years * 365),
                daily_tickets: *daily_tickets,
                seed: *seed,
            };
            let started = std::time::Instant::now();
            let w = govhall_server::history::generate(&state, &plan).await?;
            println!(
                "已写入 {} 个工作日的历史：号票 {}，办件 {}，评价 {}，事件 {}（{:.1} 秒）",
                w.days,
                w.tickets,
                w.cases,
                w.ratings,
                w.events,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Report { hall, period, out } => {
            let state = govhall_server::open_state(load_config(&cli, None)?).await?;
            let hall = hall.clone().unwrap_or_else(|| demo::HALL_CODE.into());
            let files =
                govhall_server::report_cli::write(&state, &hall, period, out.as_deref()).await?;
            for f in files {
                println!("已写出 {}", f.display());
            }
            Ok(())
        }
        Command::Analytics {
            command: AnalyticsCommand::Rebuild,
        } => {
            let state = govhall_server::open_state(load_config(&cli, None)?).await?;
            let started = std::time::Instant::now();
            let n = govhall_analytics::follower::rebuild(&state.db)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "统计数据已重建：投影事件 {n} 条（{:.1} 秒）",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Reindex => {
            let state = govhall_server::open_state(load_config(&cli, None)?).await?;
            let n = catalog_cli::reindex(&state).await?;
            println!("检索索引已重建：{n} 个事项与一件事");
            Ok(())
        }
        Command::Bench {
            command: BenchCommand::Catalog,
        } => govhall_server::bench::catalog().await,
        Command::Bench {
            command:
                BenchCommand::Performance {
                    days,
                    daily_tickets,
                    staff,
                },
        } => {
            govhall_server::bench_performance::performance(
                govhall_server::bench_performance::PerformanceBench {
                    days: *days,
                    daily_tickets: *daily_tickets,
                    staff: *staff,
                },
            )
            .await
        }
        Command::Bench {
            command: BenchCommand::Hr { staff },
        } => {
            govhall_server::bench_hr::hr(govhall_server::bench_hr::HrBench { staff: *staff }).await
        }
        Command::Bench {
            command:
                BenchCommand::Analytics {
                    years,
                    days,
                    daily_tickets,
                    samples,
                    postgres,
                    queue,
                },
        } => {
            govhall_server::bench_analytics::analytics(
                govhall_server::bench_analytics::AnalyticsBench {
                    days: days.unwrap_or(years * 365),
                    daily_tickets: *daily_tickets,
                    samples: *samples,
                    postgres: postgres.clone(),
                    queue: *queue,
                },
            )
            .await
        }
        Command::Bench {
            command: BenchCommand::Guidance,
        } => govhall_server::guidance_eval::bench().await,
        Command::Bench {
            command:
                BenchCommand::Training {
                    learners,
                    rate,
                    seconds,
                    questions,
                    video_seconds,
                    spread_seconds,
                },
        } => {
            govhall_server::bench_training::training(
                govhall_server::bench_training::TrainingBench {
                    learners: *learners,
                    rate: *rate,
                    seconds: *seconds,
                    questions: *questions,
                    video_seconds: *video_seconds,
                    spread_seconds: *spread_seconds,
                },
            )
            .await
        }
        Command::Bench {
            command:
                BenchCommand::Cases {
                    clerks,
                    each,
                    think_ms,
                },
        } => govhall_server::bench_cases::cases(*clerks, *each, *think_ms).await,
        Command::Bench {
            command:
                BenchCommand::Queue {
                    tickets,
                    clients,
                    subscribers,
                    postgres,
                },
        } => {
            govhall_server::bench_queue::queue(govhall_server::bench_queue::QueueBench {
                tickets: *tickets,
                clients: *clients,
                subscribers: *subscribers,
                postgres: postgres.clone(),
            })
            .await
        }
        Command::Bench {
            command:
                BenchCommand::Soak {
                    minutes,
                    clients,
                    screens,
                    postgres,
                },
        } => {
            govhall_server::bench_soak::soak(govhall_server::bench_soak::SoakBench {
                minutes: *minutes,
                clients: *clients,
                screens: *screens,
                postgres: postgres.clone(),
            })
            .await
        }
        Command::Catalog { command } => {
            let state = govhall_server::open_state(load_config(&cli, None)?).await?;
            match command {
                CatalogCommand::Import {
                    hall,
                    file,
                    publish,
                } => catalog_cli::import(&state, hall, file, *publish).await,
                CatalogCommand::Export {
                    hall,
                    file,
                    published_only,
                } => catalog_cli::export(&state, hall, file, *published_only).await,
            }
        }
        Command::Config => {
            let config = load_config(&cli, None)?;
            println!("{}", serde_json::to_string_pretty(&config.redacted())?);
            Ok(())
        }
    }
}

async fn serve(config: Config, seed: bool) -> anyhow::Result<()> {
    let listen = config.listen.clone();
    let state = govhall_server::open_state(config).await?;
    if seed
        && demo::seed_if_empty(&state)
            .await
            .map_err(|e| anyhow::anyhow!("演示数据写入失败：{e}"))?
    {
        tracing::info!("demo hall seeded");
    }
    if seed
        && demo::seed_queue_if_empty(&state)
            .await
            .map_err(|e| anyhow::anyhow!("演示业务队列写入失败：{e}"))?
    {
        tracing::info!("demo service lines seeded");
        demo_history(&state).await?;
    }
    if seed {
        let hall = govhall_platform::halls::find_hall(&state, demo::HALL_CODE)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        if govhall_training::demo::seed_if_empty(&state, &hall.id)
            .await
            .map_err(|e| anyhow::anyhow!("演示培训课程写入失败：{e}"))?
        {
            tracing::info!("demo training seeded");
        }
        let today = govhall_kernel::time::today();
        if govhall_hr::demo::seed_if_empty(&state, &hall.id, today)
            .await
            .map_err(|e| anyhow::anyhow!("演示人事与工资数据写入失败：{e}"))?
        {
            govhall_hr::demo::seed_components(&state, &hall.id, today)
                .await
                .map_err(|e| anyhow::anyhow!("演示薪资项目写入失败：{e}"))?;
            tracing::info!("demo payroll seeded");
        }
        let marks = govhall_hr::attendance::demo::seed_if_empty(&state, &hall.id, today)
            .await
            .map_err(|e| anyhow::anyhow!("演示考勤数据写入失败：{e}"))?;
        if marks > 0 {
            tracing::info!(marks, "demo attendance seeded");
        }
        if govhall_performance::demo::seed_if_empty(&state, &hall.id)
            .await
            .map_err(|e| anyhow::anyhow!("演示绩效考核数据写入失败：{e}"))?
        {
            tracing::info!("demo assessment seeded");
        }
    }
    let listener = tokio::net::TcpListener::bind(&listen)
        .await
        .with_context(|| format!("无法监听 {listen}（端口被占用？可用 --listen 指定其他地址）"))?;
    let addr = listener.local_addr()?;
    print_banner(
        &addr.to_string(),
        seed,
        state.config.tls().is_some(),
        state.config.sms_provider == "demo",
    );
    let shutdown = state.shutdown.clone();
    tokio::spawn(async move {
        wait_for_signal().await;
        tracing::info!("shutting down");
        shutdown.cancel();
    });
    govhall_server::serve(state, listener)
        .await
        .context("服务器异常退出")
}

/// Rotation with a key file: the new key is written to `pii.key.new` first, so an
/// interrupted run resumes with the same key; when every row is done the files swap.
async fn rotate_key(config: Config, new_key: Option<&str>) -> anyhow::Result<()> {
    let conn = db::connect(&config.database_url(), 1).await?;
    let old = keys::load_pii_cipher(&config)?;
    let from_env = config
        .pii_key
        .as_deref()
        .is_some_and(|k| !k.trim().is_empty());
    let current_file = keys::key_file(&config);
    let pending_file = current_file.with_extension("key.new");
    let new = match (new_key, from_env) {
        (Some(hex), _) => {
            SoftwarePiiCipher::from_hex(hex).context("--new-key 无效：需要 64 位十六进制字符")?
        }
        (None, true) => bail!("密钥来自 GOVHALL_PII_KEY：请用 --new-key 提供新密钥"),
        (None, false) if pending_file.exists() => keys::read_key_file(&pending_file)?,
        (None, false) => {
            let hex = SoftwarePiiCipher::generate_key_hex();
            keys::write_key_file(&pending_file, &hex)?;
            SoftwarePiiCipher::from_hex(&hex)?
        }
    };
    if new.key_id() == old.key_id() {
        bail!("新密钥与当前密钥相同");
    }
    if let (Some(hex), false) = (new_key, from_env) {
        keys::write_key_file(&pending_file, hex)?;
    }
    println!("正在用新密钥（标识 {}）重新加密个人信息……", new.key_id());
    let mut total = 0;
    for m in govhall_server::MODULES {
        for table in m.personal_data {
            let n = keys::rotate_table(&conn, &old, &new, table)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("  {}：已重新加密 {n} 条", table.label);
            total += n;
        }
        for table in m.cleared_on_key_rotation {
            sea_orm::ConnectionTrait::execute_unprepared(&conn, &format!("DELETE FROM {table}"))
                .await
                .with_context(|| format!("无法清空 {table}"))?;
        }
    }
    if from_env {
        println!("完成（共 {total} 条）。请把 GOVHALL_PII_KEY 改为新密钥后再启动服务。");
        return Ok(());
    }
    let retired = current_file.with_extension(format!(
        "key.retired-{}",
        chrono::Local::now().format("%Y%m%d%H%M%S")
    ));
    std::fs::rename(&current_file, &retired)
        .with_context(|| format!("无法保存旧密钥到 {}", retired.display()))?;
    std::fs::rename(&pending_file, &current_file)
        .with_context(|| format!("无法启用新密钥 {}", current_file.display()))?;
    println!(
        "完成（共 {total} 条）。新密钥已启用：{}；旧密钥保存在 {}，确认备份恢复无误后可销毁。",
        current_file.display(),
        retired.display()
    );
    Ok(())
}

/// A fresh demo hall gets a short past, so the analysis pages and the big
/// screen show something at once (`GOVHALL_DEMO_HISTORY_DAYS`, default 14; 0: none).
async fn demo_history(state: &govhall_platform::AppState) -> anyhow::Result<()> {
    let days = std::env::var("GOVHALL_DEMO_HISTORY_DAYS")
        .ok()
        .and_then(|d| d.parse::<u32>().ok())
        .unwrap_or(14);
    if days == 0 {
        return Ok(());
    }
    let plan = govhall_server::history::HistoryPlan {
        hall: demo::HALL_CODE.into(),
        days,
        daily_tickets: 450.0,
        seed: 2026,
    };
    let w = govhall_server::history::generate(state, &plan).await?;
    tracing::info!(
        days = w.days,
        tickets = w.tickets,
        cases = w.cases,
        "demo history written"
    );
    Ok(())
}

fn print_banner(addr: &str, demo: bool, tls: bool, sms_demo: bool) {
    let scheme = if tls { "https" } else { "http" };
    let base = format!("{scheme}://{}", addr.replace("0.0.0.0", "127.0.0.1"));
    println!();
    println!("govhall 已启动：{base}");
    for (entry, label) in TERMINALS {
        let query = if *entry == "admin" {
            String::new()
        } else {
            format!("?hall={}", demo::HALL_CODE)
        };
        println!("  {} {base}/{entry}/{query}", pad(label, 12));
    }
    println!("  {} {base}/api/docs/", pad("接口文档", 12));
    println!();
    println!("取号机、叫号屏和评价器须先登记为终端设备：管理后台 › 终端设备 › 登记设备");
    println!("（或 govhall device create），再打开登记后显示的地址（含 #token=…）。");
    println!("系统管理员、安全管理员、审计管理员首次登录时须绑定动态口令（TOTP）。");
    if sms_demo {
        println!("短信不外发（演示）：手机页面直接显示验证码；正式使用请配置 sms_provider。");
    }
    if demo {
        println!();
        println!("演示账号（密码均为 {}）：", demo::DEMO_PASSWORD);
        for a in demo::DEMO_ACCOUNTS {
            println!("  {} {}", pad(a.username, 12), a.role.label());
        }
    }
    println!();
}

/// `text` padded to `width` terminal columns (a Chinese character takes two).
fn pad(text: &str, width: usize) -> String {
    let used = unicode_width::UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("SIGTERM handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}

//! `govhall bench cases`: a case's full life through the HTTP API — intake
//! (受理), handover sheet, the department signing for it, decision, result back
//! at the hall, delivery — first by one clerk alone (the server time a case
//! costs), then by 100 clerks at once with one department reviewer — at a
//! working pace (a pause before each request) and flat out. SQLite in
//! a temporary directory, the release server as a separate process. Prints a table.

use crate::bench_queue::{Server, login, peak_rss_mb, percentile, post, seed, start_server};
use govhall_platform::{config::Config, events::Actor, halls::find_hall};
use reqwest::Client;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const HALL: &str = "CA-ZWFW";
/// 食品经营许可 (市场监督管理局, the demo reviewer's department).
const FOOD: &str = "11610116MB2957101E4010100200000";

fn applicant_id() -> String {
    let first17 = "61011619900101123";
    let check = govhall_kernel::validate::id_card_check_char(first17).unwrap_or('0');
    format!("{first17}{check}")
}

/// Authorises every window of the hall for the food licence (the benchmark's
/// extra windows were made after the demo catalog was authorised).
async fn authorise_all_windows(config: Config) -> anyhow::Result<()> {
    use govhall_catalog::items;
    let state = crate::open_state(config).await?;
    let hall = find_hall(&state, HALL).await?;
    let it = govhall_catalog::service::item(&state, &hall.id, FOOD)
        .await
        .map_err(|e| anyhow::anyhow!("演示事项库缺少食品经营许可：{e}"))?;
    let all: Vec<String> = govhall_directory::service::windows(&state.db, &hall.id)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .into_iter()
        .map(|w| w.id.into_string())
        .collect();
    items::set_windows(&state, &Actor::system(), &hall.id, &it.id, all)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    state.close().await?;
    Ok(())
}

/// A clerk signed in at their window.
struct Clerk {
    client: Client,
    csrf: String,
    window: String,
}

struct Ctx {
    base: String,
    /// The scenario answers and material ticks of a complete application.
    answers: Value,
    ticks: Vec<Value>,
    reviewer: (Client, String),
}

/// The intake of a 食品经营许可 with every material, accepted.
fn intake_body(ctx: &Ctx, clerk: &Clerk) -> Value {
    json!({
        "item": FOOD, "window_id": clerk.window, "answers": ctx.answers,
        "applicant": {"kind": "person", "name": "压测申请人", "cert_no": applicant_id(), "phone": "13912345678"},
        "materials": ctx.ticks, "outcome": "accept",
    })
}

/// One case from intake to delivery; the time of each of its six requests.
/// `think`: a person's pause before each request (0: back to back).
async fn lifecycle(ctx: &Ctx, clerk: &Clerk, think: Duration) -> anyhow::Result<Vec<Duration>> {
    let h = format!("{}/api/v1/halls/{HALL}", ctx.base);
    let mut times = Vec::with_capacity(6);
    let mut timed = async |client: &Client, csrf: &str, url: String, body: Value| {
        if !think.is_zero() {
            // Half to one and a half times the pause, so clerks do not move in lockstep.
            let factor = rand::Rng::gen_range(&mut rand::thread_rng(), 0.5..1.5);
            tokio::time::sleep(think.mul_f64(factor)).await;
        }
        let t = Instant::now();
        let v = post(client, csrf, url, body).await;
        times.push(t.elapsed());
        v
    };
    let case = timed(
        &clerk.client,
        &clerk.csrf,
        format!("{h}/cases"),
        intake_body(ctx, clerk),
    )
    .await?;
    let id = case["id"].as_str().unwrap_or_default().to_string();
    let act = format!("{h}/cases/{id}/actions");
    timed(
        &clerk.client,
        &clerk.csrf,
        format!("{h}/handovers"),
        json!({"case_ids": [id]}),
    )
    .await?;
    let (rc, rt) = (&ctx.reviewer.0, ctx.reviewer.1.as_str());
    timed(rc, rt, act.clone(), json!({"action": "sign_for"})).await?;
    timed(
        rc,
        rt,
        act.clone(),
        json!({"action": "decide", "decision": "approve", "certificate_name": "食品经营许可证", "certificate_no": "JY0001"}),
    )
    .await?;
    timed(rc, rt, act.clone(), json!({"action": "return_result"})).await?;
    let done = timed(
        &clerk.client,
        &clerk.csrf,
        act,
        json!({"action": "deliver", "window_id": clerk.window, "delivery": "window",
               "recipient_name": "压测申请人", "recipient_id_no": applicant_id()}),
    )
    .await?;
    anyhow::ensure!(done["stage"] == "delivered", "办件未出件：{done}");
    Ok(times)
}

/// Times of printing a 受理通知书 (PDF) `n` times for one accepted case; the
/// first one also loads the carried font.
async fn notice_times(ctx: &Ctx, clerk: &Clerk, n: usize) -> anyhow::Result<Vec<Duration>> {
    let h = format!("{}/api/v1/halls/{HALL}", ctx.base);
    let case = post(
        &clerk.client,
        &clerk.csrf,
        format!("{h}/cases"),
        intake_body(ctx, clerk),
    )
    .await?;
    let url = format!(
        "{h}/cases/{}/documents/acceptance",
        case["id"].as_str().unwrap_or_default()
    );
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        let r = clerk.client.get(&url).send().await?;
        anyhow::ensure!(r.status() == 200, "受理通知书生成失败：{}", r.status());
        let pdf = r.bytes().await?;
        times.push(t.elapsed());
        anyhow::ensure!(pdf.starts_with(b"%PDF"), "不是 PDF");
    }
    Ok(times)
}

async fn clerk(base: &str, n: usize, windows: &Value) -> anyhow::Result<Clerk> {
    let code = format!("{n:02}");
    let (client, csrf) = login(base, &format!("bench{code}")).await?;
    let window = windows["items"]
        .as_array()
        .and_then(|ws| ws.iter().find(|w| w["code"] == code.as_str()))
        .and_then(|w| w["id"].as_str())
        .ok_or_else(|| anyhow::anyhow!("窗口 {code} 不存在"))?
        .to_string();
    post(
        &client,
        &csrf,
        format!("{base}/api/v1/halls/{HALL}/windows/{window}/sign-in"),
        json!({}),
    )
    .await?;
    Ok(Clerk {
        client,
        csrf,
        window,
    })
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// Every clerk at once: each request's time, each case's total, and the wall time.
async fn all_at_once(
    ctx: &std::sync::Arc<Ctx>,
    staff: &std::sync::Arc<Vec<Clerk>>,
    each: usize,
    think: Duration,
) -> anyhow::Result<(Vec<Duration>, Vec<Duration>, Duration)> {
    let started = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..staff.len() {
        let (ctx, staff) = (ctx.clone(), staff.clone());
        tasks.push(tokio::spawn(async move {
            let mut out = Vec::new();
            for _ in 0..each {
                out.push(lifecycle(&ctx, &staff[i], think).await?);
            }
            anyhow::Ok(out)
        }));
    }
    let (mut requests, mut totals) = (Vec::new(), Vec::new());
    for t in tasks {
        for times in t.await?? {
            totals.push(times.iter().sum::<Duration>());
            requests.extend(times);
        }
    }
    let elapsed = started.elapsed();
    requests.sort();
    totals.sort();
    Ok((requests, totals, elapsed))
}

pub async fn cases(clerks: usize, each: usize, think_ms: u64) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let config = Config {
        data_dir: dir.path().to_path_buf(),
        ..Config::default()
    };
    seed(config.clone(), clerks).await?;
    authorise_all_windows(config).await?;
    let Server { child, base } = start_server(dir.path(), None).await?;
    let pid = child.id().unwrap_or(0);
    let reviewer = login(&base, "reviewer").await?;
    let first = login(&base, "bench01").await?;
    let item: Value = first
        .0
        .get(format!(
            "{base}/api/v1/public/halls/{HALL}/catalog/items/{FOOD}"
        ))
        .send()
        .await?
        .json()
        .await?;
    let answers = json!({"kind": {"choice": "new"}, "prepacked": {"yes_no": false},
        "items": {"choices": ["hot"]}, "online": {"yes_no": false}, "agent": {"yes_no": false}});
    let resolved = post(
        &first.0,
        &first.1,
        format!(
            "{base}/api/v1/halls/{HALL}/catalog/items/{}/resolve",
            item["id"].as_str().unwrap_or_default()
        ),
        json!({"answers": answers}),
    )
    .await?;
    let ticks: Vec<Value> = resolved["resolution"]["outcome"]["materials"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|m| json!({"material_id": m["value"]["id"], "way": "paper_original"}))
        .collect();
    let windows: Value = first
        .0
        .get(format!("{base}/api/v1/halls/{HALL}/windows?page_size=200"))
        .send()
        .await?
        .json()
        .await?;
    let ctx = std::sync::Arc::new(Ctx {
        base: base.clone(),
        answers,
        ticks,
        reviewer,
    });

    // 1. One clerk alone: what a case costs.
    let alone = clerk(&base, 1, &windows).await?;
    let mut totals = Vec::new();
    let mut requests = Vec::new();
    for _ in 0..50 {
        let t = lifecycle(&ctx, &alone, Duration::ZERO).await?;
        totals.push(t.iter().sum::<Duration>());
        requests.extend(t);
    }
    totals.sort();
    requests.sort();
    let mut notices = notice_times(&ctx, &alone, 51).await?;
    let first_notice = notices.remove(0);
    notices.sort();

    // 2. Every clerk at once, one reviewer behind them: at a working pace, then flat out.
    let mut staff = Vec::new();
    for n in 1..=clerks {
        staff.push(clerk(&base, n, &windows).await?);
    }
    let staff = std::sync::Arc::new(staff);
    let think = Duration::from_millis(think_ms);
    let (paced, paced_totals, paced_time) = all_at_once(&ctx, &staff, each, think).await?;
    let (busy, busy_totals, elapsed) = all_at_once(&ctx, &staff, each, Duration::ZERO).await?;
    let rss = peak_rss_mb(pid);
    drop(child);

    println!("| 项目 | 结果 | 目标 |\n|---|---|---|");
    println!(
        "| 一件办件全流程（受理→交接单→签收→办结→回传→出件，6 个请求，单人）p50 / p99 | {} / {} | < 50 ms |",
        ms(percentile(&totals, 0.5)),
        ms(percentile(&totals, 0.99))
    );
    println!(
        "| 单个请求（单人）p50 / p99 | {} / {} | |",
        ms(percentile(&requests, 0.5)),
        ms(percentile(&requests, 0.99))
    );
    println!(
        "| 打印受理通知书（PDF，含材料清单与二维码）p50 / p99；首次（载入字体） | {} / {}；{} | |",
        ms(percentile(&notices, 0.5)),
        ms(percentile(&notices, 0.99)),
        ms(first_notice)
    );
    println!(
        "| {clerks} 名窗口人员同时办件（每个请求前停顿约 {think_ms} ms）：请求 p50 / p99（{} 个请求，{:.0} 个/s） | {} / {} | p99 < 50 ms |",
        paced.len(),
        paced.len() as f64 / paced_time.as_secs_f64(),
        ms(percentile(&paced, 0.5)),
        ms(percentile(&paced, 0.99))
    );
    println!(
        "| 同上：全流程服务器时间 p50 / p99 | {} / {} | |",
        ms(percentile(&paced_totals, 0.5)),
        ms(percentile(&paced_totals, 0.99))
    );
    println!(
        "| {clerks} 名不停顿连续办件（压满）：请求 p50 / p99 | {} / {} | |",
        ms(percentile(&busy, 0.5)),
        ms(percentile(&busy, 0.99))
    );
    println!(
        "| 压满时吞吐 | {:.0} 件/s = {:.0} 请求/s（{} 件，{:.1} s） | |",
        busy_totals.len() as f64 / elapsed.as_secs_f64(),
        busy.len() as f64 / elapsed.as_secs_f64(),
        busy_totals.len(),
        elapsed.as_secs_f64()
    );
    println!("| 服务器峰值常驻内存 | {rss:.0} MB | |");
    Ok(())
}

//! `govhall bench training`: the training module under a hall's whole staff
//! at once, against the release server as a separate process on a
//! temporary SQLite database. Every learner (1) plays a generated video
//! through Range requests from start to end, all at once — throughput, and
//! the parts that took longer to arrive than they take to play (stalls);
//! (2) reports what the player played, together at a set rate — each report
//! checked against the clock and merged into the watched stretches; (3) sits
//! an exam of 100 questions, handing it in within the same minute, and (the
//! worst case) all in the same second. The
//! machine's own limits (a trivial route's rate, the SQLite commit rate) are
//! printed beside the figures.

use crate::bench_queue::{login, peak_rss_mb, percentile, post, seed, start_server};
use crate::bench_soak::{sqlite_commit_rate, trivial_rate};
use govhall_platform::config::Config;
use reqwest::{Client, header::RANGE};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, Instant};

const HALL: &str = "CA-ZWFW";
/// The size of each Range request a player makes.
const CHUNK: u64 = 1 << 20;

pub struct TrainingBench {
    /// Learners at once (the hall's staff).
    pub learners: usize,
    /// Progress reports per second, all learners together.
    pub rate: f64,
    /// How long the reporting runs, in seconds.
    pub seconds: u64,
    /// The exam's questions.
    pub questions: usize,
    /// The generated video's length in seconds.
    pub video_seconds: u32,
    /// The window over which the exam is handed in (the same minute).
    pub spread_seconds: u64,
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// One learner plays the whole file in Range parts: each part's time, and
/// whether it arrived slower than it plays.
async fn play(
    client: Client,
    url: String,
    size: u64,
    bytes_per_second: f64,
) -> anyhow::Result<(Vec<Duration>, usize)> {
    let (mut times, mut stalls) = (Vec::new(), 0);
    let mut at = 0;
    while at < size {
        let end = (at + CHUNK).min(size) - 1;
        let t = Instant::now();
        let r = client
            .get(&url)
            .header(RANGE, format!("bytes={at}-{end}"))
            .send()
            .await?;
        anyhow::ensure!(r.status() == 206, "Range 请求返回 {}", r.status());
        let got = r.bytes().await?.len() as u64;
        anyhow::ensure!(
            got == end - at + 1,
            "Range 返回 {got} 字节，应为 {}",
            end - at + 1
        );
        let took = t.elapsed();
        if took.as_secs_f64() > got as f64 / bytes_per_second {
            stalls += 1;
        }
        times.push(took);
        at = end + 1;
    }
    Ok((times, stalls))
}

/// Reports at the learner's share of the rate for `seconds`: each report
/// claims the seconds since the last one as played. Times and refusals.
async fn report(
    (client, csrf): (Client, String),
    url: String,
    session: String,
    every: Duration,
    seconds: u64,
    offset: Duration,
) -> (Vec<Duration>, usize) {
    tokio::time::sleep(offset).await;
    let (mut times, mut refused) = (Vec::new(), 0);
    let started = Instant::now();
    let mut position = 0.0;
    let mut tick = tokio::time::interval(every);
    tick.tick().await;
    while started.elapsed() < Duration::from_secs(seconds) {
        tick.tick().await;
        let to = position + every.as_secs_f64();
        let t = Instant::now();
        let ok = post(
            &client,
            &csrf,
            url.clone(),
            json!({"session": session, "spans": [[position, to]], "position": to}),
        )
        .await
        .is_ok();
        times.push(t.elapsed());
        if ok {
            position = to;
        } else {
            refused += 1;
        }
    }
    (times, refused)
}

/// Every learner draws a paper, then hands it in — all at once after a
/// barrier, or each at a random moment within `spread`. Times of drawing and
/// of handing in, sorted.
async fn sit_exam(
    learners: &[(Client, String)],
    h: &str,
    exam: &str,
    spread: Option<Duration>,
) -> anyhow::Result<(Vec<Duration>, Vec<Duration>)> {
    let mut starts = Vec::new();
    let mut papers = Vec::new();
    for (c, csrf) in learners {
        let t = Instant::now();
        papers.push(post(c, csrf, format!("{h}/exams/{exam}/attempts"), json!({})).await?);
        starts.push(t.elapsed());
    }
    starts.sort();
    let gate = Arc::new(tokio::sync::Barrier::new(learners.len()));
    let submits =
        futures::future::join_all(learners.iter().zip(&papers).map(|((c, csrf), paper)| {
            let answers: serde_json::Map<String, Value> = paper["questions"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|q| {
                    let kind = q["kind"].as_str().unwrap_or_default();
                    (
                        q["id"].as_str().unwrap_or_default().to_string(),
                        json!(answer(kind)),
                    )
                })
                .collect();
            let url = format!(
                "{h}/attempts/{}/submission",
                paper["id"].as_str().unwrap_or_default()
            );
            let wait =
                spread.map(|s| s.mul_f64(rand::Rng::gen_range(&mut rand::thread_rng(), 0.0..1.0)));
            let (c, csrf, gate) = (c.clone(), csrf.clone(), gate.clone());
            tokio::spawn(async move {
                match wait {
                    Some(w) => tokio::time::sleep(w).await,
                    None => {
                        gate.wait().await;
                    }
                }
                let t = Instant::now();
                let marked = post(&c, &csrf, url, json!({"answers": answers})).await?;
                anyhow::ensure!(
                    matches!(marked["status"].as_str(), Some("passed" | "failed")),
                    "交卷未判分：{}",
                    marked["status"]
                );
                anyhow::Ok(t.elapsed())
            })
        }))
        .await;
    let mut handed = Vec::new();
    for s in submits {
        handed.push(s??);
    }
    handed.sort();
    Ok((starts, handed))
}

/// An answer of each kind in its written form (the marks do not matter here).
fn answer(kind: &str) -> &'static str {
    match kind {
        "single" => "B",
        "multiple" => "AC",
        "judge" => "对",
        "fill" => "15；备案",
        _ => "参考",
    }
}

/// What the benchmark works on, made through the API as a manager would.
struct Course {
    video_lesson: String,
    file: String,
    exam: String,
}

/// A course with a generated video of `video_seconds` seconds, and an exam
/// of `questions` questions (single, multiple, judge and fill in turn).
async fn make_course(base: &str, args: &TrainingBench) -> anyhow::Result<Course> {
    let (client, csrf) = login(base, "manager").await?;
    let h = format!("{base}/api/v1/halls/{HALL}/training");
    let video = govhall_training::sample_video::generate(args.video_seconds)?;
    let r = client
        .post(format!("{h}/files?name=bench.mp4"))
        .header("x-csrf-token", &csrf)
        .body(video)
        .send()
        .await?;
    anyhow::ensure!(r.status().is_success(), "上传视频失败：{}", r.text().await?);
    let file: Value = r.json().await?;
    let course = post(
        &client,
        &csrf,
        format!("{h}/courses"),
        json!({"title": "压测课程", "category": "日常培训"}),
    )
    .await?;
    let lesson = post(
        &client,
        &csrf,
        format!(
            "{h}/courses/{}/lessons",
            course["id"].as_str().unwrap_or_default()
        ),
        json!({"title": "压测视频", "kind": "video", "file_id": file["id"]}),
    )
    .await?;
    for i in 0..args.questions {
        let q = match i % 4 {
            0 => {
                json!({"kind": "single", "stem": format!("第 {i} 题"), "options": ["甲", "乙", "丙", "丁"], "answer": "B"})
            }
            1 => {
                json!({"kind": "multiple", "stem": format!("第 {i} 题"), "options": ["甲", "乙", "丙", "丁"], "answer": "ACD"})
            }
            2 => json!({"kind": "judge", "stem": format!("第 {i} 题"), "answer": "对"}),
            _ => json!({"kind": "fill", "stem": format!("第 {i} 题"), "answer": "十五|15；备案"}),
        };
        let mut q = q;
        q["category"] = json!("压测");
        q["difficulty"] = json!(1);
        post(&client, &csrf, format!("{h}/questions"), q).await?;
    }
    let exam = post(
        &client,
        &csrf,
        format!("{h}/exams"),
        json!({"title": "压测考试", "rules": [{"category": "压测", "count": args.questions, "points": 1}],
               "time_limit_min": 60, "attempts_limit": 0}),
    )
    .await?;
    let id = |v: &Value| v["id"].as_str().unwrap_or_default().to_string();
    Ok(Course {
        video_lesson: id(&lesson),
        file: id(&file),
        exam: id(&exam),
    })
}

pub async fn training(args: TrainingBench) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let config = Config {
        data_dir: dir.path().to_path_buf(),
        ..Config::default()
    };
    seed(config, args.learners).await?;
    let commits = sqlite_commit_rate().await?;
    let server = start_server(dir.path(), None).await?;
    let (base, pid) = (server.base.clone(), server.child.id().unwrap_or(0));
    let trivial = trivial_rate(&base, 16).await;
    let course = make_course(&base, &args).await?;
    let h = format!("{base}/api/v1/halls/{HALL}/training");
    let mut learners = Vec::new();
    for n in 1..=args.learners {
        learners.push(login(&base, &format!("bench{n:02}")).await?);
    }

    // 1. Everyone plays the video at once.
    let file_url = format!("{h}/files/{}", course.file);
    // The size from the first byte's Content-Range, as a player learns it.
    let first = learners[0]
        .0
        .get(&file_url)
        .header(RANGE, "bytes=0-0")
        .send()
        .await?;
    let size: u64 = first
        .headers()
        .get("content-range")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit('/').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    anyhow::ensure!(size > 0, "课件文件为空");
    let bytes_per_second = size as f64 / f64::from(args.video_seconds);
    let started = Instant::now();
    let plays = futures::future::join_all(
        learners
            .iter()
            .map(|(c, _)| tokio::spawn(play(c.clone(), file_url.clone(), size, bytes_per_second))),
    )
    .await;
    let play_time = started.elapsed();
    let (mut parts, mut stalls) = (Vec::new(), 0);
    for p in plays {
        let (t, s) = p??;
        parts.extend(t);
        stalls += s;
    }
    parts.sort();

    // 2. Progress reports at the set rate, spread over the learners.
    let every = Duration::from_secs_f64(args.learners as f64 / args.rate);
    let lesson = format!("{h}/lessons/{}", course.video_lesson);
    let mut tasks = Vec::new();
    for (i, (c, csrf)) in learners.iter().enumerate() {
        let started = post(c, csrf, format!("{lesson}/sessions"), json!({})).await?;
        let session = started["session"].as_str().unwrap_or_default().to_string();
        let offset = every.mul_f64(i as f64 / args.learners as f64);
        tasks.push(tokio::spawn(report(
            (c.clone(), csrf.clone()),
            format!("{lesson}/progress"),
            session,
            every,
            args.seconds,
            offset,
        )));
    }
    let started = Instant::now();
    let (mut beats, mut refused) = (Vec::new(), 0);
    for t in futures::future::join_all(tasks).await {
        let (times, r) = t?;
        beats.extend(times);
        refused += r;
    }
    let beat_time = started.elapsed();
    beats.sort();

    // 3. The exam: papers drawn one after another, then handed in — all in
    // the same second, then spread over a minute (the "same minute").
    let (starts, at_once) = sit_exam(&learners, &h, &course.exam, None).await?;
    let (_, in_a_minute) = sit_exam(
        &learners,
        &h,
        &course.exam,
        Some(Duration::from_secs(args.spread_seconds)),
    )
    .await?;
    let rss = peak_rss_mb(pid);
    drop(server);

    println!(
        "本机上限：空路由 GET /healthz {trivial:.0} 次/s（16 客户端），SQLite 单行提交 {commits:.0} 次/s\n"
    );
    println!("| 项目 | 结果 | 目标 |\n|---|---|---|");
    println!(
        "| {} 人同时用 Range 请求播放视频（{:.1} MB，{} 秒，每段 1 MB）：总吞吐 | {:.0} MB/s（{:.1} s 播完；相当于 {:.0} 路同时实时播放） | 不卡顿 |",
        args.learners,
        size as f64 / 1048576.0,
        args.video_seconds,
        (size as f64 * args.learners as f64) / 1048576.0 / play_time.as_secs_f64(),
        play_time.as_secs_f64(),
        (size as f64 * args.learners as f64) / play_time.as_secs_f64() / bytes_per_second,
    );
    println!(
        "| 每段 p50 / p99；卡顿（到达慢于播放）的段 | {} / {}；{} / {} 段 | 0 段 |",
        ms(percentile(&parts, 0.5)),
        ms(percentile(&parts, 0.99)),
        stalls,
        parts.len()
    );
    println!(
        "| 学习进度上报（区间合并、对时钟校验）：{} 人共 {:.0} 次/s 持续 {} s，p50 / p99 | {} / {}（实际 {:.0} 次/s，{} 次，拒绝 {} 次） | p99 ≤ 20 ms |",
        args.learners,
        args.rate,
        args.seconds,
        ms(percentile(&beats, 0.5)),
        ms(percentile(&beats, 0.99)),
        beats.len() as f64 / beat_time.as_secs_f64(),
        beats.len(),
        refused
    );
    println!(
        "| 抽题组卷（{} 题）p50 / p99 | {} / {} | |",
        args.questions,
        ms(percentile(&starts, 0.5)),
        ms(percentile(&starts, 0.99))
    );
    println!(
        "| {} 人在 {} 秒内各自交卷（{} 题，自动判分）p50 / p99 / 最慢 | {} / {} / {} | p99 ≤ 200 ms |",
        args.learners,
        args.spread_seconds,
        args.questions,
        ms(percentile(&in_a_minute, 0.5)),
        ms(percentile(&in_a_minute, 0.99)),
        ms(in_a_minute.last().copied().unwrap_or_default())
    );
    println!(
        "| 最坏情况：{} 人同一秒交卷 p50 / p99 / 最慢 | {} / {} / {} | |",
        args.learners,
        ms(percentile(&at_once, 0.5)),
        ms(percentile(&at_once, 0.99)),
        ms(at_once.last().copied().unwrap_or_default())
    );
    println!("| 服务器内存峰值（RSS） | {rss:.0} MB | |");
    Ok(())
}

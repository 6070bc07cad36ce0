//! How well guidance understands citizens, measured on what the kiosk shows
//! (only confident hits): the colloquial questions in `bench/guidance.tsv`
//! over the demo catalog, and a cold start — `bench/cold_catalog.tsv`, another
//! district's catalog in official terms with no synonyms, and
//! `bench/cold_questions.tsv`, written before any result was seen (in scope,
//! out of scope, about the hall). Run by `govhall bench guidance`; the demo
//! set is held to a floor by a test.

use govhall_catalog::search::{SearchDoc, SearchIndex};
use govhall_directory::hall_faqs;

/// The question set shipped with the product.
pub const QUESTIONS: &str = include_str!("../bench/guidance.tsv");
/// The cold-start catalog and its questions.
pub const COLD_CATALOG: &str = include_str!("../bench/cold_catalog.tsv");
pub const COLD_QUESTIONS: &str = include_str!("../bench/cold_questions.tsv");
/// What a cold question expects instead of a matter.
const OUT_OF_SCOPE: &str = "-";
const ABOUT_THE_HALL: &str = "@大厅";

/// One question and the titles that count as a hit.
pub struct Case {
    pub question: String,
    pub expected: Vec<String>,
}

pub fn parse(text: &str) -> Vec<Case> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let (q, want) = l.split_once('\t')?;
            Some(Case {
                question: q.trim().to_string(),
                expected: want.split('|').map(|w| w.trim().to_string()).collect(),
            })
        })
        .collect()
}

/// A question whose answer was not first.
pub struct Miss {
    pub question: String,
    pub expected: Vec<String>,
    /// The top three titles found.
    pub got: Vec<String>,
    /// Found among the top three (but not first).
    pub in_top3: bool,
}

pub struct Report {
    pub total: usize,
    pub top1: usize,
    pub top3: usize,
    pub misses: Vec<Miss>,
}

impl Report {
    pub fn top1_rate(&self) -> f64 {
        self.top1 as f64 / self.total.max(1) as f64
    }

    pub fn top3_rate(&self) -> f64 {
        self.top3 as f64 / self.total.max(1) as f64
    }
}

pub fn evaluate(index: &SearchIndex, hall_id: &str, cases: &[Case]) -> anyhow::Result<Report> {
    let mut report = Report {
        total: cases.len(),
        top1: 0,
        top3: 0,
        misses: Vec::new(),
    };
    for c in cases {
        let got: Vec<String> = index
            .guide(hall_id, &c.question, 3)?
            .into_iter()
            .map(|h| h.title)
            .collect();
        let rank = got.iter().position(|t| c.expected.contains(t));
        if rank == Some(0) {
            report.top1 += 1;
        }
        if rank.is_some() {
            report.top3 += 1;
        }
        if rank != Some(0) {
            report.misses.push(Miss {
                question: c.question.clone(),
                expected: c.expected.clone(),
                got,
                in_top3: rank.is_some(),
            });
        }
    }
    Ok(report)
}

/// The cold catalog as the index sees it (name, department, keywords).
pub fn cold_docs(hall_id: &str) -> Vec<SearchDoc> {
    COLD_CATALOG
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .enumerate()
        .filter_map(|(i, l)| {
            let mut cols = l.split('\t');
            let title = cols.next()?.trim().to_string();
            let dept = cols.next().unwrap_or_default().trim().to_string();
            let keywords = cols
                .next()
                .unwrap_or_default()
                .split('；')
                .map(|k| k.trim().to_string())
                .filter(|k| !k.is_empty())
                .collect();
            Some(SearchDoc {
                hall_id: hall_id.to_string(),
                kind: "item",
                id: format!("{hall_id}-{i}"),
                code: format!("COLD{i:04}"),
                title,
                keywords,
                body: dept,
            })
        })
        .collect()
}

/// The cold start's figures.
pub struct ColdReport {
    /// In-scope questions answered first / among the first three shown.
    pub in_scope: Report,
    pub out_of_scope: usize,
    /// Out-of-scope questions for which nothing was shown.
    pub abstained: usize,
    pub about_hall: usize,
    /// Hall questions answered from the directory and the hall's questions
    /// (a hall with an address, hours, areas and the starter list).
    pub hall_answered: usize,
    /// Out-of-scope questions that were shown a matter anyway.
    pub wrongly_answered: Vec<(String, String)>,
}

pub fn evaluate_cold(index: &SearchIndex, hall_id: &str) -> anyhow::Result<ColdReport> {
    let all = parse(COLD_QUESTIONS);
    let in_scope: Vec<Case> = all
        .iter()
        .filter(|c| c.expected != [OUT_OF_SCOPE] && c.expected != [ABOUT_THE_HALL])
        .map(|c| Case {
            question: c.question.clone(),
            expected: c.expected.clone(),
        })
        .collect();
    let mut r = ColdReport {
        in_scope: evaluate(index, hall_id, &in_scope)?,
        out_of_scope: 0,
        abstained: 0,
        about_hall: 0,
        hall_answered: 0,
        wrongly_answered: Vec::new(),
    };
    for c in &all {
        if c.expected == [OUT_OF_SCOPE] {
            r.out_of_scope += 1;
            match index.guide(hall_id, &c.question, 3)?.first() {
                None => r.abstained += 1,
                Some(h) => r
                    .wrongly_answered
                    .push((c.question.clone(), h.title.clone())),
            }
        } else if c.expected == [ABOUT_THE_HALL] {
            r.about_hall += 1;
            if !hall_faqs::answers(&cold_hall(), &hall_faqs::starter_faqs(), &c.question).is_empty()
            {
                r.hall_answered += 1;
            }
        }
    }
    Ok(r)
}

/// The cold start's hall as the directory would know it.
fn cold_hall() -> hall_faqs::HallFacts {
    hall_faqs::HallFacts {
        name: "某区政务服务中心".into(),
        address: "某区行政中心东楼".into(),
        opens_at: "08:30".into(),
        closes_at: "17:30".into(),
        hours_note: "周六上午 9:00—12:00 预约延时服务".into(),
        areas: vec![
            ("综合受理区".into(), Some("1F".into())),
            ("不动产登记区".into(), Some("2F".into())),
        ],
    }
}

/// Synthetic matters to make the index as big as a province's: `n` names
/// built from real subjects and acts.
fn filler_docs(hall_id: &str, n: usize) -> Vec<SearchDoc> {
    const SUBJECTS: &[&str] = &[
        "农药经营",
        "兽药经营",
        "种子生产",
        "渔业捕捞",
        "林木采伐",
        "野生动物驯养",
        "排污",
        "取水",
        "河道采砂",
        "建设用地",
        "临时用地",
        "城市道路占用",
        "户外广告设置",
        "燃气经营",
        "供热经营",
        "危险化学品经营",
        "烟花爆竹零售",
        "放射诊疗",
        "医疗机构执业",
        "母婴保健技术服务",
        "职业病诊断",
        "宗教活动场所",
        "地名命名",
        "测绘资质",
        "档案查阅",
        "人防工程",
        "防雷装置",
        "气象信息服务",
        "水土保持方案",
        "文物保护工程",
    ];
    const ACTS: &[&str] = &[
        "许可",
        "许可变更",
        "许可注销",
        "许可延续",
        "备案",
        "审批",
        "核准",
        "登记",
    ];
    (0..n)
        .map(|i| {
            let subject = SUBJECTS[i % SUBJECTS.len()];
            let act = ACTS[(i / SUBJECTS.len()) % ACTS.len()];
            SearchDoc {
                hall_id: hall_id.to_string(),
                kind: "item",
                id: format!("filler-{i}"),
                code: format!("FILL{i:06}"),
                title: format!(
                    "{subject}{act}（第{}类）",
                    i / (SUBJECTS.len() * ACTS.len()) + 1
                ),
                keywords: vec![subject.to_string()],
                body: "区级部门".into(),
            }
        })
        .collect()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// `govhall bench guidance`: the demo hall in a temporary database, then the table.
pub async fn bench() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let config = govhall_platform::config::Config {
        data_dir: dir.path().to_path_buf(),
        ..Default::default()
    };
    let state = crate::app::open_state(config).await?;
    crate::demo::seed_if_empty(&state)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let hall = govhall_platform::halls::find_hall(&state, crate::demo::HALL_CODE)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let index = govhall_catalog::indexing::index(&state).map_err(|e| anyhow::anyhow!("{e}"))?;
    let cases = parse(QUESTIONS);
    let r = evaluate(&index, &hall.id, &cases)?;
    println!("## 示范目录（本产品的示范大厅，含其同义词）\n");
    println!("| 项目 | 结果 | 目标 |\n|---|---|---|");
    println!("| 测试问题数 | {} | ≥ 100 |", r.total);
    println!(
        "| top-1 命中率 | {:.1} %（{}/{}） | |",
        r.top1_rate() * 100.0,
        r.top1,
        r.total
    );
    println!(
        "| top-3 命中率 | {:.1} %（{}/{}） | ≥ 90 % |",
        r.top3_rate() * 100.0,
        r.top3,
        r.total
    );
    print_misses(&r.misses);
    cold(&index)?;
    Ok(())
}

/// Every question whose answer was not shown first, with what was shown.
fn print_misses(misses: &[Miss]) {
    println!("\n未排第一的问题：");
    for m in misses {
        let rank = if m.in_top3 {
            "（前三）"
        } else {
            "（未命中）"
        };
        let shown = if m.got.is_empty() {
            "（不作答）".to_string()
        } else {
            m.got.join(" / ")
        };
        println!(
            "- {}{rank}：期望 {}；显示 {shown}",
            m.question,
            m.expected.join(" / ")
        );
    }
}

/// The cold start: another district's catalog in official terms, questions
/// written before any result was seen; then the latency over 20,000 matters.
fn cold(index: &SearchIndex) -> anyhow::Result<()> {
    const HALL: &str = "cold-start";
    index.rebuild(&cold_docs(HALL))?;
    let r = evaluate_cold(index, HALL)?;
    let pct = |a: usize, b: usize| a as f64 * 100.0 / b.max(1) as f64;
    println!(
        "\n## 冷启动目录（另一区县 {} 个事项，仅官方用语，无本厅同义词）\n",
        cold_docs(HALL).len()
    );
    println!("| 项目 | 结果 | 目标 |\n|---|---|---|");
    println!("| 本厅可办的问题 | {} | |", r.in_scope.total);
    println!(
        "| top-1（触屏上显示的第一条） | {:.1} %（{}/{}） | |",
        r.in_scope.top1_rate() * 100.0,
        r.in_scope.top1,
        r.in_scope.total
    );
    println!(
        "| top-3（显示的前三条） | {:.1} %（{}/{}） | ≥ 90 % |",
        r.in_scope.top3_rate() * 100.0,
        r.in_scope.top3,
        r.in_scope.total
    );
    println!(
        "| 本厅不办的问题不作答 | {:.1} %（{}/{}） | ≥ 90 % |",
        pct(r.abstained, r.out_of_scope),
        r.abstained,
        r.out_of_scope
    );
    println!(
        "| 关于大厅本身的问题（大厅信息与常见问题作答） | {:.1} %（{}/{}） | ≥ 80 % |",
        pct(r.hall_answered, r.about_hall),
        r.hall_answered,
        r.about_hall
    );
    println!("\n本厅不办却给出了事项：");
    for (q, got) in &r.wrongly_answered {
        println!("- {q}：{got}");
    }
    print_misses(&r.in_scope.misses);

    // Latency over a province-sized index: the cold catalog among 20,000 matters.
    const BIG: &str = "province";
    let mut docs = cold_docs(BIG);
    docs.extend(filler_docs(BIG, 20_000));
    index.rebuild(&docs)?;
    let questions: Vec<String> = parse(COLD_QUESTIONS)
        .into_iter()
        .map(|c| c.question)
        .collect();
    let mut times = Vec::new();
    for _ in 0..5 {
        for q in &questions {
            let t = std::time::Instant::now();
            index.guide(BIG, q, 3)?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    times.sort_by(f64::total_cmp);
    // The machine's own pace, to compare runs across machines: a fixed piece of
    // CPU work (hashing a megabyte with SM3 a hundred times).
    let t = std::time::Instant::now();
    let mega = vec![7u8; 1 << 20];
    for i in 0..100u8 {
        let mut m = mega.clone();
        m[0] = i;
        std::hint::black_box(govhall_kernel::crypto::sm3_hex(&m));
    }
    let machine = t.elapsed().as_secs_f64() * 1000.0;
    println!(
        "\n## 检索时延（{} 个事项，{} 次导办检索）\n",
        docs.len(),
        times.len()
    );
    println!("| 项目 | 结果 | 目标 |\n|---|---|---|");
    println!("| p50 | {:.1} ms | |", percentile(&times, 0.5));
    println!("| p99 | {:.1} ms | ≤ 50 ms |", percentile(&times, 0.99));
    println!("| 本机基准：100 MB SM3 | {machine:.0} ms | （机器快慢的参照） |");
    semantic_overhead(&docs, &questions, index, BIG)?;
    Ok(())
}

/// What semantic retrieval adds on this machine, the endpoint's own time
/// aside (no model ships with the product, so none is measured): the nearest
/// of every matter's 1,024-dimension vector to the question's, and the fusion
/// with the lexical hits. Vectors are pseudo-random; only the arithmetic is timed.
fn semantic_overhead(
    docs: &[govhall_catalog::search::SearchDoc],
    questions: &[String],
    index: &govhall_catalog::search::SearchIndex,
    hall: &str,
) -> anyhow::Result<()> {
    use govhall_catalog::semantic::vectors::{DocVector, fuse, nearest, unit};
    const DIMS: usize = 1024;
    let mut seed = 0x2545_f491_u32;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        (seed as f32 / u32::MAX as f32) - 0.5
    };
    let vectors: Vec<DocVector> = docs
        .iter()
        .map(|d| DocVector {
            kind: d.kind.to_string(),
            id: d.id.clone(),
            code: d.code.clone(),
            title: d.title.clone(),
            vector: unit((0..DIMS).map(|_| next()).collect()),
        })
        .collect();
    let mut times = Vec::new();
    for q in questions {
        let lexical = index.search(hall, q, 20)?;
        let query = unit((0..DIMS).map(|_| next()).collect());
        let t = std::time::Instant::now();
        let near = nearest(&vectors, &query, 20);
        std::hint::black_box(fuse(lexical, &near, 0.6, 0.85, 10));
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "\n## 语义检索的本机开销（{} 个事项 × {DIMS} 维向量，{} 次；不含向量服务本身的时间）\n",
        vectors.len(),
        times.len()
    );
    println!("| 项目 | 结果 |\n|---|---|");
    println!("| 最近邻与融合 p50 | {:.1} ms |", percentile(&times, 0.5));
    println!("| 最近邻与融合 p99 | {:.1} ms |", percentile(&times, 0.99));
    Ok(())
}

//! How well guidance search understands citizens: the colloquial questions in
//! `bench/guidance.tsv` (written as people ask at the counter, not from item
//! names), each with the matters or 一件事 that answer it, searched over the
//! demo catalog. Reports top-1 and top-3 hit rates and every miss; run by
//! `govhall bench guidance` and held to a floor by a test.

use govhall_catalog::search::SearchIndex;

/// The question set shipped with the product.
pub const QUESTIONS: &str = include_str!("../bench/guidance.tsv");

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
            .search(hall_id, &c.question, 3)?
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
    println!("\n未排第一的问题：");
    for m in &r.misses {
        println!(
            "- {}{}：期望 {}；实得 {}",
            m.question,
            if m.in_top3 {
                "（前三）"
            } else {
                "（未命中）"
            },
            m.expected.join(" / "),
            if m.got.is_empty() {
                "（无结果）".to_string()
            } else {
                m.got.join(" / ")
            }
        );
    }
    Ok(())
}

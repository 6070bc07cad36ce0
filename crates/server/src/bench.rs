//! `govhall bench catalog`: the catalog's speed on this machine — importing
//! 10,000 items with 8 materials each into a fresh SQLite database, resolving
//! a scenario, and searching a catalog grown to 20,000 items. Prints a table.

use crate::demo::CATALOG_JSON;
use govhall_catalog::{
    indexing, interchange,
    interchange::{CatalogFile, FileItem},
    model::Material,
    scenario::{self, Answer, Answers},
    transfer,
};
use govhall_directory::halls::{self, HallInput};
use govhall_platform::{config::Config, events::Actor};
use std::time::{Duration, Instant};

/// `n` items made from the demo catalog: new codes, varied names, 8 materials each.
fn synthetic(base: &CatalogFile, n: usize, offset: usize) -> CatalogFile {
    const PLACES: &[&str] = &[
        "韦曲",
        "郭杜",
        "滦镇",
        "王曲",
        "子午",
        "太乙宫",
        "引镇",
        "大兆",
        "杜曲",
        "鸣犊",
    ];
    let mut file = CatalogFile::new(None);
    for i in 0..n {
        let k = offset + i;
        let src = &base.items[k % base.items.len()];
        let mut doc = src.doc.clone();
        let suffix = format!("{k:06}");
        doc.task_code = format!("{}{}", &doc.task_code[..doc.task_code.len() - 6], suffix);
        doc.task_name = format!("{}（{}片区{}）", doc.task_name, PLACES[k % PLACES.len()], k);
        let template = doc.materials[0].clone();
        for m in doc.materials.len()..8 {
            doc.materials.push(Material {
                id: format!("extra{m}"),
                name: format!("补充材料{m}"),
                always: false,
                ..template.clone()
            });
        }
        file.items.push(FileItem {
            task_version: 1,
            doc,
        });
    }
    file
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

pub async fn catalog() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let config = Config {
        data_dir: dir.path().to_path_buf(),
        ..Config::default()
    };
    let state = crate::open_state(config).await?;
    let actor = Actor::system();
    let hall = halls::create(
        &state,
        &actor,
        &HallInput {
            code: "BENCH".into(),
            name: "基准测试大厅".into(),
            region_code: "610116".into(),
            address: "西安".into(),
            opens_at: "09:00".into(),
            closes_at: "17:00".into(),
            hours_note: String::new(),
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let base = interchange::parse_file(CATALOG_JSON.as_bytes(), &Default::default())
        .map_err(|p| anyhow::anyhow!("demo catalog: {p:?}"))?;
    let mut rows: Vec<(String, String, String)> = Vec::new();

    // 1. Import 10,000 items (8 materials each) as one validated file.
    let file = synthetic(&base, 10_000, 0);
    let bytes = serde_json::to_vec(&file)?;
    let started = Instant::now();
    let parsed = interchange::parse_file(&bytes, &Default::default())
        .map_err(|p| anyhow::anyhow!("{} problems, first {:?}", p.len(), p.first()))?;
    let validated = started.elapsed();
    transfer::import(&state, &actor, &hall.id, parsed, true, &|_, _| {})
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let total = started.elapsed();
    rows.push((
        "导入 10,000 事项 × 8 材料（SQLite，含校验、发布、建索引）".into(),
        format!(
            "{:.1} s（校验 {:.1} s）",
            total.as_secs_f64(),
            validated.as_secs_f64()
        ),
        "< 60 s".into(),
    ));
    rows.push((
        "导入文件大小".into(),
        format!("{:.1} MB", bytes.len() as f64 / 1e6),
        "".into(),
    ));

    // 2. Resolve the 食品经营许可 scenario.
    let food = base
        .items
        .iter()
        .find(|i| i.doc.task_name == "食品经营许可")
        .expect("demo food licence");
    let sc = food.doc.scenarios();
    let answers: Answers = [
        ("kind", Answer::Choice("new".into())),
        ("prepacked", Answer::YesNo(false)),
        ("items", Answer::Choices(vec!["hot".into(), "cold".into()])),
        ("online", Answer::YesNo(true)),
        ("agent", Answer::YesNo(true)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let mut times = Vec::with_capacity(20_000);
    for _ in 0..20_000 {
        let t = Instant::now();
        std::hint::black_box(scenario::resolve(&sc, &answers)?);
        times.push(t.elapsed());
    }
    times.sort();
    rows.push((
        "情形解析（食品经营许可，5 个回答）p50 / p99".into(),
        format!(
            "{} / {}",
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.99))
        ),
        "< 1 ms".into(),
    ));

    // 3. Search over 20,000 items.
    let more = synthetic(&base, 10_000, 10_000);
    transfer::import(&state, &actor, &hall.id, more, true, &|_, _| {})
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let idx = indexing::index(&state).map_err(|e| anyhow::anyhow!("{e}"))?;
    let queries = [
        "我想开个小饭馆",
        "社保卡丢了",
        "孩子上户口",
        "yyzz",
        "shebaoka",
        "营业执照",
        "公积金提取",
        "身份证到期",
        "开公司",
        "异地就医",
        "食品经营许可",
        "网约车",
        "低保",
        "退休",
        "gjj",
    ];
    let mut times = Vec::new();
    let mut slowest: Vec<(Duration, &str)> = Vec::new();
    for q in queries {
        let mut mine = Vec::new();
        for _ in 0..100 {
            let t = Instant::now();
            let hits = idx.search(&hall.id, q, 10)?;
            mine.push(t.elapsed());
            if hits.is_empty() {
                anyhow::bail!("search for {q} found nothing");
            }
        }
        mine.sort();
        slowest.push((percentile(&mine, 0.99), q));
        times.extend(mine);
    }
    times.sort();
    slowest.sort();
    let (worst, worst_q) = slowest.last().copied().expect("queries");
    rows.push((
        format!("检索 20,000 事项（{} 次查询）p50 / p99", times.len()),
        format!(
            "{} / {}",
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.99))
        ),
        "p99 < 5 ms".into(),
    ));
    rows.push((format!("最慢的查询“{worst_q}”p99"), ms(worst), "".into()));
    rows.push(("索引文档数".into(), idx.len().to_string(), "".into()));

    println!("\n| 项目 | 结果 | 目标 |\n|---|---|---|");
    for (what, result, goal) in rows {
        println!("| {what} | {result} | {goal} |");
    }
    Ok(())
}

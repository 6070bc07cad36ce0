//! `govhall catalog import|export` and `govhall reindex`: the catalog's
//! command-line tools, with a progress bar for long imports.

use anyhow::{Context, bail};
use govhall_catalog::{excel, indexing, interchange, transfer};
use govhall_platform::{AppState, events::Actor, halls::find_hall};
use std::path::Path;

fn is_xlsx(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
}

pub async fn import(
    state: &AppState,
    hall: &str,
    file: &Path,
    publish: bool,
) -> anyhow::Result<()> {
    let hall = find_hall(state, hall)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let bytes = std::fs::read(file).with_context(|| format!("无法读取 {}", file.display()))?;
    let known = transfer::known_codes(state, &hall.id)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let parsed = if is_xlsx(file) {
        excel::read(&bytes, &known)
    } else {
        interchange::parse_file(&bytes, &known)
    };
    let parsed = match parsed {
        Ok(p) => p,
        Err(problems) => {
            for p in &problems {
                eprintln!("{}：{}", p.at, p.message);
            }
            bail!("文件有 {} 处问题，未写入任何数据", problems.len());
        }
    };
    let bar = indicatif::ProgressBar::new(parsed.items.len() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} 个事项 {elapsed_precise}")
            .expect("progress template"),
    );
    let summary = transfer::import(
        state,
        &Actor::system(),
        &hall.id,
        parsed,
        publish,
        &|done, _| bar.set_position(done as u64),
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    bar.finish();
    println!(
        "导入完成：新增 {}，更新 {}，未变 {}，一件事 {}，同义词组 {}（{}）",
        summary.created,
        summary.updated,
        summary.unchanged,
        summary.bundles,
        summary.synonyms,
        if publish {
            "已发布"
        } else {
            "草稿，待提交发布"
        }
    );
    Ok(())
}

pub async fn export(
    state: &AppState,
    hall: &str,
    file: &Path,
    published_only: bool,
) -> anyhow::Result<()> {
    let hall = find_hall(state, hall)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let catalog = transfer::export(state, &hall.id, published_only)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let bytes = if is_xlsx(file) {
        excel::write(&catalog)?
    } else {
        catalog.to_json().into_bytes()
    };
    std::fs::write(file, bytes).with_context(|| format!("无法写入 {}", file.display()))?;
    println!("已导出 {} 个事项到 {}", catalog.items.len(), file.display());
    Ok(())
}

pub async fn reindex(state: &AppState) -> anyhow::Result<u64> {
    let idx = indexing::index(state).map_err(|e| anyhow::anyhow!("{e}"))?;
    indexing::rebuild(state, &idx)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))
}

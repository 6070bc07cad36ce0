//! `govhall report`: a hall's 成效报告 for a month or a quarter, written as
//! PDF and .docx. A published report is written as it was published (frozen);
//! otherwise the report is computed from the data now, as a draft would be.

use govhall_analytics::report::{self, Period, archive};
use govhall_platform::{AppState, halls::find_hall};
use std::path::{Path, PathBuf};

pub async fn write(
    state: &AppState,
    hall: &str,
    period: &str,
    out: Option<&Path>,
) -> anyhow::Result<Vec<PathBuf>> {
    let err = |e: govhall_kernel::AppError| anyhow::anyhow!("{e}");
    let hall = find_hall(state, hall).await.map_err(err)?;
    let period = Period::parse(period).map_err(err)?;
    // The figures are as complete as the projection: bring it up to date first.
    govhall_analytics::follower::catch_up(&state.db, govhall_analytics::follower::REBUILD_BATCH)
        .await
        .map_err(err)?;
    let r = match archive::published(state, &hall.id, &period.key)
        .await
        .map_err(err)?
    {
        Some(r) => r,
        None => report::build(state, &hall, &period).await.map_err(err)?,
    };
    let dir = out
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    std::fs::create_dir_all(&dir)?;
    let base = format!("成效报告-{}-{}", hall.code, period.key);
    let pdf = dir.join(format!("{base}.pdf"));
    let docx = dir.join(format!("{base}.docx"));
    std::fs::write(&pdf, report::pdf::render(&r)?)?;
    std::fs::write(&docx, report::docx::render(&r)?)?;
    Ok(vec![pdf, docx])
}

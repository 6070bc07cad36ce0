//! The report as a PDF: the same sections as the Word version, with the
//! figures in a table and the charts drawn as vector bars.

use super::{Ranked, Report, definition_rows, figure_rows};
use govhall_pdf::{BODY, Document};

pub fn render(r: &Report) -> anyhow::Result<Vec<u8>> {
    let mut d = Document::new(&r.title);
    d.heading(&r.title, 18.0);
    d.text(
        &format!(
            "统计期间：{} 至 {}（对比上期 {} 至 {}）",
            r.from, r.to, r.previous_from, r.previous_to
        ),
        10.5,
        false,
    );
    d.gap(6.0);
    d.paragraphs(&r.summary, BODY);
    d.heading("一、核心指标", 14.0);
    d.table(
        &["指标", "本期", "上期", "变化"],
        &[3.0, 2.0, 2.0, 2.0],
        &figure_rows(r),
        10.5,
    );
    d.keep(200.0);
    d.heading("二、服务量与热门事项", 14.0);
    d.columns("每日取号量（张）", &r.daily_labels, &r.daily_tickets, "张");
    let bars = |items: &[Ranked]| {
        items
            .iter()
            .map(|i| (i.label.clone(), i.value))
            .collect::<Vec<_>>()
    };
    d.bars("办件量前十的事项（件）", &bars(&r.top_matters), "件");
    d.bars("各部门收件量（件）", &bars(&r.departments), "件");
    for (title, items) in [
        ("三、服务亮点", &r.highlights),
        ("四、存在问题", &r.problems),
        ("五、改进建议", &r.suggestions),
    ] {
        d.keep(80.0);
        d.heading(title, 14.0);
        d.numbered(items, BODY);
    }
    d.keep(120.0);
    d.heading("附：指标口径", 14.0);
    d.table(
        &["指标", "定义", "公式"],
        &[2.0, 5.0, 3.0],
        &definition_rows(r),
        9.0,
    );
    d.closing(
        &[
            r.hall_name.clone(),
            format!("{} 编制", govhall_kernel::time::today()),
        ],
        None,
    )?;
    govhall_pdf::render(d)
}

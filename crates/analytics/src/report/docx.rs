//! The report as a Word document (.docx) that the office can edit further:
//! the same sections as the PDF, tables for the figures, and the charts as
//! tables of proportional bars (Word opens them with no chart engine).

use super::{Ranked, Report, definition_rows, figure_rows};
use docx_rs::{
    AlignmentType, Docx, Paragraph, Run, RunFonts, Shading, Table, TableCell, TableRow, WidthType,
};

const SONG: &str = "宋体";
const HEI: &str = "黑体";
const BLUE: &str = "2F6BFF";

fn run(text: &str, half_points: usize, font: &str) -> Run {
    Run::new()
        .add_text(text)
        .size(half_points)
        .fonts(RunFonts::new().east_asia(font).ascii(font).hi_ansi(font))
}

fn para(text: &str) -> Paragraph {
    Paragraph::new().add_run(run(text, 24, SONG))
}

fn heading(text: &str) -> Paragraph {
    Paragraph::new().add_run(run(text, 30, HEI).bold())
}

fn cell(text: &str, header: bool) -> TableCell {
    let r = if header {
        run(text, 21, HEI).bold()
    } else {
        run(text, 21, SONG)
    };
    let c = TableCell::new().add_paragraph(Paragraph::new().add_run(r));
    if header {
        c.shading(Shading::new().fill("DCE6F5"))
    } else {
        c
    }
}

fn table(headers: &[&str], rows: Vec<Vec<String>>) -> Table {
    let mut all = vec![TableRow::new(
        headers.iter().map(|h| cell(h, true)).collect(),
    )];
    all.extend(
        rows.into_iter()
            .map(|r| TableRow::new(r.iter().map(|c| cell(c, false)).collect())),
    );
    Table::new(all).width(9000, WidthType::Dxa)
}

/// Bars of `█` in proportion to the largest value, with the value after.
fn bar_chart(items: &[Ranked], unit: &str) -> Table {
    let max = items.iter().map(|i| i.value).fold(0.0, f64::max).max(1e-9);
    let rows = items
        .iter()
        .map(|i| {
            let n = ((i.value / max) * 30.0).round().max(1.0) as usize;
            TableRow::new(vec![
                cell(&i.label, false),
                TableCell::new().add_paragraph(
                    Paragraph::new().add_run(run(&"█".repeat(n), 16, SONG).color(BLUE)),
                ),
                cell(&format!("{}{unit}", i.value), false),
            ])
        })
        .collect();
    Table::new(rows).width(9000, WidthType::Dxa)
}

fn numbered(doc: Docx, items: &[String]) -> Docx {
    items.iter().enumerate().fold(doc, |d, (i, t)| {
        d.add_paragraph(para(&format!("{}. {t}", i + 1)))
    })
}

pub fn render(r: &Report) -> anyhow::Result<Vec<u8>> {
    let mut doc = Docx::new()
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_run(run(&r.title, 36, HEI).bold()),
        )
        .add_paragraph(Paragraph::new().align(AlignmentType::Center).add_run(run(
            &format!(
                "统计期间：{} 至 {}（对比上期 {} 至 {}）",
                r.from, r.to, r.previous_from, r.previous_to
            ),
            21,
            SONG,
        )))
        .add_paragraph(para(&r.summary))
        .add_paragraph(heading("一、核心指标"))
        .add_table(table(&["指标", "本期", "上期", "变化"], figure_rows(r)))
        .add_paragraph(heading("二、服务量与热门事项"));
    let daily: Vec<Ranked> = r
        .daily_labels
        .iter()
        .zip(&r.daily_tickets)
        .filter_map(|(l, v)| {
            v.map(|v| Ranked {
                label: l.clone(),
                value: v,
            })
        })
        .collect();
    if !daily.is_empty() {
        doc = doc
            .add_paragraph(para("每日取号量（张）"))
            .add_table(bar_chart(&daily, ""));
    }
    if !r.top_matters.is_empty() {
        doc = doc
            .add_paragraph(para("办件量前十的事项（件）"))
            .add_table(bar_chart(&r.top_matters, ""));
    }
    if !r.departments.is_empty() {
        doc = doc
            .add_paragraph(para("各部门收件量（件）"))
            .add_table(bar_chart(&r.departments, ""));
    }
    doc = numbered(doc.add_paragraph(heading("三、服务亮点")), &r.highlights);
    doc = numbered(doc.add_paragraph(heading("四、存在问题")), &r.problems);
    doc = numbered(doc.add_paragraph(heading("五、改进建议")), &r.suggestions);
    doc = doc
        .add_paragraph(heading("附：指标口径"))
        .add_table(table(&["指标", "定义", "公式"], definition_rows(r)));
    doc = doc.add_paragraph(Paragraph::new().align(AlignmentType::Right).add_run(run(
        &r.hall_name,
        24,
        SONG,
    )));
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut out)?;
    Ok(out.into_inner())
}

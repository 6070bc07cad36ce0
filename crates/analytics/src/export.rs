//! An analysis as an Excel workbook: the table as the page shows it (formatted
//! headers, the comparison beside each figure) and a second sheet with the
//! definition of every indicator in it. The facts hold no personal data, so
//! nothing needs masking; the download is audited like every export.

use crate::query::QueryOutput;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};

pub fn workbook(hall_name: &str, q: &QueryOutput) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let title = Format::new().set_bold().set_font_size(14);
    let head = Format::new()
        .set_bold()
        .set_background_color("DCE6F2")
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_text_wrap();
    let cell = Format::new().set_border(FormatBorder::Thin);
    let number = Format::new()
        .set_border(FormatBorder::Thin)
        .set_num_format("0.0");

    let sheet = book.add_worksheet();
    sheet.set_name("统计结果")?;
    sheet.write_with_format(
        0,
        0,
        format!("{hall_name} 统计分析（{} 至 {}）", q.from, q.to),
        &title,
    )?;
    let mut note = format!("范围：{}　粒度：{}", q.scope.label, q.grain.label());
    if let (Some(f), Some(t)) = (q.compare_from, q.compare_to) {
        note += &format!("　对比期间：{f} 至 {t}");
    }
    sheet.write(1, 0, note)?;
    let mut headers: Vec<String> = Vec::new();
    if q.grain != crate::dimensions::Grain::Total {
        headers.push(q.grain.label().to_string());
    }
    for d in &q.dimensions {
        headers.push(
            crate::dimensions::Dimension::parse(d).map_or(d.clone(), |d| d.label().to_string()),
        );
    }
    for i in &q.indicators {
        headers.push(format!("{}（{}）", i.name, i.unit));
        if q.compare_from.is_some() {
            headers.push(format!("{}·对比期", i.name));
        }
    }
    for (c, h) in headers.iter().enumerate() {
        sheet.write_with_format(3, c as u16, h, &head)?;
        sheet.set_column_width(c as u16, 16)?;
    }
    sheet.set_row_height(3, 32)?;
    for (n, r) in q.rows.iter().enumerate() {
        let row = 4 + n as u32;
        let mut c: u16 = 0;
        if let Some(p) = &r.period {
            sheet.write_with_format(row, c, p, &cell)?;
            c += 1;
        }
        for d in &q.dimensions {
            let label = r.members.get(d).map_or("", |m| m.label.as_str());
            sheet.write_with_format(row, c, label, &cell)?;
            c += 1;
        }
        for i in &q.indicators {
            let mut put = |v: Option<f64>, c: u16| -> Result<(), XlsxError> {
                match v {
                    Some(v) => sheet.write_with_format(row, c, v, &number).map(|_| ()),
                    None => sheet.write_with_format(row, c, "—", &cell).map(|_| ()),
                }
            };
            put(r.values.get(i.key).copied().flatten(), c)?;
            c += 1;
            if let Some(cmp) = &r.compare {
                put(cmp.get(i.key).copied().flatten(), c)?;
                c += 1;
            }
        }
    }
    sheet.set_freeze_panes(4, 0)?;

    let defs = book.add_worksheet();
    defs.set_name("指标口径")?;
    for (c, (h, w)) in [
        ("指标", 18),
        ("单位", 8),
        ("定义", 60),
        ("计算公式", 40),
        ("来源事件", 40),
    ]
    .iter()
    .enumerate()
    {
        defs.write_with_format(0, c as u16, *h, &head)?;
        defs.set_column_width(c as u16, *w)?;
    }
    let wrap = Format::new().set_border(FormatBorder::Thin).set_text_wrap();
    for (n, i) in q.indicators.iter().enumerate() {
        let row = 1 + n as u32;
        defs.write_with_format(row, 0, i.name, &wrap)?;
        defs.write_with_format(row, 1, i.unit, &wrap)?;
        defs.write_with_format(row, 2, i.definition, &wrap)?;
        defs.write_with_format(row, 3, i.formula, &wrap)?;
        defs.write_with_format(row, 4, i.events.join("\n"), &wrap)?;
    }
    book.save_to_buffer()
}

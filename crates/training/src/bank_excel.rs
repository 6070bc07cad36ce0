//! Questions to and from Excel: the import template (one header row, the
//! columns below, two example rows) and the reading of a filled workbook.
//! Columns are found by their header, so their order may change; every bad
//! row is reported by row and column, and nothing is written unless all rows
//! are good.

use crate::bank::{self, QuestionInput};
use calamine::{Data, Reader, Xlsx};
use govhall_kernel::{AppError, error::AppResult, validate::Checker};
use rust_xlsxwriter::{Format, Workbook};
use std::io::Cursor;

const OPTION_LETTERS: &str = "ABCDEFGH";

/// The headers: the field each fills, and the header text.
const COLUMNS: &[(&str, &str)] = &[
    ("kind", "题型*"),
    ("category", "分类*"),
    ("difficulty", "难度*"),
    ("stem", "题干*"),
    ("answer", "答案*"),
    ("explanation", "解析"),
];

/// The template with two example rows.
pub fn template() -> AppResult<Vec<u8>> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("题目").map_err(AppError::internal)?;
    let bold = Format::new().set_bold();
    let mut headers: Vec<String> = COLUMNS.iter().map(|(_, h)| h.to_string()).collect();
    headers.extend(OPTION_LETTERS.chars().map(|c| format!("选项{c}")));
    for (i, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, h, &bold)
            .map_err(AppError::internal)?;
        ws.set_column_width(i as u16, if i == 3 { 40 } else { 12 })
            .map_err(AppError::internal)?;
    }
    let examples: [&[&str]; 3] = [
        &[
            "单选",
            "服务礼仪",
            "易",
            "群众到窗口办事，工作人员应首先：",
            "B",
            "首问负责，主动问候。",
            "继续手头工作",
            "起身或抬头主动问候",
            "让群众自行等待",
        ],
        &[
            "判断",
            "营业执照",
            "中",
            "个体工商户登记可以全程网办。",
            "对",
            "",
        ],
        &[
            "填空",
            "政策法规",
            "中",
            "行政许可法规定，行政机关应当自受理申请之日起____日内作出决定。",
            "二十|20",
            "",
        ],
    ];
    for (r, row) in examples.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, *v)
                .map_err(AppError::internal)?;
        }
    }
    wb.save_to_buffer().map_err(AppError::internal)
}

fn cell(row: &[Data], col: Option<usize>) -> String {
    match col.and_then(|c| row.get(c)) {
        Some(Data::String(s)) => s.trim().to_string(),
        Some(Data::Float(f)) if f.fract() == 0.0 => format!("{}", *f as i64),
        Some(Data::Float(f)) => f.to_string(),
        Some(Data::Int(i)) => i.to_string(),
        Some(Data::Bool(b)) => if *b { "对" } else { "错" }.to_string(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn difficulty(text: &str) -> Option<i32> {
    match text.trim() {
        "1" | "易" | "简单" => Some(1),
        "2" | "中" | "中等" => Some(2),
        "3" | "难" | "困难" => Some(3),
        _ => None,
    }
}

/// Reads the questions of a workbook's first sheet; every problem is listed
/// (`第 3 行「答案」：…`) and none of the rows is returned if there is one.
pub fn read(bytes: &[u8]) -> AppResult<Vec<QuestionInput>> {
    let mut wb = Xlsx::new(Cursor::new(bytes))
        .map_err(|_| AppError::field("file", "文件不是有效的 Excel（.xlsx）工作簿"))?;
    let range = wb
        .worksheet_range_at(0)
        .ok_or_else(|| AppError::field("file", "工作簿没有工作表"))?
        .map_err(|_| AppError::field("file", "第一个工作表无法读取"))?;
    let mut rows = range.rows();
    let header: Vec<String> = rows
        .next()
        .map(|r| {
            r.iter()
                .map(|c| cell(std::slice::from_ref(c), Some(0)))
                .collect()
        })
        .unwrap_or_default();
    let find = |name: &str| {
        let bare = name.trim_end_matches('*');
        header
            .iter()
            .position(|h| h.trim_end_matches('*').trim() == bare)
    };
    let mut missing = Checker::new();
    let cols: Vec<Option<usize>> = COLUMNS.iter().map(|(_, h)| find(h)).collect();
    for ((_, h), c) in COLUMNS.iter().zip(&cols) {
        if c.is_none() && h.ends_with('*') {
            missing.fail("file", format!("第 1 行缺少列「{h}」（请使用导入模板）"));
        }
    }
    missing.finish()?;
    let mut ch = Checker::new();
    let option_cols: Vec<Option<usize>> = OPTION_LETTERS
        .chars()
        .map(|c| find(&format!("选项{c}")))
        .collect();
    let mut out = Vec::new();
    for (i, row) in rows.enumerate() {
        let line = i + 2;
        let value = |field: &str| {
            let at = COLUMNS.iter().position(|(f, _)| *f == field);
            cell(row, at.and_then(|a| cols[a]))
        };
        if row.iter().all(|c| matches!(c, Data::Empty)) {
            continue;
        }
        let level = value("difficulty");
        let Some(level) = difficulty(&level) else {
            ch.fail(
                "file",
                format!("第 {line} 行「难度*」：“{level}”不是 易/中/难（或 1/2/3）"),
            );
            continue;
        };
        let input = QuestionInput {
            kind: value("kind"),
            category: value("category"),
            difficulty: level,
            stem: value("stem"),
            options: option_cols.iter().map(|c| cell(row, *c)).collect(),
            answer: value("answer"),
            explanation: value("explanation"),
        };
        match bank::check(&input) {
            Ok(q) => out.push(q),
            Err(bad) => {
                for (field, why) in bad {
                    let header = COLUMNS
                        .iter()
                        .find(|(f, _)| *f == field)
                        .map(|(_, h)| *h)
                        .unwrap_or("选项A…选项H");
                    ch.fail("file", format!("第 {line} 行「{header}」：{why}"));
                }
            }
        }
    }
    if out.is_empty() && ch.is_empty() {
        ch.fail("file", "工作簿中没有题目（第 2 行起每行一题）");
    }
    ch.finish()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_reads_back() {
        let qs = read(&template().unwrap()).unwrap();
        assert_eq!(qs.len(), 3);
        assert_eq!(qs[0].kind, "single");
        assert_eq!(qs[0].answer, "B");
        assert_eq!(qs[0].options.len(), 3);
        assert_eq!(qs[1].answer, "对");
        assert_eq!(qs[2].answer, "二十|20");
    }
}

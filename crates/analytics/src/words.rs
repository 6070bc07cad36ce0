//! The Chinese words of this module's routes and events (see `vocabulary`).

use govhall_platform::vocabulary::{
    Word::{Noun, Verb},
    Words,
};

pub const WORDS: Words = &[
    ("analytics", Noun("统计分析")),
    ("indicators", Noun("指标口径")),
    ("query", Verb("查询")),
    ("records", Noun("明细")),
    ("export", Verb("导出")),
    ("planning", Noun("窗口测算")),
    ("simulate", Verb("模拟")),
    ("screen", Noun("数据大屏")),
    ("options", Noun("筛选项")),
    ("reports", Noun("成效报告")),
    ("report", Noun("成效报告")),
    ("published", Verb("发布")),
    ("pdf", Noun("PDF 文件")),
    ("docx", Noun("Word 文件")),
    ("facts", Noun("统计数据")),
    ("rebuilt", Verb("重建")),
];

//! The Chinese words of this module's routes and events (see `vocabulary`).

use govhall_platform::vocabulary::{
    Word::{Noun, Scope, Verb},
    Words,
};

pub const WORDS: Words = &[
    ("performance", Scope),
    ("kpi-catalog", Noun("考核指标库")),
    ("schemes", Noun("考核方案")),
    ("scheme", Noun("考核方案")),
    ("assessments", Noun("季度考核")),
    ("assessment", Noun("季度考核")),
    ("evidence", Noun("考核依据")),
    ("review", Verb("考核评定")),
    ("appeal-decision", Verb("复核申诉")),
    ("finalize", Verb("确定等次")),
    ("my-assessments", Noun("我的考核")),
    ("self-review", Verb("自评")),
    ("acknowledge", Verb("确认")),
    ("appeal", Verb("申诉")),
    ("reviewed", Verb("评定")),
    ("appealed", Verb("申诉")),
    ("finalized", Verb("确定等次")),
    ("points", Noun("积分")),
    ("point-rules", Noun("积分规则")),
    ("settle", Verb("结算")),
    ("settled", Verb("结算")),
    ("awarded", Verb("奖惩")),
    ("honor-board", Noun("光荣榜")),
    ("my-points", Noun("我的积分")),
    ("entries", Noun("积分明细")),
];

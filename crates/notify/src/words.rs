//! The Chinese words of this module's routes and events (see `vocabulary`).

use govhall_platform::vocabulary::{
    Word::{Noun, Verb},
    Words,
};

pub const WORDS: Words = &[
    ("notifications", Noun("通知")),
    ("notification", Noun("通知")),
    ("retry", Verb("重发")),
    ("retried", Verb("重发")),
    ("webhooks", Noun("推送地址")),
    ("webhook", Noun("推送地址")),
];

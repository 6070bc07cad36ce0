//! The Chinese words of this module's routes (see `vocabulary`).

use govhall_platform::vocabulary::{Word::Noun, Words};

pub const WORDS: Words = &[("payroll", Noun("薪酬")), ("iit", Noun("个人所得税"))];

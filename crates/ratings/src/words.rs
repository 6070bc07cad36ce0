//! The Chinese words of this module's routes and events (see `vocabulary`).

use govhall_platform::vocabulary::{
    Word::{Noun, Verb},
    Words,
};

pub const WORDS: Words = &[
    ("ratings", Noun("评价")),
    ("rating", Noun("评价")),
    ("recorded", Verb("记录")),
    ("rectifications", Noun("差评整改")),
    ("rectification", Noun("差评整改")),
    ("advance", Verb("推进")),
    ("advanced", Verb("推进")),
    ("opened", Verb("立案")),
];

//! The Chinese words of this module's routes and events (see `vocabulary`).

use govhall_platform::vocabulary::{
    Word::{Noun, Verb},
    Words,
};

pub const WORDS: Words = &[
    ("training", Noun("培训")),
    ("courses", Noun("课程")),
    ("course", Noun("课程")),
    ("lessons", Noun("课时")),
    ("lesson", Noun("课时")),
    ("files", Noun("课件文件")),
    ("file", Noun("课件文件")),
    ("sessions", Noun("会话")),
    ("progress", Noun("学习进度")),
    ("requirements", Noun("上岗培训要求")),
    ("created", Verb("创建")),
    ("completed", Verb("完成")),
    ("rejected", Verb("拒绝")),
    ("uploaded", Verb("上传")),
];

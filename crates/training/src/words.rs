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
    ("pages", Noun("文档页面")),
    ("plans", Noun("培训方案")),
    ("tasks", Noun("学习任务")),
    ("plan", Noun("培训方案")),
    ("questions", Noun("题目")),
    ("question", Noun("题目")),
    ("exams", Noun("考试")),
    ("exam", Noun("考试")),
    ("attempts", Noun("答卷")),
    ("attempt", Noun("答卷")),
    ("submission", Noun("交卷")),
    ("marks", Noun("阅卷评分")),
    ("certificates", Noun("培训证书")),
    ("certificate", Noun("培训证书")),
    ("marked", Verb("完成阅卷")),
    ("granted", Verb("颁发")),
    ("created", Verb("创建")),
    ("completed", Verb("完成")),
    ("rejected", Verb("拒绝")),
    ("uploaded", Verb("上传")),
];

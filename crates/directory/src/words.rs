//! The Chinese words of this module's routes and events (see `vocabulary`).

use govhall_platform::vocabulary::{
    Word::{Noun, Verb},
    Words,
};

pub const WORDS: Words = &[
    ("halls", Noun("大厅")),
    ("hall", Noun("大厅")),
    ("areas", Noun("区域")),
    ("area", Noun("区域")),
    ("departments", Noun("部门")),
    ("department", Noun("部门")),
    ("staff", Noun("人员")),
    ("windows", Noun("窗口")),
    ("window", Noun("窗口")),
    ("my-window", Noun("本人所在窗口")),
    ("sign-in", Verb("签到上岗")),
    ("sign-out", Verb("签退")),
    ("signed_in", Verb("签到上岗")),
    ("signed_out", Verb("签退")),
    ("state", Noun("状态")),
    ("paused", Verb("暂停")),
    ("resumed", Verb("恢复")),
    ("photo", Noun("照片")),
    ("photo_set", Verb("设置照片")),
    ("photo_removed", Verb("删除照片")),
    ("calendar", Noun("工作日历")),
    ("days", Noun("日历日期")),
    ("day", Noun("日历日期")),
    ("hall_day", Noun("大厅日历日期")),
    ("compute", Verb("推算")),
    ("notice", Noun("节假日安排通知")),
    ("import", Verb("导入")),
    ("completed", Verb("完成")),
];

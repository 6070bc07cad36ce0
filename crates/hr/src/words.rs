//! The Chinese words of this module's routes (see `vocabulary`).

use govhall_platform::vocabulary::{
    Word::{Noun, Verb},
    Words,
};

pub const WORDS: Words = &[
    ("payroll", Noun("薪酬")),
    ("iit", Noun("个人所得税")),
    ("hr", Noun("人事")),
    ("profiles", Noun("人事档案")),
    ("reveal", Verb("查看明文")),
    ("contribution-rates", Noun("五险一金费率")),
    ("pay-items", Noun("工资调整项")),
    ("runs", Noun("月度工资")),
    ("calculate", Verb("核算")),
    ("approve", Verb("审核关账")),
    ("payslips", Noun("工资条")),
    ("bank-file", Noun("代发文件")),
    ("bank-layout", Noun("代发文件格式")),
    ("my-payslips", Noun("我的工资条")),
    ("hires", Noun("入职")),
    ("changes", Noun("人员异动")),
    ("checklist", Noun("清单事项")),
    ("window-grants", Noun("窗口授权")),
    ("leave-types", Noun("请假类型")),
    ("my-leave", Noun("我的请假")),
    ("leave-requests", Noun("请假申请")),
    ("decision", Verb("审批")),
    ("leave", Noun("请假")),
    ("requested", Verb("申请")),
    ("decided", Verb("审批")),
    ("computed", Verb("核算")),
    ("approved", Verb("审核关账")),
];

//! 考核指标库: what a scheme may weigh. The figures of the queue, cases and
//! ratings come from the analytics module's indicators that break down by
//! staff member (each with its drill-down to the tickets, cases or ratings
//! behind it); 出勤率 from the HR attendance sheet; 培训考试成绩 from the
//! training module's exam results; 领导评价 is the
//! manager's score at review.

use govhall_analytics::dimensions::Dimension;
use govhall_analytics::indicators::{Better, INDICATORS};
use serde::Serialize;
use utoipa::ToSchema;

/// The HR attendance sheet's 出勤率 over the quarter's months.
pub const ATTENDANCE: &str = "attendance_rate";
/// The manager's qualitative score (0–100), given at review.
pub const MANAGER: &str = "manager_score";

/// Where a figure comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FigureSource {
    Analytics,
    Attendance,
    Training,
    Manager,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KpiDef {
    pub key: String,
    pub name: String,
    pub unit: String,
    pub definition: String,
    /// Whether a higher figure is better.
    pub higher_is_better: bool,
    pub source: FigureSource,
    /// The records behind the figure can be listed.
    pub has_evidence: bool,
}

/// Every indicator a scheme may use.
pub fn all() -> Vec<KpiDef> {
    let mut out: Vec<KpiDef> = INDICATORS
        .iter()
        .filter(|i| Dimension::Staff.column(i.source).is_some())
        .map(|i| KpiDef {
            key: i.key.into(),
            name: i.name.into(),
            unit: i.unit.into(),
            definition: i.definition.into(),
            higher_is_better: !matches!(i.better, Better::Lower),
            source: FigureSource::Analytics,
            has_evidence: true,
        })
        .collect();
    out.push(KpiDef {
        key: ATTENDANCE.into(),
        name: "出勤率".into(),
        unit: "%".into(),
        definition: "考勤月报各月出勤率的平均：有打卡且未请假的工作日 ÷（已过工作日 − 请假）"
            .into(),
        higher_is_better: true,
        source: FigureSource::Attendance,
        has_evidence: true,
    });
    out.push(KpiDef {
        key: crate::training_scores::KEY.into(),
        name: "培训考试成绩".into(),
        unit: "%".into(),
        definition:
            "本季度参加的每场考试取最好一次已阅卷成绩（得分 ÷ 满分），各场平均；待阅卷的暂不计"
                .into(),
        higher_is_better: true,
        source: FigureSource::Training,
        has_evidence: true,
    });
    out.push(KpiDef {
        key: MANAGER.into(),
        name: "领导评价".into(),
        unit: "分".into(),
        definition: "中心负责人在考核评定时给出的定性评分（0–100）".into(),
        higher_is_better: true,
        source: FigureSource::Manager,
        has_evidence: false,
    });
    out
}

pub fn find(key: &str) -> Option<KpiDef> {
    all().into_iter().find(|k| k.key == key)
}

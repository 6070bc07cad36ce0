//! 指标口径: the indicator dictionary. Each indicator is defined once — key,
//! Chinese name, definition, formula, unit, the events it is computed from,
//! its owner and purpose — and the same definition is shown beside every
//! number on every page, report and screen.
//!
//! The measure of an indicator is a pair of SQL aggregates over one fact table
//! (numerator, optional denominator) or a quantile of one column. They are
//! constants of the code; `{threshold}` and `{today}` are replaced by a
//! validated whole number and a date the server computes, never by request text.

use crate::dimensions::Source;
use serde::Serialize;
use utoipa::ToSchema;

/// How the figure is computed from the fact rows of a group.
#[derive(Debug, Clone, Copy)]
pub enum Measure {
    /// `num / den × scale` (a count when `den` is `None`).
    Ratio {
        num: &'static str,
        den: Option<&'static str>,
        scale: f64,
    },
    /// The `q` quantile of `column` (seconds) among rows where it is set, in minutes.
    Quantile { q: f64, column: &'static str },
    /// `num` per head: its sum over the people (`head`) with a positive share
    /// of it — an average that, unlike `COUNT(DISTINCT …)`, adds up across months.
    PerHead {
        num: &'static str,
        head: &'static str,
        scale: f64,
    },
}

/// Which way is good: the big screen colours a figure by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    Higher,
    Lower,
    Neither,
}

#[derive(Debug, Clone, Copy)]
pub struct Indicator {
    pub key: &'static str,
    pub name: &'static str,
    pub unit: &'static str,
    pub definition: &'static str,
    pub formula: &'static str,
    pub source: Source,
    pub events: &'static [&'static str],
    pub owner: &'static str,
    pub purpose: &'static str,
    pub better: Better,
    pub measure: Measure,
}

const COUNT: Option<&str> = None;
const PCT: f64 = 100.0;
const MIN: f64 = 1.0 / 60.0;

const TICKET_EVENTS: &[&str] = &[
    "queue.ticket.issued",
    "queue.ticket.called",
    "queue.ticket.started",
    "queue.ticket.finished",
    "queue.ticket.no_show",
];
const CASE_EVENTS: &[&str] = &[
    "cases.case.received",
    "cases.case.accepted",
    "cases.case.finished",
    "cases.case.request_correction",
    "cases.case.decide",
];
const OPS: &str = "中心管理员";

macro_rules! ind {
    ($key:literal, $name:literal, $unit:literal, $src:ident, $better:ident, $events:expr, $def:literal, $formula:literal, $purpose:literal, $m:expr) => {
        Indicator {
            key: $key,
            name: $name,
            unit: $unit,
            definition: $def,
            formula: $formula,
            source: Source::$src,
            events: $events,
            owner: OPS,
            purpose: $purpose,
            better: Better::$better,
            measure: $m,
        }
    };
}

const fn ratio(num: &'static str, den: &'static str, scale: f64) -> Measure {
    Measure::Ratio {
        num,
        den: Some(den),
        scale,
    }
}

const fn count(num: &'static str) -> Measure {
    Measure::Ratio {
        num,
        den: COUNT,
        scale: 1.0,
    }
}

pub static INDICATORS: &[Indicator] = &[
    ind!(
        "tickets_issued",
        "取号量",
        "张",
        Tickets,
        Neither,
        &["queue.ticket.issued"],
        "期间内取得的号票张数，含取号机、手机、导服台代取、预约签到和窗口续号。",
        "COUNT(号票)",
        "掌握来厅人流，安排窗口和导服。",
        count("COUNT(*)")
    ),
    ind!(
        "tickets_called",
        "叫号量",
        "张",
        Tickets,
        Neither,
        &["queue.ticket.called"],
        "期间内取得、且至少被叫过一次的号票张数（重呼、转号不重复计）。",
        "COUNT(号票 WHERE 首次叫号时间 非空)",
        "衡量窗口实际接待量。",
        count("SUM(called)")
    ),
    ind!(
        "tickets_served",
        "办理量（号）",
        "张",
        Tickets,
        Higher,
        &["queue.ticket.finished"],
        "期间内取得、且在窗口办理完毕的号票张数；办理人员与窗口按最后一次叫号计。",
        "COUNT(号票 WHERE 状态=办结)",
        "窗口与人员的工作量。",
        count("SUM(served)")
    ),
    ind!(
        "no_show_rate",
        "过号率",
        "%",
        Tickets,
        Lower,
        &["queue.ticket.called", "queue.ticket.no_show"],
        "被叫号后未到窗口、最终作废（未重新排队）的号票占叫号量的比例。",
        "过号作废数 ÷ 叫号量 × 100%",
        "发现叫号提示、等候区引导的问题。",
        ratio("SUM(no_show)", "SUM(called)", PCT)
    ),
    ind!(
        "wait_avg",
        "平均等候时长",
        "分钟",
        Tickets,
        Lower,
        TICKET_EVENTS,
        "等候时长 = 首次叫号时间 − 取号时间；重呼、转号保留首次取号时间。含预约号与绿色通道。",
        "Σ等候时长 ÷ 已叫号票数",
        "群众排队体验的核心指标。",
        Measure::Ratio {
            num: "SUM(wait_s)",
            den: Some("COUNT(wait_s)"),
            scale: MIN
        }
    ),
    ind!(
        "wait_avg_walkin",
        "平均等候时长（普通号）",
        "分钟",
        Tickets,
        Lower,
        TICKET_EVENTS,
        "同平均等候时长，但只计普通号：不含预约号和绿色通道（两种口径并列报告）。",
        "Σ普通号等候时长 ÷ 已叫普通号票数",
        "排除优先号后看现场排队的真实情况。",
        Measure::Ratio {
            num: "SUM(CASE WHEN class = 'normal' THEN wait_s END)",
            den: Some("COUNT(CASE WHEN class = 'normal' THEN wait_s END)"),
            scale: MIN
        }
    ),
    ind!(
        "wait_median",
        "中位等候时长",
        "分钟",
        Tickets,
        Lower,
        TICKET_EVENTS,
        "已叫号票等候时长的中位数（按分钟分档计算，精度 1 分钟）。",
        "P50(等候时长)",
        "不受个别长时间等候影响的典型等候。",
        Measure::Quantile {
            q: 0.5,
            column: "wait_s"
        }
    ),
    ind!(
        "wait_p90",
        "90分位等候时长",
        "分钟",
        Tickets,
        Lower,
        TICKET_EVENTS,
        "90% 的群众在此时长内被叫号（按分钟分档计算，精度 1 分钟）。",
        "P90(等候时长)",
        "衡量排队长尾，窗口测算的服务水平目标。",
        Measure::Quantile {
            q: 0.9,
            column: "wait_s"
        }
    ),
    ind!(
        "wait_over_rate",
        "超时等候率",
        "%",
        Tickets,
        Lower,
        TICKET_EVENTS,
        "等候时长超过本厅超时阈值（默认 30 分钟，可在查询时设置）的已叫号票占比。",
        "等候时长 > 阈值的票数 ÷ 已叫号票数 × 100%",
        "考核“排队不超过 30 分钟”类承诺。",
        ratio(
            "SUM(CASE WHEN wait_s > {threshold} THEN 1 ELSE 0 END)",
            "COUNT(wait_s)",
            PCT
        )
    ),
    ind!(
        "service_avg",
        "平均办理时长",
        "分钟",
        Tickets,
        Neither,
        &["queue.ticket.started", "queue.ticket.finished"],
        "办理时长 = 办结时间 − 开始办理时间（多段办理累加）。",
        "Σ办理时长 ÷ 办结票数",
        "测算窗口数量、发现办理异常缓慢的事项和人员。",
        Measure::Ratio {
            num: "SUM(service_s)",
            den: Some("COUNT(service_s)"),
            scale: MIN
        }
    ),
    ind!(
        "served_per_staff",
        "人均办件量",
        "张/人",
        Tickets,
        Higher,
        &["queue.ticket.finished"],
        "办理量（号）除以期间内有办理记录的窗口人员数。",
        "办理量 ÷ COUNT(DISTINCT 办理人员)",
        "比较人员与班组的工作负荷。",
        Measure::PerHead {
            num: "SUM(served)",
            head: "staff_id",
            scale: 1.0
        }
    ),
    ind!(
        "share_appointment",
        "预约取号占比",
        "%",
        Tickets,
        Higher,
        &["queue.ticket.issued"],
        "预约签到取得的号票占取号量的比例。",
        "预约号 ÷ 取号量 × 100%",
        "衡量预约办的推广效果。",
        ratio(
            "SUM(CASE WHEN class = 'appointment' THEN 1 ELSE 0 END)",
            "COUNT(*)",
            PCT
        )
    ),
    ind!(
        "share_mobile",
        "手机取号占比",
        "%",
        Tickets,
        Higher,
        &["queue.ticket.issued"],
        "通过手机（H5/微信）远程取得的号票占取号量的比例。",
        "手机取号 ÷ 取号量 × 100%",
        "衡量“掌上办”分流效果。",
        ratio(
            "SUM(CASE WHEN channel = 'mobile' THEN 1 ELSE 0 END)",
            "COUNT(*)",
            PCT
        )
    ),
    ind!(
        "share_onsite",
        "现场取号占比",
        "%",
        Tickets,
        Neither,
        &["queue.ticket.issued"],
        "在大厅现场取得的号票（取号机、导服台代取、窗口续号）占取号量的比例。",
        "现场取号 ÷ 取号量 × 100%",
        "了解现场人流压力。",
        ratio(
            "SUM(CASE WHEN channel IN ('kiosk', 'proxy', 'followup') THEN 1 ELSE 0 END)",
            "COUNT(*)",
            PCT
        )
    ),
    ind!(
        "cases_received",
        "收件量",
        "件",
        Cases,
        Neither,
        &["cases.case.received"],
        "期间内窗口收件登记的办件数（按收件时间），含当场受理、补正、不予受理。",
        "COUNT(办件)",
        "窗口收件工作量。",
        count("COUNT(*)")
    ),
    ind!(
        "cases_accepted",
        "受理量",
        "件",
        Cases,
        Higher,
        &[
            "cases.case.accepted",
            "cases.case.accept",
            "cases.case.finished"
        ],
        "期间内收件、且已受理（当场受理、补正后受理或即办办结）的办件数。",
        "COUNT(办件 WHERE 已受理)",
        "一窗受理的业务量。",
        count("SUM(accepted)")
    ),
    ind!(
        "cases_returned",
        "退回窗口件数",
        "件",
        Cases,
        Lower,
        &["cases.case.return_handover"],
        "期间内收件的办件中，窗口交接材料后被部门退回窗口的件数（一件退回多次计一件）。",
        "COUNT(办件 WHERE 被部门退回窗口)",
        "窗口受理差错：办理准确率与积分扣减的依据。",
        count("SUM(CASE WHEN returned > 0 THEN 1 ELSE 0 END)")
    ),
    ind!(
        "instant_rate",
        "即办率",
        "%",
        Cases,
        Higher,
        &["cases.case.finished", "cases.case.accepted"],
        "即办件（收件时当场办结）占受理件的比例。",
        "即办件 ÷ 受理件 × 100%",
        "衡量“当场办”水平。",
        ratio("SUM(instant)", "SUM(accepted)", PCT)
    ),
    ind!(
        "correction_rate",
        "补正率",
        "%",
        Cases,
        Lower,
        &[
            "cases.case.correction_requested",
            "cases.case.request_correction"
        ],
        "收件后至少一次一次性告知补正的办件占收件量的比例。",
        "补正过的办件 ÷ 收件量 × 100%",
        "发现材料要求不清、告知不到位的事项。",
        ratio(
            "SUM(CASE WHEN corrections > 0 THEN 1 ELSE 0 END)",
            "COUNT(*)",
            PCT
        )
    ),
    ind!(
        "tolerance_count",
        "容缺受理数",
        "件",
        Cases,
        Neither,
        &["cases.case.accepted"],
        "缺少次要材料、群众承诺补交后先行受理（容缺受理）的办件数。",
        "COUNT(办件 WHERE 已受理 AND 容缺材料数 > 0)",
        "容缺受理制度的执行量。",
        count("SUM(CASE WHEN accepted = 1 AND deferred > 0 THEN 1 ELSE 0 END)")
    ),
    ind!(
        "refusal_rate",
        "不予受理率",
        "%",
        Cases,
        Lower,
        &["cases.case.refused", "cases.case.refuse"],
        "收件后不予受理的办件占收件量的比例。",
        "不予受理件 ÷ 收件量 × 100%",
        "发现导办不准、群众白跑的事项。",
        ratio("SUM(refused)", "COUNT(*)", PCT)
    ),
    ind!(
        "overdue_count",
        "超期件数",
        "件",
        Cases,
        Lower,
        CASE_EVENTS,
        "期间内收件的办件中，办结日期晚于承诺办结日期，或至今未办结且已过承诺办结日期的件数（承诺日期按工作日和特别程序计算）。",
        "COUNT(办结日 > 承诺日 OR (未办结 AND 今天 > 承诺日))",
        "督办超期件。",
        count(
            "SUM(CASE WHEN due_on IS NOT NULL AND ((d_day IS NOT NULL AND d_day > due_on) OR (d_day IS NULL AND closed = 0 AND due_on < '{today}')) THEN 1 ELSE 0 END)"
        )
    ),
    ind!(
        "cases_decided",
        "办结量",
        "件",
        CasesDecided,
        Higher,
        &["cases.case.decide", "cases.case.finished"],
        "期间内办结（作出决定或即办办结）的办件数，按办结时间统计。",
        "COUNT(办件 WHERE 办结时间 在期间内)",
        "办件产出。",
        count("COUNT(*)")
    ),
    ind!(
        "on_time_rate",
        "按期办结率",
        "%",
        CasesDecided,
        Higher,
        &["cases.case.decide", "cases.case.accepted"],
        "期间内办结的办件中，办结日期不晚于承诺办结日期的比例（即办件计为按期）。",
        "按期办结件 ÷ 有承诺期限的办结件 × 100%",
        "时限承诺的兑现情况。",
        ratio(
            "SUM(CASE WHEN due_on IS NULL OR d_day <= due_on THEN 1 ELSE 0 END)",
            "COUNT(*)",
            PCT
        )
    ),
    ind!(
        "one_visit_rate",
        "一次办成率",
        "%",
        CasesDecided,
        Higher,
        &[
            "cases.case.decide",
            "cases.case.request_correction",
            "cases.case.accepted"
        ],
        "期间内办结的办件中，没有补正、也没有容缺补交（无需第二次来厅）的比例。",
        "无补正且无容缺的办结件 ÷ 办结件 × 100%",
        "“最多跑一次”的落实情况。",
        ratio(
            "SUM(CASE WHEN corrections = 0 AND deferred = 0 THEN 1 ELSE 0 END)",
            "COUNT(*)",
            PCT
        )
    ),
    ind!(
        "bundle_cases",
        "一件事办件量",
        "件",
        Joint,
        Higher,
        &["cases.joint.received"],
        "以“一件事”联办方式一次受理的件数（一件事编号计一件，不计成员事项）。",
        "COUNT(一件事联办受理)",
        "“高效办成一件事”的推进情况。",
        count("COUNT(*)")
    ),
    ind!(
        "ratings_count",
        "评价数",
        "条",
        Ratings,
        Higher,
        &["queue.rating.recorded"],
        "期间内群众对窗口服务（一次一评）和办件（一事一评）作出的评价条数。",
        "COUNT(评价)",
        "评价覆盖面。",
        count("COUNT(*)")
    ),
    ind!(
        "good_rate",
        "好评率",
        "%",
        Ratings,
        Higher,
        &["queue.rating.recorded"],
        "（非常满意 + 满意）÷ 全部评价。",
        "评分 ≥ 4 的评价 ÷ 评价数 × 100%",
        "群众满意度，政务服务“好差评”考核指标。",
        ratio(
            "SUM(CASE WHEN overall >= 4 THEN 1 ELSE 0 END)",
            "COUNT(*)",
            PCT
        )
    ),
    ind!(
        "bad_count",
        "差评数",
        "条",
        Ratings,
        Lower,
        &["queue.rating.recorded"],
        "评价为不满意或非常不满意的条数。",
        "COUNT(评分 ≤ 2)",
        "差评须核实整改。",
        count("SUM(CASE WHEN overall <= 2 THEN 1 ELSE 0 END)")
    ),
    ind!(
        "bad_upheld_count",
        "差评数（申诉后）",
        "条",
        Ratings,
        Lower,
        &["queue.rating.recorded", "queue.rectification.advanced"],
        "差评中未经申诉复核认定无效的条数：认定为恶意或误评的差评不计入窗口人员的考核与积分。",
        "COUNT(评分 ≤ 2 且 未认定无效)",
        "绩效考核与积分扣分所依据的差评数。",
        count("SUM(CASE WHEN overall <= 2 AND invalidated = 0 THEN 1 ELSE 0 END)")
    ),
    ind!(
        "bad_attitude_count",
        "差评·服务态度",
        "条",
        Ratings,
        Lower,
        &["queue.rating.recorded"],
        "对服务态度打分也为不满意或非常不满意的差评条数（评价器“服务态度”一项 ≤ 2）。",
        "COUNT(评分 ≤ 2 且 服务态度 ≤ 2)",
        "差评主题：服务礼仪与沟通。",
        count("SUM(CASE WHEN overall <= 2 AND attitude <= 2 THEN 1 ELSE 0 END)")
    ),
    ind!(
        "bad_efficiency_count",
        "差评·办事效率",
        "条",
        Ratings,
        Lower,
        &["queue.rating.recorded"],
        "对办事效率打分也为不满意或非常不满意的差评条数（评价器“办事效率”一项 ≤ 2）。",
        "COUNT(评分 ≤ 2 且 办事效率 ≤ 2)",
        "差评主题：等候与办理时长、流程。",
        count("SUM(CASE WHEN overall <= 2 AND efficiency <= 2 THEN 1 ELSE 0 END)")
    ),
    ind!(
        "bad_skill_count",
        "差评·业务水平",
        "条",
        Ratings,
        Lower,
        &["queue.rating.recorded"],
        "对业务水平打分也为不满意或非常不满意的差评条数（评价器“业务水平”一项 ≤ 2）。",
        "COUNT(评分 ≤ 2 且 业务水平 ≤ 2)",
        "差评主题：业务能力、告知是否准确。",
        count("SUM(CASE WHEN overall <= 2 AND skill <= 2 THEN 1 ELSE 0 END)")
    ),
    ind!(
        "rect_on_time_rate",
        "差评整改按期率",
        "%",
        Rectifications,
        Higher,
        &["queue.rectification.opened", "queue.rectification.advanced"],
        "期间内立案的差评整改中，在整改期限内结案的比例；未结案且未到期的不计入分母。",
        "期限内结案数 ÷ (已结案数 + 已超期未结案数) × 100%",
        "差评整改闭环考核。",
        ratio(
            "SUM(CASE WHEN closed_day IS NOT NULL AND closed_day <= due_day THEN 1 ELSE 0 END)",
            "SUM(CASE WHEN closed_day IS NOT NULL OR due_day < '{today}' THEN 1 ELSE 0 END)",
            PCT
        )
    ),
    ind!(
        "window_utilization",
        "窗口利用率",
        "%",
        WindowDays,
        Higher,
        &[
            "directory.window.signed_in",
            "directory.window.signed_out",
            "directory.window.paused",
            "queue.ticket.finished"
        ],
        "窗口办理时间占在岗时间（签到至签退，扣除暂停）的比例。",
        "Σ办理时长 ÷ Σ(在岗时长 − 暂停时长) × 100%",
        "发现闲置或过载的窗口。",
        ratio("SUM(serving_s)", "SUM(signed_s - paused_s)", PCT)
    ),
    ind!(
        "pause_hours",
        "窗口暂停时长",
        "小时",
        WindowDays,
        Lower,
        &["directory.window.paused", "directory.window.resumed"],
        "窗口在岗期间暂停服务的累计时长。",
        "Σ(恢复时间 − 暂停时间)",
        "督查离岗、长时间暂停。",
        Measure::Ratio {
            num: "SUM(paused_s)",
            den: COUNT,
            scale: 1.0 / 3600.0
        }
    ),
    ind!(
        "appointment_kept_rate",
        "预约履约率",
        "%",
        Appointments,
        Higher,
        &[
            "queue.appointment.booked",
            "queue.appointment.cancelled",
            "queue.ticket.issued"
        ],
        "预约日在期间内、未取消的预约中，按时签到取号的比例。",
        "签到的预约 ÷ 未取消的预约 × 100%",
        "预约号源的有效利用。",
        ratio(
            "SUM(checked_in)",
            "SUM(CASE WHEN cancelled = 0 THEN 1 ELSE 0 END)",
            PCT
        )
    ),
    ind!(
        "appointment_missed_rate",
        "爽约率",
        "%",
        Appointments,
        Lower,
        &[
            "queue.appointment.booked",
            "queue.appointment.cancelled",
            "queue.ticket.issued"
        ],
        "预约日已过、未取消也未签到的预约占未取消预约的比例。",
        "爽约数 ÷ 未取消的预约 × 100%",
        "爽约治理（信用约束）依据。",
        ratio(
            "SUM(CASE WHEN cancelled = 0 AND checked_in = 0 AND day < '{today}' THEN 1 ELSE 0 END)",
            "SUM(CASE WHEN cancelled = 0 THEN 1 ELSE 0 END)",
            PCT
        )
    ),
    ind!(
        "guidance_count",
        "导办次数",
        "次",
        Guidance,
        Neither,
        &["catalog.guidance.resolved", "catalog.search.missed"],
        "群众在取号机、手机上使用智能导办的次数：得出材料清单的次数加未命中的检索次数。",
        "COUNT(导办得出清单) + COUNT(检索未命中)",
        "智能导办的使用量。",
        count("COUNT(*)")
    ),
    ind!(
        "guidance_hit_rate",
        "导办命中率",
        "%",
        Guidance,
        Higher,
        &["catalog.guidance.resolved", "catalog.search.missed"],
        "导办次数中，群众选定事项并得出材料清单的比例。",
        "得出材料清单次数 ÷ 导办次数 × 100%",
        "衡量智能导办是否听懂群众。",
        ratio(
            "SUM(CASE WHEN kind = 'resolved' THEN 1 ELSE 0 END)",
            "COUNT(*)",
            PCT
        )
    ),
];

pub fn find(key: &str) -> Option<&'static Indicator> {
    INDICATORS.iter().find(|i| i.key == key)
}

/// An indicator as the dictionary API and every page show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndicatorDto {
    pub key: &'static str,
    pub name: &'static str,
    pub unit: &'static str,
    pub definition: &'static str,
    pub formula: &'static str,
    /// The events it is computed from.
    pub events: Vec<&'static str>,
    /// Finest time grain: hour (every indicator can be summed up to the year).
    pub grain: &'static str,
    /// Dimensions it can be broken down by.
    pub dimensions: Vec<&'static str>,
    pub owner: &'static str,
    pub purpose: &'static str,
    pub better: Better,
}

impl From<&Indicator> for IndicatorDto {
    fn from(i: &Indicator) -> Self {
        IndicatorDto {
            key: i.key,
            name: i.name,
            unit: i.unit,
            definition: i.definition,
            formula: i.formula,
            events: i.events.to_vec(),
            grain: "hour",
            dimensions: crate::dimensions::DIMENSIONS
                .iter()
                .filter(|d| d.column(i.source).is_some())
                .map(|d| d.key())
                .collect(),
            owner: i.owner,
            purpose: i.purpose,
            better: i.better,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_definitions_complete() {
        let mut keys: Vec<_> = INDICATORS.iter().map(|i| i.key).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), INDICATORS.len());
        for i in INDICATORS {
            assert!(
                !i.definition.is_empty() && !i.formula.is_empty() && !i.events.is_empty(),
                "{}",
                i.key
            );
        }
    }
}

//! The cases' events: every step of a case from intake to delivery, and the
//! handover sheets. The analytics (办件量, 按期办结率, 一次办成率) and webhooks
//! read these payloads; they carry no applicant data, only the case's facts.

use crate::status::Action;
use chrono::NaiveDate;
use govhall_platform::events::{EventDef, EventType};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A case as every one of its events describes it, after the change.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CaseEvent {
    pub case_id: String,
    /// 办件编号.
    pub number: String,
    /// 实施编码 of the matter, and the catalog version the case was received under.
    pub task_code: String,
    pub item_version: i32,
    pub item_name: String,
    pub department_id: Option<String>,
    /// The window that received it.
    pub window_id: String,
    /// The ticket it was received on.
    pub ticket_id: Option<String>,
    /// National 办件状态 code after the change.
    pub status: i32,
    /// Stage after the change (received, correcting, accepted, … delivered).
    pub stage: String,
    /// 承诺办结日期, once accepted.
    pub due_on: Option<NaiveDate>,
    /// What this kind of event adds: the stage it left, the materials counted at
    /// intake, the materials moved, the 补正 items asked for
    /// (`correction_items`), the result file's digest.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub detail: serde_json::Map<String, serde_json::Value>,
}

/// A 材料交接单 made at the front desk or signed for by the department.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HandoverEvent {
    pub handover_id: String,
    /// 交接单号.
    pub number: String,
    pub department_id: Option<String>,
    /// Cases on the sheet.
    pub cases: usize,
}

/// A 一件事 received as one joint intake.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct JointEvent {
    pub joint_id: String,
    /// 一件事编号.
    pub number: String,
    pub bundle_code: String,
    /// Member cases written.
    pub members: usize,
    /// Members the answers made unnecessary.
    pub not_needed: usize,
}

/// The hall's case-number pattern saved.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NumberingSaved {
    pub number_pattern: String,
}

/// A notice's wording saved or put back to the product's default.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TemplateChanged {
    /// receipt / acceptance / correction / refusal / completion / handover
    pub kind: String,
}

const fn case(name: &'static str, label: &'static str) -> EventType<CaseEvent> {
    EventType::new(name, label)
}

pub const RECEIVED: EventType<CaseEvent> = case("cases.case.received", "收件");
pub const ACCEPTED: EventType<CaseEvent> = case("cases.case.accepted", "当场受理");
pub const CORRECTION_REQUESTED: EventType<CaseEvent> =
    case("cases.case.correction_requested", "收件时一次性告知补正");
pub const REFUSED: EventType<CaseEvent> = case("cases.case.refused", "收件时不予受理");
pub const FINISHED: EventType<CaseEvent> = case("cases.case.finished", "即办件当场办结");
pub const ACCEPT: EventType<CaseEvent> = case("cases.case.accept", "补正后受理");
pub const REFUSE: EventType<CaseEvent> = case("cases.case.refuse", "不予受理");
pub const REQUEST_CORRECTION: EventType<CaseEvent> =
    case("cases.case.request_correction", "一次性告知补正");
pub const HAND_OVER: EventType<CaseEvent> = case("cases.case.hand_over", "材料交接");
pub const SIGN_FOR: EventType<CaseEvent> = case("cases.case.sign_for", "部门签收");
pub const START_SPECIAL: EventType<CaseEvent> = case("cases.case.start_special", "特别程序开始");
pub const END_SPECIAL: EventType<CaseEvent> = case("cases.case.end_special", "特别程序结束");
pub const DECIDE: EventType<CaseEvent> = case("cases.case.decide", "办结");
pub const RETURN_RESULT: EventType<CaseEvent> = case("cases.case.return_result", "结果回传窗口");
pub const DELIVER: EventType<CaseEvent> = case("cases.case.deliver", "出件");
pub const WITHDRAW: EventType<CaseEvent> = case("cases.case.withdraw", "撤件");
pub const RETURN_HANDOVER: EventType<CaseEvent> =
    case("cases.case.return_handover", "部门退回窗口");
pub const REVOKE: EventType<CaseEvent> = case("cases.case.revoke", "撤销办件");
pub const MATERIAL_SUPPLEMENTED: EventType<CaseEvent> =
    case("cases.case.material_supplemented", "补交容缺材料");
pub const MATERIAL_FORWARDED: EventType<CaseEvent> =
    case("cases.case.material_forwarded", "补交材料送交部门");
pub const MATERIAL_RECEIVED: EventType<CaseEvent> =
    case("cases.case.material_received", "部门签收材料");
pub const MATERIAL_RETURNED: EventType<CaseEvent> =
    case("cases.case.material_returned", "归还原件");
pub const RESULT_FILE_ATTACHED: EventType<CaseEvent> =
    case("cases.case.result_file_attached", "上传结果文件");
pub const HANDOVER_CREATED: EventType<HandoverEvent> =
    EventType::new("cases.handover.created", "生成材料交接单");
pub const HANDOVER_SIGNED: EventType<HandoverEvent> =
    EventType::new("cases.handover.signed", "签收材料交接单");
pub const JOINT_RECEIVED: EventType<JointEvent> =
    EventType::new("cases.joint.received", "一件事联办受理");
pub const HANDOVER_RETURNED: EventType<HandoverEvent> =
    EventType::new("cases.handover.returned", "退回材料交接单");
pub const NUMBERING_SAVED: EventType<NumberingSaved> =
    EventType::new("cases.settings.saved", "保存办件编号规则");
pub const TEMPLATE_SAVED: EventType<TemplateChanged> =
    EventType::new("cases.document_template.saved", "保存文书模板");
pub const TEMPLATE_RESET: EventType<TemplateChanged> =
    EventType::new("cases.document_template.reset", "文书模板恢复默认");

/// The event an action on a case records.
pub fn of_action(a: Action) -> &'static EventType<CaseEvent> {
    match a {
        Action::Accept => &ACCEPT,
        Action::Refuse => &REFUSE,
        Action::RequestCorrection => &REQUEST_CORRECTION,
        Action::HandOver => &HAND_OVER,
        Action::SignFor => &SIGN_FOR,
        Action::StartSpecial => &START_SPECIAL,
        Action::EndSpecial => &END_SPECIAL,
        Action::Decide => &DECIDE,
        Action::ReturnResult => &RETURN_RESULT,
        Action::Deliver => &DELIVER,
        Action::Withdraw => &WITHDRAW,
        Action::ReturnHandover => &RETURN_HANDOVER,
        Action::Revoke => &REVOKE,
    }
}

/// The cases' typed events, for the catalogue.
pub static EVENTS: &[EventDef] = &[
    RECEIVED.def(),
    ACCEPTED.def(),
    CORRECTION_REQUESTED.def(),
    REFUSED.def(),
    FINISHED.def(),
    ACCEPT.def(),
    REFUSE.def(),
    REQUEST_CORRECTION.def(),
    HAND_OVER.def(),
    SIGN_FOR.def(),
    START_SPECIAL.def(),
    END_SPECIAL.def(),
    DECIDE.def(),
    RETURN_RESULT.def(),
    DELIVER.def(),
    WITHDRAW.def(),
    RETURN_HANDOVER.def(),
    REVOKE.def(),
    MATERIAL_SUPPLEMENTED.def(),
    MATERIAL_FORWARDED.def(),
    MATERIAL_RECEIVED.def(),
    MATERIAL_RETURNED.def(),
    RESULT_FILE_ATTACHED.def(),
    HANDOVER_CREATED.def(),
    HANDOVER_SIGNED.def(),
    HANDOVER_RETURNED.def(),
    JOINT_RECEIVED.def(),
    NUMBERING_SAVED.def(),
    TEMPLATE_SAVED.def(),
    TEMPLATE_RESET.def(),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::ALL_ACTIONS;

    #[test]
    fn every_action_records_its_own_event() {
        for a in ALL_ACTIONS {
            assert_eq!(of_action(a).name, format!("cases.case.{}", a.code()));
        }
    }
}

//! A made-up case to preview a template with before saving it (and to test
//! rules on): every fact a document can show is filled, marked as a sample.

use super::Kind;
use crate::entity::{case, handover, material};
use crate::materials::{Handover, Way};
use crate::status::{Stage, Status};
use chrono::{Days, Utc};

/// The sample case as it stands when `kind` is printed.
pub(crate) fn case(hall_id: &str, kind: Kind) -> case::Model {
    let now = Utc::now();
    let today = crate::store::local_date(now);
    let (stage, status) = match kind {
        Kind::Correction => (Stage::Correcting, Status::CorrectionStarted),
        Kind::Refusal => (Stage::Refused, Status::Refused),
        Kind::Completion => (Stage::Ready, Status::Approved),
        Kind::Receipt => (Stage::Received, Status::Received),
        Kind::Acceptance | Kind::Handover => (Stage::Accepted, Status::Accepted),
    };
    let accepted = matches!(kind, Kind::Acceptance | Kind::Completion | Kind::Handover);
    let decided = kind == Kind::Completion;
    case::Model {
        id: "sample".into(),
        hall_id: hall_id.into(),
        number: "11610116MB2957101E4010100200000202611280001".into(),
        query_code_enc: String::new(),
        item_id: "sample".into(),
        task_code: "11610116MB2957101E4010100200000".into(),
        item_version: 1,
        item_name: "食品经营许可（示例）".into(),
        handling_item: "食品经营许可新办".into(),
        project_type: "承诺件".into(),
        bundle_code: None,
        bundle_id: None,
        ticket_id: None,
        ticket_number: Some("A001".into()),
        source: "一窗综合受理".into(),
        window_id: "sample".into(),
        department_id: None,
        department_name: "西安市长安区市场监督管理局".into(),
        department_code: "11610116MB2957101E".into(),
        applicant_type: "person".into(),
        applicant_name: "张三（示例）".into(),
        applicant_cert_type: "身份证".into(),
        applicant_cert_enc: String::new(),
        applicant_idx: String::new(),
        legal_rep: None,
        contact_name: "张三".into(),
        contact_phone_enc: String::new(),
        agent_name: None,
        agent_cert_enc: None,
        status: status.code(),
        stage: stage.code().into(),
        correcting_after_acceptance: false,
        answers: "{}".into(),
        correction_items: if kind == Kind::Correction {
            r#"["请提交：经营场所平面图和设备布局、工艺流程图","申请书未签字"]"#.into()
        } else {
            "[]".into()
        },
        refuse_reason: (kind == Kind::Refusal)
            .then(|| "申请事项依法不需要取得行政许可（示例）".to_string()),
        competent_agency: None,
        limit_days: 5,
        limit_unit: "工作日".into(),
        received_at: now,
        received_by: None,
        received_by_name: "李四".into(),
        accepted_at: accepted.then_some(now),
        accepted_on: accepted.then_some(today),
        due_on: accepted.then(|| today + Days::new(7)),
        paused_on: None,
        paused_days: 0,
        decided_at: decided.then_some(now),
        result: decided.then(|| "准予".to_string()),
        result_reason: None,
        certificate_name: decided.then(|| "食品经营许可证".to_string()),
        certificate_no: decided.then(|| "JY16101160000001".to_string()),
        valid_until: decided.then(|| today + Days::new(365 * 5)),
        delivery_method: None,
        tracking_no: None,
        recipient_name: None,
        recipient_cert_enc: None,
        delivered_at: None,
        updated_at: now,
        form_data_enc: None,
    }
}

/// Two materials: one on paper, one (in the 一次性告知书) still owed.
pub(crate) fn materials(kind: Kind) -> Vec<material::Model> {
    let line = |i: i32, name: &str, way: Way| material::Model {
        id: format!("sample-{i}"),
        case_id: "sample".into(),
        material_id: format!("m{i}"),
        name: name.into(),
        necessity: "必要".into(),
        copies: 1,
        way: way.code().into(),
        promised_on: None,
        handover: Handover::initial(way).code().into(),
        note: None,
        sort_order: i,
        moved_at: None,
    };
    let owed = if kind == Kind::Correction {
        Way::Missing
    } else {
        Way::PaperOriginal
    };
    vec![
        line(0, "食品经营许可申请书", Way::PaperOriginal),
        line(1, "经营场所平面图和设备布局、工艺流程图", owed),
        line(2, "营业执照", Way::Elicence),
    ]
}

/// A sample handover sheet.
pub(crate) fn sheet(hall_id: &str) -> handover::Model {
    handover::Model {
        id: "sample".into(),
        hall_id: hall_id.into(),
        number: "JJ20261128001".into(),
        department_id: None,
        department_name: "西安市长安区市场监督管理局".into(),
        created_at: Utc::now(),
        created_by_name: "李四".into(),
        signed_at: None,
        signed_by_name: None,
        returned_at: None,
    }
}

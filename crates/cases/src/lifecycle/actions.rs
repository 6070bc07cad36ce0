//! Each action's own checks and changes, one function per action. They read
//! the case through [`Ctx`] and write only into the [`Draft`] that `apply`
//! later stores; each returns the status the case ends in.

use super::input::{DecideInput, Decision, DeliverInput, Delivery};
use crate::deadline::{Unit, due_date, paused_days, resumed_due};
use crate::entity::{case, material};
use crate::intake::MaterialTick;
use crate::materials::{Handover, Way, blocks_acceptance};
use crate::status::{Action, Stage, Status};
use crate::store::StepInput;
use chrono::{DateTime, NaiveDate, Utc};
use govhall_catalog::{model::SpecialKind, scenario::Necessity};
use govhall_kernel::{
    calendar::WorkCalendar,
    error::AppResult,
    validate::{Checker, parse_id_card},
};
use govhall_platform::AppState;
use sea_orm::ActiveValue::Set;
use std::collections::BTreeMap;

/// What every action reads: the case as found and the day it acts on.
pub(super) struct Ctx<'a> {
    pub state: &'a AppState,
    pub c: &'a case::Model,
    pub from: Stage,
    pub to: Stage,
    pub now: DateTime<Utc>,
    pub today: NaiveDate,
    pub calendar: WorkCalendar,
    pub unit: Unit,
    /// 意见, checked.
    pub opinion: Option<String>,
}

/// What an action changes.
pub(super) struct Draft {
    pub row: case::ActiveModel,
    pub mats: Vec<material::Model>,
    pub steps: Vec<StepInput<'static>>,
    pub ch: Checker,
}

impl Draft {
    /// Adds a history entry.
    fn step(&mut self, action: Action, stage: Stage, status: Status, opinion: String) {
        self.steps.push(StepInput {
            action: action.code(),
            stage,
            status,
            opinion,
            special_kind: None,
        });
    }
}

impl Ctx<'_> {
    /// The opinion given, or what the history says when none was.
    fn opinion_or(&self, default: impl Into<String>) -> String {
        self.opinion.clone().unwrap_or_else(|| default.into())
    }

    /// The status the case already has (actions after the decision keep it).
    fn current_status(&self) -> Status {
        Status::from_code(self.c.status).unwrap_or(Status::Approved)
    }

    /// The clock stopped by 补正 or 特别程序 resumes: the due date moves by the
    /// pause, and a natural-day limit still ends on a working day.
    fn resume(&self, row: &mut case::ActiveModel) {
        let c = self.c;
        if let (Some(paused), Some(due)) = (c.paused_on, c.due_on) {
            let days = paused_days(&self.calendar, paused, self.today, self.unit);
            let total = c.paused_days.max(0) as u32 + days;
            row.paused_days = Set(total as i32);
            row.due_on = Set(Some(resumed_due(
                &self.calendar,
                c.accepted_on,
                c.limit_days.max(0) as u32,
                total,
                due,
                days,
                self.unit,
            )));
        }
        row.paused_on = Set(None);
    }
}

fn necessity(m: &material::Model) -> Necessity {
    match m.necessity.as_str() {
        "必要" => Necessity::Required,
        "容缺" => Necessity::Deferrable,
        _ => Necessity::Optional,
    }
}

/// 补正 done: the applicant brought what was owed; re-tick, then nothing may block.
pub(super) async fn accept(
    cx: &Ctx<'_>,
    d: &mut Draft,
    ticks: &[MaterialTick],
    form: &BTreeMap<String, String>,
) -> AppResult<Status> {
    let today = cx.today;
    for t in ticks {
        let Some(m) = d.mats.iter_mut().find(|m| m.material_id == t.material_id) else {
            d.ch.fail("materials", "该材料不在本件的材料清单中");
            continue;
        };
        if t.way == Way::Deferred {
            d.ch.check(
                necessity(m) == Necessity::Deferrable,
                "materials",
                format!("“{}”不是容缺材料，不能容缺受理", m.name),
            );
            d.ch.check(
                t.promised_on.is_some_and(|p| p >= today),
                "materials",
                format!("容缺材料“{}”须约定今天或以后的补交日期", m.name),
            );
        }
        m.way = t.way.code().to_string();
        m.promised_on = t.promised_on.filter(|_| t.way == Way::Deferred);
        m.handover = Handover::initial(t.way).code().to_string();
    }
    let owed: Vec<&str> = d
        .mats
        .iter()
        .filter(|m| blocks_acceptance(necessity(m), Way::parse(&m.way).unwrap_or(Way::Missing)))
        .map(|m| m.name.as_str())
        .collect();
    d.ch.check(
        owed.is_empty(),
        "materials",
        format!("以下材料仍未收齐，不能受理：{}", owed.join("、")),
    );
    let (state, c) = (cx.state, cx.c);
    let doc = crate::forms::doc_of(state, c).await?;
    let values = crate::forms::recheck(&mut d.ch, state.pii.as_ref(), c, &doc, &d.mats, form);
    d.row.form_data_enc = Set(crate::forms::seal(state.pii.as_ref(), &values));
    d.step(
        Action::Accept,
        Stage::Correcting,
        Status::CorrectionEnded,
        "补正材料已收齐".into(),
    );
    d.row.correction_items = Set("[]".into());
    if c.correcting_after_acceptance {
        cx.resume(&mut d.row);
        d.row.correcting_after_acceptance = Set(false);
        d.step(
            Action::Accept,
            cx.to,
            Status::InReview,
            "补正后继续办理".into(),
        );
        return Ok(Status::InReview);
    }
    d.row.accepted_at = Set(Some(cx.now));
    d.row.accepted_on = Set(Some(today));
    d.row.due_on = Set(Some(due_date(
        &cx.calendar,
        today,
        c.limit_days as u32,
        cx.unit,
    )));
    d.step(
        Action::Accept,
        cx.to,
        Status::Accepted,
        cx.opinion_or("材料齐全，符合法定形式，予以受理"),
    );
    Ok(Status::Accepted)
}

/// 不予受理 (or 不受理, naming the competent agency).
pub(super) fn refuse(cx: &Ctx<'_>, d: &mut Draft, competent_agency: Option<&str>) -> Status {
    d.ch.check(cx.opinion.is_some(), "opinion", "不予受理须写明理由");
    let agency =
        d.ch.optional_text("competent_agency", "有权机关", competent_agency, 100);
    let status = if agency.is_some() {
        Status::NotAccepted
    } else {
        Status::Refused
    };
    d.row.refuse_reason = Set(cx.opinion.clone());
    d.row.competent_agency = Set(agency);
    d.step(Action::Refuse, cx.to, status, cx.opinion_or(""));
    status
}

/// 一次性告知补正: every item at once; in review, the clock pauses.
pub(super) fn request_correction(cx: &Ctx<'_>, d: &mut Draft, items: &[String]) -> Status {
    let items: Vec<String> = items
        .iter()
        .map(|i| i.trim().to_string())
        .filter(|i| !i.is_empty())
        .collect();
    d.ch.check(
        !items.is_empty(),
        "items",
        "一次性告知须列出需要补正的全部内容",
    );
    d.ch.check(
        items.iter().all(|i| i.chars().count() <= 200),
        "items",
        "每项补正内容不超过 200 字",
    );
    d.row.correction_items = Set(serde_json::to_string(&items).unwrap_or_default());
    if cx.from == Stage::InReview {
        d.row.correcting_after_acceptance = Set(true);
        d.row.paused_on = Set(Some(cx.today));
    }
    d.step(
        Action::RequestCorrection,
        cx.to,
        Status::CorrectionStarted,
        items.join("；"),
    );
    Status::CorrectionStarted
}

/// The front desk's paper goes to the department.
pub(super) fn hand_over(cx: &Ctx<'_>, d: &mut Draft) -> Status {
    for m in d
        .mats
        .iter_mut()
        .filter(|m| m.handover == Handover::Front.code())
    {
        m.handover = Handover::HandedOver.code().to_string();
    }
    let handed = d
        .mats
        .iter()
        .filter(|m| m.handover == Handover::HandedOver.code())
        .count();
    let text = format!("材料交接至{}（纸质材料 {handed} 件）", cx.c.department_name);
    d.step(Action::HandOver, cx.to, Status::Accepted, text);
    Status::Accepted
}

/// The department signs for the paper and starts.
pub(super) fn sign_for(cx: &Ctx<'_>, d: &mut Draft) -> Status {
    for m in d
        .mats
        .iter_mut()
        .filter(|m| m.handover == Handover::HandedOver.code())
    {
        m.handover = Handover::Signed.code().to_string();
    }
    let text = cx.opinion_or(format!("{}签收材料，开始办理", cx.c.department_name));
    d.step(Action::SignFor, cx.to, Status::InReview, text);
    Status::InReview
}

/// The department sends the case back instead of signing: the paper returns
/// to the front desk, which puts it right and hands it over again.
pub(super) fn return_handover(cx: &Ctx<'_>, d: &mut Draft) -> Status {
    d.ch.check(
        cx.opinion.is_some(),
        "opinion",
        "退回须写明原因，前台据此补齐后重新交接",
    );
    for m in d
        .mats
        .iter_mut()
        .filter(|m| m.handover == Handover::HandedOver.code())
    {
        m.handover = Handover::Front.code().to_string();
    }
    let text = format!(
        "{}退回窗口：{}",
        cx.c.department_name,
        cx.opinion.clone().unwrap_or_default()
    );
    d.step(Action::ReturnHandover, cx.to, Status::Accepted, text);
    Status::Accepted
}

/// 特别程序 starts: the clock pauses.
pub(super) fn start_special(cx: &Ctx<'_>, d: &mut Draft, kind: Option<&str>) -> Status {
    let kind = kind.map(str::trim).unwrap_or_default();
    d.ch.check(
        SpecialKind::parse(kind).is_some(),
        "special_kind",
        format!("特别程序类型只能是：{}", SpecialKind::labels().join("、")),
    );
    d.ch.check(cx.opinion.is_some(), "opinion", "请写明特别程序的原因");
    d.row.paused_on = Set(Some(cx.today));
    d.steps.push(StepInput {
        action: Action::StartSpecial.code(),
        stage: cx.to,
        status: Status::SpecialStarted,
        opinion: cx.opinion_or(""),
        special_kind: Some(kind.to_string()),
    });
    Status::SpecialStarted
}

/// 特别程序 ends: the clock resumes.
pub(super) fn end_special(cx: &Ctx<'_>, d: &mut Draft) -> Status {
    cx.resume(&mut d.row);
    let text = cx.opinion_or("特别程序结束，恢复计时");
    d.step(Action::EndSpecial, cx.to, Status::SpecialEnded, text);
    Status::SpecialEnded
}

/// 办结: 准予, 容缺通过 or 不予, with the licence when the matter issues one.
pub(super) async fn decide(cx: &Ctx<'_>, d: &mut Draft, i: &DecideInput) -> AppResult<Status> {
    let ch = &mut d.ch;
    let decision = i.decision;
    ch.check(
        decision.is_some(),
        "decision",
        "请选择办结结果：准予、容缺通过或不予",
    );
    if decision == Some(Decision::ApproveDeferred) {
        let owed_deferred = d.mats.iter().any(|m| m.way == Way::Deferred.code());
        ch.check(owed_deferred, "decision", "本件没有容缺材料，请选择准予");
    }
    if decision == Some(Decision::Deny) {
        ch.check(cx.opinion.is_some(), "opinion", "不予许可须写明理由");
    }
    let cert_name = ch.optional_text(
        "certificate_name",
        "证照名称",
        i.certificate_name.as_deref(),
        100,
    );
    let cert_no = ch.optional_text(
        "certificate_no",
        "证照编号",
        i.certificate_no.as_deref(),
        100,
    );
    if let Some(v) = i.valid_until {
        ch.check(v > cx.today, "valid_until", "有效期至须晚于今天");
    }
    // A matter that issues a licence is not 准予 without naming it.
    let approving = matches!(
        decision,
        Some(Decision::Approve | Decision::ApproveDeferred)
    );
    let c = cx.c;
    if approving
        && govhall_catalog::items::licence_of(cx.state, &c.item_id, c.item_version)
            .await?
            .is_some()
    {
        ch.check(
            cert_name.is_some(),
            "certificate_name",
            "本事项的审批结果是证照，准予时须填写证照名称",
        );
        ch.check(
            cert_no.is_some(),
            "certificate_no",
            "本事项的审批结果是证照，准予时须填写证照编号",
        );
    }
    let (status, label) = match decision {
        Some(Decision::ApproveDeferred) => (Status::ApprovedDeferred, "容缺通过"),
        Some(Decision::Deny) => (Status::Denied, "不予"),
        _ => (Status::Approved, "准予"),
    };
    let granted = status != Status::Denied;
    let row = &mut d.row;
    row.result = Set(Some(label.to_string()));
    row.result_reason = Set(cx.opinion.clone());
    row.certificate_name = Set(cert_name.filter(|_| granted));
    row.certificate_no = Set(cert_no.filter(|_| granted));
    row.valid_until = Set(i.valid_until.filter(|_| granted));
    row.decided_at = Set(Some(cx.now));
    let text = match &cx.opinion {
        Some(o) => format!("{label}：{o}"),
        None => label.to_string(),
    };
    d.step(Action::Decide, cx.to, status, text);
    Ok(status)
}

/// The department sends the result back to the 出件 window.
pub(super) fn return_result(cx: &Ctx<'_>, d: &mut Draft) -> Status {
    let status = cx.current_status();
    let text = cx.opinion_or("办理结果已送达出件窗口");
    d.step(Action::ReturnResult, cx.to, status, text);
    status
}

/// 出件: collected at the window (ID checked), posted, or sent electronically.
pub(super) async fn deliver(cx: &Ctx<'_>, d: &mut Draft, i: &DeliverInput) -> AppResult<Status> {
    let ch = &mut d.ch;
    ch.check(
        i.delivery.is_some(),
        "delivery",
        "请选择出件方式：窗口领取、邮寄或电子送达",
    );
    match i.delivery {
        Some(Delivery::Window) => {
            let name = ch.text(
                "recipient_name",
                "领取人姓名",
                i.recipient_name.as_deref().unwrap_or(""),
                50,
            );
            let id = i
                .recipient_id_no
                .as_deref()
                .unwrap_or("")
                .trim()
                .to_uppercase();
            if let Err(e) = parse_id_card(&id) {
                ch.fail("recipient_id_no", format!("领取人{e}"));
            }
            d.row.recipient_name = Set(Some(name));
            d.row.recipient_cert_enc = Set(Some(cx.state.pii.encrypt(&id)));
        }
        Some(Delivery::Electronic) => ch.check(
            crate::result_file::info(cx.state, &cx.c.id)
                .await?
                .is_some(),
            "delivery",
            "电子送达须先由承办部门上传办理结果文件",
        ),
        Some(Delivery::Post) => {
            let no = ch.text(
                "tracking_no",
                "快递单号",
                i.tracking_no.as_deref().unwrap_or(""),
                50,
            );
            d.row.tracking_no = Set(Some(no));
        }
        None => {}
    }
    let label = i.delivery.map_or("", Delivery::label);
    d.row.delivery_method = Set(Some(label.to_string()));
    d.row.delivered_at = Set(Some(cx.now));
    let status = cx.current_status();
    d.step(Action::Deliver, cx.to, status, format!("出件：{label}"));
    Ok(status)
}

/// 撤件 before acceptance, 撤回 after.
pub(super) fn withdraw(cx: &Ctx<'_>, d: &mut Draft) -> Status {
    let status = if cx.c.accepted_at.is_some() {
        Status::Recalled
    } else {
        Status::Withdrawn
    };
    let text = cx.opinion_or("申请人撤回申请");
    d.step(Action::Withdraw, cx.to, status, text);
    status
}

/// 撤销: the hall cancels the case for a reason it must write down; a paused
/// clock stays where it stopped.
pub(super) fn revoke(cx: &Ctx<'_>, d: &mut Draft) -> Status {
    d.ch.check(
        cx.opinion
            .as_deref()
            .is_some_and(|o| o.chars().count() >= 4),
        "opinion",
        "撤销办件须写明理由（至少 4 个字），理由将告知申请人",
    );
    // A decision already made is void: the outcome is the 撤销 and its reason.
    d.row.result = Set(Some("撤销".to_string()));
    d.row.result_reason = Set(cx.opinion.clone());
    let text = format!("撤销办件：{}", cx.opinion.clone().unwrap_or_default());
    d.step(Action::Revoke, cx.to, Status::Revoked, text);
    Status::Revoked
}

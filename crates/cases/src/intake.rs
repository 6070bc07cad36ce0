//! 无差别受理: any window authorised for a matter receives it. The clerk picks
//! the matter (or it follows the ticket), confirms the scenario answers, ticks
//! each material of the resolved checklist, and ends the intake in one of the
//! legal outcomes: 受理, 一次性告知 (every missing item at once), 不予受理 /
//! 不受理 (reason, competent agency, legal remedy), or 即办件 finished on the spot.

use crate::deadline::{Unit, due_date};
use crate::entity::{case, material};
use crate::events;
use crate::forms;
use crate::materials::{Handover, Way, blocks_acceptance, necessity_label};
use crate::numbering::Facts;
use crate::status::{Stage, Status};
use crate::store::{self, StepInput};
use chrono::{NaiveDate, Utc};
use govhall_catalog::{
    model::{ItemDoc, ProjectType},
    scenario::{self, Answers, Resolution},
    service::{self as catalog, Item, windows_of},
};
use govhall_directory::window_sessions::ensure_signed_in_at;
use govhall_kernel::{
    AppError,
    error::AppResult,
    identity::{CreditCode, IdCardNo, MobilePhone},
    new_id,
    validate::Checker,
};
use govhall_platform::{
    AppState,
    auth::CurrentUser,
    db::{DbResultExt, begin_write, lock_hall},
    events::commit_with,
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use serde::Deserialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// 复议/诉讼 rights printed on every refusal (行政复议法 Art. 20, 行政诉讼法 Art. 46).
pub const LEGAL_REMEDY: &str = "申请人如不服本决定，可以自收到本通知书之日起六十日内依法申请行政复议，\
或者自收到本通知书之日起六个月内依法提起行政诉讼。";

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct Applicant {
    /// person (个人) / organization (企业或其他组织)
    pub kind: String,
    pub name: String,
    /// 身份证号 (person) or 统一社会信用代码 (organization). Empty: the ticket's, if its holder gave one.
    #[serde(default)]
    pub cert_no: String,
    /// 法定代表人 (organization).
    #[serde(default)]
    pub legal_rep: Option<String>,
    /// 联系人 (defaults to the applicant or the agent).
    #[serde(default)]
    pub contact_name: Option<String>,
    /// 联系电话 (mobile; progress and pickup messages go there). Empty: the ticket's, if any.
    #[serde(default)]
    pub phone: String,
}

/// 代理人 / 经办人.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct Agent {
    pub name: String,
    pub id_no: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct MaterialTick {
    /// The item version's material id.
    pub material_id: String,
    pub way: Way,
    /// 容缺: the day the applicant promises to bring it.
    #[serde(default)]
    pub promised_on: Option<NaiveDate>,
    #[serde(default)]
    pub note: Option<String>,
}

/// How the intake ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 受理 (every required material in hand, or 容缺 with a promise).
    Accept,
    /// 一次性告知: the missing materials (and any other problems) at once.
    Correct,
    /// 不予受理 (status 5): the application does not meet the legal conditions.
    Refuse,
    /// 不受理 (status 4): no licence is needed or another agency is competent.
    NotAccept,
    /// 即办件 decided and handed over on the spot.
    Instant,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct IntakeInput {
    /// Item id or 实施编码.
    pub item: String,
    /// The window receiving it (the clerk must be signed in there).
    pub window_id: String,
    /// The called ticket the applicant came with.
    #[serde(default)]
    pub ticket_id: Option<String>,
    /// 一件事 bundle code, when the case is part of one.
    #[serde(default)]
    pub bundle_code: Option<String>,
    /// Scenario answers (question id → answer), as the guidance or the clerk gave them.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub answers: Answers,
    pub applicant: Applicant,
    #[serde(default)]
    pub agent: Option<Agent>,
    /// One tick per material of the checklist; a material left out counts as 未提交.
    #[serde(default)]
    pub materials: Vec<MaterialTick>,
    pub outcome: Outcome,
    /// 一次性告知: problems besides missing materials (e.g. 申请表未签字).
    #[serde(default)]
    pub other_problems: Vec<String>,
    /// 不予受理 / 不受理: the reason.
    #[serde(default)]
    pub reason: Option<String>,
    /// 不受理: the agency the applicant should turn to.
    #[serde(default)]
    pub competent_agency: Option<String>,
    /// The received materials' digitized form fields (name → value). Fields the
    /// applicant's details answer (申请人, 联系电话 …) may be left out.
    #[serde(default)]
    pub form: BTreeMap<String, String>,
}

/// Refuses a window that is not authorised for the item (无差别受理 authorisation).
pub async fn ensure_window_may_accept(
    state: &AppState,
    it: &Item,
    window_id: &str,
) -> AppResult<()> {
    if windows_of(state, &it.id)
        .await?
        .iter()
        .any(|w| w == window_id)
    {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "本窗口未获授权受理“{}”，请引导申请人到有权受理的窗口（授权在事项库“受理窗口”中设置）",
            it.task_name
        )))
    }
}

/// The checklist and limit the scenario answers lead to.
struct Checklist {
    handling_item: String,
    /// (material, necessity, copies) in the item's order.
    materials: Vec<(govhall_catalog::model::Material, scenario::Necessity, u32)>,
    limit_days: u32,
}

fn checklist(doc: &ItemDoc, answers: &Answers) -> AppResult<Checklist> {
    match scenario::resolve(&doc.scenarios(), answers) {
        Ok(Resolution::Outcome {
            handling_item,
            materials,
            time_limit_days,
            ..
        }) => Ok(Checklist {
            handling_item: handling_item.value.name,
            materials: materials
                .into_iter()
                .filter_map(|m| {
                    let full = doc.materials.iter().find(|d| d.id == m.value.id)?;
                    Some((full.clone(), m.value.necessity, m.value.copies))
                })
                .collect(),
            limit_days: time_limit_days.value,
        }),
        Ok(Resolution::Terminated { reason, .. }) => Err(AppError::Conflict {
            message: format!("按所选情形不能办理该事项：{reason}"),
            fields: vec![],
        }),
        Err(e) => Err(AppError::field("answers", e.to_string())),
    }
}

/// The applicant's certificate type and the problem with its number, if any.
fn check_applicant(c: &mut Checker, a: &Applicant) -> &'static str {
    c.text("applicant.name", "申请人名称", &a.name, 100);
    c.optional_text(
        "applicant.legal_rep",
        "法定代表人",
        a.legal_rep.as_deref(),
        50,
    );
    c.optional_text(
        "applicant.contact_name",
        "联系人",
        a.contact_name.as_deref(),
        50,
    );
    c.parsed("applicant.phone", MobilePhone::parse(&a.phone), |_| {
        "联系电话须为 11 位手机号码".into()
    });
    let cert = a.cert_no.trim().to_uppercase();
    match a.kind.as_str() {
        "person" => {
            c.parsed("applicant.cert_no", IdCardNo::parse(&cert), |e| {
                format!("申请人{e}")
            });
            "身份证"
        }
        "organization" => {
            // The reason already names the 统一社会信用代码.
            c.parsed("applicant.cert_no", CreditCode::parse(&cert), |e| e);
            c.check(
                a.legal_rep.as_deref().is_some_and(|r| !r.trim().is_empty()),
                "applicant.legal_rep",
                "企业或其他组织申请须填写法定代表人",
            );
            "统一社会信用代码"
        }
        _ => {
            c.fail(
                "applicant.kind",
                "申请人类型只能是 person（个人）或 organization（企业或其他组织）",
            );
            "身份证"
        }
    }
}

/// One checklist line as received.
struct Line {
    material: govhall_catalog::model::Material,
    necessity: scenario::Necessity,
    copies: u32,
    way: Way,
    promised_on: Option<NaiveDate>,
    note: Option<String>,
}

fn tick_lines(
    c: &mut Checker,
    list: &Checklist,
    ticks: &[MaterialTick],
    today: NaiveDate,
) -> Vec<Line> {
    for (i, t) in ticks.iter().enumerate() {
        if !list.materials.iter().any(|(m, ..)| m.id == t.material_id) {
            c.fail(
                &format!("materials[{i}].material_id"),
                "该材料不在本情形的材料清单中",
            );
        }
    }
    list.materials
        .iter()
        .map(|(m, necessity, copies)| {
            let at = ticks.iter().position(|t| t.material_id == m.id);
            let tick = at.map(|i| &ticks[i]);
            let way = tick.map_or(Way::Missing, |t| t.way);
            let field = format!("materials[{}]", at.unwrap_or(0));
            if let Some(p) = way.problem(m, *necessity) {
                c.fail(&format!("{field}.way"), p);
            }
            let promised_on = tick.and_then(|t| t.promised_on);
            if way == Way::Deferred {
                c.check(
                    promised_on.is_some_and(|d| d >= today),
                    &format!("{field}.promised_on"),
                    format!("容缺材料“{}”须约定今天或以后的补交日期", m.name),
                );
            }
            let note = c.optional_text(
                &format!("{field}.note"),
                "材料备注",
                tick.and_then(|t| t.note.as_deref()),
                200,
            );
            Line {
                material: m.clone(),
                necessity: *necessity,
                copies: *copies,
                way,
                promised_on: promised_on.filter(|_| way == Way::Deferred),
                note,
            }
        })
        .collect()
}

/// Receives a case at a window and records the outcome of the intake.
pub(crate) async fn receive(
    state: &AppState,
    user: &CurrentUser,
    hall_id: &str,
    mut input: IntakeInput,
) -> AppResult<(case::Model, String)> {
    let checked = check(state, user, hall_id, &mut input).await?;
    let hall = HallFacts::load(state, hall_id).await?;
    let actor = user.actor();
    let txn = begin_write(&state.db).await.db_err()?;
    lock_hall(&txn, hall_id).await.db_err()?;
    let written = write(state, &txn, &actor, &hall, &input, checked, None).await?;
    commit_with(state, txn, &actor, written.events).await?;
    Ok((written.case, written.query_code))
}

/// What every case of a hall is written with, read before the write begins.
pub(crate) struct HallFacts {
    id: String,
    code: String,
    calendar: govhall_kernel::calendar::WorkCalendar,
    pattern: crate::numbering::Pattern,
}

impl HallFacts {
    pub(crate) async fn load(state: &AppState, hall_id: &str) -> AppResult<HallFacts> {
        Ok(HallFacts {
            id: hall_id.to_string(),
            code: govhall_platform::halls::find_hall(state, hall_id)
                .await?
                .code,
            calendar: govhall_directory::calendar::load(state).await?,
            pattern: crate::numbering::pattern_of(state, hall_id).await?,
        })
    }
}

/// A case written, its 查询密码 (shown once) and the events to commit with it.
pub(crate) struct Written {
    pub case: case::Model,
    pub query_code: String,
    pub events: Vec<govhall_platform::events::NewEvent>,
}

/// Everything an intake was checked against, for `write`.
pub(crate) struct Checked {
    win: govhall_directory::Window,
    it: Item,
    version: i32,
    doc: ItemDoc,
    list: Checklist,
    lines: Vec<Line>,
    /// Materials that block acceptance.
    blocking: Vec<String>,
    /// Problems besides missing materials (一次性告知).
    others: Vec<String>,
    reason: Option<String>,
    agency: Option<String>,
    cert_type: &'static str,
    ticket: Option<govhall_queue::service::CalledTicket>,
    immediate: bool,
    /// The form fields with their values (typed or known).
    form: Vec<(String, String)>,
}

/// Checks the window, the authorisation, the scenario, the applicant, the
/// materials and the outcome; fills blank applicant fields from the ticket.
pub(crate) async fn check(
    state: &AppState,
    user: &CurrentUser,
    hall_id: &str,
    input: &mut IntakeInput,
) -> AppResult<Checked> {
    let win = govhall_directory::service::window(&state.db, hall_id, &input.window_id)
        .await?
        .ok_or_else(|| AppError::field("window_id", "窗口不存在或不属于本大厅"))?;
    ensure_signed_in_at(state, user, &win.id).await?;
    let it = catalog::item(state, hall_id, input.item.trim())
        .await
        .map_err(|_| AppError::field("item", "事项不存在"))?;
    ensure_window_may_accept(state, &it, &win.id).await?;
    // 上岗认证: a matter may require a completed course of the clerk.
    govhall_training::gate::ensure_certified(
        state,
        hall_id,
        &user.id,
        &it.task_code,
        &it.task_name,
    )
    .await?;
    let (version, doc) = catalog::published(state, &it).await?;
    let list = checklist(&doc, &input.answers)?;
    let today = store::local_date(Utc::now());

    let mut c = Checker::new();
    let ticket = match input.ticket_id.as_deref().filter(|t| !t.is_empty()) {
        Some(id) => {
            let t = govhall_queue::service::called_ticket(state, id)
                .await
                .ok()
                .filter(|t| t.hall_id == hall_id && t.window_id.as_deref() == Some(&win.id));
            c.check(t.is_some(), "ticket_id", "号票不存在或不是本窗口叫到的号");
            t
        }
        None => None,
    };
    // The clerk never retypes what the ticket already knows (the kiosk read the ID card).
    if let Some(t) = &ticket {
        if input.applicant.cert_no.trim().is_empty() && input.applicant.kind == "person" {
            input.applicant.cert_no = t.holder_id_no.clone().unwrap_or_default();
        }
        if input.applicant.phone.trim().is_empty() {
            input.applicant.phone = t.holder_phone.clone().unwrap_or_default();
        }
    }
    // Kept as people type it would store "139 1234 5678" beside "13912345678".
    if let Ok(phone) = MobilePhone::parse(&input.applicant.phone) {
        input.applicant.phone = phone.as_str().to_string();
    }
    let cert_type = check_applicant(&mut c, &input.applicant);
    if let Some(a) = &input.agent {
        c.text("agent.name", "代理人姓名", &a.name, 50);
        c.parsed("agent.id_no", IdCardNo::parse(&a.id_no), |e| {
            format!("代理人{e}")
        });
    }
    let lines = tick_lines(&mut c, &list, &input.materials, today);
    let a = &input.applicant;
    let contact = a.contact_name.as_deref().unwrap_or(&a.name);
    let known = forms::Known {
        name: &a.name,
        organisation: a.kind == "organization",
        cert_no: &a.cert_no,
        phone: &a.phone,
        legal_rep: a.legal_rep.as_deref(),
        contact_name: contact,
    };
    let received = lines
        .iter()
        .filter(|l| l.way.received())
        .map(|l| &l.material);
    let complete = matches!(input.outcome, Outcome::Accept | Outcome::Instant);
    let form = forms::check(
        &mut c,
        &forms::fields_of(received),
        &input.form,
        &known,
        complete,
    );
    let blocking: Vec<String> = lines
        .iter()
        .filter(|l| blocks_acceptance(l.necessity, l.way))
        .map(|l| l.material.name.clone())
        .collect();
    let others: Vec<String> = input
        .other_problems
        .iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    c.check(
        others.iter().all(|p| p.chars().count() <= 200),
        "other_problems",
        "每项补正说明不超过 200 字",
    );
    let reason = c.optional_text("reason", "理由", input.reason.as_deref(), 500);
    let agency = c.optional_text(
        "competent_agency",
        "有权机关",
        input.competent_agency.as_deref(),
        100,
    );
    let immediate = doc.project_type == ProjectType::Immediate;
    match input.outcome {
        Outcome::Accept | Outcome::Instant => c.check(
            blocking.is_empty(),
            "materials",
            format!(
                "以下材料未收齐，不能受理，请出具一次性告知书：{}",
                blocking.join("、")
            ),
        ),
        Outcome::Correct => c.check(
            !blocking.is_empty() || !others.is_empty(),
            "outcome",
            "材料齐全，无需一次性告知；请选择受理",
        ),
        Outcome::Refuse => c.check(reason.is_some(), "reason", "不予受理须写明理由"),
        Outcome::NotAccept => {
            c.check(reason.is_some(), "reason", "不受理须写明理由");
            c.check(
                agency.is_some(),
                "competent_agency",
                "不受理须告知申请人向哪个机关申请",
            );
        }
    }
    if input.outcome == Outcome::Instant {
        c.check(
            immediate,
            "outcome",
            "承诺件不能当场办结，请受理后转部门办理",
        );
    }
    c.finish()?;
    Ok(Checked {
        win,
        it,
        version,
        doc,
        list,
        lines,
        blocking,
        others,
        reason,
        agency,
        cert_type,
        ticket,
        immediate,
        form,
    })
}

/// Writes the case, its materials and history inside `txn`; a member of a
/// joint intake (`bundle_id`) sends no message of its own (the bundle does).
pub(crate) async fn write(
    state: &AppState,
    txn: &sea_orm::DatabaseTransaction,
    actor: &govhall_platform::events::Actor,
    hall: &HallFacts,
    input: &IntakeInput,
    checked: Checked,
    bundle_id: Option<&str>,
) -> AppResult<Written> {
    let Checked {
        win,
        it,
        version,
        doc,
        list,
        lines,
        blocking,
        others,
        reason,
        agency,
        cert_type,
        ticket,
        immediate,
        form,
    } = checked;
    let hall_id = hall.id.as_str();
    let now = Utc::now();
    let today = store::local_date(now);
    let calendar = &hall.calendar;
    let unit = Unit::parse(doc.promise_type.label());
    let limit = if immediate { 0 } else { list.limit_days };
    let a = &input.applicant;
    let cert = a.cert_no.trim().to_uppercase();
    let contact = a
        .contact_name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .or(input.agent.as_ref().map(|g| g.name.trim()))
        .unwrap_or(a.name.trim())
        .to_string();
    let query_code = store::new_query_code();
    let (stage, status) = match input.outcome {
        Outcome::Accept => (Stage::Accepted, Status::Accepted),
        Outcome::Correct => (Stage::Correcting, Status::CorrectionStarted),
        Outcome::Refuse => (Stage::Refused, Status::Refused),
        Outcome::NotAccept => (Stage::Refused, Status::NotAccepted),
        Outcome::Instant => (Stage::Delivered, Status::Approved),
    };
    let accepted = matches!(input.outcome, Outcome::Accept | Outcome::Instant);
    let mut correction_items: Vec<String> =
        blocking.iter().map(|n| format!("请提交：{n}")).collect();
    correction_items.extend(others);
    if input.outcome != Outcome::Correct {
        correction_items.clear();
    }

    let facts = Facts {
        task_code: &it.task_code,
        hall_code: &hall.code,
        department_code: &doc.dept_code,
        day: today,
    };
    let number = store::next_number(txn, hall_id, &hall.pattern, &facts).await?;
    let row = case::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall_id.to_string()),
        number: Set(number),
        query_code_enc: Set(state.pii.encrypt(&query_code)),
        item_id: Set(it.id.clone()),
        task_code: Set(it.task_code.clone()),
        item_version: Set(version),
        item_name: Set(doc.task_name.clone()),
        handling_item: Set(list.handling_item.clone()),
        project_type: Set(doc.project_type.label().to_string()),
        bundle_code: Set(input.bundle_code.clone().filter(|b| !b.trim().is_empty())),
        bundle_id: Set(bundle_id.map(str::to_string)),
        ticket_id: Set(ticket.as_ref().map(|t| t.id.clone())),
        ticket_number: Set(ticket.as_ref().map(|t| t.number.clone())),
        source: Set(if win.kind == "comprehensive" {
            "一窗综合受理"
        } else {
            "窗口"
        }
        .to_string()),
        window_id: Set(win.id.to_string()),
        department_id: Set(it.department.clone().map(String::from)),
        department_name: Set(doc.dept_name.clone()),
        department_code: Set(doc.dept_code.clone()),
        applicant_type: Set(a.kind.clone()),
        applicant_name: Set(a.name.trim().to_string()),
        applicant_cert_type: Set(cert_type.to_string()),
        applicant_cert_enc: Set(state.pii.encrypt(&cert)),
        applicant_idx: Set(state.pii.blind_index(&cert)),
        legal_rep: Set(a.legal_rep.as_deref().map(str::trim).map(str::to_string)),
        contact_name: Set(contact),
        contact_phone_enc: Set(state.pii.encrypt(a.phone.trim())),
        agent_name: Set(input.agent.as_ref().map(|g| g.name.trim().to_string())),
        agent_cert_enc: Set(input
            .agent
            .as_ref()
            .map(|g| state.pii.encrypt(&g.id_no.trim().to_uppercase()))),
        status: Set(status.code()),
        stage: Set(stage.code().to_string()),
        correcting_after_acceptance: Set(false),
        answers: Set(serde_json::to_string(&input.answers).unwrap_or_else(|_| "{}".into())),
        correction_items: Set(serde_json::to_string(&correction_items).unwrap_or_default()),
        refuse_reason: Set(reason.clone().filter(|_| !accepted)),
        competent_agency: Set(agency.filter(|_| input.outcome == Outcome::NotAccept)),
        limit_days: Set(limit as i32),
        limit_unit: Set(unit.label().to_string()),
        received_at: Set(now),
        received_by: Set(actor.id.clone()),
        received_by_name: Set(actor.name.clone()),
        accepted_at: Set(accepted.then_some(now)),
        accepted_on: Set(accepted.then_some(today)),
        due_on: Set(accepted.then(|| due_date(calendar, today, limit, unit))),
        paused_on: Set(None),
        paused_days: Set(0),
        decided_at: Set((input.outcome == Outcome::Instant).then_some(now)),
        result: Set((input.outcome == Outcome::Instant).then(|| "准予".to_string())),
        result_reason: Set(None),
        certificate_name: Set(None),
        certificate_no: Set(None),
        valid_until: Set(None),
        delivery_method: Set((input.outcome == Outcome::Instant).then(|| "窗口领取".to_string())),
        tracking_no: Set(None),
        recipient_name: Set(None),
        recipient_cert_enc: Set(None),
        delivered_at: Set((input.outcome == Outcome::Instant).then_some(now)),
        updated_at: Set(now),
        form_data_enc: Set(forms::seal(state.pii.as_ref(), &form)),
    }
    .insert(txn)
    .await
    .db_err()?;
    for (i, l) in lines.iter().enumerate() {
        material::ActiveModel {
            id: Set(new_id().to_string()),
            case_id: Set(row.id.clone()),
            material_id: Set(l.material.id.clone()),
            name: Set(l.material.name.clone()),
            necessity: Set(necessity_label(l.necessity).to_string()),
            copies: Set(l.copies as i32),
            way: Set(l.way.code().to_string()),
            promised_on: Set(l.promised_on),
            handover: Set(Handover::initial(l.way).code().to_string()),
            note: Set(l.note.clone()),
            sort_order: Set(i as i32),
            moved_at: Set(l.way.is_paper().then_some(now)),
        }
        .insert(txn)
        .await
        .db_err()?;
    }
    let mut steps = vec![StepInput {
        action: "receive",
        stage: Stage::Received,
        status: Status::Received,
        opinion: format!("收件：{}（{}）", doc.task_name, list.handling_item),
        special_kind: None,
    }];
    let (what, opinion) = match input.outcome {
        Outcome::Accept => (
            &events::ACCEPTED,
            "材料齐全，符合法定形式，予以受理".to_string(),
        ),
        Outcome::Correct => (&events::CORRECTION_REQUESTED, correction_items.join("；")),
        Outcome::Refuse | Outcome::NotAccept => (&events::REFUSED, reason.unwrap_or_default()),
        Outcome::Instant => (&events::FINISHED, "即办件，当场办结并出件".to_string()),
    };
    match input.outcome {
        Outcome::Instant => {
            steps.push(StepInput {
                action: "accept",
                stage: Stage::Accepted,
                status: Status::Accepted,
                opinion: "材料齐全，予以受理".into(),
                special_kind: None,
            });
            steps.push(StepInput {
                action: "decide",
                stage: Stage::Decided,
                status: Status::Approved,
                opinion: "准予（即办）".into(),
                special_kind: None,
            });
            steps.push(StepInput {
                action: "deliver",
                stage: Stage::Delivered,
                status: Status::Approved,
                opinion,
                special_kind: None,
            });
        }
        _ => steps.push(StepInput {
            action: match input.outcome {
                Outcome::Accept => "accept",
                Outcome::Correct => "request_correction",
                _ => "refuse",
            },
            stage,
            status,
            opinion,
            special_kind: None,
        }),
    }
    store::append_steps(txn, &row.id, actor, now, steps).await?;
    if bundle_id.is_none() {
        crate::notices::on_change(txn, state, &row).await?;
    }
    let received = store::event(
        &row,
        &events::RECEIVED,
        serde_json::json!({ "source": row.source, "outcome_stage": row.stage }),
    );
    let outcome = store::event(
        &row,
        what,
        serde_json::json!({
            "materials_missing": blocking.len(),
            "materials_exempt": lines.iter().filter(|l| matches!(l.way, Way::Shared | Way::Elicence)).count(),
            "materials_deferred": lines.iter().filter(|l| l.way == Way::Deferred).count(),
            // The 一次性告知 list when the outcome is 补正 (material names, not persons).
            "correction_items": serde_json::from_str::<Vec<String>>(&row.correction_items).unwrap_or_default(),
        }),
    );
    Ok(Written {
        case: row,
        query_code,
        events: vec![received, outcome],
    })
}

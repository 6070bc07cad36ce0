//! What happens to a case after intake: acceptance after 补正, handover to the
//! department, review with 特别程序 pausing the clock, the decision, the result
//! back at the 出件 window, delivery, withdrawal. Each action is allowed only
//! from the stages `status::next` lists, by the role it belongs to, and moves
//! the stage with a guarded update, so two people acting at once cannot both
//! succeed.

use crate::deadline::{Unit, due_date, paused_days};
use crate::entity::{case, material};
use crate::handover::HandoverInput;
use crate::intake::{MaterialTick, ensure_window_may_accept};
use crate::materials::{Handover, Way, blocks_acceptance};
use crate::status::{Action, Stage, Status, next};
use crate::store::{self, StepInput};
use chrono::{DateTime, Days, NaiveDate, Utc};
use govhall_catalog::{model::SpecialKind, scenario::Necessity};
use govhall_directory::window_sessions::ensure_signed_in_at;
use govhall_kernel::{
    AppError,
    error::AppResult,
    validate::{Checker, parse_id_card},
};
use govhall_platform::{
    AppState,
    auth::CurrentUser,
    db::{DbResultExt, begin_write},
    events::{Actor, NewEvent, commit_with},
};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::{Set, Unchanged},
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};
use serde::Deserialize;
use utoipa::ToSchema;

/// 办结结果.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// 准予 (status 11).
    Approve,
    /// 容缺通过 (status 12): approved while a 容缺 material is still owed.
    ApproveDeferred,
    /// 不予 (status 13).
    Deny,
}

/// 出件方式.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// 窗口领取 (who collected, ID checked).
    Window,
    /// 邮寄 (tracking number).
    Post,
    /// 电子送达.
    Electronic,
}

impl Delivery {
    fn label(self) -> &'static str {
        match self {
            Delivery::Window => "窗口领取",
            Delivery::Post => "邮寄",
            Delivery::Electronic => "电子送达",
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ActInput {
    pub action: Action,
    /// The window acting (acceptance, refusal and delivery at the front desk).
    #[serde(default)]
    pub window_id: Option<String>,
    /// 意见 / 说明.
    #[serde(default)]
    pub opinion: Option<String>,
    /// Accept after 补正: the materials as now received.
    #[serde(default)]
    pub materials: Vec<MaterialTick>,
    /// 补正: every item the applicant must bring, at once.
    #[serde(default)]
    pub items: Vec<String>,
    /// 特别程序 kind: 听证 / 检验检测 / 专家评审 / 公示 / 现场勘查 / 其他.
    #[serde(default)]
    pub special_kind: Option<String>,
    #[serde(default)]
    pub decision: Option<Decision>,
    #[serde(default)]
    pub certificate_name: Option<String>,
    #[serde(default)]
    pub certificate_no: Option<String>,
    #[serde(default)]
    pub valid_until: Option<NaiveDate>,
    #[serde(default)]
    pub delivery: Option<Delivery>,
    #[serde(default)]
    pub tracking_no: Option<String>,
    /// 领取人 (window pickup): name and ID number, checked.
    #[serde(default)]
    pub recipient_name: Option<String>,
    #[serde(default)]
    pub recipient_id_no: Option<String>,
    /// 不受理: the competent agency.
    #[serde(default)]
    pub competent_agency: Option<String>,
    /// Accept after 补正: form fields of the materials now received (name → value).
    #[serde(default)]
    pub form: std::collections::BTreeMap<String, String>,
}

impl ActInput {
    /// The action with nothing else said (handover sheets act this way on each case).
    pub fn of(action: Action) -> ActInput {
        ActInput {
            action,
            window_id: None,
            opinion: None,
            materials: vec![],
            items: vec![],
            special_kind: None,
            decision: None,
            certificate_name: None,
            certificate_no: None,
            valid_until: None,
            delivery: None,
            tracking_no: None,
            recipient_name: None,
            recipient_id_no: None,
            competent_agency: None,
            form: Default::default(),
        }
    }
}

/// Refuses anyone but a reviewer of the case's competent department.
pub(crate) async fn ensure_reviewer_of(
    state: &AppState,
    user: &CurrentUser,
    c: &case::Model,
) -> AppResult<()> {
    user.require(crate::permissions::REVIEW)?;
    if let Some(dept) = &c.department_id {
        let mine = match &user.staff_id {
            Some(id) => govhall_directory::service::staff_member(&state.db, id)
                .await?
                .and_then(|s| s.department_id),
            None => None,
        };
        if mine.as_ref() != Some(dept) {
            return Err(AppError::Forbidden(format!(
                "只有{}的审批人员能办理此件",
                c.department_name
            )));
        }
    }
    Ok(())
}

/// Whether the competent department (not the front desk) takes this action on this case.
pub(crate) fn by_department(c: &case::Model, action: Action) -> bool {
    !action.front_desk()
        || (action == Action::RequestCorrection && store::stage_of(c) == Stage::InReview)
}

/// Refuses a caller whose role does not do this action on this case.
async fn authorize(
    state: &AppState,
    user: &CurrentUser,
    c: &case::Model,
    action: Action,
    window_id: Option<&str>,
) -> AppResult<()> {
    if by_department(c, action) {
        return ensure_reviewer_of(state, user, c).await;
    }
    user.require(crate::permissions::INTAKE)?;
    if matches!(action, Action::Accept | Action::Refuse | Action::Deliver) {
        let window_id = window_id.ok_or_else(|| AppError::field("window_id", "请选择窗口"))?;
        ensure_signed_in_at(state, user, window_id).await?;
        if action != Action::Deliver {
            let it = govhall_catalog::service::item(state, &c.hall_id, &c.item_id).await?;
            ensure_window_may_accept(state, &it, window_id).await?;
        }
    }
    Ok(())
}

pub(crate) async fn materials_of<C: ConnectionTrait>(
    db: &C,
    case_id: &str,
) -> AppResult<Vec<material::Model>> {
    material::Entity::find()
        .filter(material::Column::CaseId.eq(case_id))
        .order_by_asc(material::Column::SortOrder)
        .all(db)
        .await
        .db_err()
}

fn necessity(m: &material::Model) -> Necessity {
    match m.necessity.as_str() {
        "必要" => Necessity::Required,
        "容缺" => Necessity::Deferrable,
        _ => Necessity::Optional,
    }
}

fn entry(action: Action, stage: Stage, status: Status, opinion: String) -> StepInput<'static> {
    StepInput {
        action: action.code(),
        stage,
        status,
        opinion,
        special_kind: None,
    }
}

/// An action checked against the case, its stage and the caller, ready to write.
pub struct Planned {
    case: case::Model,
    from: Stage,
    action: Action,
    row: case::ActiveModel,
    mats: Vec<material::Model>,
    /// Each material as read when planned (material row id → row).
    before: std::collections::HashMap<String, material::Model>,
    steps: Vec<StepInput<'static>>,
    now: DateTime<Utc>,
}

/// Acts on a case; returns it as changed.
pub(crate) async fn act(
    state: &AppState,
    user: &CurrentUser,
    hall_id: &str,
    case_id: &str,
    input: ActInput,
) -> AppResult<case::Model> {
    // Materials move on handover sheets: handing over one case makes a sheet of
    // one; signing for a case signs the sheet it is on.
    match input.action {
        Action::HandOver => {
            let sheet = HandoverInput {
                case_ids: vec![case_id.to_string()],
            };
            crate::handover::hand_over(state, user, hall_id, sheet).await?;
            return store::find(&state.db, hall_id, case_id).await;
        }
        Action::SignFor => {
            if let Some(sheet) = crate::handover::open_sheet_of(state, case_id).await? {
                crate::handover::sign(state, user, hall_id, &sheet).await?;
                return store::find(&state.db, hall_id, case_id).await;
            }
        }
        _ => {}
    }
    let planned = plan(state, user, hall_id, case_id, input).await?;
    let actor = user.actor();
    let txn = begin_write(&state.db).await.db_err()?;
    let (updated, ev) = apply(state, &txn, planned, &actor, serde_json::json!({})).await?;
    commit_with(state, txn, &actor, vec![ev]).await?;
    Ok(updated)
}

/// Checks an action (stage, role, input) and works out every change it makes,
/// reading outside any transaction.
pub async fn plan(
    state: &AppState,
    user: &CurrentUser,
    hall_id: &str,
    case_id: &str,
    input: ActInput,
) -> AppResult<Planned> {
    let c = store::find(&state.db, hall_id, case_id).await?;
    let from = store::stage_of(&c);
    let after = c.correcting_after_acceptance;
    let to = next(from, input.action, after).ok_or_else(|| AppError::Conflict {
        message: format!("办件当前为“{}”，不能{}", from.label(), input.action.label()),
        fields: vec![],
    })?;
    authorize(state, user, &c, input.action, input.window_id.as_deref()).await?;

    let now = Utc::now();
    let today = store::local_date(now);
    let calendar = govhall_directory::calendar::load(state).await?;
    let unit = Unit::parse(&c.limit_unit);
    let mut mats = materials_of(&state.db, &c.id).await?;
    let before = mats.iter().map(|m| (m.id.clone(), m.clone())).collect();
    let mut ch = Checker::new();
    let opinion = ch.optional_text("opinion", "意见", input.opinion.as_deref(), 1000);
    let mut row = c.clone().into_active_model();
    row.stage = Set(to.code().to_string());
    row.updated_at = Set(now);
    let mut steps: Vec<StepInput> = Vec::new();
    // The clock stopped by 补正 or 特别程序 resumes: the due date moves by the pause.
    let resume = |row: &mut case::ActiveModel| {
        if let (Some(paused), Some(due)) = (c.paused_on, c.due_on) {
            let days = paused_days(&calendar, paused, today, unit);
            row.paused_days = Set(c.paused_days + days as i32);
            row.due_on = Set(Some(match unit {
                Unit::Working => calendar.add_working_days(due, days),
                Unit::Natural => due + Days::new(days.into()),
            }));
        }
        row.paused_on = Set(None);
    };
    let status = match input.action {
        Action::Accept => {
            // The applicant brought what was owed: re-tick, then nothing may block.
            for t in &input.materials {
                match mats.iter_mut().find(|m| m.material_id == t.material_id) {
                    Some(m) => {
                        if t.way == Way::Deferred {
                            ch.check(
                                necessity(m) == Necessity::Deferrable,
                                "materials",
                                format!("“{}”不是容缺材料，不能容缺受理", m.name),
                            );
                            ch.check(
                                t.promised_on.is_some_and(|d| d >= today),
                                "materials",
                                format!("容缺材料“{}”须约定今天或以后的补交日期", m.name),
                            );
                        }
                        m.way = t.way.code().to_string();
                        m.promised_on = t.promised_on.filter(|_| t.way == Way::Deferred);
                        m.handover = Handover::initial(t.way).code().to_string();
                    }
                    None => ch.fail("materials", "该材料不在本件的材料清单中"),
                }
            }
            let owed: Vec<&str> = mats
                .iter()
                .filter(|m| {
                    blocks_acceptance(necessity(m), Way::parse(&m.way).unwrap_or(Way::Missing))
                })
                .map(|m| m.name.as_str())
                .collect();
            ch.check(
                owed.is_empty(),
                "materials",
                format!("以下材料仍未收齐，不能受理：{}", owed.join("、")),
            );
            let doc = crate::forms::doc_of(state, &c).await?;
            let values =
                crate::forms::recheck(&mut ch, state.pii.as_ref(), &c, &doc, &mats, &input.form);
            row.form_data_enc = Set(crate::forms::seal(state.pii.as_ref(), &values));
            steps.push(entry(
                Action::Accept,
                Stage::Correcting,
                Status::CorrectionEnded,
                "补正材料已收齐".into(),
            ));
            row.correction_items = Set("[]".into());
            if after {
                resume(&mut row);
                row.correcting_after_acceptance = Set(false);
                steps.push(entry(
                    Action::Accept,
                    to,
                    Status::InReview,
                    "补正后继续办理".into(),
                ));
                Status::InReview
            } else {
                row.accepted_at = Set(Some(now));
                row.accepted_on = Set(Some(today));
                row.due_on = Set(Some(due_date(&calendar, today, c.limit_days as u32, unit)));
                steps.push(entry(
                    Action::Accept,
                    to,
                    Status::Accepted,
                    opinion
                        .clone()
                        .unwrap_or_else(|| "材料齐全，符合法定形式，予以受理".into()),
                ));
                Status::Accepted
            }
        }
        Action::Refuse => {
            ch.check(opinion.is_some(), "opinion", "不予受理须写明理由");
            let agency = ch.optional_text(
                "competent_agency",
                "有权机关",
                input.competent_agency.as_deref(),
                100,
            );
            let status = if agency.is_some() {
                Status::NotAccepted
            } else {
                Status::Refused
            };
            row.refuse_reason = Set(opinion.clone());
            row.competent_agency = Set(agency);
            steps.push(entry(
                Action::Refuse,
                to,
                status,
                opinion.clone().unwrap_or_default(),
            ));
            status
        }
        Action::RequestCorrection => {
            let items: Vec<String> = input
                .items
                .iter()
                .map(|i| i.trim().to_string())
                .filter(|i| !i.is_empty())
                .collect();
            ch.check(
                !items.is_empty(),
                "items",
                "一次性告知须列出需要补正的全部内容",
            );
            ch.check(
                items.iter().all(|i| i.chars().count() <= 200),
                "items",
                "每项补正内容不超过 200 字",
            );
            row.correction_items = Set(serde_json::to_string(&items).unwrap_or_default());
            if from == Stage::InReview {
                row.correcting_after_acceptance = Set(true);
                row.paused_on = Set(Some(today));
            }
            steps.push(entry(
                Action::RequestCorrection,
                to,
                Status::CorrectionStarted,
                items.join("；"),
            ));
            Status::CorrectionStarted
        }
        Action::HandOver => {
            for m in mats
                .iter_mut()
                .filter(|m| m.handover == Handover::Front.code())
            {
                m.handover = Handover::HandedOver.code().to_string();
            }
            let text = format!(
                "材料交接至{}（纸质材料 {} 件）",
                c.department_name,
                mats.iter()
                    .filter(|m| m.handover == Handover::HandedOver.code())
                    .count()
            );
            steps.push(entry(Action::HandOver, to, Status::Accepted, text));
            Status::Accepted
        }
        Action::SignFor => {
            for m in mats
                .iter_mut()
                .filter(|m| m.handover == Handover::HandedOver.code())
            {
                m.handover = Handover::Signed.code().to_string();
            }
            steps.push(entry(
                Action::SignFor,
                to,
                Status::InReview,
                opinion
                    .clone()
                    .unwrap_or_else(|| format!("{}签收材料，开始办理", c.department_name)),
            ));
            Status::InReview
        }
        Action::StartSpecial => {
            let kind = input
                .special_kind
                .as_deref()
                .map(str::trim)
                .unwrap_or_default();
            ch.check(
                SpecialKind::parse(kind).is_some(),
                "special_kind",
                format!("特别程序类型只能是：{}", SpecialKind::labels().join("、")),
            );
            ch.check(opinion.is_some(), "opinion", "请写明特别程序的原因");
            row.paused_on = Set(Some(today));
            steps.push(StepInput {
                action: Action::StartSpecial.code(),
                stage: to,
                status: Status::SpecialStarted,
                opinion: opinion.clone().unwrap_or_default(),
                special_kind: Some(kind.to_string()),
            });
            Status::SpecialStarted
        }
        Action::EndSpecial => {
            resume(&mut row);
            steps.push(entry(
                Action::EndSpecial,
                to,
                Status::SpecialEnded,
                opinion
                    .clone()
                    .unwrap_or_else(|| "特别程序结束，恢复计时".into()),
            ));
            Status::SpecialEnded
        }
        Action::Decide => {
            let decision = input.decision;
            ch.check(
                decision.is_some(),
                "decision",
                "请选择办结结果：准予、容缺通过或不予",
            );
            let owed_deferred = mats.iter().any(|m| m.way == Way::Deferred.code());
            if decision == Some(Decision::ApproveDeferred) {
                ch.check(owed_deferred, "decision", "本件没有容缺材料，请选择准予");
            }
            if decision == Some(Decision::Deny) {
                ch.check(opinion.is_some(), "opinion", "不予许可须写明理由");
            }
            let cert_name = ch.optional_text(
                "certificate_name",
                "证照名称",
                input.certificate_name.as_deref(),
                100,
            );
            let cert_no = ch.optional_text(
                "certificate_no",
                "证照编号",
                input.certificate_no.as_deref(),
                100,
            );
            if let Some(v) = input.valid_until {
                ch.check(v > today, "valid_until", "有效期至须晚于今天");
            }
            // A matter that issues a licence is not 准予 without naming it.
            let approving = matches!(
                decision,
                Some(Decision::Approve | Decision::ApproveDeferred)
            );
            if approving
                && govhall_catalog::items::licence_of(state, &c.item_id, c.item_version)
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
            row.result = Set(Some(label.to_string()));
            row.result_reason = Set(opinion.clone());
            row.certificate_name = Set(cert_name.filter(|_| status != Status::Denied));
            row.certificate_no = Set(cert_no.filter(|_| status != Status::Denied));
            row.valid_until = Set(input.valid_until.filter(|_| status != Status::Denied));
            row.decided_at = Set(Some(now));
            let text = match &opinion {
                Some(o) => format!("{label}：{o}"),
                None => label.to_string(),
            };
            steps.push(entry(Action::Decide, to, status, text));
            status
        }
        Action::ReturnResult => {
            steps.push(entry(
                Action::ReturnResult,
                to,
                Status::from_code(c.status).unwrap_or(Status::Approved),
                opinion
                    .clone()
                    .unwrap_or_else(|| "办理结果已送达出件窗口".into()),
            ));
            Status::from_code(c.status).unwrap_or(Status::Approved)
        }
        Action::Deliver => {
            let delivery = input.delivery;
            ch.check(
                delivery.is_some(),
                "delivery",
                "请选择出件方式：窗口领取、邮寄或电子送达",
            );
            match delivery {
                Some(Delivery::Window) => {
                    let name = ch.text(
                        "recipient_name",
                        "领取人姓名",
                        input.recipient_name.as_deref().unwrap_or(""),
                        50,
                    );
                    let id = input
                        .recipient_id_no
                        .as_deref()
                        .unwrap_or("")
                        .trim()
                        .to_uppercase();
                    if let Err(e) = parse_id_card(&id) {
                        ch.fail("recipient_id_no", format!("领取人{e}"));
                    }
                    row.recipient_name = Set(Some(name));
                    row.recipient_cert_enc = Set(Some(state.pii.encrypt(&id)));
                }
                Some(Delivery::Electronic) => ch.check(
                    crate::result_file::info(state, &c.id).await?.is_some(),
                    "delivery",
                    "电子送达须先由承办部门上传办理结果文件",
                ),
                Some(Delivery::Post) => {
                    let no = ch.text(
                        "tracking_no",
                        "快递单号",
                        input.tracking_no.as_deref().unwrap_or(""),
                        50,
                    );
                    row.tracking_no = Set(Some(no));
                }
                _ => {}
            }
            let label = delivery.map_or("", Delivery::label);
            row.delivery_method = Set(Some(label.to_string()));
            row.delivered_at = Set(Some(now));
            let status = Status::from_code(c.status).unwrap_or(Status::Approved);
            steps.push(entry(Action::Deliver, to, status, format!("出件：{label}")));
            status
        }
        Action::Withdraw => {
            let status = if c.accepted_at.is_some() {
                Status::Recalled
            } else {
                Status::Withdrawn
            };
            steps.push(entry(
                Action::Withdraw,
                to,
                status,
                opinion.clone().unwrap_or_else(|| "申请人撤回申请".into()),
            ));
            status
        }
    };
    ch.finish()?;
    row.status = Set(status.code());
    Ok(Planned {
        case: c,
        from,
        action: input.action,
        row,
        mats,
        before,
        steps,
        now,
    })
}

/// Writes a planned action inside `txn`; returns the case as changed and its
/// event (`extra` joins the payload, e.g. the handover sheet).
pub(crate) async fn apply(
    state: &AppState,
    txn: &DatabaseTransaction,
    p: Planned,
    actor: &Actor,
    extra: serde_json::Value,
) -> AppResult<(case::Model, NewEvent)> {
    // Guarded by the stage the plan was made in (every action changes the
    // stage): of two people acting at once, one wins.
    let done = case::Entity::update_many()
        .set(p.row)
        .filter(case::Column::Id.eq(&p.case.id))
        .filter(case::Column::Stage.eq(p.from.code()))
        .exec(txn)
        .await
        .db_err()?;
    if done.rows_affected != 1 {
        return Err(AppError::Conflict {
            message: format!("办件 {} 刚被他人处理，请刷新后再试", p.case.number),
            fields: vec![],
        });
    }
    for m in p.mats {
        let Some(was) = p.before.get(&m.id).filter(|was| **was != m) else {
            continue; // unchanged: most actions touch no material
        };
        // The paper moved (handed over, signed for, re-received): its wait starts now.
        let moved = was.handover != m.handover;
        material::ActiveModel {
            id: Unchanged(m.id),
            way: Set(m.way),
            promised_on: Set(m.promised_on),
            handover: Set(m.handover),
            moved_at: if moved {
                Set(Some(p.now))
            } else {
                Unchanged(m.moved_at)
            },
            ..Default::default()
        }
        .update(txn)
        .await
        .db_err()?;
    }
    store::append_steps(txn, &p.case.id, actor, p.now, p.steps).await?;
    let updated = store::find(txn, &p.case.hall_id, &p.case.id).await?;
    crate::notices::on_change(txn, state, &updated).await?;
    let mut payload = serde_json::json!({ "from_stage": p.from.code() });
    if let (Some(o), serde_json::Value::Object(extra)) = (payload.as_object_mut(), extra) {
        o.extend(extra);
    }
    let ev = store::event(&updated, crate::events::of_action(p.action), payload);
    Ok((updated, ev))
}

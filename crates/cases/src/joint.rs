//! 一件事 at the counter as one joint intake (联办): the clerk answers each
//! member's questions, ticks the joint checklist — a document several members
//! need is received once — and the intake writes one case per member that the
//! answers make necessary, under one 一件事编号 and 查询密码. Complete members
//! are accepted; members still owed something go into 补正 on the same
//! notice; members the answers make unnecessary are recorded as such. One
//! message tells the applicant; the front desk hands the members over to their
//! departments in one step (one sheet per department); the citizen follows the
//! whole bundle on one progress page.

use crate::entity::{case, case_bundle};
use crate::events::{JOINT_RECEIVED, JointEvent};
use crate::intake::{self, Agent, Applicant, HallFacts, IntakeInput, MaterialTick, Outcome};
use crate::materials::{Way, blocks_acceptance};
use crate::status::Stage;
use crate::store;
use chrono::{NaiveDate, Utc};
use govhall_catalog::{
    bundle::JointChecklist,
    scenario::{Answers, Resolution},
};
use govhall_kernel::{AppError, FieldError, error::AppResult, new_id, validate::Checker};
use govhall_platform::{
    AppState,
    auth::CurrentUser,
    db::{DbResultExt, begin_write, lock_hall},
    events::commit_with,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// One member's answers (and the form fields of its own application form).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct JointMemberInput {
    /// 实施编码 of the member.
    pub item: String,
    #[serde(default)]
    #[schema(value_type = Object)]
    pub answers: Answers,
    #[serde(default)]
    pub form: BTreeMap<String, String>,
}

/// How one material of the joint checklist was received (once for every member needing it).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct JointTick {
    /// The joint material's identity (from the bundle's resolved checklist).
    pub identity: String,
    pub way: Way,
    #[serde(default)]
    pub promised_on: Option<NaiveDate>,
    #[serde(default)]
    pub note: Option<String>,
}

/// How the joint intake ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JointOutcome {
    /// Every needed member is complete: all accepted.
    Accept,
    /// 一次性告知 on one notice: members owed something go into 补正, the complete ones are accepted.
    Correct,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct JointIntakeInput {
    /// 一件事 id or code.
    pub bundle: String,
    pub window_id: String,
    #[serde(default)]
    pub ticket_id: Option<String>,
    /// Each member's answers; a member left out is resolved without answers.
    #[serde(default)]
    pub members: Vec<JointMemberInput>,
    pub applicant: Applicant,
    #[serde(default)]
    pub agent: Option<Agent>,
    /// One tick per joint material; a material left out counts as 未提交.
    #[serde(default)]
    pub materials: Vec<JointTick>,
    pub outcome: JointOutcome,
    /// Problems besides missing materials (e.g. 申请表未签字), told on the same notice.
    #[serde(default)]
    pub other_problems: Vec<String>,
}

/// A member the answers made unnecessary.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct NotNeeded {
    pub task_code: String,
    pub task_name: String,
    pub reason: String,
}

/// A member case of the joint intake as it stands.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JointMember {
    /// Staff only (the citizen's page has none).
    pub case_id: Option<String>,
    pub number: String,
    pub task_code: String,
    pub item_name: String,
    pub department_name: String,
    pub stage: String,
    pub stage_label: String,
    pub due_on: Option<NaiveDate>,
    pub correction_items: Vec<String>,
    pub result: Option<String>,
}

/// A joint intake and its members.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JointDto {
    pub id: String,
    /// 一件事编号.
    pub number: String,
    pub bundle_code: String,
    pub bundle_name: String,
    pub applicant_name: String,
    pub received_at: chrono::DateTime<Utc>,
    pub received_by_name: String,
    /// Shown once, at intake (the receipt carries it).
    pub query_code: Option<String>,
    /// Where the whole bundle stands, in words.
    pub summary: String,
    pub members: Vec<JointMember>,
    pub not_needed: Vec<NotNeeded>,
}

/// The member intakes planned from the joint checklist, and those not needed.
struct Plan {
    intakes: Vec<(String, IntakeInput)>,
    not_needed: Vec<NotNeeded>,
}

/// The way each member material was received, through the joint tick of its identity.
fn member_ticks(joint: &JointChecklist, task_code: &str, ticks: &[JointTick]) -> Vec<MaterialTick> {
    joint
        .materials
        .iter()
        .flat_map(|jm| {
            jm.needed_by
                .iter()
                .filter(move |nb| nb.task_code == task_code)
                .map(move |nb| (jm, nb))
        })
        .filter_map(|(jm, nb)| {
            let t = ticks.iter().find(|t| t.identity == jm.identity)?;
            Some(MaterialTick {
                material_id: nb.material_id.clone(),
                way: t.way,
                promised_on: t.promised_on,
                note: t.note.clone(),
            })
        })
        .collect()
}

/// Whether a member still lacks a material that blocks its acceptance.
fn member_blocked(resolution: &Resolution, ticks: &[MaterialTick]) -> bool {
    let Resolution::Outcome { materials, .. } = resolution else {
        return false;
    };
    materials.iter().any(|m| {
        let way = ticks
            .iter()
            .find(|t| t.material_id == m.value.id)
            .map_or(Way::Missing, |t| t.way);
        blocks_acceptance(m.value.necessity, way)
    })
}

fn plan(
    input: &JointIntakeInput,
    bundle_code: &str,
    joint: &JointChecklist,
    answers: &BTreeMap<String, Answers>,
) -> AppResult<Plan> {
    let others: Vec<String> = input
        .other_problems
        .iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    let mut intakes = Vec::new();
    let mut not_needed = Vec::new();
    let mut any_blocked = false;
    for m in &joint.members {
        if let Resolution::Terminated { reason, .. } = &m.resolution {
            not_needed.push(NotNeeded {
                task_code: m.task_code.clone(),
                task_name: m.task_name.clone(),
                reason: reason.clone(),
            });
            continue;
        }
        let ticks = member_ticks(joint, &m.task_code, &input.materials);
        let blocked = member_blocked(&m.resolution, &ticks);
        any_blocked |= blocked;
        // Told at once: a member owed something, or every member when the
        // problem is the application itself.
        let correct = input.outcome == JointOutcome::Correct && (blocked || !others.is_empty());
        let form = input
            .members
            .iter()
            .find(|x| x.item.trim() == m.task_code)
            .map(|x| x.form.clone())
            .unwrap_or_default();
        intakes.push((
            m.task_name.clone(),
            IntakeInput {
                item: m.task_code.clone(),
                window_id: input.window_id.clone(),
                ticket_id: input.ticket_id.clone(),
                bundle_code: Some(bundle_code.to_string()),
                answers: answers.get(&m.task_code).cloned().unwrap_or_default(),
                applicant: input.applicant.clone(),
                agent: input.agent.clone(),
                materials: ticks,
                outcome: if correct {
                    Outcome::Correct
                } else {
                    Outcome::Accept
                },
                other_problems: if correct { others.clone() } else { vec![] },
                reason: None,
                competent_agency: None,
                form,
            },
        ));
    }
    let mut ch = Checker::new();
    ch.check(
        !intakes.is_empty(),
        "members",
        "按所选情形，这件事的成员事项都无需办理",
    );
    ch.check(
        input.outcome == JointOutcome::Accept || any_blocked || !others.is_empty(),
        "outcome",
        "材料齐全，无需一次性告知；请选择受理",
    );
    ch.finish()?;
    Ok(Plan {
        intakes,
        not_needed,
    })
}

/// Fields that belong to the whole intake, not to one member.
fn shared_field(field: &str) -> bool {
    ["applicant", "agent", "ticket_id", "window_id", "outcome"]
        .iter()
        .any(|p| field == *p || field.starts_with(&format!("{p}.")))
}

/// Receives a 一件事 as one joint intake; returns it with its 查询密码.
pub(crate) async fn receive(
    state: &AppState,
    user: &CurrentUser,
    hall_id: &str,
    input: JointIntakeInput,
) -> AppResult<JointDto> {
    let bundle = govhall_catalog::bundles::public_view(state, hall_id, input.bundle.trim())
        .await
        .map_err(|_| AppError::field("bundle", "一件事不存在"))?;
    let mut ch = Checker::new();
    for (i, m) in input.members.iter().enumerate() {
        ch.check(
            bundle.members.iter().any(|b| b.task_code == m.item.trim()),
            &format!("members[{i}].item"),
            format!("“{}”不是“{}”的成员事项", m.item.trim(), bundle.name),
        );
    }
    ch.finish()?;
    let answers: BTreeMap<String, Answers> = input
        .members
        .iter()
        .map(|m| (m.item.trim().to_string(), m.answers.clone()))
        .collect();
    let joint = govhall_catalog::bundles::resolve(state, hall_id, &bundle.id, &answers)
        .await
        .map_err(|e| match e {
            AppError::BadRequest(m) => AppError::field("members", m),
            other => other,
        })?;
    let mut ch = Checker::new();
    for (i, t) in input.materials.iter().enumerate() {
        ch.check(
            joint.materials.iter().any(|m| m.identity == t.identity),
            &format!("materials[{i}].identity"),
            "该材料不在这件事的联办材料清单中",
        );
    }
    ch.finish()?;
    let plan = plan(&input, &bundle.code, &joint, &answers)?;

    // Every member checked before anything is written; every problem named.
    let mut checked = Vec::with_capacity(plan.intakes.len());
    let mut fields: Vec<FieldError> = Vec::new();
    for (i, (name, mut member)) in plan.intakes.into_iter().enumerate() {
        match intake::check(state, user, hall_id, &mut member).await {
            Ok(c) => checked.push((member, c)),
            Err(AppError::Validation { fields: found, .. }) => {
                for f in found {
                    let f = if shared_field(&f.field) {
                        f
                    } else {
                        FieldError {
                            field: format!("members[{i}].{}", f.field),
                            message: format!("{name}：{}", f.message),
                        }
                    };
                    if !fields.contains(&f) {
                        fields.push(f);
                    }
                }
            }
            Err(AppError::Conflict { message, fields }) => {
                return Err(AppError::Conflict {
                    message: format!("{name}：{message}"),
                    fields,
                });
            }
            Err(e) => return Err(e),
        }
    }
    if !fields.is_empty() {
        return Err(AppError::validation(fields));
    }

    let hall = HallFacts::load(state, hall_id).await?;
    let actor = user.actor();
    let now = Utc::now();
    let today = store::local_date(now);
    let query_code = store::new_query_code();
    let txn = begin_write(&state.db).await.db_err()?;
    lock_hall(&txn, hall_id).await.db_err()?;
    let seq = case_bundle::Entity::find()
        .filter(case_bundle::Column::HallId.eq(hall_id))
        .filter(case_bundle::Column::Number.starts_with(format!("YJS{}", today.format("%Y%m%d"))))
        .count(&txn)
        .await
        .db_err()?
        + 1;
    let row = case_bundle::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall_id.to_string()),
        number: Set(format!("YJS{}{seq:04}", today.format("%Y%m%d"))),
        bundle_code: Set(bundle.code.clone()),
        bundle_name: Set(bundle.name.clone()),
        applicant_name: Set(input.applicant.name.trim().to_string()),
        query_code_enc: Set(state.pii.encrypt(&query_code)),
        window_id: Set(input.window_id.clone()),
        received_at: Set(now),
        received_by_name: Set(actor.name.clone()),
        not_needed: Set(serde_json::to_string(&plan.not_needed).unwrap_or_else(|_| "[]".into())),
    }
    .insert(&txn)
    .await
    .db_err()?;
    let mut events = Vec::new();
    let mut cases = Vec::new();
    for (member, c) in checked {
        let written = intake::write(state, &txn, &actor, &hall, &member, c, Some(&row.id)).await?;
        events.extend(written.events);
        cases.push(written.case);
    }
    crate::notices::on_joint_intake(&txn, state, &row, &cases, &plan.not_needed).await?;
    events.push(JOINT_RECEIVED.event(
        Some(hall_id),
        &JointEvent {
            joint_id: row.id.clone(),
            number: row.number.clone(),
            bundle_code: row.bundle_code.clone(),
            members: cases.len(),
            not_needed: plan.not_needed.len(),
        },
    ));
    commit_with(state, txn, &actor, events).await?;
    let mut dto = view(row, cases, true);
    dto.query_code = Some(query_code);
    Ok(dto)
}

/// Where the bundle stands as a whole.
fn summary(cases: &[case::Model]) -> String {
    let stages: Vec<Stage> = cases.iter().map(store::stage_of).collect();
    if stages.contains(&Stage::Correcting) {
        "待补正".into()
    } else if stages.iter().all(|s| s.is_final()) {
        "已全部办结".into()
    } else if stages.iter().all(|s| s.is_final() || *s == Stage::Ready) {
        "结果待领取".into()
    } else {
        "联办中".into()
    }
}

fn view(row: case_bundle::Model, cases: Vec<case::Model>, staff: bool) -> JointDto {
    JointDto {
        summary: summary(&cases),
        members: cases
            .into_iter()
            .map(|c| {
                let stage = store::stage_of(&c);
                JointMember {
                    case_id: staff.then(|| c.id.clone()),
                    correction_items: serde_json::from_str(&c.correction_items).unwrap_or_default(),
                    number: c.number,
                    task_code: c.task_code,
                    item_name: c.item_name,
                    department_name: c.department_name,
                    stage: stage.code().into(),
                    stage_label: stage.label().into(),
                    due_on: c.due_on,
                    result: c.result,
                }
            })
            .collect(),
        not_needed: serde_json::from_str(&row.not_needed).unwrap_or_default(),
        id: row.id,
        number: row.number,
        bundle_code: row.bundle_code,
        bundle_name: row.bundle_name,
        applicant_name: row.applicant_name,
        received_at: row.received_at,
        received_by_name: row.received_by_name,
        query_code: None,
    }
}

async fn members_of(state: &AppState, joint_id: &str) -> AppResult<Vec<case::Model>> {
    case::Entity::find()
        .filter(case::Column::BundleId.eq(joint_id))
        .order_by_asc(case::Column::Number)
        .all(&state.db)
        .await
        .db_err()
}

async fn find(state: &AppState, hall_id: &str, id: &str) -> AppResult<case_bundle::Model> {
    case_bundle::Entity::find_by_id(id.to_string())
        .filter(case_bundle::Column::HallId.eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("一件事联办件"))
}

/// A joint intake for staff; a department's reviewer sees only its own members.
pub(crate) async fn get(
    state: &AppState,
    user: &CurrentUser,
    hall_id: &str,
    id: &str,
) -> AppResult<JointDto> {
    let row = find(state, hall_id, id).await?;
    let mut cases = members_of(state, &row.id).await?;
    if let Some(dept) = crate::views::department_of_reader(state, user).await? {
        cases.retain(|c| c.department_id.as_deref() == Some(dept.as_str()));
        if cases.is_empty() {
            return Err(AppError::not_found("一件事联办件"));
        }
    }
    Ok(view(row, cases, true))
}

/// 联办交接: every accepted member goes to its department, one sheet per department.
pub(crate) async fn hand_over(
    state: &AppState,
    user: &CurrentUser,
    hall_id: &str,
    id: &str,
) -> AppResult<Vec<crate::handover::HandoverDto>> {
    let row = find(state, hall_id, id).await?;
    let mut by_department: BTreeMap<(Option<String>, String), Vec<String>> = BTreeMap::new();
    for c in members_of(state, &row.id).await? {
        if store::stage_of(&c) == Stage::Accepted {
            by_department
                .entry((c.department_id.clone(), c.department_name.clone()))
                .or_default()
                .push(c.id);
        }
    }
    if by_department.is_empty() {
        return Err(AppError::Conflict {
            message: format!("一件事 {} 没有待交接的已受理办件", row.number),
            fields: vec![],
        });
    }
    let mut sheets = Vec::new();
    for ids in by_department.into_values() {
        let input = crate::handover::HandoverInput { case_ids: ids };
        sheets.push(crate::handover::hand_over(state, user, hall_id, input).await?);
    }
    Ok(sheets)
}

/// The whole bundle for the citizen, by 一件事编号 and 查询密码 (wrong codes
/// are counted like a case's, so they cannot be guessed).
pub(crate) async fn progress(
    state: &AppState,
    hall_id: &str,
    number: &str,
    code: &str,
    ip: Option<&str>,
) -> AppResult<JointDto> {
    let check = crate::views::CodeCheck::begin(state, hall_id, number, ip).await?;
    let found = case_bundle::Entity::find()
        .filter(case_bundle::Column::HallId.eq(hall_id))
        .filter(case_bundle::Column::Number.eq(number.trim()))
        .one(&state.db)
        .await
        .db_err()?;
    let row = check
        .settle(
            state,
            found,
            |b| &b.query_code_enc,
            code,
            "一件事编号或查询密码不正确",
        )
        .await?;
    let cases = members_of(state, &row.id).await?;
    Ok(view(row, cases, false))
}

/// The joint notice as PDF, with the file name to save it under.
pub(crate) async fn notice_pdf(
    state: &AppState,
    hall_id: &str,
    id: &str,
    base: &str,
) -> AppResult<(String, Vec<u8>)> {
    let row = find(state, hall_id, id).await?;
    let hall = govhall_directory::service::hall(state, hall_id).await?;
    let code = state.pii.decrypt(&row.query_code_enc).unwrap_or_default();
    let url = format!(
        "{base}/mobile/?hall={}&bundle={}#code={code}",
        hall.code, row.number
    );
    let cases = members_of(state, &row.id).await?;
    let dto = view(row, cases, true);
    let bytes = crate::documents::render::joint_document(&hall, &dto, &code, &url)
        .map_err(AppError::internal)?;
    Ok((format!("一件事联办受理通知书-{}.pdf", dto.number), bytes))
}

//! Cases as screens read them: the full case for staff (personal data masked),
//! the hall's lists and the department's inbox, and the citizen's progress page.

use crate::deadline::{Unit, Warning, warning};
use crate::entity::{case, material, step};
use crate::flags::{Flag, flags_of};
use crate::forms::{FieldDto, FormValue, masked};
use crate::materials::{Handover, Way};
use crate::moves::MaterialAction;
use crate::result_file::ResultFileDto;
use crate::status::{Action, Stage, Status, allowed};
use crate::store;
use chrono::{DateTime, NaiveDate, Utc};
use govhall_kernel::{
    AppError,
    calendar::WorkCalendar,
    crypto::PiiCipher,
    error::AppResult,
    mask::{mask_id_card, mask_name, mask_phone},
};
use govhall_platform::{AppState, auth::CurrentUser, db::DbResultExt};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MaterialDto {
    pub material_id: String,
    pub name: String,
    /// 必要 / 非必要 / 容缺
    pub necessity: String,
    pub copies: i32,
    pub way: String,
    pub way_label: String,
    pub promised_on: Option<NaiveDate>,
    pub handover: String,
    pub handover_label: String,
    pub note: Option<String>,
    /// Moves open to it now (补交, 送交, 签收, 归还).
    pub moves: Vec<MaterialAction>,
    /// The same moves with their words, in the same order.
    pub move_choices: Vec<ScreenChoice>,
}

/// Something a screen offers (a button), with the words it shows.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScreenChoice {
    /// The code the request sends back.
    pub code: String,
    /// The button's words.
    pub label: String,
    /// What the screen says once it is done.
    pub done: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StepDto {
    pub seq: i32,
    pub at: DateTime<Utc>,
    pub action: String,
    pub stage: String,
    pub stage_label: String,
    pub status: i32,
    pub status_label: String,
    pub actor_name: String,
    pub opinion: String,
    pub special_kind: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseDto {
    pub id: String,
    pub number: String,
    /// 查询密码: only to staff who print receipts (the window), never in lists.
    pub query_code: Option<String>,
    pub item_id: String,
    pub task_code: String,
    pub item_version: i32,
    pub item_name: String,
    pub handling_item: String,
    pub project_type: String,
    pub bundle_code: Option<String>,
    /// The joint intake (一件事联办件) it belongs to.
    pub bundle_id: Option<String>,
    pub ticket_id: Option<String>,
    pub ticket_number: Option<String>,
    pub source: String,
    pub window_id: String,
    pub department_id: Option<String>,
    pub department_name: String,
    pub department_code: String,
    pub applicant_type: String,
    pub applicant_name: String,
    pub applicant_cert_type: String,
    /// Masked.
    pub applicant_cert: String,
    pub legal_rep: Option<String>,
    pub contact_name: String,
    /// Masked.
    pub contact_phone: String,
    pub agent_name: Option<String>,
    /// Masked.
    pub agent_cert: Option<String>,
    pub status: i32,
    pub status_label: String,
    pub stage: String,
    pub stage_label: String,
    pub correcting_after_acceptance: bool,
    /// What the last 一次性告知书 listed.
    pub correction_items: Vec<String>,
    pub refuse_reason: Option<String>,
    pub competent_agency: Option<String>,
    pub limit_days: i32,
    pub limit_unit: String,
    pub received_at: DateTime<Utc>,
    pub received_by_name: String,
    pub accepted_at: Option<DateTime<Utc>>,
    pub accepted_on: Option<NaiveDate>,
    /// 承诺办结日期 (moved by pauses).
    pub due_on: Option<NaiveDate>,
    pub paused_on: Option<NaiveDate>,
    pub paused_days: i32,
    /// Deadline warning while the case runs or is paused.
    pub warning: Option<Warning>,
    pub warning_label: Option<String>,
    /// Steps waiting too long (paper unsigned or not sent on, 容缺 overdue, result not back).
    pub flags: Vec<Flag>,
    pub flag_labels: Vec<String>,
    pub result: Option<String>,
    pub result_reason: Option<String>,
    pub certificate_name: Option<String>,
    pub certificate_no: Option<String>,
    pub valid_until: Option<NaiveDate>,
    pub delivery_method: Option<String>,
    pub tracking_no: Option<String>,
    pub recipient_name: Option<String>,
    pub delivered_at: Option<DateTime<Utc>>,
    /// The result document the department attached.
    pub result_file: Option<ResultFileDto>,
    pub materials: Vec<MaterialDto>,
    /// The materials' digitized form fields as filled at intake (phones and IDs masked).
    pub form: Vec<FormValue>,
    /// While 待补正: every field the case's materials carry, for the acceptance to ask.
    pub form_fields: Vec<FieldDto>,
    pub steps: Vec<StepDto>,
    /// What may be done next (the screen's buttons).
    pub actions: Vec<Action>,
    /// The same actions with their words, in the same order.
    pub action_choices: Vec<ScreenChoice>,
    /// The licence the matter issues (审批结果名称), while 办结 is open to the
    /// viewer: 准予 then asks for its name and number.
    pub licence: Option<String>,
    /// The citizen's documents the case has reached (the print buttons).
    pub documents: Vec<crate::documents::Kind>,
    /// The same documents with their names, in the same order.
    pub document_choices: Vec<ScreenChoice>,
}

/// The warning for a case on `today`: running or paused cases only (a paused
/// case is judged on the day it stopped).
pub(crate) fn warning_of(cal: &WorkCalendar, c: &case::Model, today: NaiveDate) -> Option<Warning> {
    let stage = store::stage_of(c);
    let counting = stage.clock_runs() || stage == Stage::Special || c.correcting_after_acceptance;
    if !counting {
        return None;
    }
    let (accepted, due) = (c.accepted_on?, c.due_on?);
    let on = c.paused_on.unwrap_or(today);
    Some(warning(cal, on, accepted, due, Unit::parse(&c.limit_unit)))
}

fn material_dto(c: &case::Model, m: material::Model, roles: Roles) -> MaterialDto {
    let moves: Vec<MaterialAction> = crate::moves::available(c, &m)
        .into_iter()
        .filter(|a| roles.may(crate::moves::by_department(*a, &m)))
        .collect();
    let move_choices = moves
        .iter()
        .map(|a| ScreenChoice {
            code: a.wire_code().into(),
            label: a.verb().into(),
            done: format!("“{}”已{}", m.name, a.verb()),
        })
        .collect();
    let way = Way::parse(&m.way).unwrap_or(Way::Missing);
    let handover = Handover::parse(&m.handover).unwrap_or(Handover::None);
    MaterialDto {
        material_id: m.material_id,
        name: m.name,
        necessity: m.necessity,
        copies: m.copies,
        way: way.code().into(),
        way_label: way.label().into(),
        promised_on: m.promised_on,
        handover: handover.code().into(),
        handover_label: handover.label().into(),
        note: m.note,
        moves,
        move_choices,
    }
}

/// What a history entry is called: its stage, except the return from a 补正
/// (still in the 补正 stage, but done with it).
fn step_title(s: &step::Model) -> &'static str {
    if let Some(title) = crate::moves::step_title(&s.action) {
        return title;
    }
    if s.action == "attach_result" {
        return "结果文件";
    }
    match Status::from_code(s.status) {
        Some(Status::CorrectionEnded) => "补正完成",
        _ => Stage::parse(&s.stage).unwrap_or(Stage::Received).label(),
    }
}

fn step_dto(s: step::Model) -> StepDto {
    let stage = Stage::parse(&s.stage).unwrap_or(Stage::Received);
    StepDto {
        stage_label: step_title(&s).into(),
        seq: s.seq,
        at: s.at,
        action: s.action,
        stage: stage.code().into(),
        status: s.status,
        status_label: Status::from_code(s.status).map_or("", Status::label).into(),
        actor_name: s.actor_name,
        opinion: s.opinion,
        special_kind: s.special_kind,
    }
}

fn reveal(pii: &dyn PiiCipher, enc: &str, mask: fn(&str) -> String) -> String {
    pii.decrypt(enc).map(|v| mask(&v)).unwrap_or_default()
}

/// Which side of a case the viewer works on: the front desk, the competent
/// department, both or neither. Actions the viewer cannot take are not offered.
#[derive(Clone, Copy)]
struct Roles {
    front_desk: bool,
    department: bool,
    /// May 撤销 cases.
    hall: bool,
}

impl Roles {
    async fn of(state: &AppState, user: &CurrentUser, c: &case::Model) -> AppResult<Roles> {
        let department = user.can(crate::permissions::REVIEW)
            && match (&c.department_id, &user.staff_id) {
                (None, _) => true,
                (Some(dept), Some(staff)) => {
                    govhall_directory::service::department_of_staff(&state.db, Some(staff))
                        .await?
                        .is_some_and(|mine| mine == *dept)
                }
                (Some(_), None) => false,
            };
        Ok(Roles {
            front_desk: user.can(crate::permissions::INTAKE),
            department,
            hall: user.can(crate::permissions::REVOKE),
        })
    }

    fn may_take(self, taker: crate::lifecycle::Taker) -> bool {
        use crate::lifecycle::Taker;
        match taker {
            Taker::FrontDesk => self.front_desk,
            Taker::Department => self.department,
            Taker::Hall => self.hall,
        }
    }

    fn may(self, by_department: bool) -> bool {
        if by_department {
            self.department
        } else {
            self.front_desk
        }
    }
}

/// The full case as `viewer` sees it: the actions they may take, and the
/// 查询密码 for a window (which reprints the receipt).
pub(crate) async fn case_dto(
    state: &AppState,
    c: case::Model,
    viewer: &CurrentUser,
) -> AppResult<CaseDto> {
    let roles = Roles::of(state, viewer, &c).await?;
    let with_code = roles.front_desk;
    let materials = crate::entity::material::Entity::find()
        .filter(material::Column::CaseId.eq(&c.id))
        .order_by_asc(material::Column::SortOrder)
        .all(&state.db)
        .await
        .db_err()?;
    let steps = store::steps_of(&state.db, &c.id).await?;
    let cal = govhall_directory::calendar::load(state).await?;
    let today = store::local_date(Utc::now());
    let warn = warning_of(&cal, &c, today);
    let flags = flags_of(&cal, &c, &materials, today);
    let result_file = crate::result_file::info(state, &c.id).await?;
    let form_fields = if store::stage_of(&c) == Stage::Correcting {
        crate::forms::fields_for_case(state, &c, &materials).await?
    } else {
        vec![]
    };
    let pii = state.pii.as_ref();
    let stage = store::stage_of(&c);
    let status = Status::from_code(c.status).unwrap_or(Status::Received);
    let actions: Vec<Action> = allowed(stage, c.correcting_after_acceptance)
        .into_iter()
        .filter(|a| roles.may_take(crate::lifecycle::taker(&c, *a)))
        .collect();
    let licence = if actions.contains(&Action::Decide) {
        govhall_catalog::items::licence_of(state, &c.item_id, c.item_version).await?
    } else {
        None
    };
    Ok(CaseDto {
        query_code: with_code
            .then(|| pii.decrypt(&c.query_code_enc).ok())
            .flatten(),
        applicant_cert: reveal(pii, &c.applicant_cert_enc, mask_id_card),
        contact_phone: reveal(pii, &c.contact_phone_enc, mask_phone),
        agent_cert: c
            .agent_cert_enc
            .as_deref()
            .map(|e| reveal(pii, e, mask_id_card)),
        correction_items: serde_json::from_str(&c.correction_items).unwrap_or_default(),
        form: masked(crate::forms::stored(pii, &c)),
        form_fields,
        status_label: status.label().into(),
        stage_label: stage.label().into(),
        document_choices: crate::documents::available(&c)
            .into_iter()
            .map(|k| ScreenChoice {
                code: k.code().into(),
                label: k.label().into(),
                done: format!("已生成{}", k.label()),
            })
            .collect(),
        documents: crate::documents::available(&c),
        licence,
        action_choices: actions
            .iter()
            .map(|a| ScreenChoice {
                code: a.code().into(),
                label: a.label().into(),
                done: a.done_message().into(),
            })
            .collect(),
        actions,
        warning: warn,
        warning_label: warn.map(|w| w.label().to_string()),
        flag_labels: flags.iter().map(|f| f.label().to_string()).collect(),
        flags,
        result_file,
        materials: materials
            .into_iter()
            .map(|m| material_dto(&c, m, roles))
            .collect(),
        steps: steps.into_iter().map(step_dto).collect(),
        stage: stage.code().into(),
        id: c.id,
        number: c.number,
        item_id: c.item_id,
        task_code: c.task_code,
        item_version: c.item_version,
        item_name: c.item_name,
        handling_item: c.handling_item,
        project_type: c.project_type,
        bundle_code: c.bundle_code,
        bundle_id: c.bundle_id,
        ticket_id: c.ticket_id,
        ticket_number: c.ticket_number,
        source: c.source,
        window_id: c.window_id,
        department_id: c.department_id,
        department_name: c.department_name,
        department_code: c.department_code,
        applicant_type: c.applicant_type,
        applicant_name: c.applicant_name,
        applicant_cert_type: c.applicant_cert_type,
        legal_rep: c.legal_rep,
        contact_name: c.contact_name,
        agent_name: c.agent_name,
        status: c.status,
        correcting_after_acceptance: c.correcting_after_acceptance,
        refuse_reason: c.refuse_reason,
        competent_agency: c.competent_agency,
        limit_days: c.limit_days,
        limit_unit: c.limit_unit,
        received_at: c.received_at,
        received_by_name: c.received_by_name,
        accepted_at: c.accepted_at,
        accepted_on: c.accepted_on,
        due_on: c.due_on,
        paused_on: c.paused_on,
        paused_days: c.paused_days,
        result: c.result,
        result_reason: c.result_reason,
        certificate_name: c.certificate_name,
        certificate_no: c.certificate_no,
        valid_until: c.valid_until,
        delivery_method: c.delivery_method,
        tracking_no: c.tracking_no,
        recipient_name: c.recipient_name,
        delivered_at: c.delivered_at,
    })
}

/// One line of a case list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseSummary {
    pub id: String,
    pub number: String,
    pub item_name: String,
    pub applicant_name: String,
    pub department_name: String,
    pub window_id: String,
    pub stage: String,
    pub stage_label: String,
    pub status: i32,
    pub status_label: String,
    pub received_at: DateTime<Utc>,
    pub due_on: Option<NaiveDate>,
    pub warning: Option<Warning>,
    pub flags: Vec<Flag>,
    pub flag_labels: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Stage codes, comma-separated (e.g. `handed_over,in_review`).
    pub stage: Option<String>,
    /// Department id (a department's inbox).
    pub department: Option<String>,
    /// The receiving window.
    pub window: Option<String>,
    /// 办件编号 (or its end).
    pub q: Option<String>,
    /// Only cases with this warning: yellow / red; `flagged`: a step waits too long.
    pub warning: Option<String>,
    /// At most this many, newest first (default 200, at most 1000).
    pub limit: Option<u64>,
    /// `true`: only the cases the signed-in user received (a clerk's own work).
    pub mine: Option<bool>,
}

/// How many cases wait in each stage, for the tabs of the 办件 page.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StageCounts {
    /// Stage code → cases in it.
    pub stages: HashMap<String, i64>,
    /// Cases the reader received that are not closed yet.
    pub mine_open: i64,
}

/// Counts by stage of the hall's cases (a department reader's own only).
pub async fn stage_counts(
    state: &AppState,
    hall_id: &str,
    department: Option<&str>,
    reader: &CurrentUser,
) -> AppResult<StageCounts> {
    let mut find = case::Entity::find().filter(case::Column::HallId.eq(hall_id));
    if let Some(d) = department {
        find = find.filter(case::Column::DepartmentId.eq(d));
    }
    let rows: Vec<(String, Option<String>, i64)> = find
        .select_only()
        .column(case::Column::Stage)
        .column(case::Column::ReceivedBy)
        .column_as(case::Column::Id.count(), "n")
        .group_by(case::Column::Stage)
        .group_by(case::Column::ReceivedBy)
        .into_tuple()
        .all(&state.db)
        .await
        .db_err()?;
    let mut counts = StageCounts {
        stages: HashMap::new(),
        mine_open: 0,
    };
    for (stage, by, n) in rows {
        let closed = Stage::parse(&stage).is_some_and(Stage::is_final);
        if !closed && by.as_deref() == Some(reader.id.as_str()) {
            counts.mine_open += n;
        }
        *counts.stages.entry(stage).or_default() += n;
    }
    Ok(counts)
}

/// The hall's cases by the list's filters; `reader`: whose are 'mine'.
pub async fn list(
    state: &AppState,
    hall_id: &str,
    q: &ListQuery,
    reader: &CurrentUser,
) -> AppResult<Vec<CaseSummary>> {
    let mut find = case::Entity::find().filter(case::Column::HallId.eq(hall_id));
    if q.mine == Some(true) {
        find = find.filter(case::Column::ReceivedBy.eq(reader.id.as_str()));
    }
    if let Some(stages) = q.stage.as_deref().filter(|s| !s.is_empty()) {
        let codes: Vec<String> = stages
            .split(',')
            .map(str::trim)
            .map(|s| {
                Stage::parse(s)
                    .map(|s| s.code().to_string())
                    .ok_or_else(|| AppError::field("stage", format!("未知的办件阶段“{s}”")))
            })
            .collect::<AppResult<_>>()?;
        find = find.filter(case::Column::Stage.is_in(codes));
    }
    if let Some(d) = q.department.as_deref().filter(|s| !s.is_empty()) {
        find = find.filter(case::Column::DepartmentId.eq(d));
    }
    if let Some(w) = q.window.as_deref().filter(|s| !s.is_empty()) {
        find = find.filter(case::Column::WindowId.eq(w));
    }
    if let Some(n) = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        find = find.filter(case::Column::Number.ends_with(n));
    }
    let (want, flagged_only) = match q.warning.as_deref() {
        None | Some("") => (None, false),
        Some("yellow") => (Some(Warning::Yellow), false),
        Some("red") => (Some(Warning::Red), false),
        Some("flagged") => (None, true),
        Some(_) => {
            return Err(AppError::field(
                "warning",
                "预警只能是 yellow（黄灯）、red（红灯）或 flagged（环节超期）",
            ));
        }
    };
    let rows = find
        .order_by_desc(case::Column::ReceivedAt)
        .limit(q.limit.unwrap_or(200).clamp(1, 1000))
        .all(&state.db)
        .await
        .db_err()?;
    let mut mats: HashMap<String, Vec<material::Model>> = HashMap::new();
    for m in material::Entity::find()
        .filter(material::Column::CaseId.is_in(rows.iter().map(|c| c.id.clone())))
        .all(&state.db)
        .await
        .db_err()?
    {
        mats.entry(m.case_id.clone()).or_default().push(m);
    }
    let cal = govhall_directory::calendar::load(state).await?;
    let today = store::local_date(Utc::now());
    Ok(rows
        .into_iter()
        .filter_map(|c| {
            let w = warning_of(&cal, &c, today);
            let flags = flags_of(&cal, &c, mats.get(&c.id).map_or(&[], Vec::as_slice), today);
            let wanted = (want.is_none() || w == want) && (!flagged_only || !flags.is_empty());
            wanted.then(|| summary(c, w, flags))
        })
        .collect())
}

fn summary(c: case::Model, w: Option<Warning>, flags: Vec<Flag>) -> CaseSummary {
    let stage = store::stage_of(&c);
    let status = Status::from_code(c.status).unwrap_or(Status::Received);
    CaseSummary {
        id: c.id,
        number: c.number,
        item_name: c.item_name,
        applicant_name: c.applicant_name,
        department_name: c.department_name,
        window_id: c.window_id,
        stage: stage.code().into(),
        stage_label: stage.label().into(),
        status: c.status,
        status_label: status.label().into(),
        received_at: c.received_at,
        due_on: c.due_on,
        warning: w,
        flag_labels: flags.iter().map(|f| f.label().to_string()).collect(),
        flags,
    }
}

/// A case a visit produced, as the ticket's holder sees it on their phone.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TicketCase {
    pub number: String,
    pub item_name: String,
    pub stage_label: String,
    /// The receipt's 查询密码, so the phone opens the progress page directly.
    pub query_code: String,
}

/// The cases received on a ticket. The caller has proved it holds the ticket
/// (the slip's token): the same person who got the receipt at the window.
pub async fn of_ticket(state: &AppState, ticket_id: &str) -> AppResult<Vec<TicketCase>> {
    let rows = case::Entity::find()
        .filter(case::Column::TicketId.eq(ticket_id))
        .order_by_asc(case::Column::ReceivedAt)
        .all(&state.db)
        .await
        .db_err()?;
    let pii = state.pii.as_ref();
    Ok(rows
        .into_iter()
        .map(|c| TicketCase {
            stage_label: store::stage_of(&c).label().into(),
            query_code: pii.decrypt(&c.query_code_enc).unwrap_or_default(),
            number: c.number,
            item_name: c.item_name,
        })
        .collect())
}

/// What the citizen's phone shows (no staff names, personal data masked).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProgressDto {
    pub number: String,
    pub item_name: String,
    pub applicant_name: String,
    pub department_name: String,
    pub stage: String,
    pub stage_label: String,
    pub status: i32,
    pub status_label: String,
    pub received_at: DateTime<Utc>,
    pub due_on: Option<NaiveDate>,
    pub correction_items: Vec<String>,
    pub result: Option<String>,
    pub delivery_method: Option<String>,
    pub tracking_no: Option<String>,
    pub history: Vec<ProgressStep>,
    /// The result document to download (delivered electronically).
    pub result_file_name: Option<String>,
    /// 一事一评: the case is closed and not yet rated.
    pub can_rate: bool,
    pub rated: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProgressStep {
    pub at: DateTime<Utc>,
    pub stage_label: String,
    pub status_label: String,
    /// What the citizen needs to know (补正 items; review opinions stay internal).
    pub note: String,
}

/// Wrong 查询密码 allowed per case, and per address over all cases, before
/// the lookups pause (for the lockout minutes of the sign-in rule).
const CASE_GUESSES: i32 = 10;
const ADDRESS_GUESSES: i32 = 30;

/// A lookup by number and 查询密码 (a case's or a 一件事's): begun before the
/// record is read, so a locked-out guesser reads nothing; wrong codes are
/// counted per number and per address, so a code cannot be guessed.
pub(crate) struct CodeCheck(govhall_platform::auth::throttle::Attempt);

impl CodeCheck {
    pub(crate) async fn begin(
        state: &AppState,
        hall_id: &str,
        number: &str,
        ip: Option<&str>,
    ) -> AppResult<CodeCheck> {
        use govhall_platform::auth::throttle;
        let mut keys = vec![(throttle::case_key(hall_id, number), CASE_GUESSES)];
        keys.extend(ip.map(|ip| (throttle::query_address_key(ip), ADDRESS_GUESSES)));
        Ok(CodeCheck(throttle::Attempt::begin(state, &keys).await?))
    }

    /// The record found when its stored code (`code_enc`) is `code`; otherwise
    /// `refusal` as not found, so nothing tells which numbers exist.
    pub(crate) async fn settle<T>(
        self,
        state: &AppState,
        found: Option<T>,
        code_enc: impl Fn(&T) -> &str,
        code: &str,
        refusal: &str,
    ) -> AppResult<T> {
        let found = found.filter(|r| {
            state
                .pii
                .decrypt(code_enc(r))
                .is_ok_and(|v| v.eq_ignore_ascii_case(code.trim()))
        });
        match found {
            Some(r) => {
                self.0.succeeded(state).await?;
                Ok(r)
            }
            None => {
                self.0.failed(state).await?;
                Err(AppError::NotFound(refusal.into()))
            }
        }
    }
}

/// The case with this 办件编号 whose 查询密码 is `code`.
pub(crate) async fn by_number_and_code(
    state: &AppState,
    hall_id: &str,
    number: &str,
    code: &str,
    ip: Option<&str>,
) -> AppResult<case::Model> {
    let check = CodeCheck::begin(state, hall_id, number, ip).await?;
    let found = case::Entity::find()
        .filter(case::Column::HallId.eq(hall_id))
        .filter(case::Column::Number.eq(number.trim()))
        .one(&state.db)
        .await
        .db_err()?;
    check
        .settle(
            state,
            found,
            |c| &c.query_code_enc,
            code,
            "办件编号或查询密码不正确",
        )
        .await
}

/// The department a reader's view of the cases is limited to: a 部门审批人员
/// (who reviews but does not take cases in) sees only their own
/// department's cases (ADR 0002); windows and the centre see the hall's.
pub async fn department_of_reader(
    state: &AppState,
    user: &CurrentUser,
) -> AppResult<Option<String>> {
    if !user.can(crate::permissions::REVIEW) || user.can(crate::permissions::INTAKE) {
        return Ok(None);
    }
    let department =
        govhall_directory::service::department_of_staff(&state.db, user.staff_id.as_deref())
            .await?;
    department.map(|d| Some(d.into_string())).ok_or_else(|| {
        AppError::Forbidden(
            "审批账号未关联到某个部门的人员，不能查看办件（请在人员目录中为其指定部门）".into(),
        )
    })
}

/// The case `id` of the hall, if this reader may see it (another
/// department's case reads as not found).
pub(crate) async fn find_for_reader(
    state: &AppState,
    user: &CurrentUser,
    hall_id: &str,
    id: &str,
) -> AppResult<case::Model> {
    let c = store::find(&state.db, hall_id, id).await?;
    match department_of_reader(state, user).await? {
        Some(d) if c.department_id.as_deref() != Some(d.as_str()) => {
            Err(AppError::not_found("办件"))
        }
        _ => Ok(c),
    }
}

/// The progress page by 办件编号 and 查询密码.
pub async fn progress(
    state: &AppState,
    hall_id: &str,
    number: &str,
    code: &str,
    ip: Option<&str>,
) -> AppResult<ProgressDto> {
    let c = by_number_and_code(state, hall_id, number, code, ip).await?;
    let rated = crate::rating::rated(state, &c.id).await?;
    let steps = store::steps_of(&state.db, &c.id).await?;
    let stage = store::stage_of(&c);
    let status = Status::from_code(c.status).unwrap_or(Status::Received);
    let result_file_name = if crate::result_file::public(&c) {
        crate::result_file::info(state, &c.id)
            .await?
            .map(|f| f.name)
    } else {
        None
    };
    Ok(ProgressDto {
        result_file_name,
        can_rate: crate::rating::rateable(stage) && !rated,
        rated,
        history: steps
            .into_iter()
            .map(|s| {
                let public_note = matches!(
                    s.action.as_str(),
                    "request_correction"
                        | "refuse"
                        | "deliver"
                        | "material_supplement"
                        | "material_return"
                        | "revoke"
                );
                ProgressStep {
                    stage_label: step_title(&s).into(),
                    at: s.at,
                    status_label: Status::from_code(s.status).map_or("", Status::label).into(),
                    note: if public_note {
                        s.opinion
                    } else {
                        String::new()
                    },
                }
            })
            .collect(),
        correction_items: serde_json::from_str(&c.correction_items).unwrap_or_default(),
        stage: stage.code().into(),
        stage_label: stage.label().into(),
        status: c.status,
        status_label: status.label().into(),
        applicant_name: mask_name(&c.applicant_name),
        number: c.number,
        item_name: c.item_name,
        department_name: c.department_name,
        received_at: c.received_at,
        due_on: c.due_on,
        result: c.result,
        delivery_method: c.delivery_method,
        tracking_no: c.tracking_no,
    })
}

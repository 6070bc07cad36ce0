//! 人员异动: 入职, 转正, 调岗 and 离职, each with its checklist — who does
//! what by when. Items the system can see are ticked by what it sees (the
//! ID and card filed, the account opened, windows authorised, 岗前 training
//! assigned, the leaver's accounts disabled); the others are ticked by hand.
//! A transfer moves the person in the directory on its date; a leaver's
//! accounts are disabled when the last working day's hall hours end
//! (`sweep`), and the 监督签字 closes the record once everything else is done.

use crate::entity::{change, profile};
use crate::grants;
use chrono::{Duration, NaiveDate, Utc};
use govhall_directory::{service as directory, staff::StaffInput};
use govhall_kernel::{AppError, error::AppResult, new_id, validate::Checker};
use govhall_platform::{AppState, auth::service as accounts, db::DbResultExt, events::Actor};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const KINDS: &[(&str, &str)] = &[
    ("onboard", "入职"),
    ("regularize", "转正"),
    ("transfer", "调岗"),
    ("leave", "离职"),
];

/// What the system checks for an item by itself.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Auto {
    /// ID and salary card filed in the profile.
    Numbers,
    /// An account is bound to the person.
    Account,
    /// Windows authorised.
    Windows,
    /// In a training plan.
    Training,
    /// Every account of the leaver disabled.
    AccountsDisabled,
    /// A contract covers the hire date.
    Contract,
}

struct ItemDef {
    code: &'static str,
    label: &'static str,
    owner: &'static str,
    /// Days from the effective date.
    due: i64,
    auto: Option<Auto>,
}

const fn item(
    code: &'static str,
    label: &'static str,
    owner: &'static str,
    due: i64,
    auto: Option<Auto>,
) -> ItemDef {
    ItemDef {
        code,
        label,
        owner,
        due,
        auto,
    }
}

fn checklist_of(kind: &str) -> &'static [ItemDef] {
    const ONBOARD: &[ItemDef] = &[
        item(
            "contract",
            "签订劳动合同",
            "人事专员",
            0,
            Some(Auto::Contract),
        ),
        item(
            "numbers",
            "登记身份证号与工资卡",
            "人事专员",
            0,
            Some(Auto::Numbers),
        ),
        item(
            "account",
            "开通系统账号",
            "安全管理员",
            0,
            Some(Auto::Account),
        ),
        item("windows", "窗口授权", "中心管理员", 0, Some(Auto::Windows)),
        item(
            "training",
            "安排岗前培训",
            "培训管理员",
            0,
            Some(Auto::Training),
        ),
        item("uniform", "发放工装", "综合保障", 7, None),
        item("insurance", "社保、公积金增员", "人事专员", 30, None),
    ];
    const REGULARIZE: &[ItemDef] = &[
        item("assessment", "转正考核", "部门负责人", 0, None),
        item("pay", "调整转正后薪资", "人事专员", 0, None),
    ];
    const TRANSFER: &[ItemDef] = &[
        item("handover", "原岗位工作交接", "本人", 0, None),
        item("windows", "调整窗口授权", "中心管理员", 0, None),
        item("training", "新岗位培训", "培训管理员", 30, None),
    ];
    const LEAVE: &[ItemDef] = &[
        item("cases", "在办件移交他人", "本人", -1, None),
        item("tickets", "号票与预约转交", "本人", 0, None),
        item("devices", "归还设备、工牌与工装", "综合保障", 0, None),
        item(
            "accounts",
            "停用系统账号（最后工作日下班后自动停用）",
            "系统",
            0,
            Some(Auto::AccountsDisabled),
        ),
        item("insurance", "社保、公积金减员", "人事专员", 30, None),
        item(
            "supervision",
            "监督签字（其余事项完成后）",
            "中心负责人",
            1,
            None,
        ),
    ];
    match kind {
        "onboard" => ONBOARD,
        "regularize" => REGULARIZE,
        "transfer" => TRANSFER,
        _ => LEAVE,
    }
}

/// A ticked item, as stored.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Ticked {
    code: String,
    done_at: chrono::DateTime<Utc>,
    done_by: String,
    #[serde(default)]
    note: String,
}

/// What a change is beyond its kind and date.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ChangeDetail {
    /// 调岗: the new department (absent: 综合窗口).
    #[serde(default)]
    pub to_department_id: Option<String>,
    /// 调岗: the new post.
    #[serde(default)]
    pub to_position: Option<String>,
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ChangeInput {
    pub staff_id: String,
    /// `regularize`, `transfer` or `leave` (入职 goes through onboarding).
    pub kind: String,
    /// The 转正 date, the transfer's date, the last working day.
    pub effective_on: NaiveDate,
    #[serde(default)]
    pub detail: ChangeDetail,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChecklistItem {
    pub code: String,
    pub label: String,
    pub owner: String,
    pub due_on: NaiveDate,
    pub done: bool,
    /// The system ticks it from what it sees.
    pub automatic: bool,
    pub done_at: Option<chrono::DateTime<Utc>>,
    pub done_by: Option<String>,
    pub note: String,
    pub overdue: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChangeDto {
    pub id: String,
    pub staff_id: String,
    pub employee_no: String,
    pub name: String,
    pub kind: String,
    pub kind_label: String,
    pub effective_on: NaiveDate,
    /// `open` or `done`.
    pub status: String,
    pub detail: ChangeDetail,
    pub items: Vec<ChecklistItem>,
    pub applied: bool,
    pub created_by: String,
    pub created_at: chrono::DateTime<Utc>,
    pub completed_at: Option<chrono::DateTime<Utc>>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct TickInput {
    #[serde(default)]
    pub note: String,
}

fn kind_label(kind: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("", |(_, l)| l)
}

/// What the system sees for the automatic items of one person.
async fn seen(
    state: &AppState,
    c: &change::Model,
    staff: &directory::Staff,
    auto: Auto,
) -> AppResult<bool> {
    let (hall_id, staff_id) = (c.hall_id.as_str(), staff.id.as_str());
    Ok(match auto {
        Auto::Numbers => profile::Entity::find_by_id(staff_id.to_string())
            .one(&state.db)
            .await
            .db_err()?
            .is_some_and(|p| p.id_card_enc.is_some() && p.bank_card_enc.is_some()),
        Auto::Account => accounts::staff_account_count(&state.db, staff_id).await?.0 > 0,
        Auto::Windows => !grants::of_staff(&state.db, staff_id).await?.is_empty(),
        Auto::Training => !govhall_training::plans_for(state, hall_id, staff)
            .await?
            .is_empty(),
        Auto::AccountsDisabled => {
            let (all, disabled) = accounts::staff_account_count(&state.db, staff_id).await?;
            all == disabled
        }
        Auto::Contract => crate::contracts::covers(state, staff_id, c.effective_on).await?,
    })
}

async fn dto(state: &AppState, c: change::Model) -> AppResult<ChangeDto> {
    let staff = directory::staff_member(&state.db, &c.staff_id)
        .await?
        .ok_or_else(|| AppError::not_found("工作人员"))?;
    let ticked: Vec<Ticked> = serde_json::from_str(&c.checklist).unwrap_or_default();
    let today = govhall_kernel::time::today();
    let mut items = Vec::new();
    for d in checklist_of(&c.kind) {
        let by_hand = ticked.iter().find(|t| t.code == d.code);
        let done = match d.auto {
            Some(a) => seen(state, &c, &staff, a).await?,
            None => by_hand.is_some(),
        };
        let due_on = c.effective_on + Duration::days(d.due);
        items.push(ChecklistItem {
            code: d.code.into(),
            label: d.label.into(),
            owner: d.owner.into(),
            due_on,
            done,
            automatic: d.auto.is_some(),
            done_at: by_hand.map(|t| t.done_at),
            done_by: by_hand.map(|t| t.done_by.clone()),
            note: by_hand.map(|t| t.note.clone()).unwrap_or_default(),
            overdue: !done && due_on < today,
        });
    }
    Ok(ChangeDto {
        kind_label: kind_label(&c.kind).into(),
        employee_no: staff.employee_no,
        name: staff.name,
        detail: serde_json::from_str(&c.detail).unwrap_or_default(),
        id: c.id,
        staff_id: c.staff_id,
        kind: c.kind,
        effective_on: c.effective_on,
        status: c.status,
        items,
        applied: c.applied,
        created_by: c.created_by,
        created_at: c.created_at,
        completed_at: c.completed_at,
    })
}

/// The hall's records, open ones first, newest first.
pub async fn list(state: &AppState, hall_id: &str) -> AppResult<Vec<ChangeDto>> {
    let rows = change::Entity::find()
        .filter(change::Column::HallId.eq(hall_id))
        .order_by_desc(change::Column::CreatedAt)
        .all(&state.db)
        .await
        .db_err()?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(dto(state, r).await?);
    }
    out.sort_by_key(|c| c.status != "open");
    Ok(out)
}

async fn find(state: &AppState, hall_id: &str, id: &str) -> AppResult<change::Model> {
    change::Entity::find_by_id(id.to_string())
        .filter(change::Column::HallId.eq(hall_id))
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("人员异动记录"))
}

pub async fn get(state: &AppState, hall_id: &str, id: &str) -> AppResult<ChangeDto> {
    dto(state, find(state, hall_id, id).await?).await
}

/// Records a change (入职 is written by onboarding through here too).
pub(crate) async fn insert(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    staff_id: &str,
    kind: &str,
    effective_on: NaiveDate,
    detail: &ChangeDetail,
) -> AppResult<change::Model> {
    change::ActiveModel {
        id: Set(new_id().to_string()),
        hall_id: Set(hall_id.to_string()),
        staff_id: Set(staff_id.to_string()),
        kind: Set(kind.into()),
        effective_on: Set(effective_on),
        status: Set("open".into()),
        detail: Set(serde_json::to_string(detail).map_err(AppError::internal)?),
        checklist: Set("[]".into()),
        applied: Set(false),
        created_by: Set(actor.name.clone()),
        created_at: Set(Utc::now()),
        completed_at: Set(None),
    }
    .insert(&state.db)
    .await
    .db_err()
}

/// 转正, 调岗 or 离职 for a member of the hall's staff.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    input: &ChangeInput,
) -> AppResult<ChangeDto> {
    let mut ch = Checker::new();
    ch.one_of("kind", "异动类型", &input.kind, &KINDS[1..]);
    let staff = directory::staff_member(&state.db, &input.staff_id)
        .await?
        .filter(|s| s.hall_id.as_str() == hall_id);
    ch.check(staff.is_some(), "staff_id", "工作人员不存在或不属于本大厅");
    ch.optional_text("detail.reason", "原因", Some(&input.detail.reason), 200);
    if input.kind == "transfer" {
        let position = input.detail.to_position.clone().unwrap_or_default();
        ch.one_of(
            "detail.to_position",
            "调入岗位",
            &position,
            govhall_directory::model::STAFF_POSITIONS,
        );
        if let Some(d) = &input.detail.to_department_id {
            let found = directory::department(&state.db, hall_id, d)
                .await?
                .is_some();
            ch.check(
                found,
                "detail.to_department_id",
                "调入部门不存在或不属于本大厅",
            );
        }
    }
    if input.kind == "leave" {
        ch.check(
            !input.detail.reason.trim().is_empty(),
            "detail.reason",
            "离职须写明原因",
        );
    }
    let hired = profile::Entity::find_by_id(input.staff_id.clone())
        .one(&state.db)
        .await
        .db_err()?
        .and_then(|p| p.hired_on);
    if let Some(hired) = hired {
        ch.check(
            input.effective_on >= hired,
            "effective_on",
            format!("日期不能早于该人员的入职日期（{hired}）"),
        );
    }
    let open_same = change::Entity::find()
        .filter(change::Column::StaffId.eq(&input.staff_id))
        .filter(change::Column::Kind.eq(&input.kind))
        .filter(change::Column::Status.eq("open"))
        .one(&state.db)
        .await
        .db_err()?;
    ch.check(
        open_same.is_none(),
        "kind",
        format!("该人员已有未办结的{}记录", kind_label(&input.kind)),
    );
    ch.finish()?;
    let row = insert(
        state,
        actor,
        hall_id,
        &input.staff_id,
        &input.kind,
        input.effective_on,
        &input.detail,
    )
    .await?;
    // A change already due takes effect now, not at the next sweep.
    crate::sweep::apply_due(state, Utc::now()).await?;
    get(state, hall_id, &row.id).await
}

/// Ticks a hand-kept item; the 监督签字 only when everything else is done,
/// which closes the record.
pub async fn tick(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    id: &str,
    code: &str,
    input: &TickInput,
) -> AppResult<ChangeDto> {
    let row = find(state, hall_id, id).await?;
    let current = dto(state, row.clone()).await?;
    let Some(it) = current.items.iter().find(|i| i.code == code) else {
        return Err(AppError::not_found("清单事项"));
    };
    if it.automatic {
        return Err(AppError::field(
            "code",
            format!("“{}”由系统根据实际情况自动勾选", it.label),
        ));
    }
    if it.done {
        return Err(AppError::field("code", format!("“{}”已完成", it.label)));
    }
    let last = code == "supervision";
    if last {
        let left: Vec<&str> = current
            .items
            .iter()
            .filter(|i| i.code != code && !i.done)
            .map(|i| i.label.as_str())
            .collect();
        if !left.is_empty() {
            return Err(AppError::field(
                "code",
                format!(
                    "监督签字须在其他事项完成后进行，尚未完成：{}",
                    left.join("、")
                ),
            ));
        }
    }
    let mut ticked: Vec<Ticked> = serde_json::from_str(&row.checklist).unwrap_or_default();
    ticked.push(Ticked {
        code: code.into(),
        done_at: Utc::now(),
        done_by: actor.name.clone(),
        note: input.note.trim().chars().take(200).collect(),
    });
    let all_done = current.items.iter().all(|i| i.done || i.code == code);
    let mut a = row.into_active_model();
    a.checklist = Set(serde_json::to_string(&ticked).map_err(AppError::internal)?);
    if all_done {
        a.status = Set("done".into());
        a.completed_at = Set(Some(Utc::now()));
    }
    let row = a.update(&state.db).await.db_err()?;
    dto(state, row).await
}

/// Puts a due transfer into the directory (department and post).
pub(crate) async fn apply_transfer(state: &AppState, c: &change::Model) -> AppResult<()> {
    let d: ChangeDetail = serde_json::from_str(&c.detail).unwrap_or_default();
    let staff = directory::staff_member(&state.db, &c.staff_id)
        .await?
        .ok_or_else(|| AppError::not_found("工作人员"))?;
    let actor = Actor {
        id: None,
        name: format!("人员管理·调岗（{}）", c.created_by),
    };
    govhall_directory::staff::update(
        state,
        &actor,
        &c.hall_id,
        &c.staff_id,
        &StaffInput {
            employee_no: staff.employee_no,
            name: staff.name,
            department_id: d.to_department_id,
            position: d.to_position.unwrap_or(staff.position),
            phone: None,
        },
    )
    .await?;
    Ok(())
}

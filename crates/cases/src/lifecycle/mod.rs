//! What happens to a case after intake: acceptance after 补正, handover to the
//! department, review with 特别程序 pausing the clock, the decision, the result
//! back at the 出件 window, delivery, withdrawal. Each action is allowed only
//! from the stages `status::next` lists, by the role it belongs to, and moves
//! the stage with a guarded update, so two people acting at once cannot both
//! succeed.

mod actions;
mod input;

pub use input::{Act, ActInput, Acting, DecideInput, Decision, DeliverInput, Delivery};

use crate::deadline::Unit;
use crate::entity::{case, material};
use crate::handover::HandoverInput;
use crate::intake::ensure_window_may_accept;
use crate::status::{Action, Stage, next};
use crate::store::{self, StepInput};
use actions::{Ctx, Draft};
use chrono::{DateTime, Utc};
use govhall_directory::window_sessions::ensure_signed_in_at;
use govhall_kernel::{AppError, error::AppResult, validate::Checker};
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

/// Refuses anyone but a reviewer of the case's competent department.
pub(crate) async fn ensure_reviewer_of(
    state: &AppState,
    user: &CurrentUser,
    c: &case::Model,
) -> AppResult<()> {
    user.require(crate::permissions::REVIEW)?;
    if let Some(dept) = &c.department_id {
        let mine =
            govhall_directory::service::department_of_staff(&state.db, user.staff_id.as_deref())
                .await?;
        if mine.is_none_or(|m| m != *dept) {
            return Err(AppError::Forbidden(format!(
                "只有{}的审批人员能办理此件",
                c.department_name
            )));
        }
    }
    Ok(())
}

/// Who takes an action on a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Taker {
    /// A window clerk (收件, 受理, 交接, 出件, 撤件).
    FrontDesk,
    /// A reviewer of the case's competent department.
    Department,
    /// The hall's management (撤销).
    Hall,
}

/// Who takes this action on this case.
pub(crate) fn taker(c: &case::Model, action: Action) -> Taker {
    if action == Action::Revoke {
        Taker::Hall
    } else if !action.front_desk()
        || (action == Action::RequestCorrection && store::stage_of(c) == Stage::InReview)
    {
        Taker::Department
    } else {
        Taker::FrontDesk
    }
}

/// Refuses a caller whose role does not do this action on this case.
async fn authorize(
    state: &AppState,
    user: &CurrentUser,
    c: &case::Model,
    action: Action,
    window_id: Option<&str>,
) -> AppResult<()> {
    match taker(c, action) {
        Taker::Department => return ensure_reviewer_of(state, user, c).await,
        Taker::Hall => return user.require(crate::permissions::REVOKE),
        Taker::FrontDesk => {}
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
    input: Acting,
) -> AppResult<case::Model> {
    // Materials move on handover sheets: handing over one case makes a sheet of
    // one; signing for a case signs the sheet it is on.
    match input.act {
        Act::HandOver => {
            let sheet = HandoverInput {
                case_ids: vec![case_id.to_string()],
            };
            crate::handover::hand_over(state, user, hall_id, sheet).await?;
            return store::find(&state.db, hall_id, case_id).await;
        }
        Act::SignFor => {
            if let Some(sheet) = crate::handover::open_sheet_of(state, case_id).await? {
                crate::handover::sign(state, user, hall_id, &sheet).await?;
                return store::find(&state.db, hall_id, case_id).await;
            }
        }
        Act::ReturnHandover => {
            if let Some(sheet) = crate::handover::open_sheet_of(state, case_id).await? {
                let back = crate::handover::ReturnInput {
                    case_ids: vec![case_id.to_string()],
                    opinion: input.opinion,
                };
                crate::handover::send_back(state, user, hall_id, &sheet, back).await?;
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
    input: Acting,
) -> AppResult<Planned> {
    let action = input.act.action();
    let c = store::find(&state.db, hall_id, case_id).await?;
    let from = store::stage_of(&c);
    let to =
        next(from, action, c.correcting_after_acceptance).ok_or_else(|| AppError::Conflict {
            message: format!("办件当前为“{}”，不能{}", from.label(), action.label()),
            fields: vec![],
        })?;
    authorize(state, user, &c, action, input.window_id.as_deref()).await?;

    let now = Utc::now();
    let mats = materials_of(&state.db, &c.id).await?;
    let before = mats.iter().map(|m| (m.id.clone(), m.clone())).collect();
    let mut ch = Checker::new();
    let opinion = ch.optional_text("opinion", "意见", input.opinion.as_deref(), 1000);
    let mut row = c.clone().into_active_model();
    row.stage = Set(to.code().to_string());
    row.updated_at = Set(now);
    let cx = Ctx {
        state,
        c: &c,
        from,
        to,
        now,
        today: store::local_date(now),
        calendar: govhall_directory::calendar::load(state).await?,
        unit: Unit::parse(&c.limit_unit),
        opinion,
    };
    let mut d = Draft {
        row,
        mats,
        steps: Vec::new(),
        ch,
    };
    let status = match &input.act {
        Act::Accept { materials, form } => actions::accept(&cx, &mut d, materials, form).await?,
        Act::Refuse { competent_agency } => {
            actions::refuse(&cx, &mut d, competent_agency.as_deref())
        }
        Act::RequestCorrection { items } => actions::request_correction(&cx, &mut d, items),
        Act::HandOver => actions::hand_over(&cx, &mut d),
        Act::SignFor => actions::sign_for(&cx, &mut d),
        Act::StartSpecial { special_kind } => {
            actions::start_special(&cx, &mut d, special_kind.as_deref())
        }
        Act::EndSpecial => actions::end_special(&cx, &mut d),
        Act::Decide(i) => actions::decide(&cx, &mut d, i).await?,
        Act::ReturnResult => actions::return_result(&cx, &mut d),
        Act::Deliver(i) => actions::deliver(&cx, &mut d, i).await?,
        Act::Withdraw => actions::withdraw(&cx, &mut d),
        Act::ReturnHandover => actions::return_handover(&cx, &mut d),
        Act::Revoke => actions::revoke(&cx, &mut d),
    };
    d.ch.finish()?;
    d.row.status = Set(status.code());
    Ok(Planned {
        case: c,
        from,
        action,
        row: d.row,
        mats: d.mats,
        before,
        steps: d.steps,
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
    if p.action == Action::RequestCorrection {
        // What was asked for (the 一次性告知 list): the 成效报告 names the
        // materials most often missing per matter. Material names, not persons.
        let items: Vec<String> =
            serde_json::from_str(&updated.correction_items).unwrap_or_default();
        payload["correction_items"] = items.into();
    }
    let ev = store::event(&updated, crate::events::of_action(p.action), payload);
    Ok((updated, ev))
}

//! Paper that moves outside the handover sheet: a 容缺 material brought later
//! (补交), paper received after the first handover sent on to the department
//! (送交) and signed for there (签收), originals given back to the applicant
//! (归还). Each move is checked per material, written with a guard on the state
//! it was read in (two clerks cannot both move the same paper), and recorded in
//! the case's history and the event log.

use crate::entity::{case, material};
use crate::events::{self, CaseEvent};
use crate::flags::past_first_handover;
use crate::lifecycle::{ensure_reviewer_of, materials_of};
use crate::materials::{Handover, Way};
use crate::status::{Stage, Status};
use crate::store::{self, StepInput};
use chrono::Utc;
use govhall_kernel::{AppError, error::AppResult, validate::Checker};
use govhall_platform::events::EventType;
use govhall_platform::{
    AppState,
    auth::CurrentUser,
    db::{DbResultExt, begin_write},
    events::commit_with,
};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MaterialAction {
    /// 补交: a 容缺 material brought after acceptance (front desk).
    Supplement,
    /// 送交: paper at the front desk sent on to the department after the first handover.
    Forward,
    /// 签收: the department signs for paper sent on (sheets are signed as sheets).
    Receive,
    /// 归还: an original given back to the applicant (front desk or department).
    Return,
}

impl MaterialAction {
    pub const ALL: [MaterialAction; 4] = [
        MaterialAction::Supplement,
        MaterialAction::Forward,
        MaterialAction::Receive,
        MaterialAction::Return,
    ];

    fn code(self) -> &'static str {
        match self {
            MaterialAction::Supplement => "material_supplement",
            MaterialAction::Forward => "material_forward",
            MaterialAction::Receive => "material_receive",
            MaterialAction::Return => "material_return",
        }
    }

    fn event(self) -> &'static EventType<CaseEvent> {
        match self {
            MaterialAction::Supplement => &events::MATERIAL_SUPPLEMENTED,
            MaterialAction::Forward => &events::MATERIAL_FORWARDED,
            MaterialAction::Receive => &events::MATERIAL_RECEIVED,
            MaterialAction::Return => &events::MATERIAL_RETURNED,
        }
    }

    /// The code requests send (its serde name).
    pub fn wire_code(self) -> &'static str {
        match self {
            MaterialAction::Supplement => "supplement",
            MaterialAction::Forward => "forward",
            MaterialAction::Receive => "receive",
            MaterialAction::Return => "return",
        }
    }

    /// The button's word.
    pub fn verb(self) -> &'static str {
        match self {
            MaterialAction::Supplement => "补交",
            MaterialAction::Forward => "送交部门",
            MaterialAction::Receive => "签收",
            MaterialAction::Return => "归还原件",
        }
    }

    fn label(self) -> &'static str {
        match self {
            MaterialAction::Supplement => "补交容缺材料",
            MaterialAction::Forward => "补交材料送交部门",
            MaterialAction::Receive => "部门签收补交材料",
            MaterialAction::Return => "归还原件",
        }
    }
}

/// What a history entry of a material move is called.
pub fn step_title(action: &str) -> Option<&'static str> {
    Some(match action {
        "material_supplement" => "材料补交",
        "material_forward" => "材料送交部门",
        "material_receive" => "部门签收材料",
        "material_return" => "原件归还",
        _ => return None,
    })
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct MaterialActInput {
    pub action: MaterialAction,
    /// The item version's material ids, moved together.
    pub material_ids: Vec<String>,
    /// 补交: how it was received (paper_original / paper_copy / scanned).
    #[serde(default)]
    pub way: Option<Way>,
    /// 说明.
    #[serde(default)]
    pub note: Option<String>,
}

/// A material's state before and after the move.
struct Move {
    row: material::Model,
    way: Way,
    handover: Handover,
}

/// Works out the new state of one material, or says why it cannot move.
fn plan_one(
    action: MaterialAction,
    c: &case::Model,
    m: &material::Model,
    way: Option<Way>,
) -> Result<(Way, Handover), (&'static str, String)> {
    let no = |why: String| Err(("material_ids", why));
    let now_way = Way::parse(&m.way).unwrap_or(Way::Missing);
    let now_at = Handover::parse(&m.handover).unwrap_or(Handover::None);
    match action {
        MaterialAction::Supplement => {
            if now_way != Way::Deferred {
                return no(format!("“{}”不是待补交的容缺材料", m.name));
            }
            match way.filter(|w| matches!(w, Way::PaperOriginal | Way::PaperCopy | Way::Scanned)) {
                Some(way) => Ok((way, Handover::initial(way))),
                None => Err(("way", "补交方式只能是纸质原件、纸质复印件或扫描件".into())),
            }
        }
        MaterialAction::Forward => {
            if now_at != Handover::Front {
                return no(format!("“{}”不在前台，无需送交", m.name));
            }
            if !past_first_handover(c) {
                return no(format!("本件尚未交接，“{}”随材料交接单一并移交", m.name));
            }
            Ok((now_way, Handover::HandedOver))
        }
        MaterialAction::Receive => {
            if now_at != Handover::HandedOver {
                return no(format!("“{}”没有待签收的送交", m.name));
            }
            if store::stage_of(c) == Stage::HandedOver {
                return no("本件随材料交接单移交，请签收交接单".into());
            }
            Ok((now_way, Handover::Signed))
        }
        MaterialAction::Return => {
            let held = matches!(now_at, Handover::Front | Handover::Signed);
            if now_way != Way::PaperOriginal || !held {
                return no(format!(
                    "“{}”不是前台或部门保管的纸质原件，不能归还",
                    m.name
                ));
            }
            Ok((now_way, Handover::Returned))
        }
    }
}

/// The moves open to a material now (the screen's buttons; who may make them
/// is checked when one is made): only 归还原件 once the case ended without a result.
pub(crate) fn available(c: &case::Model, m: &material::Model) -> Vec<MaterialAction> {
    let closed = store::stage_of(c).closed_without_result();
    MaterialAction::ALL
        .into_iter()
        .filter(|a| !closed || *a == MaterialAction::Return)
        .filter(|a| plan_one(*a, c, m, Some(Way::PaperOriginal)).is_ok())
        .collect()
}

/// Whether the department (not the front desk) makes this move: it signs for
/// paper, and gives back the paper it holds.
pub(crate) fn by_department(action: MaterialAction, m: &material::Model) -> bool {
    match action {
        MaterialAction::Receive => true,
        MaterialAction::Return => m.handover == Handover::Signed.code(),
        _ => false,
    }
}

/// Moves materials of a case; returns the case as changed.
pub(crate) async fn act(
    state: &AppState,
    user: &CurrentUser,
    hall_id: &str,
    case_id: &str,
    input: MaterialActInput,
) -> AppResult<case::Model> {
    let c = store::find(&state.db, hall_id, case_id).await?;
    let stage = store::stage_of(&c);
    // A case that ended without a result moves no more paper, except the
    // originals going back to the applicant.
    if stage.closed_without_result() && input.action != MaterialAction::Return {
        return Err(AppError::Conflict {
            message: format!("办件为“{}”，材料不再流转，只能归还原件", stage.label()),
            fields: vec![],
        });
    }
    let mats = materials_of(&state.db, &c.id).await?;
    let mut ch = Checker::new();
    let note = ch.optional_text("note", "说明", input.note.as_deref(), 200);
    let mut ids = input.material_ids.clone();
    ids.sort();
    ids.dedup();
    ch.check(!ids.is_empty(), "material_ids", "请选择要办理的材料");
    let mut moves = Vec::new();
    for id in &ids {
        match mats.iter().find(|m| &m.material_id == id) {
            Some(m) => match plan_one(input.action, &c, m, input.way) {
                Ok((way, handover)) => moves.push(Move {
                    row: m.clone(),
                    way,
                    handover,
                }),
                Err((field, why)) => ch.fail(field, why),
            },
            None => ch.fail("material_ids", "该材料不在本件的材料清单中"),
        }
    }
    ch.finish()?;
    if moves.iter().any(|m| by_department(input.action, &m.row)) {
        ensure_reviewer_of(state, user, &c).await?;
    } else {
        user.require(crate::permissions::INTAKE)?;
    }

    let now = Utc::now();
    let actor = user.actor();
    let names: Vec<&str> = moves.iter().map(|m| m.row.name.as_str()).collect();
    let mut opinion = format!("{}：{}", input.action.label(), names.join("、"));
    if let (MaterialAction::Supplement, Some(w)) = (input.action, input.way) {
        opinion.push_str(&format!("（{}）", w.label()));
    }
    if let Some(n) = &note {
        opinion.push_str(&format!("；{n}"));
    }
    let txn = begin_write(&state.db).await.db_err()?;
    for m in &moves {
        let done = material::Entity::update_many()
            .set(material::ActiveModel {
                way: Set(m.way.code().to_string()),
                handover: Set(m.handover.code().to_string()),
                promised_on: Set(m.row.promised_on.filter(|_| m.way == Way::Deferred)),
                moved_at: Set(Some(now)),
                ..Default::default()
            })
            .filter(material::Column::Id.eq(&m.row.id))
            .filter(material::Column::Way.eq(&m.row.way))
            .filter(material::Column::Handover.eq(&m.row.handover))
            .exec(&txn)
            .await
            .db_err()?;
        if done.rows_affected != 1 {
            return Err(AppError::Conflict {
                message: format!("材料“{}”刚被他人处理，请刷新后再试", m.row.name),
                fields: vec![],
            });
        }
    }
    case::Entity::update_many()
        .set(case::ActiveModel {
            updated_at: Set(now),
            ..Default::default()
        })
        .filter(case::Column::Id.eq(&c.id))
        .exec(&txn)
        .await
        .db_err()?;
    let status = Status::from_code(c.status).unwrap_or(Status::Received);
    let step = StepInput {
        action: input.action.code(),
        stage,
        status,
        opinion,
        special_kind: None,
    };
    store::append_steps(&txn, &c.id, &actor, now, vec![step]).await?;
    let updated = store::find(&txn, hall_id, &c.id).await?;
    let ev = store::event(
        &updated,
        input.action.event(),
        serde_json::json!({
            "material_ids": moves.iter().map(|m| &m.row.material_id).collect::<Vec<_>>(),
            "way": input.way.filter(|_| input.action == MaterialAction::Supplement).map(Way::code),
        }),
    );
    commit_with(state, txn, &actor, vec![ev]).await?;
    Ok(updated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_a_button_sends_back_is_the_one_requests_are_read_with() {
        for a in MaterialAction::ALL {
            let sent = serde_json::to_value(a).unwrap();
            assert_eq!(sent, a.wire_code(), "{a:?}");
        }
    }

    fn mat(way: Way, handover: Handover) -> material::Model {
        material::Model {
            id: "r".into(),
            case_id: "c".into(),
            material_id: "m".into(),
            name: "营业执照".into(),
            necessity: "容缺".into(),
            copies: 1,
            way: way.code().into(),
            promised_on: None,
            handover: handover.code().into(),
            note: None,
            sort_order: 0,
            moved_at: None,
        }
    }

    fn case_in(stage: Stage) -> case::Model {
        crate::flags::tests::a_case(stage)
    }

    #[test]
    fn a_supplement_is_paper_or_scan_of_a_deferred_material() {
        let c = case_in(Stage::Delivered);
        let owed = mat(Way::Deferred, Handover::None);
        assert_eq!(
            plan_one(
                MaterialAction::Supplement,
                &c,
                &owed,
                Some(Way::PaperOriginal)
            ),
            Ok((Way::PaperOriginal, Handover::Front))
        );
        assert_eq!(
            plan_one(MaterialAction::Supplement, &c, &owed, Some(Way::Scanned)),
            Ok((Way::Scanned, Handover::None))
        );
        assert!(plan_one(MaterialAction::Supplement, &c, &owed, Some(Way::Shared)).is_err());
        assert!(plan_one(MaterialAction::Supplement, &c, &owed, None).is_err());
        let held = mat(Way::PaperCopy, Handover::Front);
        assert!(plan_one(MaterialAction::Supplement, &c, &held, Some(Way::PaperCopy)).is_err());
    }

    #[test]
    fn paper_goes_front_then_department_and_only_originals_go_back() {
        let front = mat(Way::PaperOriginal, Handover::Front);
        assert!(
            plan_one(
                MaterialAction::Forward,
                &case_in(Stage::Accepted),
                &front,
                None
            )
            .is_err()
        );
        assert_eq!(
            plan_one(
                MaterialAction::Forward,
                &case_in(Stage::InReview),
                &front,
                None
            ),
            Ok((Way::PaperOriginal, Handover::HandedOver))
        );
        let sent = mat(Way::PaperOriginal, Handover::HandedOver);
        assert!(
            plan_one(
                MaterialAction::Receive,
                &case_in(Stage::HandedOver),
                &sent,
                None
            )
            .is_err()
        );
        assert_eq!(
            plan_one(
                MaterialAction::Receive,
                &case_in(Stage::InReview),
                &sent,
                None
            ),
            Ok((Way::PaperOriginal, Handover::Signed))
        );
        assert!(
            plan_one(
                MaterialAction::Return,
                &case_in(Stage::InReview),
                &sent,
                None
            )
            .is_err()
        );
        let copy = mat(Way::PaperCopy, Handover::Signed);
        assert!(
            plan_one(
                MaterialAction::Return,
                &case_in(Stage::Delivered),
                &copy,
                None
            )
            .is_err()
        );
        let signed = mat(Way::PaperOriginal, Handover::Signed);
        assert_eq!(
            plan_one(
                MaterialAction::Return,
                &case_in(Stage::Delivered),
                &signed,
                None
            ),
            Ok((Way::PaperOriginal, Handover::Returned))
        );
    }
}

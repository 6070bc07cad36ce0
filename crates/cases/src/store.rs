//! Persistence shared by intake and the lifecycle: loading a case, numbering,
//! appending history, and the event every change records.

use crate::entity::{case, counter, step};
use crate::events::CaseEvent;
use crate::numbering::{Facts, Pattern};
use crate::status::{Stage, Status};
use chrono::{DateTime, NaiveDate, Utc};
use govhall_kernel::{AppError, error::AppResult, new_id};
use govhall_platform::{
    db::DbResultExt,
    events::{Actor, EventType, NewEvent},
};
use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};

/// The hall's calendar day (Beijing time).
pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    govhall_kernel::time::local_date(at)
}

pub(crate) async fn find<C: ConnectionTrait>(
    db: &C,
    hall_id: &str,
    id: &str,
) -> AppResult<case::Model> {
    case::Entity::find_by_id(id.to_string())
        .filter(case::Column::HallId.eq(hall_id))
        .one(db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("办件"))
}

pub(crate) fn stage_of(c: &case::Model) -> Stage {
    Stage::parse(&c.stage).unwrap_or(Stage::Received)
}

/// The next 办件编号 of the hall by its pattern (default 实施编码 + `YYYYMMDD` +
/// a four-digit daily sequence). The caller holds the hall's write lock
/// (`lock_hall`). A number already taken (the pattern changed within a period)
/// is skipped.
pub async fn next_number<C: ConnectionTrait>(
    txn: &C,
    hall_id: &str,
    pattern: &Pattern,
    facts: &Facts<'_>,
) -> AppResult<String> {
    let key = pattern.period_key(facts.day);
    let row = counter::Entity::find_by_id((hall_id.to_string(), key.clone()))
        .one(txn)
        .await
        .db_err()?;
    let mut seq = row.as_ref().map_or(0, |r| r.last_seq);
    let number = loop {
        seq += 1;
        let number = pattern.render(facts, seq);
        let taken = case::Entity::find()
            .filter(case::Column::HallId.eq(hall_id))
            .filter(case::Column::Number.eq(&number))
            .one(txn)
            .await
            .db_err()?
            .is_some();
        if !taken {
            break number;
        }
    };
    match row {
        Some(r) => {
            let mut r: counter::ActiveModel = r.into();
            r.last_seq = Set(seq);
            r.update(txn).await.db_err()?;
        }
        None => {
            counter::ActiveModel {
                hall_id: Set(hall_id.to_string()),
                day: Set(key),
                last_seq: Set(seq),
            }
            .insert(txn)
            .await
            .db_err()?;
        }
    }
    Ok(number)
}

/// 查询密码: eight characters without look-alikes (0/O, 1/I/L), so it can be
/// read off paper and is far beyond guessing.
pub fn new_query_code() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let mut rng = rand::thread_rng();
    (0..8)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

/// One history entry to append.
pub struct StepInput<'a> {
    pub action: &'a str,
    pub stage: Stage,
    pub status: Status,
    pub opinion: String,
    pub special_kind: Option<String>,
}

/// Appends history entries after the case's last one.
pub async fn append_steps<C: ConnectionTrait>(
    txn: &C,
    case_id: &str,
    actor: &Actor,
    at: DateTime<Utc>,
    steps: Vec<StepInput<'_>>,
) -> AppResult<()> {
    let last = step::Entity::find()
        .filter(step::Column::CaseId.eq(case_id))
        .order_by_desc(step::Column::Seq)
        .one(txn)
        .await
        .db_err()?
        .map_or(0, |s| s.seq);
    for (i, s) in steps.into_iter().enumerate() {
        step::ActiveModel {
            id: Set(new_id().to_string()),
            case_id: Set(case_id.to_string()),
            seq: Set(last + 1 + i as i32),
            at: Set(at),
            action: Set(s.action.to_string()),
            stage: Set(s.stage.code().to_string()),
            status: Set(s.status.code()),
            actor_id: Set(actor.id.clone()),
            actor_name: Set(actor.name.clone()),
            opinion: Set(s.opinion),
            special_kind: Set(s.special_kind),
        }
        .insert(txn)
        .await
        .db_err()?;
    }
    Ok(())
}

/// The event of a change to a case: what reports and the roadmap's analytics
/// read. Never carries personal data (no names, certificate numbers or phones).
pub(crate) fn event(
    c: &case::Model,
    kind: &EventType<CaseEvent>,
    extra: serde_json::Value,
) -> NewEvent {
    let detail = match extra {
        serde_json::Value::Object(m) => m,
        _ => Default::default(),
    };
    kind.event(
        Some(&c.hall_id),
        &CaseEvent {
            case_id: c.id.clone(),
            number: c.number.clone(),
            task_code: c.task_code.clone(),
            item_version: c.item_version,
            item_name: c.item_name.clone(),
            department_id: c.department_id.clone(),
            window_id: c.window_id.clone(),
            ticket_id: c.ticket_id.clone(),
            status: c.status,
            stage: c.stage.clone(),
            due_on: c.due_on,
            detail,
        },
    )
}

/// Reads a case's history in order.
pub(crate) async fn steps_of<C: ConnectionTrait>(
    db: &C,
    case_id: &str,
) -> AppResult<Vec<step::Model>> {
    step::Entity::find()
        .filter(step::Column::CaseId.eq(case_id))
        .order_by_asc(step::Column::Seq)
        .all(db)
        .await
        .db_err()
}

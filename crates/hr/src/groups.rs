//! 班组: groups of staff with a 组长. A member's leave goes to the 组长
//! first, then to the manager; the 组长 sees the group's attendance (never
//! salaries — the sheet has none). A person is in one group at most: saving
//! a group takes its members out of any other.

use crate::entity::{group, group_member};
use crate::events;
use chrono::Utc;
use govhall_directory::service as directory;
use govhall_kernel::{AppError, error::AppResult, new_id, validate::Checker};
use govhall_platform::{
    AppState,
    db::{DbResultExt, begin_write},
    events::{Actor, commit_with},
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct GroupInput {
    pub name: String,
    pub leader_staff_id: String,
    /// The members (the leader is one whether listed or not).
    #[serde(default)]
    pub member_ids: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupMember {
    pub staff_id: String,
    pub employee_no: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupDto {
    pub id: String,
    pub name: String,
    pub leader_staff_id: String,
    pub leader_name: String,
    pub members: Vec<GroupMember>,
}

/// The hall's groups by name, with their members by 工号.
pub async fn list(state: &AppState, hall_id: &str) -> AppResult<Vec<GroupDto>> {
    let groups = group::Entity::find()
        .filter(group::Column::HallId.eq(hall_id))
        .order_by_asc(group::Column::Name)
        .all(&state.db)
        .await
        .db_err()?;
    let members = group_member::Entity::find()
        .filter(group_member::Column::HallId.eq(hall_id))
        .all(&state.db)
        .await
        .db_err()?;
    let mut staff = directory::hall_staff(&state.db, hall_id).await?;
    staff.sort_by(|a, b| a.employee_no.cmp(&b.employee_no));
    Ok(groups
        .into_iter()
        .map(|g| GroupDto {
            leader_name: staff
                .iter()
                .find(|s| s.id.as_str() == g.leader_staff_id)
                .map(|s| s.name.clone())
                .unwrap_or_default(),
            members: staff
                .iter()
                .filter(|s| {
                    members
                        .iter()
                        .any(|m| m.group_id == g.id && m.staff_id == s.id.as_str())
                })
                .map(|s| GroupMember {
                    staff_id: s.id.as_str().to_string(),
                    employee_no: s.employee_no.clone(),
                    name: s.name.clone(),
                })
                .collect(),
            id: g.id,
            name: g.name,
            leader_staff_id: g.leader_staff_id,
        })
        .collect())
}

/// Adds a group (`id` none) or changes one.
pub async fn save(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    id: Option<&str>,
    input: &GroupInput,
) -> AppResult<GroupDto> {
    let staff = directory::hall_staff(&state.db, hall_id).await?;
    let in_hall = |id: &str| staff.iter().any(|s| s.id.as_str() == id);
    let mut ch = Checker::new();
    let name = ch.text("name", "班组名称", &input.name, 30);
    ch.check(
        in_hall(&input.leader_staff_id),
        "leader_staff_id",
        "组长须是本大厅的工作人员",
    );
    for (i, m) in input.member_ids.iter().enumerate() {
        ch.check(
            in_hall(m),
            &format!("member_ids[{i}]"),
            "组员须是本大厅的工作人员",
        );
    }
    let existing = match id {
        Some(id) => Some(
            group::Entity::find_by_id(id.to_string())
                .filter(group::Column::HallId.eq(hall_id))
                .one(&state.db)
                .await
                .db_err()?
                .ok_or_else(|| AppError::not_found("班组"))?,
        ),
        None => None,
    };
    ch.finish()?;
    let mut members = input.member_ids.clone();
    members.push(input.leader_staff_id.clone());
    members.sort();
    members.dedup();
    let txn = begin_write(&state.db).await.db_err()?;
    let row = match existing {
        Some(g) => {
            let mut a = g.into_active_model();
            a.name = Set(name);
            a.leader_staff_id = Set(input.leader_staff_id.clone());
            a.update(&txn).await.db_err()?
        }
        None => group::ActiveModel {
            id: Set(new_id().to_string()),
            hall_id: Set(hall_id.to_string()),
            name: Set(name),
            leader_staff_id: Set(input.leader_staff_id.clone()),
            created_at: Set(Utc::now()),
        }
        .insert(&txn)
        .await
        .db_err()?,
    };
    group_member::Entity::delete_many()
        .filter(
            sea_orm::Condition::any()
                .add(group_member::Column::GroupId.eq(&row.id))
                .add(group_member::Column::StaffId.is_in(members.clone())),
        )
        .exec(&txn)
        .await
        .db_err()?;
    let rows: Vec<group_member::ActiveModel> = members
        .iter()
        .map(|m| group_member::ActiveModel {
            staff_id: Set(m.clone()),
            group_id: Set(row.id.clone()),
            hall_id: Set(hall_id.to_string()),
        })
        .collect();
    group_member::Entity::insert_many(rows)
        .exec(&txn)
        .await
        .db_err()?;
    let ev = events::GROUP_SAVED.event(
        Some(hall_id),
        &events::GroupSaved {
            group_id: row.id.clone(),
            name: row.name.clone(),
            leader_staff_id: row.leader_staff_id.clone(),
            members: members.len(),
        },
    );
    commit_with(state, txn, actor, vec![ev]).await?;
    list(state, hall_id)
        .await?
        .into_iter()
        .find(|g| g.id == row.id)
        .ok_or_else(|| AppError::not_found("班组"))
}

/// The 组长 of a person's group, when it is someone else.
pub async fn leader_of<C: ConnectionTrait>(db: &C, staff_id: &str) -> AppResult<Option<String>> {
    let Some(m) = group_member::Entity::find_by_id(staff_id.to_string())
        .one(db)
        .await
        .db_err()?
    else {
        return Ok(None);
    };
    Ok(group::Entity::find_by_id(m.group_id)
        .one(db)
        .await
        .db_err()?
        .map(|g| g.leader_staff_id)
        .filter(|l| l != staff_id))
}

/// The group `leader` leads (its first, should they lead several), with its members.
pub async fn led_by(state: &AppState, hall_id: &str, leader: &str) -> AppResult<Option<GroupDto>> {
    Ok(list(state, hall_id)
        .await?
        .into_iter()
        .find(|g| g.leader_staff_id == leader))
}

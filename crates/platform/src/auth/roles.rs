//! Roles the 安全管理员 defines: named bundles of permissions beside the six
//! built-in roles. Custom roles may not carry the reserved permissions of the
//! separated administrator roles, nor be given to an administrator, so
//! editing roles cannot undo 三权分立.

use super::{Permission, Role, entity::user, session::CurrentUser};
use crate::{
    AppState,
    api::{ApiJson, ApiResult, ErrorBody},
    db::DbResultExt,
    events::commit_with,
};
use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use chrono::Utc;
use govhall_kernel::{AppError, error::AppResult, validate::Checker};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "custom_roles")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub code: String,
        pub label: String,
        /// Comma-separated permission codes.
        pub permissions: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Codes of custom roles start with this, so they never collide with a built-in role.
pub const CUSTOM_PREFIX: &str = "custom-";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_roles, create_role))
        .routes(routes!(update_role, delete_role))
}

fn parse_permissions(stored: &str) -> Vec<Permission> {
    stored
        .split(',')
        .filter_map(|c| Permission::parse(c.trim()))
        .collect()
}

/// Adds the permissions of the user's custom roles (one query, only for users who have any).
pub async fn add_custom_permissions<C: ConnectionTrait>(
    db: &C,
    user: &mut CurrentUser,
    stored_roles: &str,
) -> Result<(), sea_orm::DbErr> {
    if !super::model::takes_custom_roles(&user.roles) {
        return Ok(());
    }
    let codes: Vec<&str> = stored_roles
        .split(',')
        .map(str::trim)
        .filter(|c| c.starts_with(CUSTOM_PREFIX))
        .collect();
    if codes.is_empty() {
        return Ok(());
    }
    let rows = entity::Entity::find()
        .filter(entity::Column::Code.is_in(codes))
        .all(db)
        .await?;
    let granted = rows.iter().flat_map(|r| parse_permissions(&r.permissions));
    // A role stored before a permission became reserved still cannot grant it.
    for p in granted.filter(|p| !super::permissions::is_reserved(*p)) {
        if !user.permissions.contains(&p) {
            user.permissions.push(p);
        }
    }
    Ok(())
}

/// Code → label of every custom role.
pub async fn custom_labels(state: &AppState) -> AppResult<HashMap<String, String>> {
    Ok(entity::Entity::find()
        .all(&state.db)
        .await
        .db_err()?
        .into_iter()
        .map(|r| (r.code, r.label))
        .collect())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoleInfo {
    pub code: String,
    pub label: String,
    pub permissions: Vec<String>,
    /// One of the three separated administrator roles.
    pub separated: bool,
    /// Built-in roles cannot be edited; custom ones can.
    pub builtin: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PermissionInfo {
    pub code: String,
    pub label: String,
    /// Only the separated administrator roles carry it.
    pub reserved: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoleCatalog {
    pub roles: Vec<RoleInfo>,
    pub permissions: Vec<PermissionInfo>,
}

/// The built-in and custom roles with their permissions, and every permission.
#[utoipa::path(get, path = "/api/v1/security/roles", security(("govhall" = ["accounts.manage"])), tag = "security", responses((status = 200, body = RoleCatalog)))]
async fn list_roles(State(state): State<AppState>) -> ApiResult<Json<RoleCatalog>> {
    let mut roles: Vec<RoleInfo> = Role::ALL
        .iter()
        .map(|r| RoleInfo {
            code: r.code().into(),
            label: r.label().into(),
            permissions: r
                .permissions()
                .iter()
                .map(|p| p.code().to_string())
                .collect(),
            separated: Role::SEPARATED.contains(r),
            builtin: true,
        })
        .collect();
    let custom = entity::Entity::find()
        .order_by_asc(entity::Column::CreatedAt)
        .all(&state.db)
        .await?;
    roles.extend(custom.into_iter().map(|r| {
        RoleInfo {
            permissions: parse_permissions(&r.permissions)
                .iter()
                .map(|p| p.code().to_string())
                .collect(),
            code: r.code,
            label: r.label,
            separated: false,
            builtin: false,
        }
    }));
    let permissions = super::permissions::all()
        .map(|d| PermissionInfo {
            code: d.permission.code().into(),
            label: d.label.into(),
            reserved: super::permissions::is_reserved(d.permission),
        })
        .collect();
    Ok(Json(RoleCatalog { roles, permissions }))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct RoleInput {
    pub label: String,
    /// Permission codes, e.g. `["directory.read", "events.read"]`.
    pub permissions: Vec<String>,
}

async fn validate(
    state: &AppState,
    input: &RoleInput,
    except: Option<&str>,
) -> AppResult<(String, Vec<Permission>)> {
    let mut c = Checker::new();
    let label = c.text("label", "角色名称", &input.label, 30);
    let mut perms = Vec::new();
    for code in &input.permissions {
        match Permission::parse(code) {
            Some(p) if super::permissions::is_reserved(p) => c.fail(
                "permissions",
                format!(
                    "“{}”只属于系统管理员、安全管理员或审计管理员（三权分立），不能加入自定义角色",
                    p.label()
                ),
            ),
            Some(p) if !perms.contains(&p) => perms.push(p),
            Some(_) => {}
            None => c.fail("permissions", format!("未知权限“{code}”")),
        }
    }
    c.check(
        !perms.is_empty() || !c.is_empty(),
        "permissions",
        "至少选择一项权限",
    );
    c.finish()?;
    let builtin_clash = Role::ALL.iter().any(|r| r.label() == label);
    let custom_clash = entity::Entity::find()
        .filter(entity::Column::Label.eq(&label))
        .one(&state.db)
        .await
        .db_err()?
        .is_some_and(|r| Some(r.code.as_str()) != except);
    if builtin_clash || custom_clash {
        return Err(AppError::duplicate(
            "label",
            format!("已有名为“{label}”的角色"),
        ));
    }
    Ok((label, perms))
}

fn join(perms: &[Permission]) -> String {
    perms.iter().map(|p| p.code()).collect::<Vec<_>>().join(",")
}

/// Define a custom role.
#[utoipa::path(post, path = "/api/v1/security/roles", security(("govhall" = ["accounts.manage"])), tag = "security", request_body = RoleInput,
    responses((status = 201, body = RoleInfo), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_role(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(input): ApiJson<RoleInput>,
) -> ApiResult<(StatusCode, Json<RoleInfo>)> {
    let (label, perms) = validate(&state, &input, None).await?;
    let code = format!(
        "{CUSTOM_PREFIX}{}",
        &govhall_kernel::new_id().simple().to_string()[20..]
    );
    let now = Utc::now();
    let txn = crate::db::begin_write(&state.db).await?;
    entity::ActiveModel {
        code: Set(code.clone()),
        label: Set(label.clone()),
        permissions: Set(join(&perms)),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let info = RoleInfo {
        code,
        label,
        permissions: perms.iter().map(|p| p.code().to_string()).collect(),
        separated: false,
        builtin: false,
    };
    let ev = super::event_types::ROLE_CREATED.event(None, &info);
    commit_with(&state, txn, &user.actor(), vec![ev]).await?;
    Ok((StatusCode::CREATED, Json(info)))
}

async fn find(state: &AppState, code: &str) -> AppResult<entity::Model> {
    if Role::parse(code).is_some() {
        return Err(AppError::Forbidden("内置角色不能修改或删除".into()));
    }
    entity::Entity::find_by_id(code.to_string())
        .one(&state.db)
        .await
        .db_err()?
        .ok_or_else(|| AppError::not_found("角色"))
}

/// Change a custom role's name or permissions (takes effect at the holders' next request).
#[utoipa::path(put, path = "/api/v1/security/roles/{code}", security(("govhall" = ["accounts.manage"])), tag = "security", request_body = RoleInput,
    params(("code" = String, Path)), responses((status = 200, body = RoleInfo), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_role(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
    ApiJson(input): ApiJson<RoleInput>,
) -> ApiResult<Json<RoleInfo>> {
    let existing = find(&state, &code).await?;
    let (label, perms) = validate(&state, &input, Some(&code)).await?;
    let before = existing.permissions.clone();
    let txn = crate::db::begin_write(&state.db).await?;
    let mut row: entity::ActiveModel = existing.into();
    row.label = Set(label.clone());
    row.permissions = Set(join(&perms));
    row.updated_at = Set(Utc::now());
    row.update(&txn).await?;
    let info = RoleInfo {
        code: code.clone(),
        label,
        permissions: perms.iter().map(|p| p.code().to_string()).collect(),
        separated: false,
        builtin: false,
    };
    let ev = super::event_types::ROLE_UPDATED.event(
        None,
        &super::event_types::RoleChanged {
            code: code.clone(),
            label: info.label.clone(),
            before: before
                .split(',')
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect(),
            after: info.permissions.clone(),
        },
    );
    commit_with(&state, txn, &user.actor(), vec![ev]).await?;
    Ok(Json(info))
}

/// Delete a custom role nobody holds.
#[utoipa::path(delete, path = "/api/v1/security/roles/{code}", security(("govhall" = ["accounts.manage"])), tag = "security",
    params(("code" = String, Path)), responses((status = 204), (status = 409, body = ErrorBody)))]
async fn delete_role(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(code): Path<String>,
) -> ApiResult<StatusCode> {
    let existing = find(&state, &code).await?;
    let holders = user::Entity::find()
        .filter(user::Column::Roles.like(format!("%{code}%")))
        .all(&state.db)
        .await?
        .into_iter()
        .filter(|u| u.roles.split(',').any(|c| c == code))
        .count();
    crate::api::refuse_if_referenced(holders as u64, || {
        format!(
            "角色“{}”仍有 {holders} 个账号在用，请先调整这些账号的角色",
            existing.label
        )
    })?;
    let txn = crate::db::begin_write(&state.db).await?;
    entity::Entity::delete_by_id(code.clone())
        .exec(&txn)
        .await?;
    let ev = super::event_types::ROLE_DELETED.event(
        None,
        &super::event_types::RoleRemoved {
            code: code.clone(),
            label: existing.label.clone(),
        },
    );
    commit_with(&state, txn, &user.actor(), vec![ev]).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Validates a list of role codes: built-in roles and existing custom roles.
pub async fn parse_assignable(
    state: &AppState,
    codes: &[String],
) -> AppResult<(Vec<Role>, Vec<String>)> {
    let mut builtin = Vec::new();
    let mut custom = Vec::new();
    let labels = custom_labels(state).await?;
    for code in codes.iter().map(|c| c.trim()) {
        if let Some(r) = Role::parse(code) {
            if !builtin.contains(&r) {
                builtin.push(r);
            }
        } else if labels.contains_key(code) {
            if !custom.iter().any(|c| c == code) {
                custom.push(code.to_string());
            }
        } else {
            return Err(AppError::field("roles", format!("未知角色“{code}”")));
        }
    }
    Ok((builtin, custom))
}

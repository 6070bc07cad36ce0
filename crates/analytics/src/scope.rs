//! Row-level scope, deny by default: what part of a hall's figures a user may
//! see. The widest analytics permission held decides: the whole hall, the
//! department of the user's staff record, or (with `analytics.read` only) the
//! user's own figures; without a staff record to narrow to, nothing.

use crate::dimensions::Source;
use crate::permissions::{DEPARTMENT, HALL, READ};
use govhall_kernel::error::{AppError, AppResult};
use govhall_platform::{AppState, auth::CurrentUser};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Hall,
    Department(String),
    Staff(String),
}

/// The scope as pages show it (“本部门：不动产登记中心”).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScopeDto {
    /// hall / department / staff
    pub kind: &'static str,
    pub id: Option<String>,
    pub label: String,
}

impl Scope {
    /// The user's scope; 403 when they hold no analytics permission, or hold
    /// only a narrow one without the staff record it needs.
    pub async fn of(state: &AppState, user: &CurrentUser) -> AppResult<Scope> {
        if user.can(HALL) {
            return Ok(Scope::Hall);
        }
        if user.can(DEPARTMENT) {
            let dept = govhall_directory::service::department_of_staff(
                &state.read,
                user.staff_id.as_deref(),
            )
            .await?;
            return match dept {
                Some(d) => Ok(Scope::Department(d.to_string())),
                None => Err(AppError::Forbidden(
                    "账号未关联所属部门的人员档案，无法查看部门统计".into(),
                )),
            };
        }
        user.require(READ)?;
        match &user.staff_id {
            Some(s) => Ok(Scope::Staff(s.clone())),
            None => Err(AppError::Forbidden(
                "账号未关联人员档案，只能查看本人统计，请联系管理员关联".into(),
            )),
        }
    }

    /// The condition on `source`'s rows (a column name of the code, and the
    /// value to bind), or a refusal naming the indicator when the source
    /// cannot be narrowed to this scope.
    pub fn condition(
        &self,
        source: Source,
        indicator: &str,
    ) -> AppResult<Option<(&'static str, String)>> {
        use crate::dimensions::Dimension;
        let (dim, id, what) = match self {
            Scope::Hall => return Ok(None),
            Scope::Department(d) => (Dimension::Department, d, "部门"),
            Scope::Staff(s) => (Dimension::Staff, s, "本人"),
        };
        match dim.column(source) {
            Some(col) => Ok(Some((col, id.clone()))),
            None => Err(AppError::Forbidden(format!(
                "指标“{indicator}”不能按{what}划分，只有中心管理员可以查看"
            ))),
        }
    }

    pub async fn describe(&self, state: &AppState) -> ScopeDto {
        match self {
            Scope::Hall => ScopeDto {
                kind: "hall",
                id: None,
                label: "全厅".into(),
            },
            Scope::Department(d) => ScopeDto {
                kind: "department",
                id: Some(d.clone()),
                label: format!(
                    "本部门：{}",
                    crate::labels::one(state, "department", d).await
                ),
            },
            Scope::Staff(s) => ScopeDto {
                kind: "staff",
                id: Some(s.clone()),
                label: format!("本人：{}", crate::labels::one(state, "staff", s).await),
            },
        }
    }
}

//! 入职: one form makes a new hire whole — the directory's staff record,
//! the HR profile, an account with a one-time password (business posts
//! only: an administrator's account stays with the 安全管理员, 三权分立), the
//! windows they may sign in at — and opens the 入职 checklist, where the
//! 岗前 training shows as assigned when a plan for new hires takes them in.

use crate::changes::{self, ChangeDetail, ChangeDto};
use crate::entity::profile;
use crate::grants;
use chrono::{NaiveDate, Utc};
use govhall_directory::staff::{self, StaffInput};
use govhall_kernel::{error::AppResult, validate::Checker};
use govhall_platform::{
    AppState,
    auth::{Role, service as accounts},
    db::DbResultExt,
    events::Actor,
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct HireInput {
    /// 工号, unique in the hall.
    pub employee_no: String,
    pub name: String,
    #[serde(default)]
    pub department_id: Option<String>,
    /// `window_staff`, `dept_reviewer`, `guide` or `center_admin`.
    pub position: String,
    #[serde(default)]
    pub phone: Option<String>,
    pub hired_on: NaiveDate,
    /// The account's name (letters, digits, `_`, `.`); absent: no account now.
    #[serde(default)]
    pub username: Option<String>,
    /// Windows they may sign in at.
    #[serde(default)]
    pub window_ids: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HireResult {
    pub change: ChangeDto,
    pub username: Option<String>,
    /// Shown once; changed at the first sign-in.
    pub one_time_password: Option<String>,
}

/// The built-in role of a post whose account HR may open.
fn role_of(position: &str) -> Option<Role> {
    match position {
        "window_staff" => Some(Role::WindowStaff),
        "dept_reviewer" => Some(Role::DeptReviewer),
        "guide" => Some(Role::Guide),
        _ => None,
    }
}

pub async fn hire(
    state: &AppState,
    actor: &Actor,
    hall_id: &str,
    input: &HireInput,
) -> AppResult<HireResult> {
    // Everything that can be checked is checked before anything is written.
    let mut ch = Checker::new();
    let username = input
        .username
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty());
    if let Some(u) = username {
        ch.check(
            u.len() <= 32
                && u.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.'),
            "username",
            "账号只能包含字母、数字、下划线和点，不超过 32 个字符",
        );
        ch.check(
            !accounts::username_taken(&state.db, u).await?,
            "username",
            format!("账号“{u}”已存在"),
        );
        ch.check(
            role_of(&input.position).is_some(),
            "username",
            "中心管理员账号由安全管理员开通（三权分立），入职时不自动开通",
        );
    }
    grants::check_windows(&mut ch, state, hall_id, "window_ids", &input.window_ids).await?;
    ch.finish()?;
    let staff = staff::create(
        state,
        actor,
        hall_id,
        &StaffInput {
            employee_no: input.employee_no.clone(),
            name: input.name.clone(),
            department_id: input.department_id.clone().filter(|d| !d.is_empty()),
            position: input.position.clone(),
            phone: input.phone.clone().filter(|p| !p.is_empty()),
        },
    )
    .await?;
    profile::ActiveModel {
        staff_id: Set(staff.id.clone()),
        hall_id: Set(hall_id.to_string()),
        id_card_enc: Set(None),
        id_card_idx: Set(None),
        bank_card_enc: Set(None),
        bank_name: Set(String::new()),
        city: Set(String::new()),
        hired_on: Set(Some(input.hired_on)),
        work_started_on: Set(None),
        deduction_from_january: Set(false),
        pay_enc: Set(None),
        updated_at: Set(Utc::now()),
    }
    .insert(&state.db)
    .await
    .db_err()?;
    let mut one_time = None;
    if let (Some(u), Some(role)) = (username, role_of(&input.position)) {
        let password = accounts::one_time_password();
        accounts::create_user(
            state,
            actor,
            accounts::NewUser {
                username: u.to_string(),
                display_name: staff.name.clone(),
                password: password.clone(),
                roles: vec![role],
                custom_roles: vec![],
                hall_id: Some(hall_id.to_string()),
                staff_id: Some(staff.id.clone()),
                must_change_password: true,
            },
        )
        .await?;
        one_time = Some(password);
    }
    if !input.window_ids.is_empty() {
        grants::set(state, &actor.name, hall_id, &staff.id, &input.window_ids).await?;
    }
    let row = changes::insert(
        state,
        actor,
        hall_id,
        &staff.id,
        "onboard",
        input.hired_on,
        &ChangeDetail::default(),
    )
    .await?;
    Ok(HireResult {
        change: changes::get(state, hall_id, &row.id).await?,
        username: username.filter(|_| one_time.is_some()).map(str::to_string),
        one_time_password: one_time,
    })
}

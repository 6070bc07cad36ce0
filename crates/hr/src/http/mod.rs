//! The HR routes: 人事档案 (`profiles`), the payroll (`payroll`), leave
//! (`leave`), the lifecycle (`lifecycle`), attendance (`attendance`), 工装
//! and 福利 (`welfare`), 招聘 (`recruitment`), 班组 (`groups`) and the 个人所得税
//! calculator.

mod attendance;
mod groups;
mod leave;
mod lifecycle;
mod pay_components;
mod payroll;
mod profiles;
mod recruitment;
mod welfare;

use crate::iit::{self, PreviewInput, PreviewResult};
use axum::Json;
use govhall_platform::{
    AppState,
    api::{ApiJson, ApiResult, ErrorBody},
};
use utoipa_axum::{router::OpenApiRouter, routes};

/// The staff member behind the signed-in account; `what` says what needs one.
pub(super) fn staff_of<'a>(
    user: &'a govhall_platform::auth::CurrentUser,
    what: &str,
) -> Result<&'a str, govhall_kernel::AppError> {
    user.staff_id.as_deref().ok_or_else(|| {
        govhall_kernel::AppError::Forbidden(format!("当前账号未关联工作人员，{what}"))
    })
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(preview_iit))
        .merge(profiles::router())
        .merge(payroll::router())
        .merge(pay_components::router())
        .merge(leave::router())
        .merge(lifecycle::router())
        .merge(attendance::router())
        .merge(welfare::router())
        .merge(recruitment::router())
        .merge(groups::router())
}

/// 个人所得税试算 (累计预扣法): consecutive months of one person's income and
/// deductions in, each month's withholding and the cumulative figures out.
/// Nothing is stored; for finance to check a case by hand.
#[utoipa::path(post, path = "/api/v1/payroll/iit/preview", security(("govhall" = ["hr.payroll"])), tag = "payroll",
    request_body = PreviewInput,
    responses((status = 200, body = PreviewResult), (status = 422, body = ErrorBody)))]
async fn preview_iit(ApiJson(body): ApiJson<PreviewInput>) -> ApiResult<Json<PreviewResult>> {
    Ok(Json(iit::preview(&body)?))
}

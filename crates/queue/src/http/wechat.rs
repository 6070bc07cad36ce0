//! WeChat reminders for a ticket: the holder starts the 公众号's silent
//! authorization from the phone; WeChat returns the phone to the callback.

use super::operations::TokenBody;
use crate::wechat::{self};
use axum::{
    Json,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use govhall_platform::{
    AppState,
    api::{ApiJson, ApiQuery, ApiResult, ErrorBody, public_base_url},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(start_wechat))
        .routes(routes!(wechat_callback))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WeChatStart {
    /// WeChat's authorization page; the phone opens it and comes back by itself.
    pub url: String,
}

/// The holder turns on WeChat reminders for the ticket (from inside WeChat).
#[utoipa::path(post, path = "/api/v1/tickets/{id}/wechat", security(()), tag = "queue", request_body = TokenBody,
    params(("id" = String, Path)),
    responses((status = 200, body = WeChatStart), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn start_wechat(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<TokenBody>,
) -> ApiResult<Json<WeChatStart>> {
    let base = public_base_url(&state, &headers);
    Ok(Json(WeChatStart {
        url: wechat::start(&state, &id, &body.token, &base).await?,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CallbackQuery {
    /// WeChat's one-time authorization code (absent when the citizen declined).
    pub code: Option<String>,
    /// The signed state the authorization started with.
    pub state: String,
}

/// WeChat returns the phone here; it is sent on to the ticket's page with
/// `wx=on`, or `wx=failed` when the ticket could not be bound (nothing changes then).
#[utoipa::path(get, path = "/api/v1/public/wechat/callback", security(()), tag = "queue",
    params(CallbackQuery),
    responses((status = 303, description = "to the ticket's page on the phone")))]
async fn wechat_callback(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<CallbackQuery>,
) -> Response {
    let Some(signed) = wechat::verify_state(&state, &q.state) else {
        return to_page("/mobile/?wx=failed".into());
    };
    let ticket_id = signed.ticket_id;
    if !signed.fresh {
        return to_page(format!("/mobile/?ticket={ticket_id}&wx=failed"));
    }
    let code = q.code.unwrap_or_default();
    let outcome = match wechat::finish(&state, &code, &ticket_id).await {
        Ok(t) => format!("hall={}&ticket={}&wx=on", t.hall_id, t.id),
        Err(e) => {
            tracing::warn!(ticket = %ticket_id, error = %e, "微信提醒未能开启");
            format!("ticket={ticket_id}&wx=failed")
        }
    };
    to_page(format!("/mobile/?{outcome}"))
}

fn to_page(location: String) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}

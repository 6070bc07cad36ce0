//! Operational endpoints: liveness, readiness, metrics.

use axum::{Json, extract::State, http::StatusCode};
use govhall_platform::{AppState, db};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(healthz))
        .routes(routes!(readyz))
        .routes(routes!(metrics))
}

#[derive(Serialize, ToSchema)]
pub struct Health {
    pub status: &'static str,
    pub version: &'static str,
}

/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz", security(()), tag = "ops", responses((status = 200, body = Health)))]
async fn healthz() -> Json<Health> {
    Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
    })
}

/// Readiness: the database answers.
#[utoipa::path(get, path = "/readyz", security(()), tag = "ops", responses((status = 200, body = Health), (status = 503, body = Health)))]
async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    if db::ping(&state.db).await {
        (
            StatusCode::OK,
            Json(Health {
                status: "ready",
                version: env!("CARGO_PKG_VERSION"),
            }),
        )
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(Health {
                status: "database unreachable",
                version: env!("CARGO_PKG_VERSION"),
            }),
        )
    }
}

/// Prometheus metrics (text exposition format), for the addresses in `metrics_from` only.
#[utoipa::path(get, path = "/metrics", security(()), tag = "ops", responses((status = 200, content_type = "text/plain", body = String), (status = 403, body = govhall_platform::api::ErrorBody)))]
async fn metrics(
    state: State<AppState>,
    client: Option<axum::Extension<govhall_platform::client_ip::ClientIp>>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let allowed = client.is_some_and(|c| state.config.may_read_metrics(c.0.0));
    if !allowed {
        let refused = govhall_kernel::AppError::Forbidden(
            "该地址不能读取运行指标（请在配置 metrics_from 中加入监控服务器的地址）".into(),
        );
        return govhall_platform::api::ApiError(refused).into_response();
    }
    govhall_platform::metrics::handler(state)
        .await
        .into_response()
}

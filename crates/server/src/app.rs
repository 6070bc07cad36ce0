//! The HTTP application: routes, middleware and serving with graceful shutdown.

use crate::{ops, web};
use axum::{Router, extract::DefaultBodyLimit, http::Request, middleware};
use axum_server::tls_rustls::RustlsConfig;
use govhall_platform::{
    AppState,
    access::{self, Access, AccessTable, RouteAccess},
    audit, auth, calendar, client_ip, directory, events, hardening, metrics,
};
use std::{net::SocketAddr, sync::Arc};
use tokio::net::TcpListener;
use tower_http::{
    compression::CompressionLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    trace::TraceLayer,
};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

#[derive(OpenApi)]
#[openapi(
    info(title = "govhall API", description = "政务服务中心一体化平台接口。错误统一为 {code, message, fields}，message 为中文。"),
    tags(
        (name = "auth", description = "登录与会话"),
        (name = "security", description = "安全管理：账号、角色、会话"),
        (name = "audit", description = "审计日志（仅审计管理员）"),
        (name = "devices", description = "终端设备与设备令牌"),
        (name = "windows", description = "窗口签到、签退、暂停与恢复"),
        (name = "directory", description = "大厅目录：大厅、区域、部门、窗口、人员"),
        (name = "calendar", description = "工作日历"),
        (name = "events", description = "事件日志与实时推送"),
        (name = "catalog", description = "事项库：实施清单、情形、版本、一件事、导入导出、检索"),
        (name = "queue", description = "取叫号：业务队列、取号、叫号、办结"),
        (name = "appointments", description = "预约：时段、短信验证、预约与签到"),
        (name = "ratings", description = "好差评：评价采集与差评整改"),
        (name = "cases", description = "办件：无差别受理、一次性告知、材料流转、部门办理、办结与出件"),
        (name = "notifications", description = "通知：短信发件箱与接口推送"),
        (name = "public", description = "终端公开信息"),
        (name = "ops", description = "运维"),
    )
)]
struct ApiDoc;

/// Opens the application state and every module's own storage and services
/// (the catalog's tables and search index). Everything that serves or seeds uses this.
pub async fn open_state(config: govhall_platform::config::Config) -> anyhow::Result<AppState> {
    let state = AppState::open(config).await?;
    govhall_catalog::open(&state).await?;
    govhall_queue::open(&state).await?;
    govhall_cases::open(&state).await?;
    Ok(state)
}

/// Every documented route, and the OpenAPI document describing them.
pub fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(ops::router())
        .merge(auth::http::router())
        .merge(auth::accounts::router())
        .merge(auth::devices::router())
        .merge(auth::roles::router())
        .merge(audit::http::router())
        .merge(directory::router())
        .merge(calendar::http::router())
        .merge(events::http::router())
        .merge(govhall_platform::notify::http::router())
        .merge(govhall_catalog::router())
        .merge(govhall_queue::router())
        .merge(govhall_cases::router())
        .split_for_parts()
}

/// The API documentation itself is public.
const DOCS_ACCESS: &[RouteAccess] = &[
    ("GET", "/api/openapi.json", Access::Public),
    ("GET", "/api/docs", Access::Public),
    ("GET", "/api/docs/", Access::Public),
    ("GET", "/api/docs/{*rest}", Access::Public),
];

/// Every module's access declarations.
pub fn access_table() -> AccessTable {
    AccessTable::new(&[
        ops::ACCESS,
        DOCS_ACCESS,
        auth::http::ACCESS,
        auth::accounts::ACCESS,
        auth::devices::ACCESS,
        auth::roles::ACCESS,
        audit::http::ACCESS,
        directory::ACCESS,
        directory::window_sessions::ACCESS,
        directory::staff_photos::ACCESS,
        calendar::http::ACCESS,
        events::http::ACCESS,
        govhall_platform::notify::http::ACCESS,
        govhall_catalog::ACCESS,
        govhall_queue::ACCESS,
        govhall_queue::http::operations::ACCESS,
        govhall_queue::http::ratings::ACCESS,
        govhall_queue::http::appointments::ACCESS,
        govhall_queue::http::voice::ACCESS,
        govhall_queue::http::wechat::ACCESS,
        govhall_cases::ACCESS,
    ])
}

/// Request bodies above this are refused (catalog imports and attachments set their own limits).
const BODY_LIMIT: usize = 2 * 1024 * 1024;

pub fn build_router(state: AppState) -> Router {
    let tls = state.config.tls().is_some();
    let (api, openapi) = api();
    let docs: Router<AppState> = SwaggerUi::new("/api/docs")
        .url("/api/openapi.json", openapi)
        .into();
    Router::new()
        .merge(api)
        .merge(docs)
        .fallback(web::serve)
        .layer(middleware::from_fn_with_state((state.clone(), Arc::new(access_table())), access::enforce))
        // Outside the access check, so refused requests are audited too.
        .layer(middleware::from_fn_with_state(state.clone(), audit::middleware::record))
        .layer(middleware::from_fn_with_state(state.clone(), metrics::track))
        // Outside the audit log, which records the client's address.
        .layer(middleware::from_fn_with_state(
            Arc::new(state.config.trusted_proxy_ips()),
            client_ip::layer,
        ))
        .layer(middleware::from_fn(hardening::security_headers))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(CompressionLayer::new())
        .layer(
            // Only the path is logged: query strings may carry personal data (a phone searched for).
            TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                let id = req
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!("http", method = %req.method(), path = %req.uri().path(), request_id = %id)
            }),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(middleware::from_fn(move |req, next| async move {
            if tls {
                hardening::strict_transport_security(req, next).await
            } else {
                next.run(req).await
            }
        }))
        .with_state(state)
}

/// Serves until `state.shutdown` is cancelled (SIGTERM / Ctrl-C in the binary),
/// then lets in-flight requests finish; live streams end on the same signal.
pub async fn serve(state: AppState, listener: TcpListener) -> std::io::Result<()> {
    let shutdown = state.shutdown.clone();
    let tls = state.config.tls();
    // Messages are sent by whichever instance serves; claims keep them single.
    govhall_platform::notify::dispatch::spawn(state.clone());
    govhall_platform::events::bridge::spawn(state.clone());
    govhall_queue::reminders::spawn(state.clone());
    govhall_catalog::follow::spawn(state.clone());
    let app = build_router(state).into_make_service_with_connect_info::<SocketAddr>();
    let Some((cert, key)) = tls else {
        return axum::serve(listener, app)
            .with_graceful_shutdown(async move { shutdown.cancelled().await })
            .await;
    };
    // One crypto provider for the process (ring: no extra build tools needed).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let config = RustlsConfig::from_pem_file(&cert, &key)
        .await
        .map_err(|e| {
            std::io::Error::new(
                e.kind(),
                format!(
                    "无法读取 TLS 证书 {} 或私钥 {}：{e}",
                    cert.display(),
                    key.display()
                ),
            )
        })?;
    let handle = axum_server::Handle::new();
    let stopper = handle.clone();
    tokio::spawn(async move {
        shutdown.cancelled().await;
        stopper.graceful_shutdown(Some(std::time::Duration::from_secs(10)));
    });
    axum_server::from_tcp_rustls(listener.into_std()?, config)?
        .handle(handle)
        .serve(app)
        .await
}

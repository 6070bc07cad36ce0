//! The HTTP application: routes, middleware and serving with graceful shutdown.

use crate::{ops, web};
use anyhow::Context;
use axum::{Router, extract::DefaultBodyLimit, http::Request, middleware};
use axum_server::tls_rustls::RustlsConfig;
use govhall_platform::{
    AppState,
    access::{self, Access, AccessTable, RouteAccess},
    audit,
    auth::permissions,
    client_ip, hardening, metrics,
    module::Module,
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

/// Every module, in the order they depend on each other. This list is the
/// only place the server names its modules: adding one is a crate and a line here.
pub static MODULES: &[&Module] = &[
    &govhall_platform::MODULE,
    &govhall_directory::MODULE,
    &govhall_notify::MODULE,
    &govhall_catalog::MODULE,
    &govhall_queue::MODULE,
    &govhall_ratings::MODULE,
    &govhall_cases::MODULE,
    &govhall_analytics::MODULE,
    &govhall_training::MODULE,
    &govhall_hr::MODULE,
    &govhall_performance::MODULE,
];

#[derive(OpenApi)]
#[openapi(info(
    title = "govhall API",
    description = "政务服务中心一体化平台接口。错误统一为 {code, message, fields}，message 为中文。"
))]
struct ApiDoc;

/// The server's own OpenAPI tags (every module adds its own).
const SERVER_TAGS: &[(&str, &str)] = &[("public", "终端公开信息"), ("ops", "运维")];

/// Brings every module's tables up to date, in module order.
pub async fn migrate(db: &sea_orm::DatabaseConnection) -> anyhow::Result<()> {
    for m in MODULES {
        (m.migrate)(db)
            .await
            .with_context(|| format!("{}（{}）数据迁移失败", m.label, m.name))?;
    }
    Ok(())
}

/// Opens the application state: every module's permissions, tables and
/// services (the catalog's search index, the queue's engines). Everything that
/// serves or seeds uses this.
pub async fn open_state(config: govhall_platform::config::Config) -> anyhow::Result<AppState> {
    permissions::install(MODULES.iter().flat_map(|m| m.permissions));
    govhall_platform::vocabulary::install(MODULES.iter().map(|m| m.words));
    govhall_platform::vocabulary::install_notices(MODULES.iter().map(|m| m.notices));
    govhall_platform::events::catalogue::install(MODULES.iter().flat_map(|m| m.events.iter()));
    let state = AppState::open(config).await?;
    migrate(&state.db).await?;
    for m in MODULES {
        if let Some(open) = m.open {
            open(&state)
                .await
                .with_context(|| format!("{}（{}）无法启动", m.label, m.name))?;
        }
    }
    Ok(state)
}

/// Every documented route, and the OpenAPI document describing them.
pub fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let router = MODULES.iter().fold(
        OpenApiRouter::with_openapi(ApiDoc::openapi()).merge(ops::router()),
        |r, m| r.merge((m.router)()),
    );
    let (router, mut openapi) = router.split_for_parts();
    let tags = MODULES
        .iter()
        .flat_map(|m| m.tags.iter())
        .chain(SERVER_TAGS)
        .map(|(name, description)| {
            utoipa::openapi::tag::TagBuilder::new()
                .name(*name)
                .description(Some(*description))
                .build()
        })
        .collect();
    openapi.tags = Some(tags);
    // The event payloads are part of the contract too (terminals type them).
    let components = openapi.components.get_or_insert_with(Default::default);
    components.schemas.extend(crate::event_catalogue::schemas());
    // What the operations' `security` names: the session cookie (or a
    // terminal's device token as `Authorization: Bearer`), with the
    // permission as the scope.
    use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
    components.add_security_scheme(
        access::SCHEME,
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
            govhall_platform::auth::SESSION_COOKIE,
            "登录会话；终端设备以 Authorization: Bearer 设备令牌调用。所需权限见各接口的 scope。",
        ))),
    );
    (router, openapi)
}

/// The API documentation itself is public.
const DOCS_ACCESS: &[RouteAccess] = &[
    ("GET", "/api/openapi.json", Access::Public),
    ("GET", "/api/docs", Access::Public),
    ("GET", "/api/docs/", Access::Public),
    ("GET", "/api/docs/{*rest}", Access::Public),
];

/// Who may call each route: what every documented operation declares (its
/// `security`), and the documentation pages.
pub fn access_table() -> AccessTable {
    access_table_of(&api().1)
}

fn access_table_of(doc: &utoipa::openapi::OpenApi) -> AccessTable {
    permissions::install(MODULES.iter().flat_map(|m| m.permissions));
    let reads: Vec<(&str, &str)> = MODULES
        .iter()
        .flat_map(|m| m.audited_reads.iter().copied())
        .collect();
    AccessTable::from_openapi(doc, DOCS_ACCESS).with_audited_reads(&reads)
}

/// Request bodies above this are refused (catalog imports and attachments set their own limits).
const BODY_LIMIT: usize = 2 * 1024 * 1024;

pub fn build_router(state: AppState) -> Router {
    let tls = state.config.tls().is_some();
    let (api, openapi) = api();
    let access = Arc::new(access_table_of(&openapi));
    let docs: Router<AppState> = SwaggerUi::new("/api/docs")
        .url("/api/openapi.json", openapi)
        .into();
    Router::new()
        .merge(api)
        .merge(docs)
        .fallback(web::serve)
        .layer(middleware::from_fn_with_state((state.clone(), access), access::enforce))
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
    for m in MODULES {
        if let Some(tasks) = m.tasks {
            tasks(&state);
        }
    }
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

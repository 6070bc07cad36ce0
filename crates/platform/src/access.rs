//! Who may call which endpoint, declared once beside the endpoint's path — as
//! the OpenAPI security requirement of its `#[utoipa::path]`:
//!
//! - `security(())`: anyone, signed in or not;
//! - `security(("govhall" = []))`: any signed-in user;
//! - `security(("govhall" = ["cases.read"]))`: holders of that permission.
//!
//! The table is read from the OpenAPI document and enforced by one
//! middleware. An endpoint that declares nothing is refused (fail closed), a
//! permission nobody defines stops the server at start-up, and a test walks
//! the document to catch omissions.

use crate::{
    AppState,
    api::error_response,
    auth::{CurrentUser, Permission},
};
use axum::{
    extract::{FromRequestParts, MatchedPath, Request, State},
    http::StatusCode,
    middleware::Next,
    response::{IntoResponse, Response},
};
use std::{collections::HashMap, sync::Arc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not (health checks, terminals' public hall info, sign-in itself).
    Public,
    /// Any signed-in user (their own profile, sign-out, password change).
    SignedIn,
    /// A signed-in user holding this permission.
    Permission(Permission),
}

/// One declared endpoint: HTTP method, route template as registered, access rule.
pub type RouteAccess = (&'static str, &'static str, Access);

/// The combined declarations of every module.
#[derive(Debug, Default)]
pub struct AccessTable {
    routes: HashMap<(String, String), Access>,
    /// Reads the audit log records (see `Module::audited_reads`).
    audited_reads: std::collections::HashSet<(String, String)>,
}

/// The name of the security scheme the endpoints declare: the session
/// cookie, or a terminal's device token.
pub const SCHEME: &str = "govhall";

impl AccessTable {
    pub fn new(tables: &[&[RouteAccess]]) -> Self {
        let mut routes = HashMap::new();
        for (method, path, access) in tables.iter().flat_map(|t| t.iter()) {
            let previous = routes.insert((method.to_string(), path.to_string()), *access);
            assert!(previous.is_none(), "{method} {path} is declared twice");
        }
        Self {
            routes,
            audited_reads: Default::default(),
        }
    }

    /// The rules the OpenAPI document's operations declare, plus `extra` for
    /// routes outside the document (the documentation pages themselves).
    /// Panics on a permission no module defines: a typo must not start.
    pub fn from_openapi(doc: &utoipa::openapi::OpenApi, extra: &[RouteAccess]) -> Self {
        let mut table = Self::new(&[extra]);
        let paths = serde_json::to_value(&doc.paths).expect("OpenAPI paths serialize");
        for (path, item) in paths.as_object().into_iter().flatten() {
            for (method, operation) in item.as_object().into_iter().flatten() {
                let Some(access) = declared(operation) else {
                    continue; // not an operation, or declares nothing: refused
                };
                let key = (method.to_uppercase(), path.clone());
                assert!(
                    table.routes.insert(key, access).is_none(),
                    "{method} {path} is declared twice"
                );
            }
        }
        table
    }

    /// Marks reads to be audited; each must be a declared route.
    pub fn with_audited_reads(mut self, reads: &[(&str, &str)]) -> Self {
        for (method, path) in reads {
            let key = (method.to_string(), path.to_string());
            assert!(
                self.routes.contains_key(&key),
                "audited read {method} {path} is not a declared route"
            );
            self.audited_reads.insert(key);
        }
        self
    }

    /// Every declared route: method, route template and rule.
    pub fn routes(&self) -> impl Iterator<Item = (&str, &str, Access)> {
        self.routes
            .iter()
            .map(|((m, p), a)| (m.as_str(), p.as_str(), *a))
    }

    pub fn is_audited_read(&self, method: &str, path: &str) -> bool {
        self.audited_reads
            .contains(&(method.to_uppercase(), path.to_string()))
    }

    pub fn get(&self, method: &str, path: &str) -> Option<Access> {
        self.routes
            .get(&(method.to_uppercase(), path.to_string()))
            .copied()
    }
}

/// The rule an operation declares in its `security`, if it declares one.
fn declared(operation: &serde_json::Value) -> Option<Access> {
    let requirements = operation.get("security")?.as_array()?;
    let [requirement] = requirements.as_slice() else {
        panic!("an operation declares exactly one security requirement: {requirements:?}");
    };
    let Some(scopes) = requirement.get(SCHEME) else {
        assert!(
            requirement.as_object().is_some_and(|o| o.is_empty()),
            "unknown security scheme in {requirement}"
        );
        return Some(Access::Public);
    };
    match scopes.as_array().map(Vec::as_slice) {
        Some([]) => Some(Access::SignedIn),
        Some([code]) => {
            let code = code.as_str().unwrap_or_default();
            let def = crate::auth::permissions::find(code)
                .unwrap_or_else(|| panic!("no module defines the permission {code}"));
            Some(Access::Permission(def.permission))
        }
        _ => panic!("an operation requires one permission at most: {scopes}"),
    }
}

/// Enforces the table. The signed-in user it loads is left in the request's
/// extensions, so handlers do not read the session a second time.
pub async fn enforce(
    State((state, table)): State<(AppState, Arc<AccessTable>)>,
    req: Request,
    next: Next,
) -> Response {
    let Some(route) = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
    else {
        // Static files and the 404 fallback.
        return next.run(req).await;
    };
    // A HEAD is a GET without the body (axum answers it from the GET route).
    let method = if req.method() == axum::http::Method::HEAD {
        "GET".to_string()
    } else {
        req.method().as_str().to_string()
    };
    let Some(access) = table.get(&method, &route) else {
        tracing::error!(method = %req.method(), %route, "endpoint has no declared access rule");
        return error_response(
            StatusCode::FORBIDDEN,
            "forbidden",
            "该接口未声明访问权限，已拒绝",
            vec![],
        );
    };
    if table.is_audited_read(&method, &route)
        && let Some(slot) = req
            .extensions()
            .get::<crate::audit::middleware::AuditSlot>()
    {
        slot.mark_audited_read();
    }
    if access == Access::Public {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    let bearer = parts
        .headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string());
    let user = if let Some(token) = bearer {
        // A device: no cookie, so no CSRF exposure; only purpose-bound permissions.
        match crate::auth::devices::authenticate(&state, &token).await {
            Ok(Some(device)) if access != Access::SignedIn => device,
            Ok(Some(_)) => {
                return error_response(
                    StatusCode::FORBIDDEN,
                    "forbidden",
                    "设备不能调用账号相关接口",
                    vec![],
                );
            }
            Ok(None) => {
                return error_response(
                    StatusCode::UNAUTHORIZED,
                    "unauthorized",
                    "设备令牌无效或已被吊销",
                    vec![],
                );
            }
            Err(e) => return crate::api::ApiError(e).into_response(),
        }
    } else {
        let user = match CurrentUser::from_request_parts(&mut parts, &state).await {
            Ok(user) => user,
            Err(e) => return e.into_response(),
        };
        if !crate::hardening::csrf_ok(&parts) {
            return error_response(
                StatusCode::FORBIDDEN,
                "csrf_failed",
                "请求缺少或带有无效的防伪令牌（CSRF），请刷新页面后重试",
                vec![],
            );
        }
        user
    };
    if let Some(slot) = parts
        .extensions
        .get::<crate::audit::middleware::AuditSlot>()
    {
        slot.set_user(&user);
    }
    if let Access::Permission(p) = access
        && let Err(e) = user.require(p)
    {
        return crate::api::ApiError(e).into_response();
    }
    parts.extensions.insert(user);
    next.run(Request::from_parts(parts, body)).await
}

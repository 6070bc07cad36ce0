//! The catalog's HTTP API under `/api/v1/halls/{hall}/catalog/…`, plus the
//! public search and published-item reads the kiosk and mobile H5 use.

mod bundles;
mod items;
mod public;
mod transfer;

pub use transfer::ImportJobs;

use govhall_platform::{
    AppState,
    access::{Access, RouteAccess},
};
use utoipa_axum::router::OpenApiRouter;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(items::router())
        .merge(bundles::router())
        .merge(transfer::router())
        .merge(public::router())
}

const READ: Access = Access::Permission(crate::permissions::READ);
const EDIT: Access = Access::Permission(crate::permissions::EDIT);
const PUBLISH: Access = Access::Permission(crate::permissions::PUBLISH);
/// Who may call the catalog endpoints.
pub const ACCESS: &[RouteAccess] = &[
    ("GET", "/api/v1/halls/{hall}/catalog/items", READ),
    ("POST", "/api/v1/halls/{hall}/catalog/items", EDIT),
    ("POST", "/api/v1/halls/{hall}/catalog/items/bulk", EDIT),
    ("GET", "/api/v1/halls/{hall}/catalog/items/{id}", READ),
    ("PUT", "/api/v1/halls/{hall}/catalog/items/{id}", EDIT),
    (
        "POST",
        "/api/v1/halls/{hall}/catalog/items/{id}/submit",
        EDIT,
    ),
    (
        "POST",
        "/api/v1/halls/{hall}/catalog/items/{id}/discard",
        EDIT,
    ),
    (
        "POST",
        "/api/v1/halls/{hall}/catalog/items/{id}/publish",
        PUBLISH,
    ),
    (
        "POST",
        "/api/v1/halls/{hall}/catalog/items/{id}/send-back",
        PUBLISH,
    ),
    (
        "POST",
        "/api/v1/halls/{hall}/catalog/items/{id}/withdraw",
        PUBLISH,
    ),
    (
        "GET",
        "/api/v1/halls/{hall}/catalog/items/{id}/versions/{version}",
        READ,
    ),
    ("GET", "/api/v1/halls/{hall}/catalog/items/{id}/diff", READ),
    (
        "POST",
        "/api/v1/halls/{hall}/catalog/items/{id}/resolve",
        READ,
    ),
    (
        "PUT",
        "/api/v1/halls/{hall}/catalog/items/{id}/windows",
        EDIT,
    ),
    ("GET", "/api/v1/halls/{hall}/catalog/completeness", READ),
    ("GET", "/api/v1/halls/{hall}/catalog/search", READ),
    ("GET", "/api/v1/halls/{hall}/catalog/search-misses", READ),
    ("GET", "/api/v1/halls/{hall}/catalog/guidance-choices", READ),
    (
        "POST",
        "/api/v1/halls/{hall}/guidance/sms",
        Access::Permission(crate::permissions::GUIDANCE_SEND),
    ),
    (
        "GET",
        "/api/v1/public/halls/{hall}/guide-links/{token}",
        Access::Public,
    ),
    ("GET", "/api/v1/halls/{hall}/catalog/bundles", READ),
    ("POST", "/api/v1/halls/{hall}/catalog/bundles", EDIT),
    ("PUT", "/api/v1/halls/{hall}/catalog/bundles/{id}", EDIT),
    ("DELETE", "/api/v1/halls/{hall}/catalog/bundles/{id}", EDIT),
    (
        "POST",
        "/api/v1/halls/{hall}/catalog/bundles/{id}/resolve",
        READ,
    ),
    ("GET", "/api/v1/halls/{hall}/catalog/synonyms", READ),
    ("PUT", "/api/v1/halls/{hall}/catalog/synonyms", EDIT),
    ("POST", "/api/v1/halls/{hall}/catalog/import", EDIT),
    ("POST", "/api/v1/halls/{hall}/catalog/import-jobs", EDIT),
    ("GET", "/api/v1/halls/{hall}/catalog/import-jobs/{id}", EDIT),
    ("GET", "/api/v1/halls/{hall}/catalog/export", READ),
    ("GET", "/api/v1/halls/{hall}/catalog/template", READ),
    ("POST", "/api/v1/halls/{hall}/catalog/reindex", PUBLISH),
    ("POST", "/api/v1/halls/{hall}/catalog/attachments", EDIT),
    ("GET", "/api/v1/catalog/enums", READ),
    (
        "GET",
        "/api/v1/public/halls/{hall}/catalog/search",
        Access::Public,
    ),
    (
        "GET",
        "/api/v1/public/halls/{hall}/catalog/items/{code}",
        Access::Public,
    ),
    (
        "POST",
        "/api/v1/public/halls/{hall}/catalog/items/{code}/resolve",
        Access::Public,
    ),
    (
        "GET",
        "/api/v1/public/catalog/attachments/{id}",
        Access::Public,
    ),
];

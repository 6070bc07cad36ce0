//! HTTP conventions shared by every module: the error body
//! `{code, message, fields}`, JSON and query extraction with Chinese
//! rejections, and paging.

use axum::{
    Json,
    extract::{FromRequest, FromRequestParts, Query, Request, rejection::JsonRejection},
    http::{StatusCode, request::Parts},
    response::{IntoResponse, Response},
};
use govhall_kernel::{AppError, FieldError};
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use utoipa::{IntoParams, ToSchema};

/// A file as an answer: its type, its name (any characters, RFC 5987
/// `filename*`), never cached. `attachment` downloads it; otherwise the
/// browser shows it (a PDF to print).
pub fn file_response(name: &str, content_type: &str, bytes: Vec<u8>, attachment: bool) -> Response {
    use axum::http::header;
    let encoded = percent_encoding::utf8_percent_encode(name, percent_encoding::NON_ALPHANUMERIC);
    let how = if attachment { "attachment" } else { "inline" };
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("{how}; filename*=UTF-8''{encoded}"),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}

/// The error body every endpoint returns.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Machine-readable code, e.g. `validation_failed`.
    pub code: String,
    /// What went wrong, in Chinese.
    pub message: String,
    /// Per-field problems, when the input was at fault.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<FieldErrorBody>)]
    pub fields: Vec<FieldError>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FieldErrorBody {
    pub field: String,
    pub message: String,
}

/// An application error on its way out as an HTTP response.
#[derive(Debug)]
pub struct ApiError(pub AppError);

pub type ApiResult<T> = Result<T, ApiError>;

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(e: sea_orm::DbErr) -> Self {
        if crate::db::is_unique_violation(&e) {
            return ApiError(AppError::Conflict {
                message: "数据已被其他人同时修改或编码重复，请刷新后重试".into(),
                fields: vec![],
            });
        }
        ApiError(AppError::internal(e))
    }
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match &self.0 {
            AppError::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::TooManyAttempts(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

pub fn error_response(
    status: StatusCode,
    code: &str,
    message: impl Into<String>,
    fields: Vec<FieldError>,
) -> Response {
    let body = ErrorBody {
        code: code.to_string(),
        message: message.into(),
        fields,
    };
    (status, Json(body)).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let code = self.0.code();
        match self.0 {
            AppError::Internal(detail) => {
                // Logged inside the request's span (which carries the request id); never shown.
                tracing::error!(%detail, "internal error");
                error_response(
                    status,
                    code,
                    "服务器内部错误，请稍后重试；如持续出现，请把响应头中的请求编号（x-request-id）告诉管理员",
                    vec![],
                )
            }
            AppError::Validation { message, fields } | AppError::Conflict { message, fields } => {
                error_response(status, code, message, fields)
            }
            AppError::NotFound(m)
            | AppError::Unauthorized(m)
            | AppError::Forbidden(m)
            | AppError::BadRequest(m)
            | AppError::TooManyAttempts(m) => error_response(status, code, m, vec![]),
        }
    }
}

/// JSON body extractor whose rejections are Chinese `{code, message, fields}` errors.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

fn json_rejection(rejection: JsonRejection) -> Response {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => error_response(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "请求的 Content-Type 必须是 application/json",
            vec![],
        ),
        JsonRejection::JsonSyntaxError(e) => error_response(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            format!(
                "请求体不是有效的 JSON：{}",
                e.body_text().rsplit(": ").next().unwrap_or_default()
            ),
            vec![],
        ),
        JsonRejection::JsonDataError(e) => {
            // axum reports "<path>: <serde message>"; the path names the field.
            let text = e.body_text();
            let detail = text.split_once(": ").map(|(_, d)| d).unwrap_or(&text);
            let (field, why) = detail.split_once(": ").unwrap_or(("", detail));
            let message = if field.is_empty() || field == "." {
                format!("请求内容的结构不正确：{why}")
            } else {
                format!("字段 {field} 的类型或取值不正确：{why}")
            };
            error_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                message.clone(),
                if field.is_empty() || field == "." {
                    vec![]
                } else {
                    vec![FieldError {
                        field: field.to_string(),
                        message,
                    }]
                },
            )
        }
        JsonRejection::BytesRejection(_) => error_response(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "请求体过大或读取失败",
            vec![],
        ),
        other => error_response(
            StatusCode::BAD_REQUEST,
            "bad_request",
            other.body_text(),
            vec![],
        ),
    }
}

/// Query-string extractor with Chinese rejections.
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(v)) => Ok(ApiQuery(v)),
            Err(e) => Err(error_response(
                StatusCode::BAD_REQUEST,
                "bad_request",
                format!(
                    "查询参数不正确：{}",
                    e.body_text().rsplit(": ").next().unwrap_or_default()
                ),
                vec![],
            )),
        }
    }
}

/// `?page=1&page_size=20`
#[derive(Debug, Clone, Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// 1-based page number.
    #[serde(default = "one")]
    pub page: u64,
    /// Rows per page, at most 200.
    #[serde(default = "twenty")]
    pub page_size: u64,
}

fn one() -> u64 {
    1
}
fn twenty() -> u64 {
    20
}

/// The last page a list serves: further on, the row offset would overflow
/// the database's integers (and nobody pages that far).
pub const MAX_PAGE: u64 = 100_000;

/// A requested page number (absent or 0 means the first), refused past [`MAX_PAGE`].
pub fn page_number(page: u64) -> govhall_kernel::error::AppResult<u64> {
    if page > MAX_PAGE {
        return Err(govhall_kernel::AppError::field(
            "page",
            format!("页码须为 1 至 {MAX_PAGE} 之间的整数"),
        ));
    }
    Ok(page.max(1))
}

impl PageQuery {
    /// The page number and size to serve, or a field error for a page past [`MAX_PAGE`].
    pub fn normalized(&self) -> govhall_kernel::error::AppResult<(u64, u64)> {
        Ok((page_number(self.page)?, self.page_size.clamp(1, 200)))
    }
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u64,
    pub page_size: u64,
}

impl<T> Page<T> {
    /// The same page with every item converted.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
            page: self.page,
            page_size: self.page_size,
        }
    }
}

/// The address citizens reach this hall's pages at (links in QR codes and SMS):
/// the configured public address, else the one the request came to.
pub fn public_base_url(state: &crate::AppState, headers: &axum::http::HeaderMap) -> String {
    if let Some(url) = state.config.public_url.as_deref().filter(|u| !u.is_empty()) {
        return url.trim_end_matches('/').to_string();
    }
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1:8080");
    let scheme = if state.config.tls_cert.is_some() {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

/// One page of `query`.
pub async fn fetch_page<E>(
    state: &crate::AppState,
    query: sea_orm::Select<E>,
    paging: &PageQuery,
) -> govhall_kernel::error::AppResult<Page<E::Model>>
where
    E: sea_orm::EntityTrait,
    E::Model: Sync,
{
    use crate::db::DbResultExt;
    use sea_orm::PaginatorTrait;
    let (page, page_size) = paging.normalized()?;
    let pages = query.paginate(&state.db, page_size);
    let total = pages.num_items().await.db_err()?;
    let items = pages.fetch_page(page - 1).await.db_err()?;
    Ok(Page {
        items,
        total,
        page,
        page_size,
    })
}

/// Refuses a delete while other rows still refer to the one being deleted.
pub fn refuse_if_referenced(
    references: u64,
    message: impl FnOnce() -> String,
) -> govhall_kernel::error::AppResult<()> {
    if references == 0 {
        Ok(())
    } else {
        Err(govhall_kernel::AppError::Conflict {
            message: message(),
            fields: vec![],
        })
    }
}

/// The Chinese label of `code` in a code list (`""` when unknown).
pub fn label(list: &[(&str, &'static str)], code: &str) -> &'static str {
    list.iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("")
}

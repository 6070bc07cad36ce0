//! Application errors with Chinese messages a clerk can act on.
//!
//! The HTTP layer (platform) maps each variant to a status code and the
//! `{code, message, fields}` JSON body.

use serde::Serialize;

/// One problem with one input field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field's name as the API spells it (e.g. `credit_code`).
    pub field: String,
    /// What is wrong, in Chinese, naming the field and the rule.
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Input broke one or more rules; nothing was written.
    #[error("{message}")]
    Validation {
        message: String,
        fields: Vec<FieldError>,
    },
    #[error("{0}")]
    NotFound(String),
    /// A uniqueness or state conflict (duplicate code, row still referenced ...).
    #[error("{message}")]
    Conflict {
        message: String,
        fields: Vec<FieldError>,
    },
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    BadRequest(String),
    /// Too many attempts; try again later (sign-in lockout, rate limits).
    #[error("{0}")]
    TooManyAttempts(String),
    /// Something broke inside; the message is logged, never shown.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn validation(fields: Vec<FieldError>) -> Self {
        let message = match fields.as_slice() {
            [one] => one.message.clone(),
            _ => format!("提交的内容有 {} 处不符合要求", fields.len()),
        };
        AppError::Validation { message, fields }
    }

    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::validation(vec![FieldError {
            field: field.to_string(),
            message: message.into(),
        }])
    }

    pub fn duplicate(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        AppError::Conflict {
            message: message.clone(),
            fields: vec![FieldError {
                field: field.to_string(),
                message,
            }],
        }
    }

    pub fn not_found(what: &str) -> Self {
        AppError::NotFound(format!("{what}不存在或已被删除"))
    }

    pub fn internal(e: impl std::fmt::Display) -> Self {
        AppError::Internal(e.to_string())
    }

    /// Stable machine-readable code for clients.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Validation { .. } => "validation_failed",
            AppError::NotFound(_) => "not_found",
            AppError::Conflict { .. } => "conflict",
            AppError::Unauthorized(_) => "unauthorized",
            AppError::Forbidden(_) => "forbidden",
            AppError::BadRequest(_) => "bad_request",
            AppError::TooManyAttempts(_) => "too_many_attempts",
            AppError::Internal(_) => "internal_error",
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;

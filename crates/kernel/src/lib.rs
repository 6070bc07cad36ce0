//! The shared kernel of govhall: pure types and rules with no IO.
//!
//! Everything here is used by several modules and must stay free of storage,
//! HTTP and async concerns so it can be unit-tested in isolation.

pub mod calendar;
pub mod crypto;
pub mod error;
pub mod formula;
pub mod identity;
pub mod ids;
pub mod mask;
pub mod time;
pub mod validate;

pub use error::{AppError, FieldError};
pub use ids::new_id;

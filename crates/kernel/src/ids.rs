//! Identifiers. Internally every row is keyed by a UUIDv7 (time-ordered, unguessable
//! enough for URLs); human numbers such as window codes are separate fields.

use uuid::Uuid;

/// A fresh time-ordered identifier.
pub fn new_id() -> Uuid {
    Uuid::now_v7()
}

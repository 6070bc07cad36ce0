//! Identifiers. Internally every row is keyed by a UUIDv7 (time-ordered, unguessable
//! enough for URLs); human numbers such as window codes are separate fields.

use uuid::Uuid;

/// A fresh time-ordered identifier.
pub fn new_id() -> Uuid {
    Uuid::now_v7()
}

/// Declares an identifier that crosses crates as its own type, so a window's
/// id cannot be passed where a hall's is asked for. It is stored and sent as
/// the plain string (`serde(transparent)`) and reads as `&str` where a string
/// is wanted.
macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn new(id: impl Into<String>) -> Self {
                $name(id.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        impl PartialEq<$name> for String {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }
    };
}

typed_id!(
    /// A hall (政务服务中心).
    HallId
);
typed_id!(
    /// A department stationed in a hall.
    DepartmentId
);
typed_id!(
    /// A window (窗口) of a hall.
    WindowId
);
typed_id!(
    /// A staff member of the directory.
    StaffId
);
typed_id!(
    /// A signed-in account.
    UserId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_id_is_sent_and_compared_as_its_string() {
        let id = WindowId::new("w-1");
        assert_eq!(serde_json::to_value(&id).unwrap(), "w-1");
        let back: WindowId = serde_json::from_str("\"w-1\"").unwrap();
        assert_eq!(back, id);
        let owned = String::from("w-1");
        assert!(id == "w-1");
        assert!(id == *"w-1");
        assert!(id == owned);
        assert!(owned == id);
        assert_eq!(String::from(id), "w-1");
    }
}

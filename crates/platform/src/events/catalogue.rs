//! Typed events. A module declares each event it records as an
//! [`EventType`]: its dotted name, version, Chinese label and payload type.
//! Writers build the [`NewEvent`] from the payload value, readers (screens,
//! webhooks, caches, the analytics to come) parse it back with the same
//! declaration, and the module lists its declarations in its descriptor, so
//! the server publishes the whole catalogue (`docs/events.md`, and the payload
//! schemas in the OpenAPI document) from one list.

use super::{NewEvent, StoredEvent};
use serde::{Serialize, de::DeserializeOwned};
use std::borrow::Cow;
use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::OnceLock;
use utoipa::openapi::{RefOr, schema::Schema};
use utoipa::{PartialSchema, ToSchema};

/// One kind of event and the shape of its payload `P`.
pub struct EventType<P> {
    pub name: &'static str,
    /// Raised when the payload changes incompatibly (a field removed or retyped).
    pub version: u16,
    /// What happened, in Chinese.
    pub label: &'static str,
    payload: PhantomData<fn() -> P>,
}

impl<P> EventType<P> {
    pub const fn new(name: &'static str, label: &'static str) -> Self {
        EventType {
            name,
            version: 1,
            label,
            payload: PhantomData,
        }
    }
}

impl<P: Serialize> EventType<P> {
    /// The event to record, with `payload` (never plaintext personal data).
    pub fn event(&self, hall_id: Option<&str>, payload: &P) -> NewEvent {
        NewEvent::untyped(
            hall_id,
            self.name,
            serde_json::to_value(payload).expect("an event payload serialises"),
        )
    }
}

impl<P: DeserializeOwned> EventType<P> {
    /// The payload, when `e` is this kind of event.
    pub fn read(&self, e: &StoredEvent) -> Option<P> {
        (e.event_type == self.name)
            .then(|| serde_json::from_value(e.payload.clone()).ok())
            .flatten()
    }
}

impl<P: ToSchema> EventType<P> {
    /// The entry of the catalogue.
    pub const fn def(&self) -> EventDef {
        EventDef {
            name: self.name,
            version: self.version,
            label: self.label,
            payload: <P as ToSchema>::name,
            schema: <P as PartialSchema>::schema,
            nested: <P as ToSchema>::schemas,
        }
    }
}

/// An event type as the catalogue lists it.
pub struct EventDef {
    pub name: &'static str,
    pub version: u16,
    pub label: &'static str,
    /// The payload's schema name (a component of the OpenAPI document).
    pub payload: fn() -> Cow<'static, str>,
    pub schema: fn() -> RefOr<Schema>,
    /// Schemas the payload's schema refers to.
    pub nested: fn(&mut Vec<(String, RefOr<Schema>)>),
}

impl EventDef {
    /// The payload's schema and every schema it refers to, by name.
    pub fn schemas(&self) -> Vec<(String, RefOr<Schema>)> {
        let mut out = vec![((self.payload)().into_owned(), (self.schema)())];
        (self.nested)(&mut out);
        out
    }
}

static CATALOGUE: OnceLock<HashMap<&'static str, &'static EventDef>> = OnceLock::new();

/// Installs the modules' declarations, once at start-up (as permissions).
pub fn install(defs: impl IntoIterator<Item = &'static EventDef>) {
    let _ = CATALOGUE.set(defs.into_iter().map(|d| (d.name, d)).collect());
}

/// The declaration of an event type, when a module declared it.
pub fn find(name: &str) -> Option<&'static EventDef> {
    CATALOGUE.get()?.get(name).copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Serialize, Deserialize, ToSchema, PartialEq, Debug)]
    struct Called {
        number: String,
    }

    const CALLED: EventType<Called> = EventType::new("queue.ticket.called", "叫号");
    const OTHER: EventType<Called> = EventType::new("queue.ticket.recalled", "重呼");

    #[test]
    fn an_event_is_written_and_read_back_by_its_declaration() {
        let ev = CALLED.event(
            Some("h"),
            &Called {
                number: "A001".into(),
            },
        );
        assert_eq!(ev.event_type, "queue.ticket.called");
        let stored = StoredEvent {
            seq: 1,
            id: "e".into(),
            hall_id: ev.hall_id.clone(),
            event_type: ev.event_type.clone(),
            actor_id: None,
            actor_name: "系统".into(),
            occurred_at: chrono::Utc::now(),
            payload: ev.payload.clone(),
            summary: String::new(),
        };
        assert_eq!(
            CALLED.read(&stored),
            Some(Called {
                number: "A001".into()
            })
        );
        assert_eq!(OTHER.read(&stored), None, "another type is not this one");
        let def = CALLED.def();
        assert_eq!((def.payload)(), "Called");
        assert_eq!(def.schemas().len(), 1);
    }
}

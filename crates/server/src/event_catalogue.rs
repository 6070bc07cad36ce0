//! The published event catalogue: every typed event of every module, with its
//! version, Chinese label and payload schema. `docs/events.md` (for people)
//! and `docs/events.json` (for programs) are generated from the module list;
//! a test fails when either is stale. The same payload schemas are components
//! of the OpenAPI document, so the web terminals get TypeScript types for them.

use crate::MODULES;
use govhall_platform::events::EventDef;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use utoipa::openapi::{RefOr, schema::Schema};

fn defs() -> impl Iterator<Item = (&'static str, &'static EventDef)> {
    MODULES
        .iter()
        .flat_map(|m| m.events.iter().map(move |e| (m.name, e)))
}

/// Every payload schema (and the schemas they refer to), by name.
pub fn schemas() -> BTreeMap<String, RefOr<Schema>> {
    defs().flat_map(|(_, e)| e.schemas()).collect()
}

/// The machine-readable catalogue (`docs/events.json`).
pub fn json() -> Value {
    let events: Vec<Value> = defs()
        .map(|(module, e)| {
            json!({
                "type": e.name,
                "version": e.version,
                "module": module,
                "label": e.label,
                "payload": (e.payload)(),
            })
        })
        .collect();
    json!({ "events": events, "schemas": schemas() })
}

/// A property's type as a reader says it: `string`, `string | null`, `WindowDto`, `string[]`.
fn type_of(schema: &Value) -> String {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        return r.rsplit('/').next().unwrap_or(r).to_string();
    }
    if let Some(one) = schema.get("oneOf").and_then(Value::as_array) {
        return one.iter().map(type_of).collect::<Vec<_>>().join(" | ");
    }
    if let Some(items) = schema.get("items") {
        let nullable = schema["type"]
            .as_array()
            .is_some_and(|t| t.iter().any(|x| x == "null"));
        return format!(
            "{}[]{}",
            type_of(items),
            if nullable { " | null" } else { "" }
        );
    }
    match schema.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" | "),
        _ => "any".into(),
    }
}

/// The catalogue for people (`docs/events.md`).
pub fn markdown() -> String {
    let schemas = serde_json::to_value(schemas()).unwrap_or_default();
    let mut out = String::from(
        "# 事件目录 Event catalogue\n\n\
         Generated from the modules' typed event declarations (`EventType`); do not edit.\n\
         Regenerate with `GOVHALL_WRITE_DOCS=1 cargo test -p govhall-server --test api event_catalogue`.\n\
         Each event is stored with its type, the hall, the actor and the time; the payload is below.\n\
         A payload never carries plaintext personal data.\n",
    );
    let mut module = "";
    for (m, e) in defs() {
        if m != module {
            module = m;
            out.push_str(&format!("\n## {m}\n"));
        }
        let payload = (e.payload)();
        out.push_str(&format!(
            "\n### `{}` — {}\n\nVersion {} · payload `{payload}`\n\n| Field | Type | Required | Meaning |\n|---|---|---|---|\n",
            e.name, e.label, e.version
        ));
        // A payload with flattened extra fields is an `allOf` of its parts.
        let schema = &schemas[payload.as_ref()];
        let parts: Vec<&Value> = match schema["allOf"].as_array() {
            Some(all) => all.iter().collect(),
            None => vec![schema],
        };
        for part in parts {
            let required: Vec<&str> = part["required"]
                .as_array()
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            match part["properties"].as_object() {
                Some(props) => {
                    for (name, p) in props {
                        let meaning = p["description"].as_str().unwrap_or("").replace('\n', " ");
                        let req = if required.contains(&name.as_str()) {
                            "yes"
                        } else {
                            ""
                        };
                        let ty = type_of(p).replace('|', "\\|");
                        out.push_str(&format!("| `{name}` | {ty} | {req} | {meaning} |\n"));
                    }
                }
                None => {
                    let meaning = part["description"]
                        .as_str()
                        .unwrap_or("")
                        .replace('\n', " ");
                    out.push_str(&format!("| … | {} |  | {meaning} |\n", type_of(part)));
                }
            }
        }
    }
    out
}

//! Records requests in the audit log: every write, every sign-in attempt,
//! every refused request, every read of the audit log itself, and the reads
//! modules declare as audited (personal data, documents, exports, replays).

use super::{AuditEntry, append};
use crate::{AppState, auth::CurrentUser};
use axum::{
    extract::{MatchedPath, Request, State},
    http::Method,
    middleware::Next,
    response::Response,
};
use std::sync::{
    Arc, Mutex,
    atomic::{AtomicBool, Ordering},
};

/// Who made the request, filled in by whichever layer learns it: the access
/// middleware (signed-in user) or the sign-in handler (the name tried).
#[derive(Clone, Default)]
pub struct AuditSlot {
    who: Arc<Mutex<Option<Who>>>,
    /// The service wrote this request's entry itself (see `RequestAudit`).
    recorded: Arc<AtomicBool>,
    /// A read the audit log records (set by the access layer).
    audited_read: Arc<AtomicBool>,
}

#[derive(Clone, Debug)]
pub struct Who {
    pub id: Option<String>,
    pub name: String,
    pub roles: String,
}

impl AuditSlot {
    pub fn set(&self, who: Who) {
        if let Ok(mut slot) = self.who.lock() {
            *slot = Some(who);
        }
    }

    pub fn set_user(&self, user: &CurrentUser) {
        self.set(Who {
            id: Some(user.id.clone()),
            name: user.display_name.clone(),
            roles: user
                .roles
                .iter()
                .map(|r| r.label())
                .collect::<Vec<_>>()
                .join(","),
        });
    }

    /// This request reads what the audit log must record.
    pub fn mark_audited_read(&self) {
        self.audited_read.store(true, Ordering::Relaxed);
    }

    fn peek(&self) -> Option<Who> {
        self.who.lock().ok().and_then(|s| s.clone())
    }
}

/// A request's audit entry, for a service that writes it in the transaction
/// of the change itself (the queue's group commit): the entry then commits
/// with the change, before the answer, and this middleware does not write it
/// a second time.
#[derive(Clone)]
pub struct RequestAudit {
    slot: AuditSlot,
    action: String,
    target: String,
    ip: Option<String>,
}

impl RequestAudit {
    /// The entry for this request answered with `status`, by whoever the
    /// access layer identified.
    pub fn entry(&self, status: u16) -> AuditEntry {
        let who = self.slot.peek();
        AuditEntry {
            actor_id: who.as_ref().and_then(|w| w.id.clone()),
            actor_name: who
                .as_ref()
                .map(|w| w.name.clone())
                .unwrap_or_else(|| "（未登录）".into()),
            actor_roles: who.map(|w| w.roles).unwrap_or_default(),
            action: self.action.clone(),
            target: self.target.clone(),
            ip: self.ip.clone(),
            status: i32::from(status),
        }
    }

    /// The service committed the entry: the middleware skips it.
    pub fn recorded(&self) {
        self.slot.recorded.store(true, Ordering::Relaxed);
    }
}

fn worth_recording(method: &Method, path: &str, status: u16, audited_read: bool) -> bool {
    // Every page asks "who am I?" on load; a 401 there is not an access attempt.
    if *method == Method::GET && path == "/api/v1/auth/me" {
        return false;
    }
    path.starts_with("/api/")
        && (!matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
            || status == 401
            || status == 403
            || audited_read
            || path.starts_with("/api/v1/audit"))
}

pub async fn record(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let slot = AuditSlot::default();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string());
    let ip = req
        .extensions()
        .get::<crate::client_ip::ClientIp>()
        .map(|c| c.0.to_string());
    let request = RequestAudit {
        slot: slot.clone(),
        action: format!("{method} {}", route.unwrap_or_else(|| path.clone())),
        target: path.clone(),
        ip,
    };
    req.extensions_mut().insert(slot.clone());
    req.extensions_mut().insert(request.clone());
    let resp = next.run(req).await;
    let status = resp.status().as_u16();
    let audited_read = slot.audited_read.load(Ordering::Relaxed);
    if !worth_recording(&method, &path, status, audited_read)
        || slot.recorded.load(Ordering::Relaxed)
    {
        return resp;
    }
    let mut entries = vec![request.entry(status)];
    if status == 401 && slot.peek().is_none() {
        // Nobody signed in: one row per address and minute (see `refusals`).
        let address = request.ip.clone().unwrap_or_default();
        let minute = super::refusals::current_minute();
        let (first, finished) = state
            .anonymous_refusals
            .count(&address, minute, &request.action);
        if !first {
            entries.clear();
        }
        entries.extend(finished);
    }
    for e in entries {
        if let Err(e) = append(&state, e).await {
            tracing::error!(error = %e, "could not write the audit log");
        }
    }
    resp
}

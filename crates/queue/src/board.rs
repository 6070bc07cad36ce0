//! What a hall or window screen shows, as one snapshot: every window with its
//! state, who is signed in and the number it serves; the lines with waiting
//! counts and estimates; today's recent calls; and the event sequence to
//! resume the live feed from. A screen loads it at start and after every
//! reconnect, so it catches up whatever it missed.

use crate::tickets::{self, LineQueue, local_day};
use chrono::{DateTime, Duration, Utc};
use govhall_directory::{Staff, service as directory};
use govhall_kernel::error::AppResult;
use govhall_platform::{AppState, db::DbResultExt};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BoardWindow {
    pub id: String,
    pub code: String,
    pub name: String,
    /// open / paused / closed
    pub status: String,
    pub pause_reason: Option<String>,
    /// Signed-in staff member's name and 工号.
    pub staff_name: Option<String>,
    pub employee_no: Option<String>,
    /// The signed-in staff member, when they have a photo (`GET …/staff/{id}/photo`).
    pub photo_staff_id: Option<String>,
    /// The number called or being served here.
    pub current: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BoardCall {
    pub ticket_id: String,
    pub number: String,
    pub window_id: String,
    pub called_at: DateTime<Utc>,
    pub called_count: i32,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Board {
    pub day: String,
    pub windows: Vec<BoardWindow>,
    pub lines: Vec<LineQueue>,
    /// Today's calls, newest first (at most 12).
    pub recent_calls: Vec<BoardCall>,
    /// Resume the event feed after this sequence number.
    pub last_seq: i64,
}

pub async fn board(state: &AppState, hall_id: &str) -> AppResult<Board> {
    // Read the sequence first: anything after it reaches the screen through the feed.
    let last_seq = govhall_platform::events::recent(
        &state.db,
        hall_id,
        1,
        govhall_platform::events::Audience::Staff,
    )
    .await
    .db_err()?
    .first()
    .map_or(0, |e| e.seq);
    let queue = tickets::queue(state, hall_id).await?;
    let (day, _) = local_day(Utc::now());
    let windows = directory::windows(&state.db, hall_id).await?;
    let sessions = directory::open_sessions(&state.db, hall_id).await?;
    let user_ids: Vec<String> = sessions.iter().map(|s| s.user_id.to_string()).collect();
    let users = govhall_platform::auth::service::accounts(&state.db, &user_ids).await?;
    let staff_ids: Vec<String> = users.values().filter_map(|u| u.staff_id.clone()).collect();
    let staff: HashMap<String, Staff> = directory::staff_by_ids(&state.db, &staff_ids)
        .await?
        .into_iter()
        .map(|s| (s.id.to_string(), s))
        .collect();
    let with_photo =
        govhall_directory::staff_photos::with_photo(state, staff.keys().cloned()).await?;
    let serving: HashMap<&str, &str> = queue
        .serving
        .iter()
        .map(|(n, w)| (w.as_str(), n.as_str()))
        .collect();
    let windows = windows
        .into_iter()
        .map(|w| {
            let user = sessions
                .iter()
                .find(|s| s.window_id == w.id)
                .and_then(|s| users.get(s.user_id.as_str()));
            let member = user
                .and_then(|u| u.staff_id.as_ref())
                .and_then(|id| staff.get(id));
            BoardWindow {
                current: serving.get(w.id.as_str()).map(|n| n.to_string()),
                staff_name: member
                    .map(|m| m.name.clone())
                    .or_else(|| user.map(|u| u.display_name.clone())),
                employee_no: member.map(|m| m.employee_no.clone()),
                photo_staff_id: member
                    .map(|m| m.id.to_string())
                    .filter(|id| with_photo.contains(id)),
                id: w.id.into_string(),
                code: w.code,
                name: w.name,
                status: w.status,
                pause_reason: w.pause_reason,
            }
        })
        .collect();
    let recent_calls = recent_calls(state, hall_id, &day).await?;
    Ok(Board {
        day,
        windows,
        lines: queue.lines,
        recent_calls,
        last_seq,
    })
}

/// Today's calls, newest first, one per ticket, read from the call events: a
/// ticket that did not show and went back in line stays listed where it was
/// called (its row no longer names the window).
async fn recent_calls(state: &AppState, hall_id: &str, day: &str) -> AppResult<Vec<BoardCall>> {
    use crate::events::{TICKET_CALLED, TICKET_RECALLED, TICKET_RESUMED};
    let stored = govhall_platform::events::recent_of_types(
        &state.db,
        hall_id,
        &[
            TICKET_CALLED.name,
            TICKET_RECALLED.name,
            TICKET_RESUMED.name,
        ],
        Utc::now() - Duration::hours(24),
        48,
    )
    .await
    .db_err()?;
    let mut seen = HashSet::new();
    Ok(stored
        .iter()
        .filter(|e| local_day(e.occurred_at).0 == day)
        .filter_map(|e| {
            let (ticket_id, number, window_id, called_count) = match TICKET_CALLED.read(e) {
                Some(c) => (c.ticket_id, c.number, c.window_id, 1),
                None => {
                    let a = TICKET_RECALLED.read(e).or_else(|| TICKET_RESUMED.read(e))?;
                    (a.ticket_id, a.number, a.window_id, a.called_count)
                }
            };
            Some(BoardCall {
                ticket_id,
                number,
                window_id,
                called_at: e.occurred_at,
                called_count,
            })
        })
        .filter(|c| seen.insert(c.ticket_id.clone()))
        .take(12)
        .collect())
}

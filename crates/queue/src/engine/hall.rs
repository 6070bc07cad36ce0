//! One hall's waiting tickets in memory, in the order the calling policy reads
//! them, with the day's last numbers and the windows' policy counters.

use crate::entity::{day_counter, line, ticket, window_counter};
use crate::policy::Counters;
use crate::tickets::status;
use chrono::{DateTime, Utc};
use govhall_kernel::error::AppResult;
use govhall_platform::db::DbResultExt;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use std::collections::{BTreeSet, HashMap};

/// A waiting ticket's place: queue time, then number, then id.
type Place = (DateTime<Utc>, i32, String);

pub struct HallQueue {
    /// The service day the tickets are of.
    pub day: String,
    /// The hall's version when loaded (see `super::touch`).
    pub version: i64,
    waiting: HashMap<String, ticket::Model>,
    /// Tickets any window of the line may call, per (line, class).
    lanes: HashMap<(String, String), BTreeSet<Place>>,
    /// Tickets transferred to one window, per window.
    targeted: HashMap<String, BTreeSet<Place>>,
    last_seq: HashMap<String, i32>,
    counters: HashMap<String, Counters>,
}

fn place(t: &ticket::Model) -> Place {
    (t.since, t.seq, t.id.clone())
}

impl HallQueue {
    /// Reads the hall's day from the database, inside the batch's transaction.
    pub(crate) async fn load(
        txn: &DatabaseTransaction,
        hall_id: &str,
        day: &str,
        version: i64,
        lines: &[line::Model],
        window_ids: &[String],
    ) -> AppResult<HallQueue> {
        let tickets = ticket::Entity::find()
            .filter(ticket::Column::HallId.eq(hall_id))
            .filter(ticket::Column::Day.eq(day))
            .filter(ticket::Column::Status.eq(status::WAITING))
            .all(txn)
            .await
            .db_err()?;
        let last_seq = day_counter::Entity::find()
            .filter(day_counter::Column::Day.eq(day))
            .filter(day_counter::Column::LineId.is_in(lines.iter().map(|l| l.id.clone())))
            .all(txn)
            .await
            .db_err()?
            .into_iter()
            .map(|c| (c.line_id, c.last_seq))
            .collect();
        let counters = window_counter::Entity::find()
            .filter(window_counter::Column::Day.eq(day))
            .filter(window_counter::Column::WindowId.is_in(window_ids.iter().cloned()))
            .all(txn)
            .await
            .db_err()?
            .into_iter()
            .map(|c| {
                let counters = Counters {
                    others_since_green: c.others_since_green as u32,
                    greens_in_row: c.greens_in_row as u32,
                    calls: c.calls as u32,
                    appointment_calls: c.appointment_calls as u32,
                };
                (c.window_id, counters)
            })
            .collect();
        let mut hall = HallQueue {
            day: day.to_string(),
            version,
            waiting: HashMap::new(),
            lanes: HashMap::new(),
            targeted: HashMap::new(),
            last_seq,
            counters,
        };
        for t in tickets {
            hall.add(t);
        }
        Ok(hall)
    }

    pub(crate) fn add(&mut self, t: ticket::Model) {
        let at = place(&t);
        match &t.target_window_id {
            Some(w) => self.targeted.entry(w.clone()).or_default().insert(at),
            None => self
                .lanes
                .entry((t.line_id.clone(), t.class.clone()))
                .or_default()
                .insert(at),
        };
        self.waiting.insert(t.id.clone(), t);
    }

    pub(crate) fn remove(&mut self, id: &str) -> Option<ticket::Model> {
        let t = self.waiting.remove(id)?;
        let at = place(&t);
        match &t.target_window_id {
            Some(w) => self.targeted.get_mut(w).map(|s| s.remove(&at)),
            None => self
                .lanes
                .get_mut(&(t.line_id.clone(), t.class.clone()))
                .map(|s| s.remove(&at)),
        };
        Some(t)
    }

    /// Waiting tickets of the line, those transferred to a window included.
    pub fn waiting_in_line(&self, line_id: &str) -> u64 {
        let in_lanes: usize = self
            .lanes
            .iter()
            .filter(|((l, _), _)| l == line_id)
            .map(|(_, s)| s.len())
            .sum();
        let targeted = self
            .targeted
            .values()
            .flatten()
            .filter(|(_, _, id)| self.waiting.get(id).is_some_and(|t| t.line_id == line_id))
            .count();
        (in_lanes + targeted) as u64
    }

    /// The ticket with `n` others of its line ahead of it.
    pub(crate) fn nth_in_line(&self, line_id: &str, n: usize) -> Option<&ticket::Model> {
        let mut first: Vec<&Place> = self
            .lanes
            .iter()
            .filter(|((l, _), _)| l == line_id)
            .flat_map(|(_, s)| s.iter().take(n + 1))
            .collect();
        first.extend(
            self.targeted
                .values()
                .flatten()
                .filter(|(_, _, id)| self.waiting.get(id).is_some_and(|t| t.line_id == line_id)),
        );
        first.sort();
        first.get(n).and_then(|(_, _, id)| self.waiting.get(id))
    }

    /// The oldest waiting ticket of each class in each of `lines`: every
    /// calling rule picks the oldest of some set of these.
    pub(crate) fn heads(&self, lines: &[String]) -> Vec<&ticket::Model> {
        self.lanes
            .iter()
            .filter(|((l, _), _)| lines.contains(l))
            .filter_map(|(_, s)| s.first())
            .filter_map(|(_, _, id)| self.waiting.get(id))
            .collect()
    }

    /// The oldest ticket transferred to this window.
    pub(crate) fn targeted_head(&self, window_id: &str) -> Option<&ticket::Model> {
        self.targeted
            .get(window_id)
            .and_then(|s| s.first())
            .and_then(|(_, _, id)| self.waiting.get(id))
    }

    pub fn last_seq(&self, line_id: &str) -> i32 {
        self.last_seq.get(line_id).copied().unwrap_or(0)
    }

    pub fn set_last_seq(&mut self, line_id: &str, seq: i32) {
        self.last_seq.insert(line_id.to_string(), seq);
    }

    pub fn counters(&self, window_id: &str) -> Counters {
        self.counters.get(window_id).cloned().unwrap_or_default()
    }

    pub fn set_counters(&mut self, window_id: &str, c: Counters) {
        self.counters.insert(window_id.to_string(), c);
    }
}

//! Background work repeated while the server runs (reminders and the like):
//! one loop that stops with the server and logs a failed round instead of
//! ending, so each module writes only the round itself.

use crate::AppState;
use govhall_kernel::error::AppResult;
use std::{future::Future, time::Duration};

/// Runs `round` every `period` until the server shuts down; `what` names it in the log.
pub fn every<F, Fut>(state: &AppState, period: Duration, what: &'static str, round: F)
where
    F: Fn(AppState) -> Fut + Send + 'static,
    Fut: Future<Output = AppResult<()>> + Send,
{
    let state = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(period);
        loop {
            tokio::select! {
                _ = state.shutdown.cancelled() => break,
                _ = tick.tick() => {}
            }
            if let Err(e) = round(state.clone()).await {
                tracing::warn!(error = %e, "{what} failed");
            }
        }
    });
}

//! The queue's periodic reminders, once a minute while the server runs:
//! bookings an hour before their slot.

use govhall_platform::AppState;

/// Starts the reminders; they stop with the server.
pub fn spawn(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            tokio::select! {
                _ = state.shutdown.cancelled() => break,
                _ = tick.tick() => {}
            }
            if let Err(e) = crate::appointments::remind_due(&state).await {
                tracing::warn!(error = %e, "appointment reminders failed");
            }
        }
    });
}

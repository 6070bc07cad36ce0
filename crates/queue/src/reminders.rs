//! The queue's periodic reminders, once a minute while the server runs:
//! bookings an hour before their slot.

use govhall_platform::AppState;

/// Starts the reminders; they stop with the server.
pub fn spawn(state: &AppState) {
    let minute = std::time::Duration::from_secs(60);
    govhall_platform::periodic::every(state, minute, "appointment reminders", |s| async move {
        crate::appointments::remind_due(&s).await.map(|_| ())
    });
}

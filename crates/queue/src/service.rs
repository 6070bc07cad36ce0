//! What other modules ask the queue. The queue's tables stay private; these
//! are its answers.

use crate::tickets::find;
use govhall_kernel::{
    error::AppResult,
    ids::{HallId, WindowId},
};
use govhall_platform::AppState;

/// A ticket as the window that called it sees it: the cases' intake links a
/// case to it and prefills what the kiosk read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalledTicket {
    pub id: String,
    pub hall_id: HallId,
    /// 号票号.
    pub number: String,
    /// The window that called it last.
    pub window_id: Option<WindowId>,
    /// The holder's ID number and phone, when the kiosk or booking had them.
    pub holder_id_no: Option<String>,
    pub holder_phone: Option<String>,
}

/// The ticket `id`, if it exists.
pub async fn called_ticket(state: &AppState, id: &str) -> AppResult<CalledTicket> {
    let t = find(state, id).await?;
    let plain = |enc: &Option<String>| enc.as_deref().and_then(|e| state.pii.decrypt(e).ok());
    Ok(CalledTicket {
        holder_id_no: plain(&t.id_enc),
        holder_phone: plain(&t.phone_enc),
        id: t.id,
        hall_id: HallId::new(t.hall_id),
        number: t.number,
        window_id: t.window_id.map(WindowId::new),
    })
}

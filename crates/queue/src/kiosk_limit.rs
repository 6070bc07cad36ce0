//! A kiosk issues at a person's pace: a device token that asks for tickets
//! faster than `kiosk_tickets_per_minute` (a script, a stuck retry loop, a
//! stolen token) is told to wait, so it cannot flood a line with numbers.
//! Counted per server instance, per device.

use govhall_kernel::{AppError, error::AppResult};
use govhall_platform::{AppState, auth::CurrentUser};
use std::{num::NonZeroU32, sync::Arc};

type DeviceLimiter = governor::RateLimiter<
    String,
    governor::state::keyed::HashMapStateStore<String>,
    governor::clock::DefaultClock,
>;

/// The limiter of this server (none when the setting is 0).
#[derive(Clone)]
pub(crate) struct KioskLimit(Option<Arc<DeviceLimiter>>);

impl KioskLimit {
    pub(crate) fn from_config(per_minute: u32) -> Self {
        KioskLimit(
            NonZeroU32::new(per_minute)
                .map(|n| Arc::new(DeviceLimiter::hashmap(governor::Quota::per_minute(n)))),
        )
    }
}

/// Refuses a device that issues faster than the setting allows; staff are not limited.
pub fn check(state: &AppState, user: &CurrentUser) -> AppResult<()> {
    if !user.is_device() {
        return Ok(());
    }
    let Some(KioskLimit(Some(limiter))) = state.extension::<KioskLimit>() else {
        return Ok(());
    };
    limiter.check_key(&user.id).map_err(|_| {
        AppError::TooManyAttempts(
            "本取号机取号过于频繁，请稍候再试；如取号机反复出现此提示，请联系大厅工作人员".into(),
        )
    })
}

//! Portable migrations (one code path for SQLite and PostgreSQL).
//! Never edit a released migration; add a new one.

use sea_orm_migration::prelude::*;

mod m0001_platform;
mod m0002_calendar_seed;
mod m0003_audit;
mod m0004_login_security;
mod m0005_totp;
mod m0006_devices;
mod m0007_custom_roles;
mod m0008_window_sessions;
mod m0009_notifications;
mod m0010_staff_photos;
mod m0011_totp_replay;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_platform::Migration),
            Box::new(m0002_calendar_seed::Migration),
            Box::new(m0003_audit::Migration),
            Box::new(m0004_login_security::Migration),
            Box::new(m0005_totp::Migration),
            Box::new(m0006_devices::Migration),
            Box::new(m0007_custom_roles::Migration),
            Box::new(m0008_window_sessions::Migration),
            Box::new(m0009_notifications::Migration),
            Box::new(m0010_staff_photos::Migration),
            Box::new(m0011_totp_replay::Migration),
        ]
    }
}

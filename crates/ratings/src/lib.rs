//! 好差评: ratings of visits (一次一评) and of cases (一事一评), 差评
//! rectification tickets and their reminders. The queue and the cases rate
//! their own subjects through `record`; neither knows the other.

mod entity;
pub mod events;
pub mod http;
pub mod permissions;
pub mod record;
pub mod rectification;
pub mod reminders;
pub mod words;

pub use record::{
    LEVELS, RatingDto, RatingInput, Subject, SubjectKind, check, is_bad, is_rated, record,
};
pub use rectification::RectStatus;

/// 好差评 and 差评整改.
pub static MODULE: govhall_platform::module::Module = govhall_platform::module::Module {
    name: "ratings",
    label: "好差评",
    migrate: govhall_platform::migrate_fn!(migrate),
    open: None,
    router: http::router,
    audited_reads: &[],
    tags: &[("ratings", "好差评：评价采集与差评整改")],
    // Rectification reminders, once a minute.
    tasks: Some(reminders::spawn),
    permissions: permissions::PERMISSIONS,
    personal_data: &[govhall_platform::keys::EncryptedTable {
        label: "评价人证件",
        table: "queue_ratings",
        key: "id",
        columns: &["applicant_id_enc"],
        indexes: &[],
    }],
    cleared_on_key_rotation: &[],
    demo: None,
    words: words::WORDS,
    events: events::EVENTS,
    notices: &[("rectification.reminder", "整改提醒")],
};

/// The ratings tables were created by the queue's early migrations, whose
/// history is frozen (migrations are never rewritten); the module's own
/// schema changes will start its own migration table. The queue module must
/// therefore come before this one in the server's list.
pub async fn migrate(_db: &sea_orm::DatabaseConnection) -> anyhow::Result<()> {
    Ok(())
}

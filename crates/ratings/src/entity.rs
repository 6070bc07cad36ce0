//! The ratings tables (created by the queue's early migrations, whose history is frozen).

pub mod rating {
    use sea_orm::entity::prelude::*;

    /// 好差评: one per visit (一次一评) and one per case (一事一评), never
    /// changed once recorded.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "queue_ratings")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        /// The rated ticket's id, or the case's when `subject` is `case`.
        #[sea_orm(unique)]
        pub ticket_id: String,
        /// 号票号, or 办件编号 for a case.
        pub number: String,
        pub line_name: String,
        pub window_id: Option<String>,
        pub window_name: String,
        pub staff_id: Option<String>,
        pub staff_name: String,
        /// 5 非常满意 … 1 非常不满意.
        pub overall: i32,
        pub efficiency: i32,
        pub skill: i32,
        pub attitude: i32,
        /// JSON array of tags.
        #[sea_orm(column_type = "Text")]
        pub tags: String,
        #[sea_orm(column_type = "Text")]
        pub comment: String,
        /// pad / mobile
        pub channel: String,
        pub rated_at: DateTimeUtc,
        pub served_at: Option<DateTimeUtc>,
        /// Snapshot of what the provincial 好差评 system asks for.
        pub hall_code: String,
        pub dept_code: String,
        pub dept_name: String,
        pub window_code: String,
        pub employee_no: String,
        /// The applicant's ID number, encrypted (reported masked).
        pub applicant_id_enc: Option<String>,
        /// `visit` (一次一评) or `case` (一事一评).
        pub subject: String,
        /// A case's 实施编码 and 事项名称.
        pub task_code: Option<String>,
        pub item_name: Option<String>,
    }
    govhall_platform::no_relations!();
}

pub mod rectification {
    use sea_orm::entity::prelude::*;

    /// 差评整改 ticket.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "queue_rectifications")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub hall_id: String,
        #[sea_orm(unique)]
        pub rating_id: String,
        pub status: String,
        /// Last working day to close it, `YYYY-MM-DD`.
        pub due_day: String,
        pub handler: Option<String>,
        /// JSON array of steps: status, actor, time, note.
        #[sea_orm(column_type = "Text")]
        pub history: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }
    govhall_platform::no_relations!();
}

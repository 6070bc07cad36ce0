//! The national schedule (`calendar_days`) and each hall's own days (`hall_calendar_days`).

pub mod national {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "calendar_days")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub date: Date,
        /// `holiday` or `workday`
        pub kind: String,
        pub name: String,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod hall_day {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "hall_calendar_days")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub hall_id: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub date: Date,
        /// `open` (opened on a rest day) or `closed` (closed on a working day)
        pub kind: String,
        pub name: String,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

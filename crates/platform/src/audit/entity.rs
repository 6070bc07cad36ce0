use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub seq: i64,
    pub occurred_at: DateTimeUtc,
    pub actor_id: Option<String>,
    pub actor_name: String,
    pub actor_roles: String,
    /// Method and route template, e.g. `POST /api/v1/halls/{hall}/windows`.
    pub action: String,
    /// The concrete path acted on (ids and codes only; never query strings or bodies).
    pub target: String,
    pub ip: Option<String>,
    pub status: i32,
    /// `success` or `failure`
    pub outcome: String,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

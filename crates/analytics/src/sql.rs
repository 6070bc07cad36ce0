//! Plain SQL on either backend: `$1`-style placeholders, which SQLite and
//! PostgreSQL both read, so one statement text serves both.

use sea_orm::{ConnectionTrait, DbErr, QueryResult, Statement, Value};

pub async fn exec<C: ConnectionTrait>(
    conn: &C,
    sql: &str,
    values: Vec<Value>,
) -> Result<u64, DbErr> {
    let st = Statement::from_sql_and_values(conn.get_database_backend(), sql, values);
    Ok(conn.execute_raw(st).await?.rows_affected())
}

pub async fn rows<C: ConnectionTrait>(
    conn: &C,
    sql: &str,
    values: Vec<Value>,
) -> Result<Vec<QueryResult>, DbErr> {
    let st = Statement::from_sql_and_values(conn.get_database_backend(), sql, values);
    conn.query_all_raw(st).await
}

pub async fn one<C: ConnectionTrait>(
    conn: &C,
    sql: &str,
    values: Vec<Value>,
) -> Result<Option<QueryResult>, DbErr> {
    let st = Statement::from_sql_and_values(conn.get_database_backend(), sql, values);
    conn.query_one_raw(st).await
}

/// A text value, or SQL NULL.
pub fn text(s: Option<&str>) -> Value {
    Value::String(s.map(str::to_string))
}

/// A nullable whole number read from a row (SQLite and PostgreSQL differ on widths).
pub fn int(row: &QueryResult, col: &str) -> Option<i64> {
    row.try_get::<Option<i64>>("", col)
        .ok()
        .flatten()
        .or_else(|| {
            row.try_get::<Option<i32>>("", col)
                .ok()
                .flatten()
                .map(i64::from)
        })
}

/// A nullable number: aggregates are cast to DOUBLE PRECISION in the SQL
/// (PostgreSQL would otherwise return NUMERIC for a SUM of integers).
pub fn num(row: &QueryResult, col: &str) -> Option<f64> {
    row.try_get::<Option<f64>>("", col)
        .ok()
        .flatten()
        .or_else(|| int(row, col).map(|v| v as f64))
}

pub fn string(row: &QueryResult, col: &str) -> Option<String> {
    row.try_get::<Option<String>>("", col).ok().flatten()
}

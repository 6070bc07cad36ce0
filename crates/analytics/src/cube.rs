//! The month cube: an indicator's partial sums per closed month, kept so that
//! a query over three years reads a few rows per month instead of every
//! ticket. A month is computed from the facts the first time a query needs it
//! — by the very statement that computes the days around it — and thrown away
//! when the projection changes a fact of that month (a case decided weeks
//! after it was received, a late sign-out, history written for past days):
//! `invalidate`, in the follower's own transaction. A generation number per
//! hall and month keeps a computation that raced such a change from being
//! stored. Like the facts, the cube is rebuilt from nothing.

use crate::measure::{Partial, Partials, Statement};
use crate::sql;
use chrono::{Datelike, Months, NaiveDate};
use govhall_kernel::error::AppResult;
use govhall_platform::{AppState, db::DbResultExt};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, Value};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Separates the members of a group in one column.
const SEP: char = '\u{1f}';
/// Cube rows per INSERT statement.
const CHUNK: usize = 200;

/// The bucket the cube groups by: the month, and the hour for hourly profiles.
pub fn bucket(source: crate::dimensions::Source, hourly: bool) -> String {
    let (day, _, hour) = source.time_columns();
    if hourly {
        format!("substr({day}, 1, 7) || '|' || CAST({hour} AS TEXT)")
    } else {
        format!("substr({day}, 1, 7)")
    }
}

/// Where a period's figures come from.
#[derive(Debug, PartialEq)]
pub struct Split {
    /// The first days of the months read from the cube.
    pub months: Vec<NaiveDate>,
    /// Days read from the facts and added.
    pub add: Vec<(NaiveDate, NaiveDate)>,
    /// Days of a cube month outside the period, read from the facts and taken away.
    pub minus: Vec<(NaiveDate, NaiveDate)>,
}

/// Splits `from..=to`: a closed month (before the month of `today`) comes
/// from the cube when the period holds more than half of it — the days of
/// it outside the period are then taken away — and every other day from the
/// facts. `None` when no month comes from the cube.
pub fn split(from: NaiveDate, to: NaiveDate, today: NaiveDate) -> Option<Split> {
    let first_of = |d: NaiveDate| d.with_day(1).expect("day 1");
    let next = |m: NaiveDate| m.checked_add_months(Months::new(1)).expect("month");
    let open = first_of(today);
    let mut out = Split {
        months: vec![],
        add: vec![],
        minus: vec![],
    };
    let mut m = first_of(from);
    while m <= to {
        let end = next(m).pred_opt()?;
        let (a, b) = (from.max(m), to.min(end));
        let inside = (b - a).num_days() + 1;
        let length = (end - m).num_days() + 1;
        if next(m) <= open && inside * 2 > length {
            out.months.push(m);
            if a > m {
                out.minus.push((m, a.pred_opt()?));
            }
            if b < end {
                out.minus.push((b.succ_opt()?, end));
            }
        } else {
            match out.add.last_mut() {
                // Consecutive days from the facts are read at once.
                Some(last) if last.1.succ_opt() == Some(a) => last.1 = b,
                _ => out.add.push((a, b)),
            }
        }
        m = next(m);
    }
    (!out.months.is_empty()).then_some(out)
}

fn month_text(m: NaiveDate) -> String {
    m.format("%Y-%m").to_string()
}

/// How the cube's month buckets (`2026-11`, or `2026-11|9` by hour) become
/// a query's buckets: an SQL expression over the column `p` (`None`: one
/// bucket for all), and the same mapping in Rust for months computed now.
pub struct Regroup<'a> {
    pub sql: Option<&'a str>,
    pub map: &'a (dyn Fn(&str) -> Option<String> + Sync),
}

/// The partial sums of `statement` (grouped by the month bucket) for the
/// `months`, from the cube where it holds them — summed across months by the
/// database — otherwise from the facts (and then stored), keyed by the
/// query's buckets. `table` is the fact table the statement reads.
pub async fn partials(
    state: &AppState,
    statement: &Statement,
    hall_id: &str,
    table: &str,
    months: &[NaiveDate],
    regroup: &Regroup<'_>,
) -> AppResult<Partials> {
    let (Some(first), Some(last)) = (months.first(), months.last()) else {
        return Ok(Partials::new());
    };
    let shape = hex::encode(Sha256::digest(statement.shape.as_bytes()));
    let range = || -> Vec<Value> {
        vec![
            shape.clone().into(),
            month_text(*first).into(),
            month_text(*last).into(),
        ]
    };
    let (bucket, group) = match regroup.sql {
        Some(b) => (b.to_string(), "b, members, item"),
        None => ("NULL".to_string(), "members, item"),
    };
    // The months stored and their rows, read in one snapshot: a month and its
    // rows are stored and forgotten together.
    let (built, rows) = {
        let txn = read_snapshot(state).await.db_err()?;
        let built = sql::rows(
            &txn,
            "SELECT month FROM analytics_cube_months WHERE shape = $1 AND month BETWEEN $2 AND $3",
            range(),
        )
        .await
        .db_err()?;
        // `bucket` is one of the query module's constant expressions.
        let rows = sql::rows(
            &txn,
            &format!(
                "SELECT {bucket} AS b, members, item, SUM(num) AS num, SUM(den) AS den, SUM(nr) AS nr FROM analytics_cube \
                 WHERE shape = $1 AND month BETWEEN $2 AND $3 GROUP BY {group}"
            ),
            range(),
        )
        .await
        .db_err()?;
        txn.commit().await.db_err()?;
        (built, rows)
    };
    let built: BTreeSet<String> = built
        .iter()
        .filter_map(|r| sql::string(r, "month"))
        .collect();
    let mut out = Partials::new();
    for r in &rows {
        let Some(members) = sql::string(r, "members") else {
            continue;
        };
        let key = (
            sql::string(r, "b"),
            split_members(&members, statement.dimensions),
        );
        let part = out.entry(key).or_default();
        let num = sql::num(r, "num").unwrap_or(0.0);
        part.rows += sql::num(r, "nr").unwrap_or(0.0);
        match sql::string(r, "item") {
            Some(item) => *part.items.entry(item).or_default() += num,
            None => {
                part.num += num;
                part.den += sql::num(r, "den").unwrap_or(0.0);
            }
        }
    }
    let missing: Vec<NaiveDate> = months
        .iter()
        .copied()
        .filter(|m| !built.contains(&month_text(*m)))
        .collect();
    for run in runs(&missing) {
        let from = run[0];
        let to = run[run.len() - 1]
            .checked_add_months(Months::new(1))
            .and_then(|d| d.pred_opt())
            .expect("month end");
        let generations = generations(&state.read, hall_id, &run).await.db_err()?;
        let computed = statement.run(state, from, to).await?;
        store(
            state,
            &Stored {
                shape: &shape,
                hall_id,
                table,
                daily: statement.daily(),
            },
            &run,
            &generations,
            &computed,
        )
        .await
        .db_err()?;
        for ((p, members), part) in computed {
            let bucket = (regroup.map)(p.as_deref().unwrap_or_default());
            out.entry((bucket, members)).or_default().add(&part);
        }
    }
    Ok(out)
}

/// A read-only transaction whose statements all see one snapshot (SQLite's
/// WAL gives one per transaction; PostgreSQL needs REPEATABLE READ).
async fn read_snapshot(state: &AppState) -> Result<sea_orm::DatabaseTransaction, DbErr> {
    use sea_orm::{AccessMode, IsolationLevel, TransactionTrait};
    match state.read.get_database_backend() {
        DbBackend::Postgres => {
            state
                .read
                .begin_with_config(
                    Some(IsolationLevel::RepeatableRead),
                    Some(AccessMode::ReadOnly),
                )
                .await
        }
        _ => state.read.begin().await,
    }
}

fn split_members(members: &str, dimensions: usize) -> Vec<String> {
    if dimensions == 0 {
        return vec![];
    }
    members.split(SEP).map(str::to_string).collect()
}

/// Consecutive months grouped, so each run is read from the facts at once.
fn runs(months: &[NaiveDate]) -> Vec<Vec<NaiveDate>> {
    let mut out: Vec<Vec<NaiveDate>> = vec![];
    for m in months {
        match out.last_mut() {
            Some(run)
                if run
                    .last()
                    .and_then(|l| l.checked_add_months(Months::new(1)))
                    == Some(*m) =>
            {
                run.push(*m)
            }
            _ => out.push(vec![*m]),
        }
    }
    out
}

async fn generations<C: ConnectionTrait>(
    conn: &C,
    hall_id: &str,
    months: &[NaiveDate],
) -> Result<HashMap<String, i64>, DbErr> {
    let first = month_text(months[0]);
    let last = month_text(months[months.len() - 1]);
    Ok(sql::rows(
        conn,
        "SELECT month, gen FROM analytics_cube_gen WHERE hall_id = $1 AND month BETWEEN $2 AND $3",
        vec![hall_id.into(), first.into(), last.into()],
    )
    .await?
    .iter()
    .filter_map(|r| Some((sql::string(r, "month")?, sql::int(r, "gen")?)))
    .collect())
}

struct Stored<'a> {
    shape: &'a str,
    hall_id: &'a str,
    table: &'a str,
    daily: bool,
}

/// Stores the months of `computed` whose facts did not change meanwhile
/// (their generation is still the one read before computing).
async fn store(
    state: &AppState,
    s: &Stored<'_>,
    months: &[NaiveDate],
    before: &HashMap<String, i64>,
    computed: &Partials,
) -> Result<(), DbErr> {
    let txn = govhall_platform::db::begin_write(&state.db).await?;
    if txn.get_database_backend() == DbBackend::Postgres {
        // The follower's lock: a month is stored or invalidated, never both at once.
        txn.execute_unprepared(
            "SELECT pg_advisory_xact_lock(hashtextextended('analytics.follower', 0))",
        )
        .await?;
    }
    let today = govhall_kernel::time::today().to_string();
    // Figures that depended on an earlier day's date are stale now.
    sql::exec(
        &txn,
        "DELETE FROM analytics_cube WHERE shape IN \
         (SELECT shape FROM analytics_cube_months WHERE daily = 1 AND made_on < $1)",
        vec![today.clone().into()],
    )
    .await?;
    sql::exec(
        &txn,
        "DELETE FROM analytics_cube_months WHERE daily = 1 AND made_on < $1",
        vec![today.clone().into()],
    )
    .await?;
    let now = generations(&txn, s.hall_id, months).await?;
    let mut by_month: BTreeMap<String, Vec<(&crate::measure::Key, &Partial)>> =
        months.iter().map(|m| (month_text(*m), vec![])).collect();
    for (key, part) in computed {
        let month: String = key.0.as_deref().unwrap_or("").chars().take(7).collect();
        if let Some(list) = by_month.get_mut(&month) {
            list.push((key, part));
        }
    }
    for (month, groups) in by_month {
        if now.get(&month) != before.get(&month) {
            continue;
        }
        let claimed = sql::exec(
            &txn,
            "INSERT INTO analytics_cube_months (shape, month, hall_id, tbl, daily, made_on) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (shape, month) DO NOTHING",
            vec![
                s.shape.into(),
                month.clone().into(),
                s.hall_id.into(),
                s.table.into(),
                i64::from(s.daily).into(),
                today.clone().into(),
            ],
        )
        .await?;
        if claimed == 0 {
            continue;
        }
        let rows: Vec<[Value; 6]> = groups
            .iter()
            .flat_map(|(key, part)| cube_rows(key, part))
            .collect();
        for chunk in rows.chunks(CHUNK) {
            let mut values: Vec<Value> = vec![];
            let mut tuples = vec![];
            for row in chunk {
                let base = values.len();
                values.extend([
                    s.hall_id.into(),
                    s.table.into(),
                    s.shape.into(),
                    month.clone().into(),
                ]);
                values.extend(row.iter().cloned());
                tuples.push(format!(
                    "({})",
                    (1..=10)
                        .map(|n| format!("${}", base + n))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            sql::exec(
                &txn,
                &format!(
                    "INSERT INTO analytics_cube (hall_id, tbl, shape, month, p, members, item, num, den, nr) VALUES {}",
                    tuples.join(", ")
                ),
                values,
            )
            .await?;
        }
    }
    txn.commit().await
}

/// A group's partial sums as cube rows (p, members, item, num, den): one row
/// for a ratio, one per item for a histogram or per-head figure.
fn cube_rows(key: &crate::measure::Key, part: &Partial) -> Vec<[Value; 6]> {
    let p = sql::text(key.0.as_deref());
    let members: String = key.1.join(&SEP.to_string());
    if part.items.is_empty() {
        // A ratio's row has no item (an item may itself be the empty person).
        return vec![[
            p,
            members.into(),
            sql::text(None),
            part.num.into(),
            part.den.into(),
            part.rows.into(),
        ]];
    }
    // The group's fact rows ride on its first item.
    part.items
        .iter()
        .enumerate()
        .map(|(n, (item, v))| {
            [
                p.clone(),
                members.clone().into(),
                item.clone().into(),
                (*v).into(),
                0.0f64.into(),
                if n == 0 { part.rows } else { 0.0 }.into(),
            ]
        })
        .collect()
}

/// Forgets the cube's months of `hall` that a fact change touched: `table`
/// is the fact table changed, `*` for all of them.
pub async fn invalidate<C: ConnectionTrait>(
    conn: &C,
    hall_id: &str,
    month: &str,
    table: &str,
) -> Result<(), DbErr> {
    for t in ["analytics_cube", "analytics_cube_months"] {
        // Table names are this function's constants.
        sql::exec(
            conn,
            &format!(
                "DELETE FROM {t} WHERE hall_id = $1 AND month = $2 AND ($3 = '*' OR tbl = $3)"
            ),
            vec![hall_id.into(), month.into(), table.into()],
        )
        .await?;
    }
    sql::exec(
        conn,
        "INSERT INTO analytics_cube_gen (hall_id, month, gen) VALUES ($1, $2, 1) \
         ON CONFLICT (hall_id, month) DO UPDATE SET gen = analytics_cube_gen.gen + 1",
        vec![hall_id.into(), month.into()],
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn closed_months_come_from_the_cube_and_the_rest_from_the_facts() {
        let today = d("2026-12-04");
        let s = split(d("2024-01-15"), d("2026-12-03"), today).unwrap();
        // January 2024 from the 15th is more than half of it: from the cube,
        // less its first fourteen days.
        assert_eq!(s.months.first(), Some(&d("2024-01-01")));
        assert_eq!(s.months.last(), Some(&d("2026-11-01")));
        assert_eq!(s.months.len(), 35);
        assert_eq!(s.minus, vec![(d("2024-01-01"), d("2024-01-14"))]);
        assert_eq!(s.add, vec![(d("2026-12-01"), d("2026-12-03"))]);
        // Less than half a month is read from the facts, joined to what follows.
        let s = split(d("2026-09-25"), d("2026-12-03"), today).unwrap();
        assert_eq!(s.months, vec![d("2026-10-01"), d("2026-11-01")]);
        assert_eq!(
            s.add,
            vec![
                (d("2026-09-25"), d("2026-09-30")),
                (d("2026-12-01"), d("2026-12-03"))
            ]
        );
        assert!(s.minus.is_empty());
        // A period of whole months reads nothing else.
        let s = split(d("2026-01-01"), d("2026-03-31"), today).unwrap();
        assert_eq!(s.months.len(), 3);
        assert!(s.add.is_empty() && s.minus.is_empty());
        // Most of one closed month: the cube less its last day.
        let s = split(d("2026-11-01"), d("2026-11-29"), today).unwrap();
        assert_eq!(s.minus, vec![(d("2026-11-30"), d("2026-11-30"))]);
        // The open month and short stretches come from the facts alone.
        assert!(split(d("2026-12-01"), d("2026-12-03"), today).is_none());
        assert!(split(d("2026-11-20"), d("2026-11-30"), today).is_none());
    }

    #[test]
    fn missing_months_are_read_in_consecutive_runs() {
        let r = runs(&[d("2026-01-01"), d("2026-02-01"), d("2026-04-01")]);
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].len(), 2);
    }
}

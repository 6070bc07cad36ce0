//! 办件编号 patterns, configurable per hall. A pattern is literal text (letters,
//! digits, '-') and placeholders: {实施编码} {大厅} {部门} {日期} {年} {月} {日}
//! and one {序号} (optionally {序号:N}, N = 3–8 digits). The sequence restarts
//! each day, month or year, whichever is the smallest date part the pattern
//! shows; a pattern must show at least the year, so two periods never share
//! numbers. The default is the upstream convention: 实施编码 + YYYYMMDD + four digits.

use crate::entity::settings;
use chrono::{Datelike, NaiveDate, Utc};
use govhall_kernel::{AppError, error::AppResult};
use govhall_platform::{
    AppState,
    auth::CurrentUser,
    db::{DbResultExt, begin_write},
    events::commit_with,
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const DEFAULT_PATTERN: &str = "{实施编码}{日期}{序号:4}";
/// Longest number a pattern may make (it appears in URLs and on paper).
const MAX_LEN: usize = 64;

/// A case number as people read it aloud: groups of four from the end, so
/// the day's sequence and the date stand apart (`…0001 2026 1202 0007`).
pub fn readable(number: &str) -> String {
    let chars: Vec<char> = number.chars().collect();
    let head = chars.len() % 4;
    let mut groups: Vec<String> = Vec::new();
    if head > 0 {
        groups.push(chars[..head].iter().collect());
    }
    groups.extend(chars[head..].chunks(4).map(|g| g.iter().collect()));
    groups.join(" ")
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    TaskCode,
    Hall,
    Department,
    Date,
    Year,
    Month,
    Day,
    Seq(usize),
}

/// How often the sequence restarts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Period {
    Day,
    Month,
    Year,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    parts: Vec<Part>,
    period: Period,
}

/// What a number is made of besides the sequence.
pub struct Facts<'a> {
    pub task_code: &'a str,
    pub hall_code: &'a str,
    pub department_code: &'a str,
    pub day: NaiveDate,
}

impl Pattern {
    pub fn parse(text: &str) -> Result<Pattern, String> {
        let mut parts = vec![];
        let mut rest = text.trim();
        if rest.is_empty() {
            return Err("编号规则不能为空".into());
        }
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix('{') {
                let end = after.find('}').ok_or("“{”没有对应的“}”")?;
                let name = &after[..end];
                parts.push(match name {
                    "实施编码" => Part::TaskCode,
                    "大厅" => Part::Hall,
                    "部门" => Part::Department,
                    "日期" => Part::Date,
                    "年" => Part::Year,
                    "月" => Part::Month,
                    "日" => Part::Day,
                    "序号" => Part::Seq(4),
                    _ => match name.strip_prefix("序号:").map(str::parse::<usize>) {
                        Some(Ok(n)) if (3..=8).contains(&n) => Part::Seq(n),
                        Some(_) => return Err("序号位数须为 3 到 8，如 {序号:5}".into()),
                        None => {
                            return Err(format!(
                                "未知的占位符“{{{name}}}”，可用：{{实施编码}} {{大厅}} {{部门}} {{日期}} {{年}} {{月}} {{日}} {{序号}}"
                            ));
                        }
                    },
                });
                rest = &after[end + 1..];
            } else {
                let end = rest.find('{').unwrap_or(rest.len());
                let text = &rest[..end];
                if !text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                    return Err(format!(
                        "固定文字“{text}”只能用字母、数字和“-”（编号会出现在网址和二维码中）"
                    ));
                }
                parts.push(Part::Text(text.to_string()));
                rest = &rest[end..];
            }
        }
        let seqs = parts.iter().filter(|p| matches!(p, Part::Seq(_))).count();
        if seqs != 1 {
            return Err("编号规则须包含且只包含一个 {序号}".into());
        }
        let has = |want: &[Part]| parts.iter().any(|p| want.contains(p));
        let has_year = has(&[Part::Date, Part::Year]);
        let period = if has(&[Part::Date]) || (has_year && has(&[Part::Month]) && has(&[Part::Day]))
        {
            Period::Day
        } else if has_year && has(&[Part::Month]) {
            Period::Month
        } else if has_year {
            Period::Year
        } else {
            return Err("编号规则须包含 {日期} 或 {年}，否则不同年份的编号会重复".into());
        };
        if has(&[Part::Day]) && period != Period::Day {
            return Err("有 {日} 须同时有 {年} 和 {月}（或改用 {日期}）".into());
        }
        Ok(Pattern { parts, period })
    }

    /// The counter a number draws from: one per day, month or year.
    pub fn period_key(&self, day: NaiveDate) -> String {
        match self.period {
            // The daily key is the date alone, as before patterns were configurable.
            Period::Day => day.format("%Y%m%d").to_string(),
            Period::Month => day.format("%Y-%m").to_string(),
            Period::Year => day.year().to_string(),
        }
    }

    pub fn render(&self, f: &Facts, seq: i32) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Text(t) => t.clone(),
                Part::TaskCode => f.task_code.to_string(),
                Part::Hall => f.hall_code.to_string(),
                Part::Department => f.department_code.to_string(),
                Part::Date => f.day.format("%Y%m%d").to_string(),
                Part::Year => f.day.year().to_string(),
                Part::Month => format!("{:02}", f.day.month()),
                Part::Day => format!("{:02}", f.day.day()),
                Part::Seq(n) => format!("{seq:0n$}"),
            })
            .collect()
    }
}

impl Default for Pattern {
    fn default() -> Self {
        Pattern::parse(DEFAULT_PATTERN).expect("the default pattern parses")
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SettingsDto {
    pub number_pattern: String,
    /// A number the pattern makes today for the first case of a sample matter.
    pub example: String,
    pub is_default: bool,
    pub updated_at: Option<chrono::DateTime<Utc>>,
    pub updated_by_name: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SettingsInput {
    pub number_pattern: String,
}

/// The hall's pattern (the default when it never set one).
pub async fn pattern_of(state: &AppState, hall_id: &str) -> AppResult<Pattern> {
    Ok(row_of(state, hall_id)
        .await?
        .and_then(|r| Pattern::parse(&r.number_pattern).ok())
        .unwrap_or_default())
}

async fn row_of(state: &AppState, hall_id: &str) -> AppResult<Option<settings::Model>> {
    settings::Entity::find_by_id(hall_id.to_string())
        .one(&state.db)
        .await
        .db_err()
}

fn example(p: &Pattern, hall_code: &str) -> String {
    let facts = Facts {
        task_code: "11610116MB2957101E4010100200000",
        hall_code,
        department_code: "11610116MB2957101E",
        day: crate::store::local_date(Utc::now()),
    };
    p.render(&facts, 1)
}

pub async fn get(state: &AppState, hall_id: &str, hall_code: &str) -> AppResult<SettingsDto> {
    let row = row_of(state, hall_id).await?;
    let text = row
        .as_ref()
        .map_or(DEFAULT_PATTERN.to_string(), |r| r.number_pattern.clone());
    let p = Pattern::parse(&text).unwrap_or_default();
    Ok(SettingsDto {
        example: example(&p, hall_code),
        is_default: text == DEFAULT_PATTERN,
        number_pattern: text,
        updated_at: row.as_ref().map(|r| r.updated_at),
        updated_by_name: row.map(|r| r.updated_by_name),
    })
}

pub async fn save(
    state: &AppState,
    user: &CurrentUser,
    hall_id: &str,
    hall_code: &str,
    input: SettingsInput,
) -> AppResult<SettingsDto> {
    let text = input.number_pattern.trim().to_string();
    let p = Pattern::parse(&text).map_err(|e| AppError::field("number_pattern", e))?;
    let sample = example(&p, hall_code);
    if sample.chars().count() > MAX_LEN {
        return Err(AppError::field(
            "number_pattern",
            format!(
                "按此规则编号长达 {} 位，不能超过 {MAX_LEN} 位",
                sample.chars().count()
            ),
        ));
    }
    let actor = user.actor();
    let now = Utc::now();
    let existing = row_of(state, hall_id).await?;
    let txn = begin_write(&state.db).await.db_err()?;
    let row = settings::ActiveModel {
        hall_id: Set(hall_id.to_string()),
        number_pattern: Set(text.clone()),
        updated_at: Set(now),
        updated_by_name: Set(actor.name.clone()),
    };
    if existing.is_some() {
        row.update(&txn).await.db_err()?;
    } else {
        row.insert(&txn).await.db_err()?;
    }
    let ev = crate::events::NUMBERING_SAVED.event(
        Some(hall_id),
        &crate::events::NumberingSaved {
            number_pattern: text.to_string(),
        },
    );
    commit_with(state, txn, &actor, vec![ev]).await?;
    get(state, hall_id, hall_code).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readable_numbers_group_in_fours_from_the_end() {
        assert_eq!(readable("AB2026120200071"), "AB2 0261 2020 0071");
        assert_eq!(readable("20261202"), "2026 1202");
        assert_eq!(readable(""), "");
        // Every character is kept, in order.
        let n = "11610116MB2957351N40001120001202612020007";
        assert_eq!(readable(n).replace(' ', ""), n);
        assert!(readable(n).ends_with(" 2026 1202 0007"));
    }

    fn facts(day: NaiveDate) -> Facts<'static> {
        Facts {
            task_code: "T1",
            hall_code: "CA-ZWFW",
            department_code: "D9",
            day,
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_default_is_task_code_date_and_four_digits() {
        let p = Pattern::default();
        assert_eq!(p.render(&facts(d(2026, 11, 28)), 7), "T1202611280007");
        assert_eq!(p.period_key(d(2026, 11, 28)), "20261128");
    }

    #[test]
    fn the_sequence_restarts_with_the_smallest_date_part_shown() {
        let p = Pattern::parse("CA-{年}-{序号:6}").unwrap();
        assert_eq!(p.render(&facts(d(2026, 3, 1)), 12), "CA-2026-000012");
        assert_eq!(p.period_key(d(2026, 3, 1)), p.period_key(d(2026, 12, 31)));
        let p = Pattern::parse("{部门}{年}{月}{序号}").unwrap();
        assert_eq!(p.render(&facts(d(2026, 3, 1)), 1), "D92026030001");
        assert_ne!(p.period_key(d(2026, 3, 1)), p.period_key(d(2026, 4, 1)));
        let p = Pattern::parse("{大厅}{年}{月}{日}{序号:3}").unwrap();
        assert_eq!(p.render(&facts(d(2026, 3, 1)), 5), "CA-ZWFW20260301005");
        assert_eq!(p.period_key(d(2026, 3, 1)), "20260301");
    }

    #[test]
    fn patterns_that_would_repeat_or_break_a_url_are_refused() {
        for (bad, why) in [
            ("", "不能为空"),
            ("{实施编码}{序号}", "{年}"),
            ("{日期}", "只包含一个 {序号}"),
            ("{日期}{序号}{序号}", "只包含一个 {序号}"),
            ("{日期}{序号:12}", "3 到 8"),
            ("{日期}{流水}", "未知的占位符“{流水}”"),
            ("长安{日期}{序号}", "固定文字“长安”"),
            ("{日期{序号}", "未知的占位符"),
            ("{日期}{序号", "没有对应"),
            ("{年}{日}{序号}", "{日}"),
        ] {
            let e = Pattern::parse(bad).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }
}

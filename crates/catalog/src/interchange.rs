//! The JSON interchange format (`docs/catalog/catalog.schema.json`) and its
//! validation: a file is parsed and checked completely, every problem listed
//! with where it is, before anything is written.

use crate::bundle::BundleDoc;
use crate::model::{ItemDoc, Problem};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

pub const FORMAT: &str = "govhall-catalog";
pub const FORMAT_VERSION: u32 = 1;

/// One item in a file: its document and the 事项版本 it carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FileItem {
    /// 事项版本 (+1 per publication). On import into a database without the
    /// item it is kept; otherwise the next version is used.
    pub task_version: u32,
    #[serde(flatten)]
    pub doc: ItemDoc,
}

/// A synonym group: any term finds what the others find (社保 / 社会保险).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub struct SynonymGroup {
    pub terms: Vec<String>,
}

/// A whole catalog file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CatalogFile {
    /// Always `govhall-catalog`.
    pub format: String,
    /// Format version, currently 1.
    pub format_version: u32,
    /// Hall code the file was exported from (informative).
    #[serde(default)]
    pub hall: Option<String>,
    pub items: Vec<FileItem>,
    #[serde(default)]
    pub bundles: Vec<BundleDoc>,
    #[serde(default)]
    pub synonyms: Vec<SynonymGroup>,
}

impl CatalogFile {
    pub fn new(hall: Option<String>) -> CatalogFile {
        CatalogFile {
            format: FORMAT.into(),
            format_version: FORMAT_VERSION,
            hall,
            items: vec![],
            bundles: vec![],
            synonyms: vec![],
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("catalog serializes")
    }
}

/// The JSON Schema of the format, as committed in the repository.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(CatalogFile);
    serde_json::to_string_pretty(&schema).expect("schema serializes") + "\n"
}

/// serde's English messages, said in Chinese for the people who fix the file.
pub fn chinese_serde_message(msg: &str) -> String {
    let ticked = |s: &str| -> Vec<String> {
        s.split('`')
            .enumerate()
            .filter(|(i, _)| i % 2 == 1)
            .map(|(_, t)| t.to_string())
            .collect()
    };
    let msg = msg.split(" at line ").next().unwrap_or(msg);
    if msg.starts_with("unknown variant") {
        let t = ticked(msg);
        let (got, allowed) = t
            .split_first()
            .map_or((String::new(), vec![]), |(g, a)| (g.clone(), a.to_vec()));
        format!("取值“{got}”不在允许范围内，应为：{}", allowed.join("、"))
    } else if msg.starts_with("missing field") {
        format!("缺少必填字段 {}", ticked(msg).join(""))
    } else if msg.starts_with("invalid type") {
        let expected = msg.split("expected ").nth(1).unwrap_or("");
        let what = match expected {
            e if e.contains("string") => "文本",
            e if e.contains("integer") || e.contains("u32") || e.contains("u8") => "整数",
            e if e.contains("bool") => "true 或 false",
            e if e.contains("sequence") => "列表",
            e if e.contains("struct") || e.contains("map") => "对象",
            _ => "正确类型",
        };
        format!("类型不符，应为{what}")
    } else if msg.starts_with("invalid value") {
        "数值超出允许范围（如负数或过大）".into()
    } else if msg.starts_with("duplicate field") {
        format!("字段 {} 重复", ticked(msg).join(""))
    } else {
        format!("格式错误：{msg}")
    }
}

/// Reads one value as `T`, naming the exact field of the first shape error and
/// every field `T` does not know (a misspelt field would otherwise be lost).
pub fn read_value<T: serde::de::DeserializeOwned>(
    value: Value,
    at: &str,
    problems: &mut Vec<Problem>,
) -> Option<T> {
    let mut unknown = Vec::new();
    let result: Result<T, _> = serde_path_to_error::deserialize(serde_ignored::Deserializer::new(
        value,
        &mut |path: serde_ignored::Path| unknown.push(path.to_string()),
    ));
    let join = |p: &str| {
        if p.is_empty() || p == "." {
            at.to_string()
        } else {
            format!("{at}.{p}")
        }
    };
    match result {
        Ok(v) => {
            for path in unknown {
                problems.push(Problem::new(join(&path), "未知字段（是否拼写错误？）"));
            }
            Some(v)
        }
        Err(e) => {
            let path = e.path().to_string();
            problems.push(Problem::new(
                join(&path),
                chinese_serde_message(&e.inner().to_string()),
            ));
            None
        }
    }
}

/// An item's position and code for messages: `items[3]（11610116MB…）`.
fn item_at(i: usize, code: &str) -> String {
    if code.is_empty() {
        format!("items[{i}]")
    } else {
        format!("items[{i}]（{code}）")
    }
}

/// Parses and validates a whole file. `known_codes` are item codes already in
/// the database, which bundles may also refer to.
pub fn parse_file(
    bytes: &[u8],
    known_codes: &BTreeSet<String>,
) -> Result<CatalogFile, Vec<Problem>> {
    let root: Value = serde_json::from_slice(bytes).map_err(|e| {
        let why = if e.is_eof() {
            "文件不完整（可能被截断）"
        } else {
            "不是合法的 JSON"
        };
        vec![Problem::new(
            format!("第 {} 行第 {} 列", e.line(), e.column()),
            format!("{why}：{e}"),
        )]
    })?;
    let Value::Object(mut root) = root else {
        return Err(vec![Problem::new("文件", "顶层应为对象")]);
    };
    let mut problems = Vec::new();
    if root.get("format").and_then(Value::as_str) != Some(FORMAT) {
        problems.push(Problem::new("format", format!("应为“{FORMAT}”")));
    }
    if root.get("format_version").and_then(Value::as_u64) != Some(FORMAT_VERSION.into()) {
        problems.push(Problem::new(
            "format_version",
            format!("只支持格式版本 {FORMAT_VERSION}"),
        ));
    }
    let take_list =
        |root: &mut serde_json::Map<String, Value>, key: &str, problems: &mut Vec<Problem>| {
            match root.remove(key) {
                None | Some(Value::Null) => vec![],
                Some(Value::Array(v)) => v,
                Some(_) => {
                    problems.push(Problem::new(key, "应为列表"));
                    vec![]
                }
            }
        };
    let raw_items = take_list(&mut root, "items", &mut problems);
    let raw_bundles = take_list(&mut root, "bundles", &mut problems);
    let raw_synonyms = take_list(&mut root, "synonyms", &mut problems);
    let hall = root
        .remove("hall")
        .and_then(|v| v.as_str().map(str::to_string));
    for key in root
        .keys()
        .filter(|k| !["format", "format_version"].contains(&k.as_str()))
    {
        problems.push(Problem::new(key.clone(), "未知字段（是否拼写错误？）"));
    }

    let mut items = Vec::new();
    let mut first_at: BTreeMap<String, usize> = BTreeMap::new();
    for (i, raw) in raw_items.into_iter().enumerate() {
        let code = raw
            .get("task_code")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let at = item_at(i, &code);
        // Read without serde's flatten, which would hide field paths and unknown fields.
        let Value::Object(mut fields) = raw else {
            problems.push(Problem::new(at, "应为对象"));
            continue;
        };
        let task_version = match fields.remove("task_version") {
            None => 1,
            Some(v) => match v.as_u64().and_then(|n| u32::try_from(n).ok()) {
                Some(n) if n >= 1 => n,
                _ => {
                    problems.push(Problem::new(
                        format!("{at}.task_version"),
                        "事项版本应为正整数",
                    ));
                    1
                }
            },
        };
        let Some(doc) = read_value::<ItemDoc>(Value::Object(fields), &at, &mut problems) else {
            continue;
        };
        let item = FileItem { task_version, doc };
        for p in item.doc.problems() {
            problems.push(Problem::new(format!("{at}.{}", p.at), p.message));
        }
        if let Some(first) = first_at.get(&code) {
            problems.push(Problem::new(
                format!("{at}.task_code"),
                format!("实施编码与 items[{first}] 重复"),
            ));
        } else {
            first_at.insert(code, i);
        }
        items.push(item);
    }

    let mut bundles = Vec::new();
    let mut bundle_codes = BTreeSet::new();
    for (i, raw) in raw_bundles.into_iter().enumerate() {
        let at = format!("bundles[{i}]");
        let Some(bundle) = read_value::<BundleDoc>(raw, &at, &mut problems) else {
            continue;
        };
        for p in bundle.problems() {
            problems.push(Problem::new(format!("{at}.{}", p.at), p.message));
        }
        if !bundle_codes.insert(bundle.code.clone()) {
            problems.push(Problem::new(format!("{at}.code"), "一件事编码重复"));
        }
        for (j, m) in bundle.members.iter().enumerate() {
            if !first_at.contains_key(&m.task_code) && !known_codes.contains(&m.task_code) {
                problems.push(Problem::new(
                    format!("{at}.members[{j}]"),
                    format!("引用的事项“{}”不存在", m.task_code),
                ));
            }
        }
        bundles.push(bundle);
    }

    let mut synonyms = Vec::new();
    for (i, raw) in raw_synonyms.into_iter().enumerate() {
        let at = format!("synonyms[{i}]");
        if let Some(group) = read_value::<SynonymGroup>(raw, &at, &mut problems) {
            if group.terms.iter().filter(|t| !t.trim().is_empty()).count() < 2 {
                problems.push(Problem::new(at, "同义词组至少包含两个词"));
            }
            synonyms.push(group);
        }
    }

    if problems.is_empty() {
        Ok(CatalogFile {
            format: FORMAT.into(),
            format_version: FORMAT_VERSION,
            hall,
            items,
            bundles,
            synonyms,
        })
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The schema in the repository is the one the code accepts; run with
    /// `GOVHALL_UPDATE_SCHEMA=1` to rewrite it after changing the format.
    #[test]
    fn the_committed_json_schema_is_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../docs/catalog/catalog.schema.json");
        let current = json_schema();
        if std::env::var("GOVHALL_UPDATE_SCHEMA").is_ok() {
            std::fs::write(&path, &current).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == current,
            "docs/catalog/catalog.schema.json is stale: run GOVHALL_UPDATE_SCHEMA=1 cargo test -p govhall-catalog"
        );
    }

    #[test]
    fn serde_messages_are_said_in_chinese() {
        assert_eq!(
            chinese_serde_message(
                "unknown variant `行政审批`, expected one of `行政许可`, `公共服务`"
            ),
            "取值“行政审批”不在允许范围内，应为：行政许可、公共服务"
        );
        assert_eq!(
            chinese_serde_message("missing field `task_name`"),
            "缺少必填字段 task_name"
        );
        assert_eq!(
            chinese_serde_message("invalid type: string \"x\", expected u32"),
            "类型不符，应为整数"
        );
    }
}

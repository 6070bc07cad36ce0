//! The Excel workbook form of the interchange format: one sheet per kind of
//! row (事项, 办理项, 材料, 收费, 流程, 特别程序, 常见问题, 问题, 规则, 一件事,
//! 一件事成员, 同义词), child rows joined to their item by 实施编码. Enumerated
//! columns carry dropdowns. Reading turns the rows back into the JSON form and
//! validates it the same way, with problems located by sheet, row and column.

use crate::interchange::{self, CatalogFile};
use crate::model::*;
use calamine::{Data, Reader, Xlsx};
use rust_xlsxwriter::{DataValidation, DocProperties, ExcelDateTime, Format, Workbook, Worksheet};
use serde_json::{Map, Value, json};
use std::collections::{BTreeSet, HashMap};
use std::io::Cursor;

/// How a column's cells map to JSON.
#[derive(Clone, Copy)]
enum Kind {
    Text,
    OptText,
    Bool,
    Int,
    OptInt,
    /// A list of strings separated by `；`.
    List,
    /// `value=label；…` question options.
    Options,
    /// `id|name` attachment reference.
    Attachment,
    /// `name*；name` material fields (`*` = required).
    Fields,
    /// Raw JSON (conditions and effects).
    Json,
    /// One of the labels.
    Enum(fn() -> Vec<&'static str>),
}

type Col = (&'static str, &'static str, Kind);

const SEP: &str = "；";
/// The 说明 sheet line naming the hall the workbook was exported from.
const HALL_LINE: &str = "大厅：";

fn necessity_labels() -> Vec<&'static str> {
    vec!["必要", "非必要", "容缺"]
}
fn question_kinds() -> Vec<&'static str> {
    vec!["single", "multi", "yes_no", "number"]
}

const ITEM_COLS: &[Col] = &[
    ("task_code", "实施编码*", Kind::Text),
    ("task_name", "事项名称*", Kind::Text),
    ("catalog_code", "基本编码*", Kind::Text),
    ("task_version", "事项版本*", Kind::Int),
    ("local_code", "地方编码", Kind::OptText),
    ("task_type", "事项类型*", Kind::Enum(ItemType::labels)),
    ("task_state", "事项状态*", Kind::Enum(ItemState::labels)),
    ("power_source", "权力来源*", Kind::Enum(PowerSource::labels)),
    ("use_level", "行使层级*", Kind::Enum(UseLevel::labels)),
    ("dept_name", "实施主体*", Kind::Text),
    ("dept_code", "实施主体编码*", Kind::Text),
    ("dept_type", "实施主体性质*", Kind::Enum(DeptType::labels)),
    ("entrust_name", "委托部门", Kind::OptText),
    ("by_law", "设定依据*", Kind::Text),
    ("accept_condition", "受理条件*", Kind::Text),
    ("serve_objects", "服务对象*（；分隔）", Kind::List),
    ("project_type", "办件类型*", Kind::Enum(ProjectType::labels)),
    ("anticipate_day", "法定办结时限*", Kind::Int),
    (
        "anticipate_type",
        "法定时限单位*",
        Kind::Enum(DayUnit::labels),
    ),
    ("anticipate_explain", "法定时限说明", Kind::OptText),
    ("promise_day", "承诺办结时限*", Kind::Int),
    ("promise_type", "承诺时限单位*", Kind::Enum(DayUnit::labels)),
    ("promise_explain", "承诺时限说明", Kind::OptText),
    ("limit_scene_num", "到办事现场次数*", Kind::Int),
    ("limit_scene_explain", "到现场次数说明", Kind::OptText),
    ("handle_flow", "办理流程*", Kind::Text),
    ("handle_forms", "办理形式（；分隔）", Kind::List),
    ("is_charge", "是否收费*", Kind::Bool),
    ("link_way", "咨询方式*", Kind::Text),
    ("supervise_way", "监督投诉方式*", Kind::Text),
    ("transact_addr", "办理地点*", Kind::Text),
    ("transact_time", "办理时间*", Kind::Text),
    ("is_entry_center", "是否进驻大厅*", Kind::Bool),
    (
        "tongban_range",
        "通办范围",
        Kind::Enum(TongbanRange::labels),
    ),
    ("joint_agencies", "联办机构（；分隔）", Kind::List),
    (
        "result_type",
        "审批结果类型*",
        Kind::Enum(ResultType::labels),
    ),
    ("result_name", "审批结果名称", Kind::OptText),
    (
        "result_sample",
        "审批结果样本（编号|名称）",
        Kind::Attachment,
    ),
    ("is_appoint", "是否支持预约", Kind::Bool),
    ("is_online_pay", "是否网上支付*", Kind::Bool),
    ("is_express", "是否物流快递*", Kind::Bool),
    ("is_self_service", "是否自助终端", Kind::Bool),
    ("is_online", "是否网办*", Kind::Bool),
    ("online_depth", "网办深度（1-4）", Kind::OptInt),
    ("themes", "主题分类（；分隔）", Kind::List),
    ("keywords", "关键词（；分隔）", Kind::List),
    (
        "sync.cd_operation",
        "同步类型",
        Kind::Enum(SyncOperation::labels),
    ),
    ("sync.cd_time", "同步时间", Kind::OptText),
    ("sync.cd_batch", "批次号", Kind::OptText),
    ("sync.data_source", "数据来源", Kind::OptText),
];

const HANDLING_COLS: &[Col] = &[
    ("code", "业务办理项编码*", Kind::Text),
    ("name", "名称*", Kind::Text),
    ("kind", "类别*", Kind::Enum(HandlingKind::labels)),
];

const MATERIAL_COLS: &[Col] = &[
    ("id", "材料编号*", Kind::Text),
    ("name", "材料名称*", Kind::Text),
    ("identity", "材料标识（一件事去重）", Kind::OptText),
    (
        "material_type",
        "材料类型*",
        Kind::Enum(MaterialType::labels),
    ),
    ("form", "材料形式*", Kind::Enum(MaterialForm::labels)),
    ("copies", "份数*", Kind::Int),
    ("spec", "规格", Kind::OptText),
    ("source", "来源渠道*", Kind::Enum(MaterialSource::labels)),
    ("source_explain", "来源说明", Kind::OptText),
    ("necessity", "必要性*", Kind::Enum(necessity_labels)),
    ("always", "所有情形均需*", Kind::Bool),
    ("accept_standard", "受理标准", Kind::OptText),
    ("review_points", "审查要点（；分隔）", Kind::List),
    ("check_way", "验收方式", Kind::OptText),
    ("blank_form", "空白表格（编号|名称）", Kind::Attachment),
    ("sample", "示例样表（编号|名称）", Kind::Attachment),
    ("fill_notes", "填报须知", Kind::OptText),
    ("basis", "依据", Kind::OptText),
    ("elicence_type", "电子证照类型", Kind::OptText),
    ("exempt_way", "免提交方式", Kind::Enum(ExemptWay::labels)),
    ("applies_to", "适用情形", Kind::OptText),
    ("fields", "数字化字段（；分隔，*为必填）", Kind::Fields),
];

const FEE_COLS: &[Col] = &[
    ("name", "收费项目*", Kind::Text),
    ("standard", "收费标准*", Kind::Text),
    ("fen", "金额（分）", Kind::OptInt),
    ("basis", "收费依据", Kind::OptText),
    ("waivable", "是否可减免", Kind::Bool),
];

const STEP_COLS: &[Col] = &[
    ("name", "环节名称*", Kind::Text),
    ("role", "办理人员/岗位*", Kind::Text),
    ("limit_days", "环节时限（日）", Kind::OptInt),
    ("counted", "计入办结时限", Kind::Bool),
];

const SPECIAL_COLS: &[Col] = &[
    ("kind", "特别程序种类*", Kind::Enum(SpecialKind::labels)),
    ("limit_days", "时限（日）", Kind::OptInt),
    ("explain", "说明", Kind::OptText),
];

const FAQ_COLS: &[Col] = &[
    ("question", "问题*", Kind::Text),
    ("answer", "解答*", Kind::Text),
];

const QUESTION_COLS: &[Col] = &[
    ("id", "问题编号*", Kind::Text),
    ("text", "题目*", Kind::Text),
    ("kind", "题型*", Kind::Enum(question_kinds)),
    ("options", "选项（值=文字；…）", Kind::Options),
    ("show_if", "显示条件（JSON）", Kind::Json),
];

const RULE_COLS: &[Col] = &[
    ("id", "规则编号*", Kind::Text),
    ("when", "条件（JSON）*", Kind::Json),
    ("then", "效果（JSON）*", Kind::Json),
];

const BUNDLE_COLS: &[Col] = &[
    ("code", "一件事编码*", Kind::Text),
    ("name", "名称*", Kind::Text),
    ("description", "说明*", Kind::Text),
    ("keywords", "关键词（；分隔）", Kind::List),
];

const MEMBER_COLS: &[Col] = &[
    ("task_code", "成员事项实施编码*", Kind::Text),
    ("note", "备注", Kind::OptText),
];

const SYNONYM_COLS: &[Col] = &[("terms", "同义词（；分隔）*", Kind::List)];

/// Child sheets of an item: (sheet, JSON key of the list, columns).
const CHILD_SHEETS: &[(&str, &str, &[Col])] = &[
    ("办理项", "handling_items", HANDLING_COLS),
    ("材料", "materials", MATERIAL_COLS),
    ("收费", "fees", FEE_COLS),
    ("流程", "steps", STEP_COLS),
    ("特别程序", "special_procedures", SPECIAL_COLS),
    ("常见问题", "faqs", FAQ_COLS),
    ("问题", "questions", QUESTION_COLS),
    ("规则", "rules", RULE_COLS),
];

fn get<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    key.split('.').try_fold(v, |v, k| v.get(k))
}

fn set(obj: &mut Map<String, Value>, key: &str, value: Value) {
    match key.split_once('.') {
        Some((head, rest)) => {
            let child = obj
                .entry(head.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(m) = child {
                set(m, rest, value);
            }
        }
        None => {
            obj.insert(key.to_string(), value);
        }
    }
}

/// The text a cell shows for a JSON value of this column.
fn cell_text(v: Option<&Value>, kind: Kind) -> Option<String> {
    let v = v.filter(|v| !v.is_null())?;
    let s = match kind {
        Kind::Bool => (if v.as_bool() == Some(true) {
            "是"
        } else {
            "否"
        })
        .to_string(),
        Kind::List => v
            .as_array()?
            .iter()
            .filter_map(|x| x.as_str())
            .collect::<Vec<_>>()
            .join(SEP),
        Kind::Options => v
            .as_array()?
            .iter()
            .map(|o| {
                format!(
                    "{}={}",
                    o["value"].as_str().unwrap_or(""),
                    o["label"].as_str().unwrap_or("")
                )
            })
            .collect::<Vec<_>>()
            .join(SEP),
        Kind::Attachment => format!("{}|{}", v["id"].as_str()?, v["name"].as_str()?),
        Kind::Fields => v
            .as_array()?
            .iter()
            .map(|f| {
                let star = if f["required"].as_bool() == Some(true) {
                    "*"
                } else {
                    ""
                };
                format!("{}{star}", f["name"].as_str().unwrap_or(""))
            })
            .collect::<Vec<_>>()
            .join(SEP),
        Kind::Json => serde_json::to_string(v).ok()?,
        Kind::Int | Kind::OptInt => return v.as_i64().map(|n| n.to_string()),
        _ => v.as_str()?.to_string(),
    };
    (!s.is_empty() || matches!(kind, Kind::Text)).then_some(s)
}

fn write_sheet(
    ws: &mut Worksheet,
    cols: &[Col],
    extra_key: Option<(&str, &str)>,
    rows: &[(Option<&str>, &Value)],
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let head = Format::new().set_bold().set_background_color("#DCE6F2");
    let mut c0 = 0u16;
    if let Some((_, label)) = extra_key {
        ws.write_string_with_format(0, 0, label, &head)?;
        ws.set_column_width(0, 34)?;
        c0 = 1;
    }
    for (i, (_, label, kind)) in cols.iter().enumerate() {
        let c = c0 + i as u16;
        ws.write_string_with_format(0, c, *label, &head)?;
        ws.set_column_width(c, if matches!(kind, Kind::Json) { 60 } else { 18 })?;
        if let Kind::Enum(labels) = kind {
            let dv = DataValidation::new()
                .allow_list_strings(&labels())?
                .set_error_title("取值不在列表中")?;
            ws.add_data_validation(1, c, 60_000, c, &dv)?;
        }
        if let Kind::Bool = kind {
            ws.add_data_validation(
                1,
                c,
                60_000,
                c,
                &DataValidation::new().allow_list_strings(&["是", "否"])?,
            )?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    for (r, (parent, v)) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        if let Some(p) = parent {
            ws.write_string(r, 0, *p)?;
        }
        for (i, (key, _, kind)) in cols.iter().enumerate() {
            let c = c0 + i as u16;
            match (kind, get(v, key)) {
                (Kind::Int | Kind::OptInt, Some(Value::Number(n))) => {
                    ws.write_number(r, c, n.as_f64().unwrap_or_default())?;
                }
                (_, value) => {
                    if let Some(s) = cell_text(value, *kind) {
                        ws.write_string(r, c, s)?;
                    }
                }
            }
        }
    }
    Ok(())
}

/// Writes the file as a workbook (deterministic: the same file gives the same bytes).
pub fn write(file: &CatalogFile) -> anyhow::Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let fixed = ExcelDateTime::from_ymd(2020, 1, 1)?;
    wb.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&fixed)
            .set_title("govhall 事项库"),
    );
    let notes = wb.add_worksheet().set_name("说明")?;
    let lines = [
        "govhall 事项库导入导出工作簿（格式版本 1）。".to_string(),
        "带 * 的列为必填；下拉列为国家实施清单的枚举取值；多个值用全角分号“；”分隔。".to_string(),
        "子表（办理项、材料、收费、流程、特别程序、常见问题、问题、规则）第一列为所属事项的实施编码。".to_string(),
        "重新导入按实施编码更新已有事项，不会重复创建；任何一处错误都会使整个文件不被写入。".to_string(),
        "条件与效果列为 JSON，格式见 docs/catalog/catalog.schema.json。".to_string(),
        format!("{HALL_LINE}{}", file.hall.clone().unwrap_or_default()),
    ];
    for (i, l) in lines.iter().enumerate() {
        notes.write_string(i as u32, 0, l)?;
    }
    notes.set_column_width(0, 100)?;

    let items: Vec<Value> = file
        .items
        .iter()
        .map(|i| serde_json::to_value(i).expect("item serializes"))
        .collect();
    let item_rows: Vec<(Option<&str>, &Value)> = items.iter().map(|v| (None, v)).collect();
    write_sheet(
        wb.add_worksheet().set_name("事项")?,
        ITEM_COLS,
        None,
        &item_rows,
    )?;
    for (sheet, key, cols) in CHILD_SHEETS {
        let mut rows = Vec::new();
        for v in &items {
            let code = v["task_code"].as_str();
            for child in v[*key].as_array().into_iter().flatten() {
                rows.push((code, child));
            }
        }
        write_sheet(
            wb.add_worksheet().set_name(*sheet)?,
            cols,
            Some(("task_code", "实施编码*")),
            &rows,
        )?;
    }
    let bundles: Vec<Value> = file
        .bundles
        .iter()
        .map(|b| serde_json::to_value(b).expect("bundle"))
        .collect();
    let rows: Vec<(Option<&str>, &Value)> = bundles.iter().map(|v| (None, v)).collect();
    write_sheet(
        wb.add_worksheet().set_name("一件事")?,
        BUNDLE_COLS,
        None,
        &rows,
    )?;
    let mut members = Vec::new();
    for b in &bundles {
        for m in b["members"].as_array().into_iter().flatten() {
            members.push((b["code"].as_str(), m));
        }
    }
    write_sheet(
        wb.add_worksheet().set_name("一件事成员")?,
        MEMBER_COLS,
        Some(("bundle", "一件事编码*")),
        &members,
    )?;
    let synonyms: Vec<Value> = file
        .synonyms
        .iter()
        .map(|s| serde_json::to_value(s).expect("synonym"))
        .collect();
    let rows: Vec<(Option<&str>, &Value)> = synonyms.iter().map(|v| (None, v)).collect();
    write_sheet(
        wb.add_worksheet().set_name("同义词")?,
        SYNONYM_COLS,
        None,
        &rows,
    )?;
    Ok(wb.save_to_buffer()?)
}

/// A blank workbook with headers and dropdowns, for filling in by hand.
pub fn template() -> anyhow::Result<Vec<u8>> {
    write(&CatalogFile::new(None))
}

fn column_letter(mut c: usize) -> String {
    let mut s = String::new();
    loop {
        s.insert(0, (b'A' + (c % 26) as u8) as char);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s
}

struct SheetReader<'a> {
    name: &'a str,
    problems: Vec<Problem>,
}

/// A cell as JSON for this column kind; `None` for an empty cell.
fn cell_value(cell: &Data, kind: Kind) -> Result<Option<Value>, String> {
    let text = match cell {
        Data::Empty => return Ok(None),
        Data::String(s) if s.trim().is_empty() => return Ok(None),
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => (if *b { "是" } else { "否" }).to_string(),
        other => other.to_string(),
    };
    let list = |t: &str| -> Vec<String> {
        t.split(['；', ';'])
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    };
    Ok(Some(match kind {
        Kind::Text | Kind::OptText | Kind::Enum(_) => Value::String(text),
        Kind::Bool => match text.as_str() {
            "是" | "true" | "TRUE" | "Y" => Value::Bool(true),
            "否" | "false" | "FALSE" | "N" => Value::Bool(false),
            _ => return Err(format!("应填“是”或“否”，而不是“{text}”")),
        },
        Kind::Int | Kind::OptInt => match text.parse::<i64>() {
            Ok(n) => json!(n),
            Err(_) => return Err(format!("应为整数，而不是“{text}”")),
        },
        Kind::List => json!(list(&text)),
        Kind::Options => {
            let mut out = Vec::new();
            for o in list(&text) {
                let Some((v, l)) = o.split_once('=') else {
                    return Err(format!("选项“{o}”应写成 值=文字"));
                };
                out.push(json!({"value": v.trim(), "label": l.trim()}));
            }
            json!(out)
        }
        Kind::Attachment => match text.split_once('|') {
            Some((id, name)) => json!({"id": id.trim(), "name": name.trim()}),
            None => return Err("应写成 编号|名称".into()),
        },
        Kind::Fields => json!(
            list(&text)
                .iter()
                .map(|f| match f.strip_suffix('*') {
                    Some(n) => json!({"name": n, "required": true}),
                    None => json!({"name": f, "required": false}),
                })
                .collect::<Vec<_>>()
        ),
        Kind::Json => serde_json::from_str(&text).map_err(|e| format!("不是合法的 JSON：{e}"))?,
    }))
}

impl SheetReader<'_> {
    /// Rows of the sheet as JSON objects (with the parent key when `parent`),
    /// plus each row's number for messages.
    fn rows(
        &mut self,
        wb: &mut Xlsx<Cursor<&[u8]>>,
        cols: &[Col],
        parent: bool,
    ) -> Vec<(usize, Option<String>, Value)> {
        let Ok(range) = wb.worksheet_range(self.name) else {
            self.problems.push(Problem::new(
                format!("工作表“{}”", self.name),
                "缺少该工作表",
            ));
            return vec![];
        };
        let mut out = Vec::new();
        let c0 = usize::from(parent);
        for (r, row) in range.rows().enumerate().skip(1) {
            if row.iter().all(|c| {
                matches!(c, Data::Empty) || matches!(c, Data::String(s) if s.trim().is_empty())
            }) {
                continue;
            }
            let excel_row = r + 1;
            let parent_key = parent.then(|| {
                row.first()
                    .map(|c| c.to_string().trim().to_string())
                    .unwrap_or_default()
            });
            let mut obj = Map::new();
            for (i, (key, label, kind)) in cols.iter().enumerate() {
                let cell = row.get(c0 + i).unwrap_or(&Data::Empty);
                match cell_value(cell, *kind) {
                    Ok(Some(v)) => set(&mut obj, key, v),
                    Ok(None) => {}
                    Err(msg) => self.problems.push(Problem::new(
                        format!(
                            "{} 第{excel_row}行 {}列（{}）",
                            self.name,
                            column_letter(c0 + i),
                            label.trim_end_matches('*')
                        ),
                        msg,
                    )),
                }
            }
            out.push((excel_row, parent_key, Value::Object(obj)));
        }
        out
    }
}

/// What a catalog workbook may expand to: a province's catalog of thousands of
/// matters is a few tens of MB of XML; a zip bomb of 1 MB can claim gigabytes.
const MAX_EXPANDED_BYTES: u64 = 64 * 1024 * 1024;
/// Parts (files) in the workbook's zip: a real one has a few dozen.
const MAX_PARTS: usize = 500;

/// Refuses a workbook whose parts expand past `limit` bytes, counted by
/// actually inflating them (the sizes a zip declares can lie), before the
/// spreadsheet parser builds anything in memory.
fn check_expansion(bytes: &[u8], limit: u64) -> Result<(), Problem> {
    use std::io::Read;
    let not_xlsx = |e: &dyn std::fmt::Display| {
        Problem::new("文件", format!("不是有效的 Excel（xlsx）文件：{e}"))
    };
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| not_xlsx(&e))?;
    if zip.len() > MAX_PARTS {
        return Err(Problem::new(
            "文件",
            format!(
                "Excel 文件内含 {} 个部件，超过 {MAX_PARTS} 个，不像事项目录，已拒绝",
                zip.len()
            ),
        ));
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let part = zip.by_index(i).map_err(|e| not_xlsx(&e))?;
        let read = std::io::copy(&mut part.take(limit - total + 1), &mut std::io::sink())
            .map_err(|e| not_xlsx(&e))?;
        total += read;
        if total > limit {
            return Err(Problem::new(
                "文件",
                format!(
                    "Excel 文件解压后超过 {} MB（疑似压缩炸弹），已拒绝；请只保留事项目录的工作表后重新导出",
                    limit / 1024 / 1024
                ),
            ));
        }
    }
    Ok(())
}

/// Reads a workbook back into the JSON form and validates it like a JSON file.
pub fn read(bytes: &[u8], known_codes: &BTreeSet<String>) -> Result<CatalogFile, Vec<Problem>> {
    check_expansion(bytes, MAX_EXPANDED_BYTES).map_err(|p| vec![p])?;
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| {
        vec![Problem::new(
            "文件",
            format!("不是有效的 Excel（xlsx）文件：{e}"),
        )]
    })?;
    let mut problems = Vec::new();
    let mut read_sheet = |wb: &mut Xlsx<_>, name: &str, cols: &[Col], parent: bool| {
        let mut r = SheetReader {
            name,
            problems: vec![],
        };
        let rows = r.rows(wb, cols, parent);
        problems.extend(r.problems);
        rows
    };
    let items = read_sheet(&mut wb, "事项", ITEM_COLS, false);
    let mut by_code: HashMap<String, usize> = HashMap::new();
    let mut values: Vec<Value> = Vec::new();
    let mut origin: Vec<usize> = Vec::new();
    for (row, _, mut v) in items {
        for (_, key, _) in CHILD_SHEETS {
            v[*key] = json!([]);
        }
        let code = v["task_code"].as_str().unwrap_or_default().to_string();
        by_code.entry(code).or_insert(values.len());
        values.push(v);
        origin.push(row);
    }
    let mut orphans = Vec::new();
    for (sheet, key, cols) in CHILD_SHEETS {
        for (row, parent, v) in read_sheet(&mut wb, sheet, cols, true) {
            match parent.as_ref().and_then(|p| by_code.get(p)) {
                Some(&i) => values[i][*key].as_array_mut().expect("list").push(v),
                None => orphans.push(Problem::new(
                    format!("{sheet} 第{row}行 A列"),
                    format!("实施编码“{}”不在“事项”表中", parent.unwrap_or_default()),
                )),
            }
        }
    }
    let bundle_rows = read_sheet(&mut wb, "一件事", BUNDLE_COLS, false);
    let mut bundles: Vec<Value> = Vec::new();
    let mut bundle_at: HashMap<String, usize> = HashMap::new();
    for (_, _, mut v) in bundle_rows {
        v["members"] = json!([]);
        bundle_at.insert(
            v["code"].as_str().unwrap_or_default().to_string(),
            bundles.len(),
        );
        bundles.push(v);
    }
    for (row, parent, v) in read_sheet(&mut wb, "一件事成员", MEMBER_COLS, true) {
        match parent.as_ref().and_then(|p| bundle_at.get(p)) {
            Some(&i) => bundles[i]["members"].as_array_mut().expect("list").push(v),
            None => orphans.push(Problem::new(
                format!("一件事成员 第{row}行 A列"),
                format!("一件事编码“{}”不在“一件事”表中", parent.unwrap_or_default()),
            )),
        }
    }
    let hall = wb.worksheet_range("说明").ok().and_then(|r| {
        r.rows()
            .filter_map(|row| row.first().map(|c| c.to_string()))
            .find_map(|t| t.strip_prefix(HALL_LINE).map(str::to_string))
            .filter(|h| !h.is_empty())
    });
    let synonyms: Vec<Value> = read_sheet(&mut wb, "同义词", SYNONYM_COLS, false)
        .into_iter()
        .map(|(_, _, v)| v)
        .collect();
    problems.extend(orphans);
    let file = json!({
        "format": interchange::FORMAT,
        "format_version": interchange::FORMAT_VERSION,
        "hall": hall,
        "items": values,
        "bundles": bundles,
        "synonyms": synonyms,
    });
    let bytes = serde_json::to_vec(&file).expect("json");
    match interchange::parse_file(&bytes, known_codes) {
        Ok(parsed) if problems.is_empty() => Ok(parsed),
        Ok(_) => Err(problems),
        Err(more) => {
            // Point JSON paths back at the sheet rows: items[3] is the 4th item row.
            problems.extend(more.into_iter().map(|p| locate(p, &origin)));
            Err(problems)
        }
    }
}

fn locate(p: Problem, origin: &[usize]) -> Problem {
    if let Some(rest) = p.at.strip_prefix("items[")
        && let Some((n, tail)) = rest.split_once(']')
        && let Ok(i) = n.parse::<usize>()
        && let Some(row) = origin.get(i)
    {
        return Problem::new(format!("事项 第{row}行{tail}"), p.message);
    }
    p
}

#[cfg(test)]
mod zip_bomb_tests {
    use super::*;

    /// A small zip whose one part inflates to `size` zero bytes.
    fn zip_of_zeros(size: usize) -> Vec<u8> {
        use std::io::Write;
        let mut out = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
        let chunk = vec![0u8; 64 * 1024];
        for _ in 0..size / chunk.len() {
            zip.write_all(&chunk).unwrap();
        }
        zip.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn a_workbook_that_inflates_past_the_limit_is_refused_before_parsing() {
        let bomb = zip_of_zeros(4 * 1024 * 1024);
        assert!(bomb.len() < 64 * 1024, "{} bytes compressed", bomb.len());
        let refused = check_expansion(&bomb, 2 * 1024 * 1024).unwrap_err();
        assert!(refused.message.contains("压缩炸弹"), "{}", refused.message);
        assert!(check_expansion(&bomb, 8 * 1024 * 1024).is_ok());
        let not_zip = check_expansion(b"not a zip", 1024).unwrap_err();
        assert!(not_zip.message.contains("不是有效的 Excel"));
    }
}

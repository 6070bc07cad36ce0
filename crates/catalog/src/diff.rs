//! A readable difference between two versions of an item: one line per
//! changed value, with the field's Chinese name and the list entry it is in.

use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Change {
    /// e.g. `申请材料「营业执照」› 份数`.
    pub label: String,
    /// Machine path, e.g. `materials[yyzz].copies`.
    pub path: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

fn field_label(key: &str) -> &str {
    match key {
        "task_name" => "事项名称",
        "catalog_code" => "基本编码",
        "task_code" => "实施编码",
        "local_code" => "地方编码",
        "task_type" => "事项类型",
        "task_state" => "事项状态",
        "power_source" => "权力来源",
        "use_level" => "行使层级",
        "dept_name" => "实施主体",
        "dept_code" => "实施主体编码",
        "dept_type" => "实施主体性质",
        "entrust_name" => "委托部门",
        "by_law" => "设定依据",
        "accept_condition" => "受理条件",
        "serve_objects" => "服务对象",
        "project_type" => "办件类型",
        "anticipate_day" => "法定办结时限",
        "anticipate_type" => "法定时限单位",
        "anticipate_explain" => "法定时限说明",
        "promise_day" => "承诺办结时限",
        "promise_type" => "承诺时限单位",
        "promise_explain" => "承诺时限说明",
        "special_procedures" => "特别程序",
        "limit_scene_num" => "到办事现场次数",
        "limit_scene_explain" => "到现场次数说明",
        "handle_flow" => "办理流程",
        "steps" => "流程环节",
        "handle_forms" => "办理形式",
        "is_charge" => "是否收费",
        "fees" => "收费项目",
        "link_way" => "咨询方式",
        "supervise_way" => "监督投诉方式",
        "transact_addr" => "办理地点",
        "transact_time" => "办理时间",
        "is_entry_center" => "是否进驻大厅",
        "tongban_range" => "通办范围",
        "joint_agencies" => "联办机构",
        "result_type" => "审批结果类型",
        "result_name" => "审批结果名称",
        "result_sample" => "审批结果样本",
        "is_appoint" => "是否支持预约",
        "is_online_pay" => "是否网上支付",
        "is_express" => "是否物流快递",
        "is_self_service" => "是否自助终端",
        "is_online" => "是否网办",
        "online_depth" => "网办深度",
        "themes" => "主题分类",
        "keywords" => "关键词",
        "faqs" => "常见问题",
        "handling_items" => "业务办理项",
        "materials" => "申请材料",
        "questions" => "情形问题",
        "rules" => "情形规则",
        "name" => "名称",
        "code" => "编码",
        "kind" => "类别",
        "copies" => "份数",
        "necessity" => "必要性",
        "material_type" => "材料类型",
        "form" => "材料形式",
        "source" => "来源渠道",
        "always" => "所有情形均需",
        "text" => "题目",
        "options" => "选项",
        "show_if" => "显示条件",
        "when" => "条件",
        "then" => "效果",
        "question" => "问题",
        "answer" => "答案",
        "standard" => "收费标准",
        "fen" => "金额（分）",
        other => other,
    }
}

/// The key identifying an entry of a list, when its entries have one.
fn entry_key(v: &Value) -> Option<String> {
    ["id", "code", "task_code", "name", "question"]
        .iter()
        .find_map(|k| v.get(k).and_then(Value::as_str).map(str::to_string))
}

fn entry_title(v: &Value, key: &str) -> String {
    v.get("name")
        .or_else(|| v.get("text"))
        .or_else(|| v.get("question"))
        .and_then(Value::as_str)
        .unwrap_or(key)
        .to_string()
}

fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(true) => "是".into(),
        Value::Bool(false) => "否".into(),
        Value::Array(items) if items.iter().all(Value::is_string) => items
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join("、"),
        other => other.to_string(),
    }
}

fn walk(label: &str, path: &str, a: Option<&Value>, b: Option<&Value>, out: &mut Vec<Change>) {
    let absent = |v: Option<&Value>| v.is_none_or(Value::is_null);
    if absent(a) && absent(b) || a == b {
        return;
    }
    match (a, b) {
        (Some(Value::Object(x)), Some(Value::Object(y))) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                let l = if label.is_empty() {
                    field_label(k).to_string()
                } else {
                    format!("{label} › {}", field_label(k))
                };
                walk(&l, &format!("{path}.{k}"), x.get(k), y.get(k), out);
            }
        }
        (Some(Value::Array(x)), Some(Value::Array(y)))
            if x.iter().chain(y).all(|v| entry_key(v).is_some()) =>
        {
            let keyed = |list: &Vec<Value>| -> Vec<(String, Value)> {
                list.iter()
                    .map(|v| (entry_key(v).unwrap_or_default(), v.clone()))
                    .collect()
            };
            let (xs, ys) = (keyed(x), keyed(y));
            let mut keys: Vec<&String> = Vec::new();
            for (k, _) in xs.iter().chain(&ys) {
                if !keys.contains(&k) {
                    keys.push(k);
                }
            }
            for k in keys {
                let before = xs.iter().find(|(kk, _)| kk == k).map(|(_, v)| v);
                let after = ys.iter().find(|(kk, _)| kk == k).map(|(_, v)| v);
                let title = entry_title(after.or(before).expect("one side"), k);
                let l = format!("{label}「{title}」");
                let p = format!("{path}[{k}]");
                match (before, after) {
                    (Some(_), None) => out.push(Change {
                        label: format!("{l} 已删除"),
                        path: p,
                        before: Some(title),
                        after: None,
                    }),
                    (None, Some(_)) => out.push(Change {
                        label: format!("{l} 新增"),
                        path: p,
                        before: None,
                        after: Some(title),
                    }),
                    _ => walk(&l, &p, before, after, out),
                }
            }
            let order = |v: &Vec<(String, Value)>| v.iter().map(|(k, _)| k.clone()).collect();
            let (ox, oy): (Vec<String>, Vec<String>) = (order(&xs), order(&ys));
            let common = |o: &Vec<String>, other: &Vec<String>| -> Vec<String> {
                o.iter().filter(|k| other.contains(k)).cloned().collect()
            };
            if common(&ox, &oy) != common(&oy, &ox) {
                out.push(Change {
                    label: format!("{label} 顺序调整"),
                    path: path.to_string(),
                    before: Some(ox.join("、")),
                    after: Some(oy.join("、")),
                });
            }
        }
        _ => out.push(Change {
            label: label.to_string(),
            path: path.to_string(),
            before: a.filter(|v| !v.is_null()).map(show),
            after: b.filter(|v| !v.is_null()).map(show),
        }),
    }
}

/// The changes from `before` to `after` (two serialized item documents).
pub fn diff(before: &Value, after: &Value) -> Vec<Change> {
    let mut out = Vec::new();
    walk("", "", Some(before), Some(after), &mut out);
    for c in &mut out {
        c.path = c.path.trim_start_matches('.').to_string();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_fields_and_list_entries() {
        let a = json!({"task_name": "A", "promise_day": 10, "materials": [
            {"id": "sfz", "name": "身份证", "copies": 1},
            {"id": "sqb", "name": "申请表", "copies": 1}]});
        let b = json!({"task_name": "A", "promise_day": 5, "materials": [
            {"id": "sfz", "name": "身份证", "copies": 2},
            {"id": "zm", "name": "证明", "copies": 1}]});
        let d = diff(&a, &b);
        let labels: Vec<&str> = d.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(
            labels,
            vec![
                "申请材料「身份证」 › 份数",
                "申请材料「申请表」 已删除",
                "申请材料「证明」 新增",
                "承诺办结时限",
            ]
        );
        assert_eq!(d[3].before.as_deref(), Some("10"));
        assert_eq!(d[3].after.as_deref(), Some("5"));
        assert_eq!(d[0].path, "materials[sfz].copies");
        assert!(diff(&a, &a).is_empty());
    }

    #[test]
    fn reordering_is_reported() {
        let a = json!({"materials": [{"id": "a", "name": "甲"}, {"id": "b", "name": "乙"}]});
        let b = json!({"materials": [{"id": "b", "name": "乙"}, {"id": "a", "name": "甲"}]});
        let d = diff(&a, &b);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].label, "申请材料 顺序调整");
    }
}

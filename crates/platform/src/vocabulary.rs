//! What the logs say in Chinese. Each module names the words of its routes'
//! path segments and of its event types (`cases` → 办件, `sign` → 签收); the
//! audit log and the event log then read "办件·办理" instead of
//! `POST /api/v1/halls/{hall}/cases/{id}/actions` or `cases.case.deliver`.
//! A test walks every route, so a module that adds one without its words fails.

use std::collections::HashMap;
use std::sync::OnceLock;

/// A word of the vocabulary: a thing (a route's resource, an event's entity)
/// or something done to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Word {
    /// 办件, 窗口, 结果文件.
    Noun(&'static str),
    /// 签收, 叫下一号, 发布.
    Verb(&'static str),
    /// A path segment that only groups routes (`auth`, `catalog`): skipped.
    Scope,
}

pub type Words = &'static [(&'static str, Word)];

static WORDS: OnceLock<HashMap<&'static str, Word>> = OnceLock::new();

/// Message kinds and their names (`ticket.called` → 叫号提醒).
pub type Notices = &'static [(&'static str, &'static str)];

static NOTICES: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();

/// Installs the modules' message kinds, once at start-up.
pub fn install_notices(tables: impl IntoIterator<Item = Notices>) {
    let _ = NOTICES.set(tables.into_iter().flatten().copied().collect());
}

/// The Chinese name of a message kind; a webhook's kind is the event it
/// carries and reads as that event.
pub fn notice_label(kind: &str) -> Option<String> {
    if let Some(label) = NOTICES.get().and_then(|n| n.get(kind)) {
        return Some(label.to_string());
    }
    describe_event(kind)
}

/// Installs the modules' words, once at start-up (later calls are ignored,
/// as with permissions: every server in a process has the same modules).
pub fn install(tables: impl IntoIterator<Item = Words>) {
    let _ = WORDS.set(
        tables
            .into_iter()
            .flat_map(|t| t.iter().copied())
            .chain(COMMON.iter().copied())
            .collect(),
    );
}

fn word(segment: &str) -> Option<Word> {
    WORDS.get()?.get(segment).copied()
}

fn text(w: Word) -> &'static str {
    match w {
        Word::Noun(t) | Word::Verb(t) => t,
        Word::Scope => "",
    }
}

/// Words every module shares: what is done to a thing, in event types.
const COMMON: Words = &[
    ("created", Word::Verb("新增")),
    ("updated", Word::Verb("修改")),
    ("deleted", Word::Verb("删除")),
    ("removed", Word::Verb("删除")),
    ("set", Word::Verb("设置")),
    ("saved", Word::Verb("保存")),
    ("reset", Word::Verb("恢复默认")),
    ("replaced", Word::Verb("替换")),
    ("uploaded", Word::Verb("上传")),
];

/// The route segments whose words mention `query` or are named in it (办件 →
/// `cases`; 签收交接单 → `sign`, `handovers`), so a search in Chinese finds the
/// requests as they are recorded. Empty for a query without Chinese.
pub fn segments_for(query: &str) -> Vec<&'static str> {
    let q = query.trim();
    let Some(words) = WORDS.get().filter(|_| !q.is_ascii()) else {
        return vec![];
    };
    let mut found: Vec<&'static str> = words
        .iter()
        .filter(|(segment, _)| !segment.contains(['.', '_']))
        .filter(|(_, w)| {
            let t = text(**w);
            !t.is_empty() && (t.contains(q) || q.contains(t))
        })
        .map(|(segment, _)| *segment)
        .collect();
    found.sort_unstable();
    found
}

/// A route as people read it: `POST /api/v1/halls/{hall}/cases/{id}/actions`
/// → 办件·办理; `PUT …/windows/{id}` → 修改窗口. `None` when a segment has no word.
pub fn describe_route(method: &str, template: &str) -> Option<String> {
    let path = template.split('?').next()?.trim_start_matches("/api/v1/");
    let mut segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    // Scope prefixes say where, not what.
    if segments.first() == Some(&"public") {
        segments.remove(0);
    }
    if segments.len() > 2 && segments[0] == "halls" && segments[1] == "{hall}" {
        segments.drain(..2);
    }
    if segments.len() > 1 && segments[0] == "security" {
        segments.remove(0);
    }
    let is_param = |s: &str| s.starts_with('{');
    let last = *segments.last()?;
    // The thing acted on: the nearest noun before the last segment.
    let owner = |upto: usize| -> Option<Option<&'static str>> {
        for s in segments[..upto].iter().rev().filter(|s| !is_param(s)) {
            match word(s)? {
                Word::Noun(n) => return Some(Some(n)),
                Word::Verb(_) => return Some(None),
                Word::Scope => continue,
            }
        }
        Some(None)
    };
    let n = segments.len();
    if is_param(last) {
        let noun = owner(n - 1)??;
        let verb = match method {
            "GET" => "查看",
            "PUT" | "PATCH" => "修改",
            "DELETE" => "删除",
            _ => "提交",
        };
        return Some(format!("{verb}{noun}"));
    }
    let after_param = n > 1 && is_param(segments[n - 2]);
    match word(last)? {
        Word::Verb(v) => Some(match owner(n - 1)? {
            Some(o) => format!("{o}·{v}"),
            None => v.to_string(),
        }),
        Word::Scope => None,
        Word::Noun(noun) => {
            let verb = match (method, after_param) {
                ("GET", _) => "查看",
                ("POST", false) => "新增",
                ("POST", true) => "提交",
                ("PUT" | "PATCH", true) => "设置",
                ("PUT" | "PATCH", false) => "修改",
                ("DELETE", _) => "删除",
                _ => "",
            };
            Some(match owner(n - 1)?.filter(|_| after_param) {
                Some(o) => format!("{verb}{o}{noun}"),
                None => format!("{verb}{noun}"),
            })
        }
    }
}

/// An event type as people read it: `cases.case.deliver` → 办件·出件.
pub fn describe_event(event_type: &str) -> Option<String> {
    let mut parts = event_type.splitn(3, '.');
    let (module, entity, verb) = (parts.next()?, parts.next()?, parts.next()?);
    // A module may qualify an entity whose name another module also uses (`cases.settings`).
    let entity = text(word(&format!("{module}.{entity}")).or_else(|| word(entity))?);
    // `material_supplement`: the verb is made of words too.
    let verb = match word(verb) {
        Some(w) => text(w).to_string(),
        None => verb
            .split('_')
            .map(|p| word(p).map(text))
            .collect::<Option<Vec<_>>>()?
            .concat(),
    };
    Some(format!("{entity}·{verb}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEST: Words = &[
        ("cases", Word::Noun("办件")),
        ("case", Word::Noun("办件")),
        ("actions", Word::Verb("办理")),
        ("result-file", Word::Noun("结果文件")),
        ("windows", Word::Noun("窗口")),
        ("call-next", Word::Verb("叫下一号")),
        ("deliver", Word::Verb("出件")),
        ("material", Word::Noun("材料")),
        ("supplement", Word::Verb("补交")),
        ("auth", Word::Scope),
        ("login", Word::Verb("登录")),
        ("settings", Word::Noun("叫号设置")),
        ("cases.settings", Word::Noun("编号规则")),
        ("saved", Word::Verb("保存")),
    ];

    #[test]
    fn routes_and_events_read_in_chinese() {
        install([TEST]);
        let d = |m, p| describe_route(m, p).unwrap();
        assert_eq!(
            d("POST", "/api/v1/halls/{hall}/cases/{id}/actions"),
            "办件·办理"
        );
        assert_eq!(
            d("PUT", "/api/v1/halls/{hall}/cases/{id}/result-file"),
            "设置办件结果文件"
        );
        assert_eq!(d("GET", "/api/v1/halls/{hall}/cases/{id}"), "查看办件");
        assert_eq!(d("POST", "/api/v1/halls/{hall}/cases"), "新增办件");
        assert_eq!(d("DELETE", "/api/v1/halls/{hall}/windows/{id}"), "删除窗口");
        assert_eq!(
            d("POST", "/api/v1/halls/{hall}/windows/{id}/call-next"),
            "窗口·叫下一号"
        );
        assert_eq!(d("POST", "/api/v1/auth/login"), "登录");
        assert_eq!(describe_route("POST", "/api/v1/halls/{hall}/unknown"), None);
        assert_eq!(describe_event("cases.case.deliver").unwrap(), "办件·出件");
        assert_eq!(
            describe_event("cases.case.material_supplement").unwrap(),
            "办件·材料补交"
        );
        assert_eq!(describe_event("cases.case.created").unwrap(), "办件·新增");
        assert_eq!(describe_event("cases.nothing.deliver"), None);
        assert_eq!(
            describe_event("cases.settings.saved").unwrap(),
            "编号规则·保存"
        );
        assert_eq!(
            describe_event("queue.settings.saved").unwrap(),
            "叫号设置·保存"
        );
        assert_eq!(segments_for("办件"), ["case", "cases"]);
        assert_eq!(segments_for("办理办件"), ["actions", "case", "cases"]);
        assert!(
            segments_for("cases").is_empty(),
            "a raw query is searched as typed"
        );
    }
}

//! What a citizen's question means before it meets the index: everyday words
//! mapped to the catalog's through the shipped 政务 lexicon (and the hall's own
//! groups), characters typed by sound put right (社宝卡 → 社保卡), and the
//! action asked for (新办, 变更, 注销, 补换, 延续, 迁移, 查询) told apart so
//! sibling matters do not tie. Pure functions; the index uses them.

use pinyin::ToPinyin;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The lexicon shipped with the product (`lexicon/zhengwu.txt`).
const SHIPPED: &str = include_str!("../lexicon/zhengwu.txt");

/// Groups of words that mean the same, the first the catalog's own term.
pub fn shipped_lexicon() -> &'static [Vec<String>] {
    static GROUPS: OnceLock<Vec<Vec<String>>> = OnceLock::new();
    GROUPS.get_or_init(|| parse_groups(SHIPPED))
}

/// One group per line, words separated by `|`; `#` starts a comment; words of
/// one character are left out (they would match everything).
pub fn parse_groups(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            l.split('|')
                .map(|w| w.trim().to_lowercase())
                .filter(|w| w.chars().count() >= 2)
                .collect::<Vec<_>>()
        })
        .filter(|g| g.len() >= 2)
        .collect()
}

/// The words a question brings in through the groups it touches: every other
/// word of each group one of whose words it contains.
pub fn expansions<'a>(q: &str, groups: impl IntoIterator<Item = &'a Vec<String>>) -> Vec<String> {
    let q = q.to_lowercase();
    let mut out: Vec<String> = Vec::new();
    for g in groups {
        if g.iter().any(|w| q.contains(w.as_str())) {
            for w in g {
                if !q.contains(w.as_str()) && !out.contains(w) {
                    out.push(w.clone());
                }
            }
        }
    }
    out
}

/// A word's sound: toneless pinyin of each character, joined.
pub fn sound(word: &str) -> Option<String> {
    let mut out = String::new();
    for (c, p) in word.chars().zip(word.to_pinyin()) {
        match p {
            Some(p) => out.push_str(p.plain()),
            None if c.is_ascii_alphanumeric() => out.push(c.to_ascii_lowercase()),
            None => return None,
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Known words by their sound, to put right a word typed by sound.
#[derive(Debug, Default, Clone)]
pub struct Sounds {
    by_sound: HashMap<String, String>,
}

impl Sounds {
    /// Remembers `word` (two to six Chinese characters) under its sound.
    pub fn add(&mut self, word: &str) {
        let n = word.chars().count();
        if (2..=6).contains(&n)
            && word.chars().all(|c| !c.is_ascii())
            && let Some(s) = sound(word)
        {
            self.by_sound.entry(s).or_insert_with(|| word.to_string());
        }
    }

    pub fn len(&self) -> usize {
        self.by_sound.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_sound.is_empty()
    }

    /// The question with each stretch of two to four characters that is not a
    /// known word but sounds like one replaced by it (身分证 → 身份证), longest
    /// first. `known` says whether a stretch is a word already.
    pub fn correct(&self, q: &str, known: impl Fn(&str) -> bool) -> String {
        let chars: Vec<char> = q.chars().collect();
        let mut out = String::new();
        let mut i = 0;
        'outer: while i < chars.len() {
            for len in (2..=4).rev() {
                if i + len > chars.len() {
                    continue;
                }
                let piece: String = chars[i..i + len].iter().collect();
                if known(&piece) {
                    out.push_str(&piece);
                    i += len;
                    continue 'outer;
                }
                if let Some(word) = sound(&piece).and_then(|s| self.by_sound.get(&s)) {
                    out.push_str(word);
                    i += len;
                    continue 'outer;
                }
            }
            out.push(chars[i]);
            i += 1;
        }
        out
    }
}

/// What the citizen wants done with a matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Act {
    /// 新办, 设立, 首次申领.
    New,
    /// 变更.
    Change,
    /// 注销.
    Cancel,
    /// 补领, 换领, 补发.
    Replace,
    /// 延续, 续期.
    Renew,
    /// 迁入, 转移.
    Move,
    /// 查询.
    Query,
    /// 提取 (公积金), 领取 (待遇).
    Withdraw,
}

/// Words that say the act, in a question or a matter's name. Longer words
/// first within each act, so `补领` is not read as `领`.
const ACT_WORDS: &[(Act, &[&str])] = &[
    (
        Act::Replace,
        &[
            "补领",
            "补办",
            "补发",
            "换领",
            "补证",
            "丢了",
            "丢失",
            "遗失",
            "弄丢",
            "掉了",
            "坏了",
            "损坏",
            "消磁",
            "换一张",
            "补一个",
            "补个",
        ],
    ),
    (
        Act::Renew,
        &[
            "延续",
            "续期",
            "到期",
            "过期",
            "延期",
            "续一下",
            "续签",
            "快到期",
        ],
    ),
    (
        Act::Cancel,
        &[
            "注销",
            "销户",
            "不干了",
            "不开了",
            "关门",
            "停业",
            "歇业",
            "去世",
            "死亡",
            "销了",
        ],
    ),
    (
        Act::Change,
        &[
            "变更",
            "更改",
            "修改",
            "改名",
            "改一下",
            "换法人",
            "错了",
            "要改",
            "搬家",
            "迁址",
            "改地址",
            "变动",
        ],
    ),
    (
        Act::Move,
        &[
            "迁入",
            "迁出",
            "迁移",
            "迁过来",
            "迁到",
            "转移",
            "转出",
            "转入",
            "转到",
            "转过来",
            "落户",
            "过户",
        ],
    ),
    (Act::Query, &["查询", "查一下", "查查", "查看", "有几套"]),
    (
        Act::Withdraw,
        &["提取", "提公积金", "取公积金", "支取", "取出来", "怎么取"],
    ),
    (
        Act::New,
        &[
            "新办",
            "设立",
            "首次",
            "第一次",
            "初次",
            "开办",
            "注册",
            "成立",
            "开个",
            "开家",
            "想开",
            "要开",
            "新开",
            "申领",
            "核发",
            "办个",
            "办张",
            "新房",
        ],
    ),
];

/// The act a text names, the first found in the order above.
pub fn act_of(text: &str) -> Option<Act> {
    ACT_WORDS
        .iter()
        .find(|(_, words)| words.iter().any(|w| text.contains(w)))
        .map(|(act, _)| *act)
}

/// How much a matter's act agrees with the question's: the same act counts
/// more, a different one less; a matter that names no act (or a question
/// that asks none) is neutral, except that a bare question leans to the
/// plain 新办 sibling over its 变更/注销/补换/延续 ones.
pub fn act_factor(asked: Option<Act>, offered: Option<Act>) -> f32 {
    match (asked, offered) {
        (Some(a), Some(o)) if a == o => 1.6,
        (Some(Act::New), Some(Act::Move | Act::Query | Act::Withdraw)) => 0.8,
        (Some(_), Some(_)) => 0.55,
        (None, Some(Act::Change | Act::Cancel | Act::Replace | Act::Renew)) => 0.8,
        _ => 1.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_lexicon_has_only_words_of_two_characters_or_more() {
        let groups = shipped_lexicon();
        assert!(groups.len() >= 100, "{}", groups.len());
        assert!(groups.iter().flatten().all(|w| w.chars().count() >= 2));
        let found = expansions("社保卡丢了怎么办", groups);
        assert!(found.contains(&"社会保障卡".to_string()), "{found:?}");
    }

    #[test]
    fn a_word_typed_by_sound_is_put_right() {
        let mut s = Sounds::default();
        for w in ["社保卡", "身份证", "营业执照"] {
            s.add(w);
        }
        let known = |w: &str| w == "补办";
        assert_eq!(s.correct("社宝卡补办", known), "社保卡补办");
        assert_eq!(s.correct("身分证丢了", known), "身份证丢了");
        assert_eq!(s.correct("营业执找", known), "营业执照");
        // A known word is left alone even if it sounds like another.
        assert_eq!(s.correct("补办", known), "补办");
    }

    #[test]
    fn the_act_asked_for_is_read_from_everyday_words() {
        assert_eq!(act_of("身份证丢了"), Some(Act::Replace));
        assert_eq!(act_of("公司不开了"), Some(Act::Cancel));
        assert_eq!(act_of("食品许可证快到期了"), Some(Act::Renew));
        assert_eq!(act_of("个体工商户变更登记"), Some(Act::Change));
        assert_eq!(act_of("我想开个饭店"), Some(Act::New));
        assert_eq!(act_of("食品经营许可"), None);
        assert!(act_factor(Some(Act::Replace), Some(Act::Replace)) > 1.0);
        assert!(act_factor(Some(Act::Replace), Some(Act::New)) < 1.0);
        assert!(act_factor(None, Some(Act::Cancel)) < act_factor(None, Some(Act::New)));
    }
}

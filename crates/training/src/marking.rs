//! The rules of a question's answer: the one written form a key is stored in
//! (shared by the form, the Excel import and the learner's answers), and the
//! marking of an answer against its key. Pure functions, tested below.
//!
//! Written forms: 单选 `B`; 多选 `ACD` (letters in any order, any
//! separators); 判断 `对`/`错` (also 正确/错误/√/×/T/F); 填空 blanks separated
//! by `；`, each blank's accepted answers by `|` (`北京|北京市；2`); 简答 the
//! reference answer, marked by an instructor.

/// The kinds of question, with their labels.
pub const KINDS: &[(&str, &str)] = &[
    ("single", "单选题"),
    ("multiple", "多选题"),
    ("judge", "判断题"),
    ("fill", "填空题"),
    ("essay", "简答题"),
];

/// The label of a kind (`单选题`), or the kind itself.
pub fn kind_label(kind: &str) -> &str {
    KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, l)| *l)
        .unwrap_or(kind)
}

/// The kind named by its code or its label (`single`, `单选`, `单选题`).
pub fn kind_of(text: &str) -> Option<&'static str> {
    let t = text.trim();
    KINDS
        .iter()
        .find(|(k, l)| *k == t || *l == t || l.trim_end_matches('题') == t)
        .map(|(k, _)| *k)
}

/// The letter of the option at `index` (0 → `A`).
pub fn letter(index: usize) -> char {
    (b'A' + index as u8) as char
}

/// The option indexes named by the letters in `text`, in order, without
/// repeats; `Err` names a letter beyond the options.
fn letters(text: &str, options: usize) -> Result<Vec<usize>, String> {
    let mut out = Vec::new();
    for c in text.chars() {
        let c = c.to_ascii_uppercase();
        let c = match c {
            'Ａ'..='Ｚ' => char::from_u32(c as u32 - 'Ａ' as u32 + 'A' as u32).unwrap_or(c),
            'ａ'..='ｚ' => char::from_u32(c as u32 - 'ａ' as u32 + 'A' as u32).unwrap_or(c),
            c => c,
        };
        if c.is_ascii_uppercase() {
            let i = (c as u8 - b'A') as usize;
            if i >= options {
                return Err(format!(
                    "选项 {c} 不存在（本题只有 A 至 {}）",
                    letter(options.saturating_sub(1))
                ));
            }
            if !out.contains(&i) {
                out.push(i);
            }
        } else if !(c.is_whitespace() || ",，、;；".contains(c)) {
            return Err(format!("“{c}”不是选项字母"));
        }
    }
    out.sort_unstable();
    Ok(out)
}

fn judge(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "对" | "正确" | "√" | "✓" | "t" | "true" | "是" | "y" => Some(true),
        "错" | "错误" | "×" | "✗" | "x" | "f" | "false" | "否" | "n" => Some(false),
        _ => None,
    }
}

/// Splits a fill-in key or answer into blanks.
fn blanks(text: &str) -> Vec<&str> {
    text.split(['；', ';']).map(str::trim).collect()
}

/// Full-width letters and digits to half-width, lower case, no spaces: how
/// two fill-in answers are compared.
fn plain(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// The stored form of a key, or what is wrong with it.
pub fn normalize_key(kind: &str, key: &str, options: usize) -> Result<String, String> {
    let key = key.trim();
    match kind {
        "single" => match letters(key, options)?.as_slice() {
            [i] => Ok(letter(*i).to_string()),
            _ => Err("单选题的答案须为一个选项字母，如 B".into()),
        },
        "multiple" => {
            let picked = letters(key, options)?;
            if picked.len() < 2 {
                return Err("多选题的答案须为两个或以上选项字母，如 ACD".into());
            }
            Ok(picked.into_iter().map(letter).collect())
        }
        "judge" => match judge(key) {
            Some(true) => Ok("对".into()),
            Some(false) => Ok("错".into()),
            None => Err("判断题的答案须为“对”或“错”".into()),
        },
        "fill" => {
            let parts = blanks(key);
            if parts
                .iter()
                .any(|b| b.split('|').all(|a| a.trim().is_empty()))
            {
                return Err(
                    "填空题每个空都须有答案（空之间用“；”分隔，同一空的多个可接受答案用“|”分隔）"
                        .into(),
                );
            }
            Ok(parts
                .iter()
                .map(|b| {
                    b.split('|')
                        .map(str::trim)
                        .filter(|a| !a.is_empty())
                        .collect::<Vec<_>>()
                        .join("|")
                })
                .collect::<Vec<_>>()
                .join("；"))
        }
        "essay" => Ok(key.to_string()),
        other => Err(format!("题型“{other}”不支持")),
    }
}

/// The number of blanks in a fill-in key.
pub fn blank_count(key: &str) -> usize {
    blanks(key).len()
}

/// The points an answer earns, or `None` when an instructor marks it (简答).
/// 多选 earns its points only when exactly right; 填空 earns a share per
/// blank. `answer` uses the key's written form; a malformed answer earns 0.
pub fn mark(kind: &str, key: &str, answer: &str, options: usize, points: f64) -> Option<f64> {
    let earned = match kind {
        "single" | "multiple" => {
            let right = letters(key, options).ok();
            let given = letters(answer, options).ok();
            if right.is_some() && right == given && !answer.trim().is_empty() {
                points
            } else {
                0.0
            }
        }
        "judge" => {
            if judge(key).is_some() && judge(key) == judge(answer) {
                points
            } else {
                0.0
            }
        }
        "fill" => {
            let want = blanks(key);
            let got = blanks(answer);
            let right = want
                .iter()
                .enumerate()
                .filter(|(i, accepted)| {
                    let given = got.get(*i).map(|g| plain(g)).unwrap_or_default();
                    !given.is_empty() && accepted.split('|').any(|a| plain(a) == given)
                })
                .count();
            points * right as f64 / want.len().max(1) as f64
        }
        _ => return None,
    };
    Some(earned)
}

/// Rewrites an answer given in the shuffled order the learner saw (`order[i]`
/// is the stored option shown as the i-th letter) into stored letters.
pub fn unshuffle(answer: &str, order: &[usize]) -> String {
    match letters(answer, order.len()) {
        Ok(shown) => {
            let mut stored: Vec<usize> = shown.into_iter().map(|i| order[i]).collect();
            stored.sort_unstable();
            stored.into_iter().map(letter).collect()
        }
        // Left as given: marking finds it wrong.
        Err(_) => answer.to_string(),
    }
}

/// Rewrites a stored key into the letters the learner saw.
pub fn shuffle_key(key: &str, order: &[usize]) -> String {
    match letters(key, order.len()) {
        Ok(stored) => {
            let mut shown: Vec<usize> = stored
                .into_iter()
                .filter_map(|s| order.iter().position(|&o| o == s))
                .collect();
            shown.sort_unstable();
            shown.into_iter().map(letter).collect()
        }
        Err(_) => key.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn keys_are_stored_in_one_form() {
        assert_eq!(normalize_key("single", " b ", 4).unwrap(), "B");
        assert_eq!(normalize_key("multiple", "D、a，C", 4).unwrap(), "ACD");
        assert_eq!(normalize_key("judge", "√", 0).unwrap(), "对");
        assert_eq!(normalize_key("judge", "错误", 0).unwrap(), "错");
        assert_eq!(
            normalize_key("fill", " 北京 | 北京市 ; 2", 0).unwrap(),
            "北京|北京市；2"
        );
        assert!(
            normalize_key("single", "E", 4)
                .unwrap_err()
                .contains("选项 E 不存在")
        );
        assert!(normalize_key("single", "AB", 4).is_err());
        assert!(normalize_key("multiple", "A", 4).is_err());
        assert!(normalize_key("judge", "也许", 0).is_err());
        assert!(normalize_key("fill", "北京；", 0).is_err());
    }

    #[test]
    fn answers_are_marked() {
        assert_eq!(mark("single", "B", "b", 4, 2.0), Some(2.0));
        assert_eq!(mark("single", "B", "C", 4, 2.0), Some(0.0));
        assert_eq!(mark("single", "B", "", 4, 2.0), Some(0.0));
        assert_eq!(mark("multiple", "ACD", "DCA", 4, 4.0), Some(4.0));
        assert_eq!(mark("multiple", "ACD", "AC", 4, 4.0), Some(0.0));
        assert_eq!(mark("judge", "对", "正确", 0, 1.0), Some(1.0));
        assert_eq!(mark("judge", "对", "", 0, 1.0), Some(0.0));
        assert_eq!(
            mark("fill", "北京|北京市；２０", "北京市；20", 0, 4.0),
            Some(4.0)
        );
        assert_eq!(
            mark("fill", "北京|北京市；20", "上海；20", 0, 4.0),
            Some(2.0)
        );
        assert_eq!(mark("essay", "参考", "我的回答", 0, 10.0), None);
    }

    proptest! {
        /// Answering with the key shown in the shuffled order always earns
        /// the points, whatever the order.
        #[test]
        fn shuffled_keys_mark_right(n in 2usize..7, seed in any::<u64>(), pick in 1u32..127) {
            let mut order: Vec<usize> = (0..n).collect();
            let mut s = seed;
            for i in (1..n).rev() {
                s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                order.swap(i, (s >> 33) as usize % (i + 1));
            }
            let key: String = (0..n).filter(|i| pick & (1 << i) != 0).map(letter).collect();
            prop_assume!(!key.is_empty());
            let kind = if key.len() == 1 { "single" } else { "multiple" };
            let shown = shuffle_key(&key, &order);
            prop_assert_eq!(unshuffle(&shown, &order), key.clone());
            prop_assert_eq!(mark(kind, &key, &unshuffle(&shown, &order), n, 3.0), Some(3.0));
        }
    }
}

//! Line breaking for Chinese text with Latin runs: break between any two hanzi,
//! keep numbers and Latin words whole when they fit, and follow the basic
//! 避头尾 rules (no 。，） at the start of a line — they hang instead — and no
//! （《 at its end).

/// Punctuation that may not begin a line.
const NO_LINE_START: &str = "，。、；：？！）》」』】〕…—’”,.;:?!)]}%";
/// Punctuation that may not end a line.
const NO_LINE_END: &str = "（《「『【〔‘“([{";

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-_./:@#".contains(c)
}

/// Tokens: a run of Latin letters and digits, or one other character.
fn tokens(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in line.char_indices() {
        if is_word_char(c) {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            out.push(&line[s..i]);
        }
        out.push(&line[i..i + c.len_utf8()]);
    }
    if let Some(s) = start {
        out.push(&line[s..]);
    }
    out
}

/// Breaks `text` into lines no wider than `max` (except hanging punctuation);
/// each `\n` starts a new line.
pub fn wrap(text: &str, max: f32, width_of: impl Fn(char) -> f32) -> Vec<String> {
    let width = |s: &str| s.chars().map(&width_of).sum::<f32>();
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut used = 0.0;
        for token in tokens(paragraph) {
            let w = width(token);
            let hangs = NO_LINE_START.contains(token);
            if used + w <= max || hangs && !line.is_empty() {
                line.push_str(token);
                used += w;
                continue;
            }
            if w > max {
                // A word longer than the line: cut it where it must.
                for c in token.chars() {
                    let cw = width_of(c);
                    if used + cw > max && !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                        used = 0.0;
                    }
                    line.push(c);
                    used += cw;
                }
                continue;
            }
            // An opening bracket goes down with what it opens.
            let carried = match line.chars().last() {
                Some(c) if NO_LINE_END.contains(c) && line.chars().count() > 1 => {
                    line.pop();
                    Some(c)
                }
                _ => None,
            };
            lines.push(std::mem::take(&mut line));
            used = 0.0;
            if let Some(c) = carried {
                line.push(c);
                used = width_of(c);
            }
            line.push_str(token);
            used += w;
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hanzi and full-width punctuation 1 wide, ASCII 0.5.
    fn w(c: char) -> f32 {
        if c.is_ascii() { 0.5 } else { 1.0 }
    }

    #[test]
    fn hanzi_break_anywhere_at_the_width() {
        assert_eq!(wrap("一二三四五六七", 3.0, w), ["一二三", "四五六", "七"]);
    }

    #[test]
    fn closing_punctuation_hangs_instead_of_starting_a_line() {
        assert_eq!(wrap("一二三。四五", 3.0, w), ["一二三。", "四五"]);
    }

    #[test]
    fn opening_bracket_moves_down_with_its_text() {
        assert_eq!(wrap("一二（三四", 3.0, w), ["一二", "（三四"]);
    }

    #[test]
    fn numbers_stay_whole_when_they_fit() {
        assert_eq!(wrap("编号ABC123", 4.0, w), ["编号", "ABC123"]);
        // Longer than a line: cut.
        assert_eq!(wrap("12345678", 2.0, w), ["1234", "5678"]);
    }

    #[test]
    fn newlines_start_lines_and_empty_lines_stay() {
        assert_eq!(wrap("一\n\n二", 3.0, w), ["一", "", "二"]);
    }

    #[test]
    fn no_line_is_wider_than_the_limit_except_by_hanging_punctuation() {
        let text = "申请人如不服本决定，可以自收到本通知书之日起六十日内依法申请行政复议（《中华人民共和国行政复议法》第二十条），或者自收到本通知书之日起六个月内依法提起行政诉讼。";
        for max in [5.0, 7.0, 12.0, 20.0] {
            let lines = wrap(text, max, w);
            assert_eq!(lines.concat(), text);
            for line in &lines {
                let trimmed: String = line.trim_end_matches(|c| NO_LINE_START.contains(c)).into();
                assert!(trimmed.chars().map(w).sum::<f32>() <= max, "{line} > {max}");
                assert!(!line.starts_with(|c| NO_LINE_START.contains(c)), "{line}");
            }
        }
    }
}

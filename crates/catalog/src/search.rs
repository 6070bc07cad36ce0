//! The Chinese full-text index over published items and 一件事 bundles:
//! jieba word segmentation for Chinese, character pairs for partial words,
//! full pinyin and pinyin initials for kiosk keyboards (`yyzz` finds 营业执照),
//! and what `understand` reads in a question: the shipped 政务 lexicon and the
//! hall's synonyms (社保卡 also searches 社会保障卡), words typed by sound put
//! right, and the act asked for (补办 ranks 补领 above 新办). Each hit carries a
//! confidence — the share of the question's meaning found in its name and
//! keywords — and guidance shows only confident ones. The index is derived
//! data: `rebuild` recreates it from the database at any time.

use crate::understand::{self, Sounds};
use pinyin::ToPinyin;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Mutex, RwLock};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, RegexQuery, TermQuery};
use tantivy::schema::{
    Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
    Value,
};
use tantivy::tokenizer::{LowerCaser, NgramTokenizer, TextAnalyzer};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term, doc};

const TOKENIZER: &str = "jieba";
/// Character pairs, for a question that names only part of a word.
const PAIRS: &str = "pairs";
/// Bump when the schema changes; an index of another version is rebuilt.
const SCHEMA_VERSION: u32 = 3;

/// Below this confidence guidance does not show a hit: it says it did not
/// understand and offers browsing and the 咨询台 instead.
pub const CONFIDENT: f32 = 0.5;

/// What is indexed for one item or bundle.
#[derive(Debug, Clone)]
pub struct SearchDoc {
    pub hall_id: String,
    /// `item` or `bundle`.
    pub kind: &'static str,
    pub id: String,
    pub code: String,
    pub title: String,
    /// Keywords and handling-item names.
    pub keywords: Vec<String>,
    /// FAQs, department, description.
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Hit {
    pub kind: String,
    pub id: String,
    pub code: String,
    pub title: String,
    pub score: f32,
    /// Why it matched: the query words found in its name or keywords, or 拼音.
    pub matched: Vec<String>,
    /// 0–1: how much of the question's meaning its name and keywords carry;
    /// below [`CONFIDENT`] guidance does not show it.
    pub confidence: f32,
}

struct Fields {
    hall: Field,
    kind: Field,
    id: Field,
    code: Field,
    title: Field,
    keywords: Field,
    body: Field,
    /// Title and keywords as character pairs.
    pairs: Field,
    pinyin: Field,
    initials: Field,
}

pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    f: Fields,
    /// Synonym groups per hall.
    synonyms: RwLock<HashMap<String, Vec<Vec<String>>>>,
    /// Words of names, keywords and the lexicon by their sound.
    sounds: RwLock<Sounds>,
}

/// Words that carry no meaning in a colloquial query (我想办个…怎么办).
const STOP_WORDS: &[&str] = &[
    "我",
    "想",
    "要",
    "我想",
    "我要",
    "的",
    "了",
    "个",
    "一个",
    "怎么",
    "怎么办",
    "如何",
    "办理",
    "办",
    "在",
    "哪里",
    "去",
    "能",
    "可以",
    "需要",
    "什么",
    "吗",
    "呢",
    "啊",
    "请问",
    "给",
    "帮",
    "到",
    "和",
    "与",
    "及",
    "是",
    "有",
    "手续",
    "哪些",
    "材料",
    "啥",
    "咋",
    "咋办",
    "怎样",
    "要不要",
    "一下",
    "这个",
    "那个",
    "应该",
    "必须",
    "准备",
    "了吗",
    "吧",
    "呀",
    "们",
    "你们",
    "我们",
    "自己",
    "一张",
];

/// Words every matter shares (申请, 登记, 许可…): they count, but little.
const GENERIC: &[&str] = &[
    "申请",
    "登记",
    "许可",
    "许可证",
    "办理",
    "证明",
    "证",
    "证件",
    "证书",
    "审批",
    "认定",
    "确认",
    "核发",
    "领取",
    "申报",
    "服务",
    "信息",
    "业务",
    "管理",
    "事项",
];

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER)
                .set_index_option(IndexRecordOption::WithFreqs),
        )
        .set_stored();
    let f = Fields {
        hall: b.add_text_field("hall", STRING),
        kind: b.add_text_field("kind", STRING | STORED),
        id: b.add_text_field("id", STRING | STORED),
        code: b.add_text_field("code", STRING | STORED),
        title: b.add_text_field("title", text.clone()),
        keywords: b.add_text_field("keywords", text.clone()),
        body: b.add_text_field("body", text),
        pairs: b.add_text_field(
            "pairs",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(PAIRS)
                    .set_index_option(IndexRecordOption::WithFreqs),
            ),
        ),
        pinyin: b.add_text_field("pinyin", STRING),
        initials: b.add_text_field("initials", STRING),
    };
    let _ = INDEXED;
    (b.build(), f)
}

fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(tantivy_jieba::JiebaTokenizer::with_search_mode(true))
        .filter(LowerCaser)
        .build()
}

fn pair_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(NgramTokenizer::new(2, 2, false).expect("valid n-gram sizes"))
        .filter(LowerCaser)
        .build()
}

/// The character pairs of a word (社会保障 → 社会, 会保, 保障).
fn pairs_of(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    chars.windows(2).map(|w| w.iter().collect()).collect()
}

/// Each character's full pinyin and initial, lower case (Latin letters and
/// digits stand for themselves; other characters are skipped).
pub fn pinyin_chars(text: &str) -> Vec<(String, String)> {
    text.chars()
        .zip(text.to_pinyin())
        .filter_map(|(ch, py)| match py {
            Some(p) => Some((p.plain().to_string(), p.first_letter().to_string())),
            None if ch.is_ascii_alphanumeric() => {
                let c = ch.to_ascii_lowercase().to_string();
                Some((c.clone(), c))
            }
            None => None,
        })
        .collect()
}

/// How many characters a pinyin query may span; longer queries match on their start.
const PINYIN_SPAN: usize = 8;

/// The pinyin terms of a text: for every character, the full pinyin and the
/// initials of the run of up to `PINYIN_SPAN` characters starting there, so a
/// prefix search finds `shebao` or `sbk` anywhere in 补领社会保障卡.
pub fn pinyin_terms(text: &str) -> (Vec<String>, Vec<String>) {
    let chars = pinyin_chars(text);
    let (mut full, mut initials) = (Vec::new(), Vec::new());
    for start in 0..chars.len() {
        let run = &chars[start..(start + PINYIN_SPAN).min(chars.len())];
        full.push(run.iter().map(|(f, _)| f.as_str()).collect());
        initials.push(run.iter().map(|(_, i)| i.as_str()).collect());
    }
    (full, initials)
}

impl SearchIndex {
    /// Opens the index under `dir`, creating it (empty) when missing or of an
    /// older schema. Returns whether it was created, so the caller rebuilds it.
    pub fn open(dir: &Path) -> anyhow::Result<(SearchIndex, bool)> {
        let dir = dir.join(format!("catalog-v{SCHEMA_VERSION}"));
        let (schema, f) = schema();
        let existing = dir.join("meta.json").exists();
        let index = if existing {
            Index::open_in_dir(&dir)?
        } else {
            std::fs::create_dir_all(&dir)?;
            Index::create_in_dir(&dir, schema)?
        };
        index.tokenizers().register(TOKENIZER, analyzer());
        index.tokenizers().register(PAIRS, pair_analyzer());
        let mut sounds = Sounds::default();
        for w in understand::shipped_lexicon().iter().flatten() {
            sounds.add(w);
        }
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let writer = index.writer_with_num_threads(1, 32_000_000)?;
        Ok((
            SearchIndex {
                index,
                reader,
                writer: Mutex::new(writer),
                f,
                synonyms: RwLock::default(),
                sounds: RwLock::new(sounds),
            },
            !existing,
        ))
    }

    /// How many documents (items and bundles) the index holds.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn to_document(&self, d: &SearchDoc) -> TantivyDocument {
        let f = &self.f;
        let mut doc = doc!(
            f.hall => d.hall_id.clone(),
            f.kind => d.kind,
            f.id => d.id.clone(),
            f.code => d.code.clone(),
            f.title => d.title.clone(),
            f.body => d.body.clone(),
        );
        for k in &d.keywords {
            doc.add_text(f.keywords, k);
        }
        for text in std::iter::once(&d.title).chain(&d.keywords) {
            doc.add_text(f.pairs, text);
        }
        for text in std::iter::once(&d.title).chain(&d.keywords) {
            let (full, initials) = pinyin_terms(text);
            for t in full {
                doc.add_text(f.pinyin, t);
            }
            for t in initials {
                doc.add_text(f.initials, t);
            }
        }
        doc
    }

    /// Replaces the documents of these ids (or adds them) and removes `removed`;
    /// visible to searches when this returns.
    pub fn apply(&self, upserts: &[SearchDoc], removed: &[String]) -> anyhow::Result<()> {
        self.learn_sounds(upserts);
        let mut w = self.writer.lock().expect("index writer");
        for d in upserts {
            w.delete_term(Term::from_field_text(self.f.id, &d.id));
            w.add_document(self.to_document(d))?;
        }
        for id in removed {
            w.delete_term(Term::from_field_text(self.f.id, id));
        }
        w.commit()?;
        drop(w);
        self.reader.reload()?;
        Ok(())
    }

    /// Drops everything and indexes `docs`.
    pub fn rebuild(&self, docs: &[SearchDoc]) -> anyhow::Result<()> {
        self.learn_sounds(docs);
        let mut w = self.writer.lock().expect("index writer");
        w.delete_all_documents()?;
        for d in docs {
            w.add_document(self.to_document(d))?;
        }
        w.commit()?;
        drop(w);
        self.reader.reload()?;
        Ok(())
    }

    /// Remembers the words of names and keywords by sound, to put right a
    /// question that typed one by sound.
    fn learn_sounds(&self, docs: &[SearchDoc]) {
        let mut sounds = self.sounds.write().expect("sounds");
        for d in docs {
            for text in std::iter::once(&d.title).chain(&d.keywords) {
                sounds.add(text);
                for w in self.words(text) {
                    sounds.add(&w);
                }
            }
        }
    }

    pub fn set_synonyms(&self, hall_id: &str, groups: Vec<Vec<String>>) {
        let mut sounds = self.sounds.write().expect("sounds");
        for w in groups.iter().flatten() {
            sounds.add(w);
        }
        drop(sounds);
        self.synonyms
            .write()
            .expect("synonyms")
            .insert(hall_id.to_string(), groups);
    }

    /// The query and its synonym variants (开饭店 → 开饭店, 餐饮 …).
    fn expand(&self, hall_id: &str, q: &str) -> Vec<String> {
        let mut out = vec![q.to_string()];
        if let Some(groups) = self.synonyms.read().expect("synonyms").get(hall_id) {
            for g in groups {
                for term in g.iter().filter(|t| q.contains(&***t)) {
                    for other in g.iter().filter(|o| *o != term) {
                        let variant = q.replace(&**term, other);
                        if !out.contains(&variant) {
                            out.push(variant);
                        }
                        if !out.contains(other) {
                            out.push(other.clone());
                        }
                    }
                }
            }
        }
        out
    }

    fn words(&self, text: &str) -> Vec<String> {
        let mut tokenizer = self
            .index
            .tokenizers()
            .get(TOKENIZER)
            .expect("registered tokenizer");
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            let w = t.text.trim().to_string();
            if !w.is_empty()
                && !STOP_WORDS.contains(&w.as_str())
                && w.chars().any(|c| c.is_alphanumeric())
                && !out.contains(&w)
            {
                out.push(w);
            }
        }
        out
    }

    /// The hall's own groups (the shipped lexicon is read in place).
    fn hall_groups(&self, hall_id: &str) -> Vec<Vec<String>> {
        self.synonyms
            .read()
            .expect("synonyms")
            .get(hall_id)
            .cloned()
            .unwrap_or_default()
    }

    /// The question's own words (weight 1) and those the lexicon and the
    /// hall's groups bring in (0.6); single characters and words every
    /// matter shares weigh little.
    fn weigh(
        &self,
        hall_id: &str,
        q: &str,
        groups: &[&Vec<String>],
    ) -> (Vec<String>, Vec<(String, f32)>) {
        let mut weighted: Vec<(String, f32)> = Vec::new();
        let mut add = |w: String, weight: f32| {
            let n = w.chars().count();
            let weight = if GENERIC.contains(&w.as_str()) {
                weight * 0.3
            } else if n == 1 && !w.is_ascii() {
                weight * 0.15
            } else {
                weight
            };
            match weighted.iter_mut().find(|(x, _)| *x == w) {
                Some((_, old)) => *old = old.max(weight),
                None => weighted.push((w, weight)),
            }
        };
        let own = self.words(q);
        for w in &own {
            add(w.clone(), 1.0);
        }
        for variant in self.expand(hall_id, q).into_iter().skip(1) {
            for w in self.words(&variant) {
                add(w, 0.6);
            }
        }
        for e in understand::expansions(q, groups.iter().copied()) {
            add(e.clone(), 0.6);
            for w in self.words(&e) {
                add(w, 0.5);
            }
        }
        (own, weighted)
    }

    /// The query over the hall's documents: each weighted word in the name,
    /// keywords and body, the character pairs of the question's own words, and
    /// a typed pinyin prefix; `None` when nothing is left to look for.
    fn query(
        &self,
        hall_id: &str,
        own: &[String],
        weighted: &[(String, f32)],
        pinyin: Option<&String>,
    ) -> anyhow::Result<Option<BooleanQuery>> {
        let f = &self.f;
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (w, weight) in weighted {
            for (field, boost) in [(f.title, 3.0), (f.keywords, 2.0), (f.body, 0.4)] {
                let tq = TermQuery::new(
                    Term::from_field_text(field, w),
                    IndexRecordOption::WithFreqs,
                );
                should.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(tq), boost * weight)),
                ));
            }
        }
        // Part of a word (执业 in 执业注册): its character pairs, lightly.
        for w in own.iter().filter(|w| w.chars().count() >= 2) {
            for pair in pairs_of(w) {
                let tq = TermQuery::new(
                    Term::from_field_text(f.pairs, &pair),
                    IndexRecordOption::WithFreqs,
                );
                should.push((Occur::Should, Box::new(BoostQuery::new(Box::new(tq), 0.4))));
            }
        }
        if let Some(compact) = pinyin.filter(|c| c.len() >= 2) {
            // A prefix of one of the indexed runs: the automaton only walks that branch.
            for (field, boost) in [(f.initials, 4.0), (f.pinyin, 4.0)] {
                let rq = RegexQuery::from_pattern(&format!("{compact}.*"), field)?;
                should.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(rq), boost)),
                ));
            }
        }
        if should.is_empty() {
            return Ok(None);
        }
        Ok(Some(BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.hall, hall_id),
                    IndexRecordOption::Basic,
                )),
            ),
            (Occur::Must, Box::new(BooleanQuery::new(should))),
        ])))
    }

    /// The best `limit` items and bundles of the hall for `q`, confident or
    /// not (guidance shows those at or above [`CONFIDENT`]).
    pub fn search(&self, hall_id: &str, q: &str, limit: usize) -> anyhow::Result<Vec<Hit>> {
        let raw = q.trim();
        if raw.is_empty() {
            return Ok(vec![]);
        }
        let f = &self.f;
        let compact: String = raw
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        let is_pinyin = !compact.is_empty() && compact.chars().all(|c| c.is_ascii_lowercase());
        let hall_groups = self.hall_groups(hall_id);
        let groups: Vec<&Vec<String>> = understand::shipped_lexicon()
            .iter()
            .chain(hall_groups.iter())
            .collect();
        let known_words: std::collections::HashSet<&str> = groups
            .iter()
            .copied()
            .flatten()
            .map(String::as_str)
            .collect();
        // Put right what was typed by sound (社宝卡), leaving known words alone.
        let q = if is_pinyin {
            raw.to_string()
        } else {
            let sounds = self.sounds.read().expect("sounds");
            sounds.correct(raw, |w| known_words.contains(w))
        };
        let asked = understand::act_of(&q);
        let (own, weighted) = self.weigh(hall_id, &q, &groups);
        let Some(query) = self.query(hall_id, &own, &weighted, is_pinyin.then_some(&compact))?
        else {
            return Ok(vec![]);
        };
        let searcher = self.reader.searcher();
        // Enough candidates for the act to reorder siblings.
        let wanted = limit.max(30);
        let top = searcher.search(&query, &TopDocs::with_limit(wanted).order_by_score())?;
        // The question's words, with the lexicon's phrases it contains (卖烟,
        // 领结婚证) that segmentation may have cut apart.
        let mut phrases = own.clone();
        for w in groups.iter().copied().flatten() {
            if q.contains(w.as_str()) && !phrases.contains(w) {
                phrases.push(w.clone());
            }
        }
        let meaning = Meaning::of(&phrases, &groups);
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let text = |field: Field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            let title = text(f.title);
            let keywords: Vec<String> = doc
                .get_all(f.keywords)
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
            let named = format!("{} {}", title, keywords.join(" ")).to_lowercase();
            // The question's own words first, then what the lexicon brought in; a few.
            let mut matched: Vec<String> = own
                .iter()
                .chain(weighted.iter().map(|(w, _)| w))
                .filter(|w| w.chars().count() >= 2 && named.contains(String::as_str(w)))
                .fold(Vec::new(), |mut out: Vec<String>, w| {
                    if !out.iter().any(|o| o.contains(String::as_str(w))) {
                        out.push(w.clone());
                    }
                    out
                });
            matched.truncate(4);
            let confidence = if is_pinyin {
                matched.push(format!("拼音 {compact}"));
                // A pinyin prefix either names the matter or finds nothing.
                1.0
            } else {
                meaning.found_in(&named)
            };
            let factor = understand::act_factor(asked, understand::act_of(&title));
            hits.push(Hit {
                kind: text(f.kind),
                id: text(f.id),
                code: text(f.code),
                title,
                score: score * factor * (0.5 + confidence),
                matched,
                confidence,
            });
        }
        hits.sort_by(|a, b| b.score.total_cmp(&a.score));
        hits.truncate(limit);
        Ok(hits)
    }

    /// The hits guidance shows: the confident ones.
    pub fn guide(&self, hall_id: &str, q: &str, limit: usize) -> anyhow::Result<Vec<Hit>> {
        let mut hits = self.search(hall_id, q, limit)?;
        hits.retain(|h| h.confidence >= CONFIDENT);
        Ok(hits)
    }
}

/// What a question asks about, to measure how much of it a matter carries:
/// its words of substance (not the pieces of a longer word, not filler, not
/// words every matter shares), each with the other words of its groups.
struct Meaning {
    words: Vec<(String, Vec<String>)>,
}

/// How a word of the question was found in a matter's name and keywords.
fn found(word: &str, siblings: &[String], named: &str) -> f32 {
    if named.contains(word) {
        1.0
    } else if siblings.iter().any(|s| named.contains(String::as_str(s))) {
        0.85
    } else {
        let pairs = pairs_of(word);
        let hit = pairs
            .iter()
            .filter(|p| named.contains(String::as_str(p)))
            .count();
        if !pairs.is_empty() && hit * 2 >= pairs.len() {
            0.4
        } else {
            0.0
        }
    }
}

impl Meaning {
    fn of(words: &[String], groups: &[&Vec<String>]) -> Meaning {
        // jieba's search mode also gives the pieces of a long word (社保卡 → 社保): keep the whole.
        let whole: Vec<&String> = words
            .iter()
            .filter(|w| {
                !words
                    .iter()
                    .any(|o| o.len() > w.len() && o.contains(String::as_str(w)))
            })
            .collect();
        let substantive = |w: &&String| {
            !GENERIC.contains(&String::as_str(w)) && (w.chars().count() >= 2 || w.is_ascii())
        };
        let mut chosen: Vec<&String> = whole
            .iter()
            .copied()
            .filter(substantive)
            .filter(|w| understand::act_of(w).is_none())
            .collect();
        if chosen.is_empty() {
            // The act is all that was said (落户, 过户): it is the meaning.
            chosen = whole.iter().copied().filter(substantive).collect();
        }
        let words = chosen
            .into_iter()
            .map(|w| {
                let siblings: Vec<String> = groups
                    .iter()
                    .filter(|g| g.iter().any(|x| x == w))
                    .flat_map(|g| g.iter())
                    .cloned()
                    .collect();
                (w.clone(), siblings)
            })
            .collect();
        Meaning { words }
    }

    /// 0–1: the question's best word found in `named` (an anchor: the matter
    /// is about it), blended with the share of all its words found, so a
    /// matter that meets only part of a word, or only context, stays low.
    fn found_in(&self, named: &str) -> f32 {
        if self.words.is_empty() {
            // Only filler and acts (我想办个证): nothing to be sure of.
            return 0.3;
        }
        let (mut got, mut all, mut anchor) = (0.0f32, 0.0f32, 0.0f32);
        for (w, siblings) in &self.words {
            let len = w.chars().count().max(2) as f32;
            let f = found(w, siblings, named);
            all += len;
            got += len * f;
            anchor = anchor.max(f);
        }
        0.6 * anchor + 0.4 * got / all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, title: &str, keywords: &[&str]) -> SearchDoc {
        SearchDoc {
            hall_id: "h".into(),
            kind: "item",
            id: id.into(),
            code: id.into(),
            title: title.into(),
            keywords: keywords.iter().map(|k| k.to_string()).collect(),
            body: String::new(),
        }
    }

    #[test]
    fn chinese_pinyin_and_synonyms() {
        let dir = tempfile::tempdir().unwrap();
        let (idx, created) = SearchIndex::open(dir.path()).unwrap();
        assert!(created);
        idx.rebuild(&[
            item("1", "食品经营许可", &["餐饮", "饭店"]),
            item("2", "营业执照办理（个体工商户设立登记）", &["个体户"]),
            item("3", "社会保险登记", &["社保"]),
        ])
        .unwrap();
        assert_eq!(idx.len(), 3);
        let top = |q: &str| idx.search("h", q, 3).unwrap().first().map(|h| h.id.clone());
        assert_eq!(top("食品经营许可证怎么办").as_deref(), Some("1"));
        assert_eq!(top("yyzz").as_deref(), Some("2"));
        assert_eq!(top("shipinjingying").as_deref(), Some("1"));
        // The shipped lexicon knows 饭馆; a hall's own word needs its group.
        assert_eq!(top("我想开个小饭馆").as_deref(), Some("1"));
        let shown = |q: &str| idx.guide("h", q, 3).unwrap().first().map(|h| h.id.clone());
        assert_eq!(shown("想开个苍蝇馆子"), None, "no group for it yet");
        idx.set_synonyms("h", vec![vec!["苍蝇馆子".into(), "餐饮".into()]]);
        assert_eq!(shown("想开个苍蝇馆子").as_deref(), Some("1"));
        let hit = &idx.search("h", "社保", 1).unwrap()[0];
        assert!(
            hit.matched.contains(&"社保".to_string()),
            "{:?}",
            hit.matched
        );
        assert!(idx.search("other-hall", "社保", 3).unwrap().is_empty());
        idx.apply(&[], &["3".into()]).unwrap();
        assert!(idx.search("h", "社保", 3).unwrap().is_empty());
        // Reopening keeps the documents: the index lives on disk.
        drop(idx);
        let (again, created) = SearchIndex::open(dir.path()).unwrap();
        assert!(!created);
        assert_eq!(again.len(), 2);
    }

    #[test]
    fn the_act_orders_siblings_and_unknown_questions_are_not_answered() {
        let dir = tempfile::tempdir().unwrap();
        let (idx, _) = SearchIndex::open(dir.path()).unwrap();
        idx.rebuild(&[
            item("new", "居民身份证首次申领", &["居民身份证"]),
            item("again", "居民身份证换领补领", &["居民身份证"]),
            item("rest", "失业保险金申领", &["失业保险金"]),
        ])
        .unwrap();
        let first = |q: &str| idx.guide("h", q, 3).unwrap().first().map(|h| h.id.clone());
        assert_eq!(first("身份证丢了").as_deref(), Some("again"));
        assert_eq!(first("第一次办身份证").as_deref(), Some("new"));
        // Typed by sound.
        assert_eq!(first("身分证丢了").as_deref(), Some("again"));
        // Everyday words through the shipped lexicon.
        assert_eq!(first("被辞退了领失业金").as_deref(), Some("rest"));
        // Nothing of the question is in the catalog: no answer, not a guess.
        assert_eq!(first("护照怎么办"), None);
        assert_eq!(first("我想办个证"), None);
        let all = idx.search("h", "身份证丢了", 3).unwrap();
        assert!(all.iter().all(|h| (0.0..=1.0).contains(&h.confidence)));
    }
}

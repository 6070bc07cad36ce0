//! The Chinese full-text index over published items and 一件事 bundles:
//! jieba word segmentation for Chinese, full pinyin and pinyin initials for
//! kiosk keyboards (`yyzz` finds 营业执照), and query-time synonym expansion
//! (开饭店 also searches 餐饮). The index is derived data: `rebuild` recreates it
//! from the database at any time.

use pinyin::ToPinyin;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::{Mutex, RwLock};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, RegexQuery, TermQuery};
use tantivy::schema::{
    Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
    Value,
};
use tantivy::tokenizer::{LowerCaser, TextAnalyzer};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term, doc};

const TOKENIZER: &str = "jieba";
/// Bump when the schema changes; an index of another version is rebuilt.
const SCHEMA_VERSION: u32 = 2;

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
}

struct Fields {
    hall: Field,
    kind: Field,
    id: Field,
    code: Field,
    title: Field,
    keywords: Field,
    body: Field,
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

    pub fn set_synonyms(&self, hall_id: &str, groups: Vec<Vec<String>>) {
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

    /// The best `limit` items and bundles of the hall for `q`.
    pub fn search(&self, hall_id: &str, q: &str, limit: usize) -> anyhow::Result<Vec<Hit>> {
        let q = q.trim();
        if q.is_empty() {
            return Ok(vec![]);
        }
        let f = &self.f;
        let compact: String = q
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        let is_pinyin = !compact.is_empty() && compact.chars().all(|c| c.is_ascii_lowercase());
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut words = BTreeSet::new();
        for variant in self.expand(hall_id, q) {
            for w in self.words(&variant) {
                words.insert(w);
            }
        }
        for w in &words {
            for (field, boost) in [(f.title, 3.0), (f.keywords, 2.0), (f.body, 0.5)] {
                let tq = TermQuery::new(
                    Term::from_field_text(field, w),
                    IndexRecordOption::WithFreqs,
                );
                should.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(tq), boost)),
                ));
            }
        }
        if is_pinyin && compact.len() >= 2 {
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
            return Ok(vec![]);
        }
        let query = BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.hall, hall_id),
                    IndexRecordOption::Basic,
                )),
            ),
            (Occur::Must, Box::new(BooleanQuery::new(should))),
        ]);
        let searcher = self.reader.searcher();
        let top = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
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
            let mut matched: Vec<String> = words
                .iter()
                .filter(|w| {
                    let w: &str = w;
                    title.to_lowercase().contains(w) || keywords.iter().any(|k| k.contains(w))
                })
                .cloned()
                .collect();
            if is_pinyin {
                matched.push(format!("拼音 {compact}"));
            }
            hits.push(Hit {
                kind: text(f.kind),
                id: text(f.id),
                code: text(f.code),
                title,
                score,
                matched,
            });
        }
        Ok(hits)
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
        assert_eq!(top("我想开个小饭馆"), None, "no synonym yet");
        idx.set_synonyms("h", vec![vec!["饭馆".into(), "餐饮".into()]]);
        assert_eq!(top("我想开个小饭馆").as_deref(), Some("1"));
        let hit = &idx.search("h", "社保", 1).unwrap()[0];
        assert_eq!(hit.matched, vec!["社保".to_string()]);
        assert!(idx.search("other-hall", "社保", 3).unwrap().is_empty());
        idx.apply(&[], &["3".into()]).unwrap();
        assert!(idx.search("h", "社保", 3).unwrap().is_empty());
        // Reopening keeps the documents: the index lives on disk.
        drop(idx);
        let (again, created) = SearchIndex::open(dir.path()).unwrap();
        assert!(!created);
        assert_eq!(again.len(), 2);
    }
}

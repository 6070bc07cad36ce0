//! The arithmetic of semantic retrieval, apart from any endpoint: unit
//! vectors, their bytes, the nearest documents, and the fusion of the lexical
//! and semantic rankings with a confidence the kiosk can trust.

use crate::search::Hit;

/// A document's vector, kept in memory per hall.
#[derive(Debug, Clone)]
pub struct DocVector {
    pub kind: String,
    pub id: String,
    pub code: String,
    pub title: String,
    pub vector: Vec<f32>,
}

/// Scaled to unit length (a zero vector stays zero), so a dot product is the cosine.
pub fn unit(mut v: Vec<f32>) -> Vec<f32> {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
    v
}

pub fn to_bytes(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

pub fn from_bytes(b: &[u8]) -> Vec<f32> {
    b.chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The `k` documents nearest the query, with their cosine similarity.
pub fn nearest<'a>(docs: &'a [DocVector], query: &[f32], k: usize) -> Vec<(&'a DocVector, f32)> {
    let mut scored: Vec<(&DocVector, f32)> = docs
        .iter()
        .filter(|d| d.vector.len() == query.len())
        .map(|d| (d, dot(&d.vector, query)))
        .collect();
    // The best k first (linear), then only those sorted.
    if k < scored.len() {
        scored.select_nth_unstable_by(k, |a, b| b.1.total_cmp(&a.1));
        scored.truncate(k);
    }
    scored.sort_by(|a, b| b.1.total_cmp(&a.1));
    scored
}

/// How sure a cosine similarity makes us: nothing at `floor` or below, fully
/// from `sure`, in a straight line between (the hall sets both for its model).
pub fn confidence(cos: f32, floor: f32, sure: f32) -> f32 {
    if sure <= floor {
        return if cos >= sure { 1.0 } else { 0.0 };
    }
    ((cos - floor) / (sure - floor)).clamp(0.0, 1.0)
}

/// Reciprocal-rank fusion constant: ranks far down either list barely count.
const RRF_K: f32 = 60.0;

/// Joins the lexical hits and the semantic neighbours: reciprocal rank fusion
/// weighed by confidence, each hit with the higher of its lexical and
/// semantic confidence (a semantic-only match explains itself as “语义相近”).
pub fn fuse(
    lexical: Vec<Hit>,
    semantic: &[(&DocVector, f32)],
    floor: f32,
    sure: f32,
    limit: usize,
) -> Vec<Hit> {
    let mut fused: Vec<(Hit, f32)> = lexical
        .into_iter()
        .enumerate()
        .map(|(rank, h)| (h, 1.0 / (RRF_K + rank as f32 + 1.0)))
        .collect();
    for (rank, (d, cos)) in semantic.iter().enumerate() {
        let sem = confidence(*cos, floor, sure);
        if sem <= 0.0 {
            continue;
        }
        let bonus = 1.0 / (RRF_K + rank as f32 + 1.0);
        match fused.iter_mut().find(|(h, _)| h.id == d.id) {
            Some((h, score)) => {
                *score += bonus;
                h.confidence = h.confidence.max(sem);
            }
            None => fused.push((
                Hit {
                    kind: d.kind.clone(),
                    id: d.id.clone(),
                    code: d.code.clone(),
                    title: d.title.clone(),
                    score: *cos,
                    matched: vec!["语义相近".into()],
                    confidence: sem,
                },
                bonus,
            )),
        }
    }
    // Rank agreement weighed by how sure each hit is (as lexical ranking is):
    // a weak word match does not stay above a match of sure meaning.
    for (h, score) in fused.iter_mut() {
        *score *= 0.5 + h.confidence;
    }
    fused.sort_by(|a, b| b.1.total_cmp(&a.1));
    fused.truncate(limit);
    fused.into_iter().map(|(h, _)| h).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn doc(id: &str, v: Vec<f32>) -> DocVector {
        DocVector {
            kind: "item".into(),
            id: id.into(),
            code: id.into(),
            title: id.into(),
            vector: unit(v),
        }
    }

    fn hit(id: &str, confidence: f32) -> Hit {
        Hit {
            kind: "item".into(),
            id: id.into(),
            code: id.into(),
            title: id.into(),
            score: 1.0,
            matched: vec![],
            confidence,
        }
    }

    #[test]
    fn bytes_round_trip_and_nearest_is_by_cosine() {
        let v = unit(vec![3.0, 4.0]);
        assert_eq!(from_bytes(&to_bytes(&v)), v);
        let docs = [
            doc("a", vec![1.0, 0.0]),
            doc("b", vec![0.0, 1.0]),
            doc("c", vec![1.0, 1.0]),
        ];
        let near = nearest(&docs, &unit(vec![1.0, 0.1]), 2);
        assert_eq!(near[0].0.id, "a");
        assert_eq!(near[1].0.id, "c");
    }

    #[test]
    fn a_semantic_match_adds_a_hit_the_words_missed_and_raises_a_weak_one() {
        let docs = [doc("birth", vec![1.0, 0.0]), doc("tax", vec![0.0, 1.0])];
        let near = nearest(&docs, &unit(vec![1.0, 0.05]), 2);
        let fused = fuse(vec![hit("tax", 0.3)], &near, 0.5, 0.9, 5);
        assert_eq!(fused[0].id, "birth", "{fused:?}");
        assert!(fused[0].confidence >= 0.99);
        assert_eq!(fused[0].matched, vec!["语义相近".to_string()]);
        // The unrelated neighbour adds nothing: the lexical hit keeps its own confidence.
        assert_eq!(fused[1].id, "tax");
        assert!((fused[1].confidence - 0.3).abs() < 1e-6);
    }

    proptest! {
        #[test]
        fn confidence_rises_with_similarity_and_stays_in_range(a in -1.0f32..1.0, b in -1.0f32..1.0, floor in 0.0f32..0.8, width in 0.05f32..0.5) {
            let sure = floor + width;
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            let (cl, ch) = (confidence(lo, floor, sure), confidence(hi, floor, sure));
            prop_assert!((0.0..=1.0).contains(&cl) && (0.0..=1.0).contains(&ch));
            prop_assert!(cl <= ch);
        }

        #[test]
        fn fusion_never_loses_a_lexical_hit_within_the_limit(n in 1usize..8, m in 0usize..8) {
            let lexical: Vec<Hit> = (0..n).map(|i| hit(&format!("l{i}"), 0.6)).collect();
            let docs: Vec<DocVector> = (0..m).map(|i| doc(&format!("s{i}"), vec![1.0, i as f32])).collect();
            let near = nearest(&docs, &unit(vec![1.0, 0.0]), m);
            let fused = fuse(lexical.clone(), &near, 0.5, 0.9, n + m);
            for h in &lexical {
                prop_assert!(fused.iter().any(|f| f.id == h.id));
            }
        }
    }
}

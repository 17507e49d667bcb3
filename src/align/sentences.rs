//! Sentence pairing inside one paragraph bead, with the same dynamic programme as the
//! paragraphs ([`super::gale_church`]).

use super::gale_church::{self, skip_cost, Model, Units};
use super::paragraphs::{chinese_len, english_len, VARIANCE};
use super::{Bead, PRIOR_RATIO};
use crate::syntax::{Document, Paragraph, Side, Span};
use crate::text::sentences as split;

/// The sentences of one paragraph bead and how they pair.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sentences {
    /// The English sentences of the bead's paragraphs, in order: absolute byte spans into
    /// the text.
    pub english: Vec<Span>,
    /// The original's sentences, likewise.
    pub original: Vec<Span>,
    /// Groups of consecutive sentences: indices into [`Sentences::english`] and
    /// [`Sentences::original`]. They cover both vectors in order.
    pub beads: Vec<Bead>,
}

/// Splits the paragraphs of `bead` into sentences and aligns them. The ratio is the bead's
/// own (English characters over Chinese characters): the paragraph alignment has already
/// decided that these texts translate each other, so their totals must match.
pub fn sentences(text: &str, doc: &Document, bead: &Bead) -> Sentences {
    let english = spans(
        text,
        &doc.translation.paragraphs,
        bead.english.clone(),
        split::english,
    );
    let original = spans(
        text,
        &doc.original.paragraphs,
        bead.original.clone(),
        split::chinese,
    );
    let en_len: Vec<f64> = english
        .iter()
        .map(|s| english_len(&text[s.clone()]))
        .collect();
    let cn_len: Vec<f64> = original
        .iter()
        .map(|s| chinese_len(&text[s.clone()]))
        .collect();
    let (en_total, cn_total): (f64, f64) = (en_len.iter().sum(), cn_len.iter().sum());
    let ratio = if en_total > 0.0 && cn_total > 0.0 {
        en_total / cn_total
    } else {
        PRIOR_RATIO
    };
    let model = Model {
        ratio,
        variance: VARIANCE,
        spread: 0.0,
    };
    let (en_skip, cn_skip) = (
        vec![skip_cost(); en_len.len()],
        vec![skip_cost(); cn_len.len()],
    );
    // Every sentence ends in a stop (but the last, perhaps): no end-class cue here.
    let (en_end, cn_end) = (vec![0; en_len.len()], vec![0; cn_len.len()]);
    let steps = gale_church::align(
        Units {
            len: &en_len,
            skip: &en_skip,
            end: &en_end,
        },
        Units {
            len: &cn_len,
            skip: &cn_skip,
            end: &cn_end,
        },
        &model,
    );
    let (mut i, mut j) = (0, 0);
    let beads = steps
        .iter()
        .map(|s| {
            let b = Bead {
                english: i..i + s.en,
                original: j..j + s.cn,
            };
            i += s.en;
            j += s.cn;
            b
        })
        .collect();
    Sentences {
        english,
        original,
        beads,
    }
}

/// The sentence spans of paragraphs `range` (indices past the end are ignored).
fn spans(
    text: &str,
    paragraphs: &[Paragraph],
    range: std::ops::Range<usize>,
    splitter: fn(&str) -> Vec<std::ops::Range<usize>>,
) -> Vec<Span> {
    let range = range.start.min(paragraphs.len())..range.end.min(paragraphs.len());
    paragraphs[range]
        .iter()
        .flat_map(|p| {
            let base = p.text.start;
            splitter(&text[p.text.clone()])
                .into_iter()
                .map(move |r| base + r.start..base + r.end)
        })
        .collect()
}

impl Sentences {
    /// For a byte `offset` inside a sentence of `side` (or right at its end), the sentences
    /// of its bead on that side and their counterparts on the other side (either may be
    /// empty). `None` when the offset is in no sentence.
    pub fn at(&self, side: Side, offset: usize) -> Option<(Vec<Span>, Vec<Span>)> {
        let (own, other) = match side {
            Side::Translation => (&self.english, &self.original),
            Side::Original => (&self.original, &self.english),
        };
        // The first sentence ending after the offset, if the offset is inside it; else the
        // one ending right at the offset (a cursor after the last character).
        let k = own.partition_point(|s| s.end <= offset);
        let k = if own.get(k).is_some_and(|s| s.start <= offset) {
            k
        } else if k > 0 && own[k - 1].end == offset {
            k - 1
        } else {
            return None;
        };
        let bead = self.beads.iter().find(|b| b.side(side).contains(&k))?;
        let pick = |spans: &[Span], r: std::ops::Range<usize>| spans[r].to_vec();
        Some((
            pick(own, bead.side(side)),
            pick(other, bead.side(side.other())),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "Title: T\nAuthor:\nDate: 1952-08-03\nPage: 2\n\n    \
        The factory met its target. It did so early, in May, and the workers were praised \
        by the ministry. Mr. Wang said: \"We will do better.\"\n\n\n<hr /> \n\nOriginal: \n\n\n\
        ### 标题\n\n1952-08-03\n第2版()\n专栏：\n\n    工厂完成了任务。五月就提前完成，工人们受到部里的表扬。王先生说：“我们会做得更好。”\n";

    #[test]
    fn pairs_sentences_inside_a_paragraph() {
        let doc = crate::syntax::parse(DOC);
        let bead = Bead {
            english: 0..1,
            original: 0..1,
        };
        let s = sentences(DOC, &doc, &bead);
        let en: Vec<&str> = s.english.iter().map(|r| &DOC[r.clone()]).collect();
        let cn: Vec<&str> = s.original.iter().map(|r| &DOC[r.clone()]).collect();
        assert_eq!(
            en,
            [
                "The factory met its target.",
                "It did so early, in May, and the workers were praised by the ministry.",
                "Mr. Wang said: \"We will do better.\""
            ]
        );
        assert_eq!(
            cn,
            [
                "工厂完成了任务。",
                "五月就提前完成，工人们受到部里的表扬。",
                "王先生说：“我们会做得更好。”"
            ]
        );
        assert!(s
            .beads
            .iter()
            .all(|b| b.english.len() == 1 && b.original.len() == 1));
        let inside = DOC.find("praised").unwrap();
        let (own, there) = s.at(Side::Translation, inside).unwrap();
        assert_eq!(own, [s.english[1].clone()]);
        assert_eq!(there, [s.original[1].clone()]);
        let (own, there) = s.at(Side::Original, s.original[2].end).unwrap();
        assert_eq!(
            (own, there),
            (vec![s.original[2].clone()], vec![s.english[2].clone()])
        );
        // Right after a sentence (on the space) is still that sentence; outside the bead's
        // sentences is nothing.
        let (own, _) = s.at(Side::Translation, s.english[0].end).unwrap();
        assert_eq!(own, [s.english[0].clone()]);
        assert_eq!(s.at(Side::Translation, 0), None);
    }

    #[test]
    fn one_side_empty() {
        let doc = crate::syntax::parse(DOC);
        let bead = Bead {
            english: 0..0,
            original: 0..1,
        };
        let s = sentences(DOC, &doc, &bead);
        assert!(s.english.is_empty() && s.original.len() == 3);
        assert_eq!(s.beads.len(), 3);
        let (own, there) = s.at(Side::Original, s.original[0].start).unwrap();
        assert_eq!(own.len(), 1);
        assert!(there.is_empty());
    }
}

//! Paragraph pairing between the translation and the original.
//!
//! Every feature that needs a paragraph's counterpart (hover, definition, highlights, inlay
//! hints, the review checks) asks this one module, so a better alignment changes them all.
//!
//! An [`Alignment`] is a sequence of [`Bead`]s: each groups consecutive English paragraphs
//! with consecutive original paragraphs (either group may be empty: a paragraph left
//! untranslated, or English with no source). The beads cover both sides in order.
//!
//! [`align`] finds the beads by length ([`gale_church`], with what the real files need in
//! [`paragraphs`]); [`sentences`] splits one bead's paragraphs into sentences
//! ([`crate::text::sentences`]) and pairs those the same way, for features that show the
//! counterpart of a sentence. The length measures and the model are public so that a
//! length check judges a pair exactly as the alignment did: [`paragraphs::english_len`],
//! [`paragraphs::chinese_len`], [`gale_church::Model`] with [`Alignment::ratio`].

pub mod gale_church;
pub mod paragraphs;
mod sentences;

pub use sentences::{sentences, Sentences};

use crate::syntax::{Document, Side};
use std::ops::Range;

/// A group of English paragraphs paired with a group of original paragraphs. Indices are
/// 0-based into `doc.translation.paragraphs` and `doc.original.paragraphs`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bead {
    pub english: Range<usize>,
    pub original: Range<usize>,
}

impl Bead {
    /// The paragraphs of `side` in this bead.
    pub fn side(&self, side: Side) -> Range<usize> {
        match side {
            Side::Translation => self.english.clone(),
            Side::Original => self.original.clone(),
        }
    }

    /// Whether both sides have at least one paragraph.
    pub fn is_pair(&self) -> bool {
        !self.english.is_empty() && !self.original.is_empty()
    }
}

/// Which paragraphs on the other side each paragraph pairs with.
#[derive(Debug, Clone, PartialEq)]
pub struct Alignment {
    beads: Vec<Bead>,
    /// For English paragraph k, the index of its bead.
    english_bead: Vec<usize>,
    /// For original paragraph k, the index of its bead.
    original_bead: Vec<usize>,
    /// English characters per original character in this document's confident pairs
    /// ([`PRIOR_RATIO`] when fewer than three pairs were confident).
    pub ratio: f64,
    /// The uncertainty of `ratio` the alignment allowed for: 0 when it was measured.
    spread: f64,
    /// Each English and each original paragraph's length as [`paragraphs::english_len`]
    /// and [`paragraphs::chinese_len`] measured it, kept so that a length check need not
    /// measure again (empty for an alignment built from beads).
    english_len: Vec<f64>,
    chinese_len: Vec<f64>,
}

impl Alignment {
    /// Builds the lookup tables from beads that cover `0..en` and `0..cn` in order.
    pub fn from_beads(beads: Vec<Bead>, ratio: f64) -> Alignment {
        let mut english_bead = Vec::new();
        let mut original_bead = Vec::new();
        for (i, b) in beads.iter().enumerate() {
            english_bead.extend(b.english.clone().map(|_| i));
            original_bead.extend(b.original.clone().map(|_| i));
        }
        Alignment {
            beads,
            english_bead,
            original_bead,
            ratio,
            spread: 0.0,
            english_len: Vec::new(),
            chinese_len: Vec::new(),
        }
    }

    /// The length model the alignment judged pairs by: [`Alignment::ratio`], Gale and
    /// Church's variance, and, when the ratio could not be measured, its uncertainty (a
    /// non-zero [`gale_church::Model::spread`]: then the ratio is [`PRIOR_RATIO`]). A
    /// length check that uses it (with [`paragraphs::english_len`] and
    /// [`paragraphs::chinese_len`]) agrees with the alignment about what fits.
    pub fn model(&self) -> gale_church::Model {
        gale_church::Model {
            ratio: self.ratio,
            variance: paragraphs::VARIANCE,
            spread: self.spread,
        }
    }

    /// The same alignment, its ratio only assumed with this uncertainty.
    pub(crate) fn with_spread(mut self, spread: f64) -> Alignment {
        self.spread = spread;
        self
    }

    /// The same alignment, with the lengths it measured of the paragraphs of each side.
    pub(crate) fn with_lengths(mut self, english: Vec<f64>, chinese: Vec<f64>) -> Alignment {
        self.english_len = english;
        self.chinese_len = chinese;
        self
    }

    /// The length of paragraph `k` of `side` as the alignment measured it
    /// ([`paragraphs::english_len`], [`paragraphs::chinese_len`]), if it kept it.
    pub fn length(&self, side: Side, k: usize) -> Option<f64> {
        match side {
            Side::Translation => self.english_len.get(k).copied(),
            Side::Original => self.chinese_len.get(k).copied(),
        }
    }

    /// Every bead, in document order.
    pub fn beads(&self) -> &[Bead] {
        &self.beads
    }

    /// The index of the bead holding paragraph `k` of `side`.
    pub fn bead_index(&self, side: Side, k: usize) -> Option<usize> {
        match side {
            Side::Translation => self.english_bead.get(k).copied(),
            Side::Original => self.original_bead.get(k).copied(),
        }
    }

    /// The bead holding paragraph `k` of `side`.
    pub fn bead_of(&self, side: Side, k: usize) -> Option<&Bead> {
        self.beads.get(self.bead_index(side, k)?)
    }

    /// The paragraphs of the other side that paragraph `k` of `side` pairs with (empty
    /// when it has none).
    pub fn counterpart(&self, side: Side, k: usize) -> Range<usize> {
        self.bead_of(side, k).map_or(0..0, |b| b.side(side.other()))
    }
}

/// The document ratio assumed when too few paragraphs pair confidently to measure it:
/// English characters (with spaces) per Chinese character (punctuation included).
pub const PRIOR_RATIO: f64 = 4.1;

/// Aligns the paragraphs of `doc` (parsed from `text`) by length, Gale-Church style: see
/// [`gale_church`] for the model and [`paragraphs`] for what the real files add (titles and
/// credit lines left out, the ratio measured per document, the diagonal as the default).
pub fn align(text: &str, doc: &Document) -> Alignment {
    paragraphs::align(text, doc)
}

#[cfg(test)]
mod tests;

//! Rule settings: one type for the checker and the server.
//!
//! For now only the review checks' thresholds, at their defaults; the names of the fields
//! are the keys of the `[review]` table the configuration file will read.

/// The review checks' thresholds. Field `a_b` is the key `a-b` of `[review]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Review {
    /// `untranslated-paragraph` needs an original paragraph of at least this many Han.
    pub untranslated_paragraph_min_han: usize,
    /// `length-ratio` looks only at pairs whose original has at least this many Han.
    pub length_ratio_min_han: usize,
    /// Below this share of the expected English length, `length-ratio` warns.
    pub length_ratio_low: f64,
    /// Above this share of the expected English length, `length-ratio` informs.
    pub length_ratio_high: f64,
    /// `number-mismatch` checks values from this up always; below it only after 第 or
    /// before an ordinal-like counter (`七区`).
    pub number_min_value: u64,
    /// `untranslated-text` runs shorter than this many Han are information (a gloss).
    pub untranslated_text_info_below: usize,
}

impl Default for Review {
    fn default() -> Review {
        Review {
            untranslated_paragraph_min_han: 20,
            length_ratio_min_han: 40,
            length_ratio_low: 0.40,
            length_ratio_high: 2.50,
            number_min_value: 10,
            untranslated_text_info_below: 4,
        }
    }
}

/// Everything that tunes the checks.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Settings {
    pub review: Review,
}

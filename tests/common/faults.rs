//! Test data shared by the fix tests (the unit tests of `src/fix/quick.rs` include this
//! file too): the sample seed with every fault that has a safe fix, at once.

/// `sample` (the seed `000_0d759123a74baf35.txt`, LF) with a misspelt key, fields out of
/// order, a blank line in the header, a missing `Page:`, a tab indent, trailing blanks and
/// a half-width comma in the original. Every safe fix together gives `sample` back.
pub fn every_safe_fault(sample: &str) -> String {
    let broken = sample
        .replacen("Title:", "Titel:", 1)
        .replacen(
            "Author:\nDate: 1952-08-03\nPage: 2\n",
            "Date: 1952-08-03 \n\nAuthor:\n",
            1,
        )
        .replacen("    Experience in Timely", "\tExperience in Timely", 1)
        .replacen("开展以来，", "开展以来,", 1)
        .replacen("的经验\n\n1952", "的经验  \n\n1952", 1);
    assert_eq!(broken.matches('\n').count(), sample.matches('\n').count());
    broken
}

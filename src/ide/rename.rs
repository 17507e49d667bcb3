//! Renaming a Named Entities term's English rendering throughout the translation, and the
//! uses of a term (`references`).
//!
//! An entry `美国<TAB>United States` renders 美国 as `United States`; an entry
//! `八路军<TAB>Balujun (Eighth Route Army)` has two renderings, `Balujun` and
//! `Eighth Route Army`, each used on its own in the text. A rendering's uses are its
//! whole-word matches (case as written) in the English half: the header's title, author and
//! column values, the column line, the paragraphs and the glossary's translations. A Han
//! term's uses are its occurrences in the original's title and paragraphs (Chinese has no
//! word boundaries to respect).

use super::element::{element_at, Element};
use super::View;
use crate::syntax::{Document, FieldKey, GlossaryEntry, Span};

/// At most this many glossary entries are looked at (a real block has a dozen).
pub const MAX_ENTRIES: usize = 500;

/// Which half a term's name is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// An English rendering, matched as a whole word.
    English,
    /// The Han term, matched anywhere in the original.
    Han,
}

/// A term under the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The glossary entry (0-based).
    pub entry: usize,
    pub script: Script,
    /// The name as written.
    pub name: String,
    /// The occurrence under the cursor.
    pub span: Span,
}

/// One text edit of a rename.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub new_text: String,
}

/// The renderings of an entry: byte ranges inside its translation column.
pub fn renderings(text: &str, entry: &GlossaryEntry) -> Vec<Span> {
    let t = entry.translation.clone();
    let s = &text[t.clone()];
    let mut out = Vec::new();
    let mut push = |a: usize, b: usize| {
        let part = &s[a..b];
        let lead = part.len() - part.trim_start().len();
        let trimmed = part.trim();
        if trimmed.chars().any(char::is_alphanumeric) {
            out.push(t.start + a + lead..t.start + a + lead + trimmed.len());
        }
    };
    match (s.find('('), s.rfind(')')) {
        (Some(open), Some(close)) if open < close => {
            push(0, open);
            push(open + 1, close);
        }
        _ => push(0, s.len()),
    }
    out
}

/// Whether `c` joins letters into one word (so `Ji` is not a word of `Jin-Ji-Lu-Yu`).
fn joiner(c: char) -> bool {
    matches!(c, '-' | '\'' | '’')
}

/// The byte offsets in `hay` where `needle` stands as a whole word: no letter or digit
/// touches it, nor a hyphen or apostrophe joining it to one (`Dong'ao` holds no `Dong`), but
/// a possessive `'s` may follow (`Johnson's`).
pub fn whole_words<'a>(hay: &'a str, needle: &'a str) -> impl Iterator<Item = usize> + 'a {
    hay.match_indices(needle)
        .map(|(i, _)| i)
        .filter(move |&i| !needle.is_empty() && is_whole_word(hay, i, i + needle.len()))
}

fn is_whole_word(hay: &str, start: usize, end: usize) -> bool {
    let mut before = hay[..start].chars().rev();
    let ok_before = match before.next() {
        None => true,
        Some(c) if c.is_alphanumeric() => false,
        Some(c) if joiner(c) => !before.next().is_some_and(char::is_alphanumeric),
        Some(_) => true,
    };
    let mut after = hay[end..].chars();
    let ok_after = match after.next() {
        None => true,
        Some(c) if c.is_alphanumeric() => false,
        Some(c) if c == '\'' || c == '’' => match after.next() {
            Some('s') => !after.next().is_some_and(char::is_alphanumeric),
            Some(c) => !c.is_alphanumeric(),
            None => true,
        },
        Some(c) if joiner(c) => !after.next().is_some_and(char::is_alphanumeric),
        Some(_) => true,
    };
    ok_before && ok_after
}

/// The English half's text where a rendering may be used, in document order.
pub fn english_places(doc: &Document) -> Vec<Span> {
    let mut out: Vec<Span> = doc
        .header
        .fields
        .iter()
        .filter(|f| {
            matches!(
                f.key,
                Some(FieldKey::Title | FieldKey::Author | FieldKey::Column)
            )
        })
        .map(|f| f.value.clone())
        .collect();
    let t = &doc.translation;
    out.extend(t.column_line.iter().map(|c| c.text.clone()));
    out.extend(t.paragraphs.iter().map(|p| p.text.clone()));
    if let Some(g) = &t.glossary {
        out.extend(
            g.entries
                .iter()
                .take(MAX_ENTRIES)
                .map(|e| e.translation.clone()),
        );
    }
    out.retain(|s| !s.is_empty());
    out.sort_by_key(|s| s.start);
    out
}

/// The original's text where a Han term may be used.
pub fn original_places(doc: &Document) -> Vec<Span> {
    let o = &doc.original;
    o.title
        .iter()
        .map(|t| t.text.clone())
        .chain(o.paragraphs.iter().map(|p| p.text.clone()))
        .collect()
}

/// Every use of `name` in `places`: whole words for English, anywhere for Han.
pub fn uses_in(text: &str, places: &[Span], name: &str, script: Script) -> Vec<Span> {
    let mut out = Vec::new();
    if name.trim().is_empty() {
        return out;
    }
    for p in places {
        let hay = &text[p.clone()];
        match script {
            Script::English => {
                out.extend(whole_words(hay, name).map(|i| p.start + i..p.start + i + name.len()))
            }
            Script::Han => out.extend(
                hay.match_indices(name)
                    .map(|(i, _)| p.start + i..p.start + i + name.len()),
            ),
        }
    }
    out
}

/// The term under the cursor: a rendering or a Han term in the glossary, or a use of one in
/// the text.
pub fn target_at(view: View, offset: usize) -> Option<Target> {
    let View { text, doc, .. } = view;
    let g = doc.translation.glossary.as_ref()?;
    let entries = &g.entries[..g.entries.len().min(MAX_ENTRIES)];
    let holds = |s: &Span| s.start <= offset && offset <= s.end && !s.is_empty();
    // In the glossary itself.
    if let Some(at) = element_at(doc, offset) {
        if let Element::GlossaryEntry(k) = at.element {
            let e = entries.get(k)?;
            if let Some(r) = renderings(text, e).into_iter().find(holds) {
                return Some(Target {
                    entry: k,
                    script: Script::English,
                    name: text[r.clone()].to_string(),
                    span: r,
                });
            }
            let term = trimmed(text, &e.term);
            return holds(&term).then(|| Target {
                entry: k,
                script: Script::Han,
                name: text[term.clone()].to_string(),
                span: term,
            });
        }
    }
    // A use in the text: the longest name holding the cursor (`South Vietnam` over
    // `Vietnam`).
    let mut best: Option<Target> = None;
    let mut consider = |t: Target| {
        if best.as_ref().is_none_or(|b| t.span.len() > b.span.len()) {
            best = Some(t);
        }
    };
    let english = english_places(doc);
    let original = original_places(doc);
    let in_place = |places: &[Span]| places.iter().find(|p| holds(p)).cloned();
    if let Some(place) = in_place(&english) {
        for (k, e) in entries.iter().enumerate() {
            for r in renderings(text, e) {
                let name = &text[r];
                for u in uses_in(text, std::slice::from_ref(&place), name, Script::English) {
                    if holds(&u) {
                        consider(Target {
                            entry: k,
                            script: Script::English,
                            name: name.to_string(),
                            span: u,
                        });
                    }
                }
            }
        }
    } else if let Some(place) = in_place(&original) {
        for (k, e) in entries.iter().enumerate() {
            let term = trimmed(text, &e.term);
            let name = &text[term];
            if !crate::text::has_han(name) {
                continue;
            }
            for u in uses_in(text, std::slice::from_ref(&place), name, Script::Han) {
                if holds(&u) {
                    consider(Target {
                        entry: k,
                        script: Script::Han,
                        name: name.to_string(),
                        span: u,
                    });
                }
            }
        }
    }
    best
}

fn trimmed(text: &str, span: &Span) -> Span {
    let s = &text[span.clone()];
    let lead = s.len() - s.trim_start().len();
    span.start + lead..span.start + lead + s.trim().len()
}

/// Every use of the target's name, its glossary entry included, in document order.
pub fn uses(view: View, target: &Target) -> Vec<Span> {
    let View { text, doc, .. } = view;
    let mut out = match target.script {
        Script::English => uses_in(text, &english_places(doc), &target.name, Script::English),
        Script::Han => {
            let mut v = uses_in(text, &original_places(doc), &target.name, Script::Han);
            if let Some(e) = doc
                .translation
                .glossary
                .as_ref()
                .and_then(|g| g.entries.get(target.entry))
            {
                v.push(trimmed(text, &e.term));
            }
            v
        }
    };
    out.sort_by_key(|s| s.start);
    out.dedup();
    out
}

/// `prepareRename`: the rendering under the cursor and its text, if it can be renamed.
pub fn prepare(view: View, offset: usize) -> Option<(Span, String)> {
    let t = target_at(view, offset).filter(|t| t.script == Script::English)?;
    Some((t.span, t.name))
}

/// Why a rename cannot be done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenameError(pub String);

/// `rename`: the edits that rename the rendering under the cursor everywhere in the
/// translation; `Ok(None)` where there is nothing to rename.
pub fn rename(view: View, offset: usize, new_name: &str) -> Result<Option<Vec<Edit>>, RenameError> {
    let Some(target) = target_at(view, offset).filter(|t| t.script == Script::English) else {
        return Ok(None);
    };
    let new_name = new_name.trim();
    if new_name.is_empty() {
        return Err(RenameError("the new name is empty".into()));
    }
    if new_name.contains(['\n', '\r', '\t']) || new_name.contains("  ") {
        return Err(RenameError(
            "the new name must be one line without tabs or double spaces (they separate a \
             Named Entities term from its translation)"
                .into(),
        ));
    }
    if crate::text::has_han(new_name) {
        return Err(RenameError(
            "the new name has Han characters: an English rendering is written in Latin letters"
                .into(),
        ));
    }
    let edits = uses(view, &target)
        .into_iter()
        .map(|span| Edit {
            span,
            new_text: new_name.to_string(),
        })
        .collect();
    Ok(Some(edits))
}

/// `references`: the uses of the term under the cursor (with its glossary entry when
/// `include_declaration`), in document order; empty where no term is.
pub fn references(view: View, offset: usize, include_declaration: bool) -> Vec<Span> {
    let Some(target) = target_at(view, offset) else {
        return Vec::new();
    };
    let mut out = uses(view, &target);
    if !include_declaration {
        if let Some(e) = view
            .doc
            .translation
            .glossary
            .as_ref()
            .and_then(|g| g.entries.get(target.entry))
        {
            let line = e.term.start..e.translation.end.max(e.term.end);
            out.retain(|s| !(line.start <= s.start && s.end <= line.end));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    const DOC: &str = "Title: Johnson and Vietnam\nAuthor:\nDate: 1966-06-01\nPage: 1\n\n    Johnson's war in Vietnam and South Vietnam; Johnsonian ideas, Jin-Ji-Lu-Yu.\n    The Eighth Route Army (Balujun) marched.\n\n**Named Entities**\n\n约翰逊\tJohnson\n越南\tVietnam\n南越\tSouth Vietnam\n八路军\tBalujun (Eighth Route Army)\n冀\tJi\n\n\n<hr /> \n\nOriginal: \n\n\n### 约翰逊\n\n1966-06-01\n第1版()\n专栏：\n\n    约翰逊在越南。南越。\n";

    fn with_view<T>(f: impl FnOnce(View) -> T) -> T {
        let doc = parse(DOC);
        let alignment = crate::align::align(DOC, &doc);
        f(View {
            text: DOC,
            doc: &doc,
            alignment: &alignment,
        })
    }

    fn texts(spans: &[Span]) -> Vec<&str> {
        spans.iter().map(|s| &DOC[s.clone()]).collect()
    }

    #[test]
    fn whole_words_only() {
        let hay = "Johnson's Johnsonian Jin-Ji-Lu Ji Dong'ao Dong-";
        assert_eq!(whole_words(hay, "Johnson").collect::<Vec<_>>(), [0]);
        assert_eq!(whole_words(hay, "Ji").collect::<Vec<_>>(), [31]);
        assert_eq!(whole_words(hay, "Dong").collect::<Vec<_>>(), [42]);
    }

    #[test]
    fn rename_from_the_glossary_and_from_a_use() {
        with_view(|v| {
            let at = DOC.find("\tJohnson").unwrap() + 3;
            let edits = rename(v, at, "Johnston").unwrap().unwrap();
            let spans: Vec<Span> = edits.iter().map(|e| e.span.clone()).collect();
            // The title, the paragraph (possessive kept, Johnsonian not), the entry.
            assert_eq!(texts(&spans), ["Johnson", "Johnson", "Johnson"]);
            assert!(spans[0].start < DOC.find('\n').unwrap());
            // From a use of "Vietnam": whole words, also inside "South Vietnam".
            let at = DOC.find("in Vietnam").unwrap() + 4;
            let n = rename(v, at, "Viet Nam").unwrap().unwrap().len();
            assert_eq!(n, 5, "title, 2 in the paragraph, 2 in the glossary");
            // The longest name wins under the cursor.
            let at = DOC.find("South Vietnam;").unwrap() + 1;
            let (span, name) = prepare(v, at).unwrap();
            assert_eq!(name, "South Vietnam");
            assert_eq!(&DOC[span], "South Vietnam");
            // A parenthesised rendering is a name of its own.
            let at = DOC.find("(Eighth").unwrap() + 2;
            let (_, name) = prepare(v, at).unwrap();
            assert_eq!(name, "Eighth Route Army");
            assert_eq!(
                texts(&uses(v, &target_at(v, at).unwrap())),
                ["Eighth Route Army", "Eighth Route Army"]
            );
            // Nothing to rename on plain words, and bad names are refused.
            assert!(prepare(v, DOC.find("marched").unwrap()).is_none());
            assert_eq!(rename(v, DOC.find("marched").unwrap(), "x"), Ok(None));
            assert!(rename(v, DOC.find("\tJohnson").unwrap() + 3, " ").is_err());
            assert!(rename(v, DOC.find("\tJohnson").unwrap() + 3, "a\tb").is_err());
        });
    }

    #[test]
    fn references_of_both_scripts() {
        with_view(|v| {
            let han = DOC.rfind("约翰逊在").unwrap() + 3;
            let refs = references(v, han, true);
            assert_eq!(texts(&refs), ["约翰逊", "约翰逊", "约翰逊"]);
            let refs = references(v, han, false);
            assert_eq!(refs.len(), 2, "without the glossary entry");
            let en = DOC.find("Johnson's").unwrap();
            assert_eq!(references(v, en, false).len(), 2);
            assert!(references(v, DOC.find("marched").unwrap(), true).is_empty());
        });
    }
}

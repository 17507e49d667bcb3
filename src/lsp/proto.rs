//! Own types to protocol types: the only place the core's byte ranges become positions.

use super::position::{to_position, to_range, Encoding};
use crate::check::{self, Severity};
use crate::ide;
use ropey::Rope;
use std::collections::HashSet;
use std::sync::Arc;
use tower_lsp_server::ls_types as lsp;
use tower_lsp_server::ls_types::Uri;

/// The `source` of every diagnostic.
pub const SOURCE: &str = "archive-lsp";

/// A core diagnostic as LSP's, its related spans as locations in the same document.
pub fn diagnostic(rope: &Rope, uri: &Uri, d: &check::Diagnostic, enc: Encoding) -> lsp::Diagnostic {
    lsp_diagnostic(
        uri,
        to_range(rope, &d.span, enc),
        d.code,
        d.severity,
        d.message.clone(),
        d.related
            .iter()
            .map(|r| (to_range(rope, &r.span, enc), r.message.clone())),
    )
}

/// LSP's diagnostic of these parts, the one builder of both kinds below.
fn lsp_diagnostic(
    uri: &Uri,
    range: lsp::Range,
    code: check::Code,
    severity: Severity,
    message: String,
    related: impl Iterator<Item = (lsp::Range, String)>,
) -> lsp::Diagnostic {
    let related: Vec<lsp::DiagnosticRelatedInformation> = related
        .map(|(range, message)| lsp::DiagnosticRelatedInformation {
            location: lsp::Location::new(uri.clone(), range),
            message,
        })
        .collect();
    lsp::Diagnostic {
        range,
        severity: Some(self::severity(severity)),
        code: Some(lsp::NumberOrString::String(code.name().to_string())),
        source: Some(SOURCE.to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..Default::default()
    }
}

/// A core diagnostic with its ranges already positions, kept until it is sent: workspace
/// diagnostics keep a folder's worth (hundreds of thousands, most of their messages alike,
/// which [`Messages`] shares): about 150 bytes each in a server's memory, against 525 for
/// LSP's type (measured over 310,000 of them).
#[derive(Debug, Clone)]
pub struct KeptDiagnostic {
    range: lsp::Range,
    code: check::Code,
    severity: Severity,
    message: Arc<str>,
    related: Box<[(lsp::Range, Arc<str>)]>,
}

impl KeptDiagnostic {
    /// `d`, positioned in `rope` for `enc`, its messages taken from `messages`.
    pub fn new(
        rope: &Rope,
        d: &check::Diagnostic,
        enc: Encoding,
        messages: &mut Messages,
    ) -> KeptDiagnostic {
        KeptDiagnostic {
            range: to_range(rope, &d.span, enc),
            code: d.code,
            severity: d.severity,
            message: messages.get(&d.message),
            related: d
                .related
                .iter()
                .map(|r| (to_range(rope, &r.span, enc), messages.get(&r.message)))
                .collect(),
        }
    }

    /// As LSP's diagnostic of the document `uri` (the same as [`diagnostic`] gives).
    pub fn to_lsp(&self, uri: &Uri) -> lsp::Diagnostic {
        lsp_diagnostic(
            uri,
            self.range,
            self.code,
            self.severity,
            self.message.to_string(),
            self.related
                .iter()
                .map(|(range, message)| (*range, message.to_string())),
        )
    }
}

/// Messages shared by the [`KeptDiagnostic`]s made with one table.
#[derive(Debug, Default)]
pub struct Messages(HashSet<Arc<str>>);

impl Messages {
    fn get(&mut self, message: &str) -> Arc<str> {
        if let Some(m) = self.0.get(message) {
            return m.clone();
        }
        let m: Arc<str> = message.into();
        self.0.insert(m.clone());
        m
    }
}

fn severity(s: Severity) -> lsp::DiagnosticSeverity {
    match s {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Information => lsp::DiagnosticSeverity::INFORMATION,
        Severity::Hint => lsp::DiagnosticSeverity::HINT,
    }
}

/// A hover as Markdown with its range.
pub fn hover(rope: &Rope, h: &ide::hover::Hover, enc: Encoding) -> lsp::Hover {
    lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: h.markdown.clone(),
        }),
        range: Some(to_range(rope, &h.span, enc)),
    }
}

/// A definition as a `LocationLink` (with the origin range) when the client takes links,
/// else as a plain `Location`.
pub fn definition(
    rope: &Rope,
    uri: &Uri,
    d: &ide::definition::Definition,
    enc: Encoding,
    link_support: bool,
) -> lsp::GotoDefinitionResponse {
    let target = to_range(rope, &d.target, enc);
    let selection = to_range(rope, &d.target_selection, enc);
    if link_support {
        lsp::GotoDefinitionResponse::Link(vec![lsp::LocationLink {
            origin_selection_range: Some(to_range(rope, &d.origin, enc)),
            target_uri: uri.clone(),
            target_range: target,
            target_selection_range: selection,
        }])
    } else {
        // A plain location puts the cursor at its start: the counterpart sentence.
        lsp::GotoDefinitionResponse::Scalar(lsp::Location::new(uri.clone(), selection))
    }
}

fn symbol_kind(k: ide::symbols::SymbolKind) -> lsp::SymbolKind {
    match k {
        ide::symbols::SymbolKind::Section => lsp::SymbolKind::NAMESPACE,
        ide::symbols::SymbolKind::Field => lsp::SymbolKind::FIELD,
        ide::symbols::SymbolKind::Paragraph => lsp::SymbolKind::STRING,
        ide::symbols::SymbolKind::Entry => lsp::SymbolKind::KEY,
    }
}

/// The outline, nested when the client supports it, else flat with container names.
pub fn symbols(
    rope: &Rope,
    uri: &Uri,
    symbols: &[ide::symbols::Symbol],
    enc: Encoding,
    hierarchical: bool,
) -> lsp::DocumentSymbolResponse {
    if hierarchical {
        lsp::DocumentSymbolResponse::Nested(symbols.iter().map(|s| nested(rope, s, enc)).collect())
    } else {
        let mut flat = Vec::new();
        for s in symbols {
            flatten(rope, uri, s, None, enc, &mut flat);
        }
        lsp::DocumentSymbolResponse::Flat(flat)
    }
}

#[allow(deprecated)] // `deprecated` must still be written: it is a field of the struct.
fn nested(rope: &Rope, s: &ide::symbols::Symbol, enc: Encoding) -> lsp::DocumentSymbol {
    lsp::DocumentSymbol {
        name: s.name.clone(),
        detail: s.detail.clone().filter(|d| !d.is_empty()),
        kind: symbol_kind(s.kind),
        tags: None,
        deprecated: None,
        range: to_range(rope, &s.span, enc),
        selection_range: to_range(rope, &s.selection, enc),
        children: (!s.children.is_empty())
            .then(|| s.children.iter().map(|c| nested(rope, c, enc)).collect()),
    }
}

#[allow(deprecated)] // as above
fn flatten(
    rope: &Rope,
    uri: &Uri,
    s: &ide::symbols::Symbol,
    container: Option<&str>,
    enc: Encoding,
    out: &mut Vec<lsp::SymbolInformation>,
) {
    out.push(lsp::SymbolInformation {
        name: s.name.clone(),
        kind: symbol_kind(s.kind),
        tags: None,
        deprecated: None,
        location: lsp::Location::new(uri.clone(), to_range(rope, &s.span, enc)),
        container_name: container.map(str::to_string),
    });
    for c in &s.children {
        flatten(rope, uri, c, Some(&s.name), enc, out);
    }
}

/// `uri` with its fragment replaced by `#L<line + 1>`; `None` if that is not a valid URI.
pub fn line_uri(uri: &Uri, line: usize) -> Option<Uri> {
    let base = uri.as_str().split('#').next().unwrap_or("");
    format!("{base}#L{}", line + 1).parse().ok()
}

/// Document links to lines of the same document.
pub fn links(
    rope: &Rope,
    uri: &Uri,
    links: &[ide::links::Link],
    enc: Encoding,
) -> Vec<lsp::DocumentLink> {
    links
        .iter()
        .filter_map(|l| {
            Some(lsp::DocumentLink {
                range: to_range(rope, &l.span, enc),
                target: Some(line_uri(uri, l.target_line)?),
                tooltip: Some(l.tooltip.to_string()),
                data: None,
            })
        })
        .collect()
}

/// Document highlights: the cursor's sentence as `Read`, its counterpart as `Text`.
pub fn highlights(
    rope: &Rope,
    highlights: &[ide::highlight::Highlight],
    enc: Encoding,
) -> Vec<lsp::DocumentHighlight> {
    highlights
        .iter()
        .map(|h| lsp::DocumentHighlight {
            range: to_range(rope, &h.span, enc),
            kind: Some(match h.kind {
                ide::highlight::HighlightKind::Here => lsp::DocumentHighlightKind::READ,
                ide::highlight::HighlightKind::Counterpart => lsp::DocumentHighlightKind::TEXT,
            }),
        })
        .collect()
}

/// Paragraph inlay hints, padded on the right so they do not touch the text.
pub fn inlay_hints(
    rope: &Rope,
    hints: &[ide::inlay::InlayHint],
    enc: Encoding,
) -> Vec<lsp::InlayHint> {
    hints
        .iter()
        .map(|h| lsp::InlayHint {
            position: to_position(rope, h.offset, enc),
            label: lsp::InlayHintLabel::String(h.label.clone()),
            kind: None,
            text_edits: None,
            tooltip: Some(lsp::InlayHintTooltip::String(h.tooltip.clone())),
            padding_left: None,
            padding_right: Some(true),
            data: None,
        })
        .collect()
}

/// Completion items, each with a `textEdit` replacing its exact range.
pub fn completion(
    rope: &Rope,
    items: &[ide::completion::Item],
    enc: Encoding,
) -> lsp::CompletionResponse {
    use ide::completion::ItemKind;
    let items = items
        .iter()
        .map(|i| lsp::CompletionItem {
            label: i.label.clone(),
            kind: Some(match i.kind {
                ItemKind::Key => lsp::CompletionItemKind::PROPERTY,
                ItemKind::Value => lsp::CompletionItemKind::VALUE,
                ItemKind::Names => lsp::CompletionItemKind::TEXT,
                ItemKind::Term => lsp::CompletionItemKind::CONSTANT,
            }),
            detail: Some(i.detail.clone()),
            preselect: i.preselect.then_some(true),
            sort_text: Some(i.sort_text.clone()),
            filter_text: Some(i.filter_text.clone()),
            insert_text_format: Some(lsp::InsertTextFormat::PLAIN_TEXT),
            text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit {
                range: to_range(rope, &i.replace, enc),
                new_text: i.new_text.clone(),
            })),
            ..Default::default()
        })
        .collect();
    lsp::CompletionResponse::List(lsp::CompletionList {
        is_incomplete: false,
        items,
    })
}

/// The semantic token legend: [`ide::semantic_tokens`]'s types and modifiers, by LSP name.
pub fn semantic_tokens_legend() -> lsp::SemanticTokensLegend {
    use ide::semantic_tokens::{TokenType, MODIFIERS};
    lsp::SemanticTokensLegend {
        token_types: TokenType::LEGEND
            .iter()
            .map(|t| lsp::SemanticTokenType::new(t.name()))
            .collect(),
        token_modifiers: MODIFIERS
            .iter()
            .map(|m| lsp::SemanticTokenModifier::new(m))
            .collect(),
    }
}

/// The length of `s` in `enc`'s units: UTF-32 counts characters, UTF-16 those plus one
/// for each four-byte character (std's character count is vectorised).
fn units(s: &str, enc: Encoding) -> usize {
    match enc {
        Encoding::Utf8 => s.len(),
        _ if s.is_ascii() => s.len(),
        Encoding::Utf16 => s.chars().count() + four_byte_chars(s.as_bytes()),
        Encoding::Utf32 => s.chars().count(),
    }
}

/// How many four-byte characters `b` holds (each is two UTF-16 units): their lead bytes,
/// counted in byte-sized sums that the compiler vectorises.
fn four_byte_chars(b: &[u8]) -> usize {
    b.chunks(255)
        .map(|c| usize::from(c.iter().fold(0u8, |n, &x| n + u8::from(x >= 0xf0))))
        .sum()
}

/// Tokens (in document order, each inside one line) in LSP's relative encoding. Positions
/// are counted in one pass over the text rather than looked up token by token: a large
/// document has thousands of tokens, and this runs on every keystroke.
pub fn semantic_tokens(
    text: &str,
    tokens: &[ide::semantic_tokens::Token],
    enc: Encoding,
) -> Vec<lsp::SemanticToken> {
    let sat = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(tokens.len());
    // Where the walk stands: a byte offset, its line, and its column in `enc` units.
    let (mut at, mut line, mut column) = (0usize, 0u32, 0usize);
    let (mut prev_line, mut prev_start) = (0u32, 0usize);
    for t in tokens {
        let (start, end) = (t.span.start, t.span.end.min(text.len()));
        if start < at || start > end || !text.is_char_boundary(start) || !text.is_char_boundary(end)
        {
            continue; // not for a well-formed token list
        }
        // Line breaks between the walk and the token: `\n`, `\r\n`, `\r`.
        let mut line_start = None;
        for i in memchr::memchr2_iter(b'\n', b'\r', &bytes[at..start]) {
            let i = at + i;
            if !(bytes[i] == b'\n' && i > at && bytes[i - 1] == b'\r') {
                line += 1; // the `\n` of a `\r\n` was counted at its `\r`
            }
            line_start = Some(i + 1);
        }
        column = match line_start {
            Some(ls) => units(&text[ls..start], enc),
            None => column + units(&text[at..start], enc),
        };
        at = start;
        let delta_line = line - prev_line;
        let delta_start = if delta_line == 0 {
            column - prev_start
        } else {
            column
        };
        out.push(lsp::SemanticToken {
            delta_line,
            delta_start: sat(delta_start),
            length: sat(units(&text[start..end], enc)),
            token_type: t.kind.index(),
            token_modifiers_bitset: t.modifiers,
        });
        (prev_line, prev_start) = (line, column);
    }
    out
}

/// The edits that turn `old` tokens into `new`: one edit covering what lies between their
/// common beginning and common end (none when equal). Offsets count integers, five per token.
pub fn semantic_tokens_edits(
    old: &[lsp::SemanticToken],
    new: &[lsp::SemanticToken],
) -> Vec<lsp::SemanticTokensEdit> {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (old_mid, new_mid) = (
        &old[prefix..old.len() - suffix],
        &new[prefix..new.len() - suffix],
    );
    if old_mid.is_empty() && new_mid.is_empty() {
        return Vec::new();
    }
    let ints = |n: usize| u32::try_from(n * 5).unwrap_or(u32::MAX);
    vec![lsp::SemanticTokensEdit {
        start: ints(prefix),
        delete_count: ints(old_mid.len()),
        data: Some(new_mid.to_vec()),
    }]
}

/// Folding ranges; folds inside one line only where the client folds parts of lines.
pub fn folding_ranges(
    rope: &Rope,
    folds: &[ide::folding::Fold],
    enc: Encoding,
    line_folding_only: bool,
) -> Vec<lsp::FoldingRange> {
    folds
        .iter()
        .filter_map(|f| {
            let (start_character, end_character) = match (&f.span, line_folding_only) {
                (Some(_), true) => return None,
                (Some(s), false) => (
                    Some(to_position(rope, s.start, enc).character),
                    Some(to_position(rope, s.end, enc).character),
                ),
                (None, _) => (None, None),
            };
            Some(lsp::FoldingRange {
                start_line: u32::try_from(f.first_line).ok()?,
                start_character,
                end_line: u32::try_from(f.last_line).ok()?,
                end_character,
                kind: match f.kind {
                    ide::folding::FoldKind::Section => Some(lsp::FoldingRangeKind::Region),
                    ide::folding::FoldKind::Paragraph => None,
                },
                collapsed_text: Some(f.collapsed_text.clone()),
            })
        })
        .collect()
}

/// A chain of selection ranges, innermost first, as LSP's nested `parent`s.
pub fn selection_range(
    rope: &Rope,
    chain: &[std::ops::Range<usize>],
    enc: Encoding,
) -> lsp::SelectionRange {
    let mut parent: Option<Box<lsp::SelectionRange>> = None;
    for span in chain.iter().rev() {
        parent = Some(Box::new(lsp::SelectionRange {
            range: to_range(rope, span, enc),
            parent,
        }));
    }
    parent.map_or_else(
        || lsp::SelectionRange {
            range: to_range(rope, &(0..0), enc),
            parent: None,
        },
        |b| *b,
    )
}

/// A rename's edits, all in one document.
pub fn workspace_edit(
    rope: &Rope,
    uri: &Uri,
    edits: &[ide::rename::Edit],
    enc: Encoding,
) -> lsp::WorkspaceEdit {
    let edits = edits
        .iter()
        .map(|e| lsp::TextEdit {
            range: to_range(rope, &e.span, enc),
            new_text: e.new_text.clone(),
        })
        .collect();
    lsp::WorkspaceEdit {
        changes: Some(std::iter::once((uri.clone(), edits)).collect()),
        ..Default::default()
    }
}

/// Ranges of one document as locations.
pub fn locations(
    rope: &Rope,
    uri: &Uri,
    spans: &[std::ops::Range<usize>],
    enc: Encoding,
) -> Vec<lsp::Location> {
    spans
        .iter()
        .map(|s| lsp::Location::new(uri.clone(), to_range(rope, s, enc)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::semantic_tokens::{Token, TokenType};

    /// A kept diagnostic is sent as the diagnostic itself would be: every fixture's
    /// diagnostics (related locations among them), in every encoding.
    #[test]
    fn kept_diagnostics_are_sent_as_the_diagnostics_themselves() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid");
        let uri: Uri = "file:///a/b.md".parse().unwrap();
        let mut messages = Messages::default();
        let (mut seen, mut related) = (0, 0);
        for entry in std::fs::read_dir(dir).unwrap() {
            let Ok(text) = std::fs::read_to_string(entry.unwrap().path()) else {
                continue;
            };
            let doc = crate::syntax::parse(&text);
            let rope = Rope::from_str(&text);
            for d in check::check(&text, &doc) {
                for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
                    let kept = KeptDiagnostic::new(&rope, &d, enc, &mut messages);
                    assert_eq!(kept.to_lsp(&uri), diagnostic(&rope, &uri, &d, enc));
                }
                seen += 1;
                related += usize::from(!d.related.is_empty());
            }
        }
        assert!(
            seen > 20 && related > 0,
            "{seen} diagnostics, {related} with related"
        );
        // Messages are shared: fewer kept than seen.
        assert!(messages.0.len() < seen, "{} messages", messages.0.len());
    }

    /// The one-pass position walk agrees with the position module on every line ending and
    /// on astral characters, in every encoding.
    #[test]
    fn semantic_token_positions_agree_with_the_position_module() {
        let text = "\u{feff}a𠮷b\r\n中x\ry\n\n𠮷𠮷 z\r\n";
        let rope = Rope::from_str(text);
        let spans: Vec<std::ops::Range<usize>> = ["b", "中", "x", "y", "𠮷𠮷", "z"]
            .iter()
            .map(|n| {
                let at = text.find(n).unwrap();
                at..at + n.len()
            })
            .collect();
        let tokens: Vec<Token> = spans
            .iter()
            .map(|s| Token {
                span: s.clone(),
                kind: TokenType::String,
                modifiers: 0,
            })
            .collect();
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let got = semantic_tokens(text, &tokens, enc);
            let (mut line, mut col) = (0, 0);
            for (t, s) in got.iter().zip(&spans) {
                line += t.delta_line;
                col = if t.delta_line == 0 {
                    col + t.delta_start
                } else {
                    t.delta_start
                };
                let start = to_position(&rope, s.start, enc);
                let end = to_position(&rope, s.end, enc);
                assert_eq!((line, col), (start.line, start.character), "{enc:?} {s:?}");
                assert_eq!(t.length, end.character - start.character, "{enc:?} {s:?}");
            }
        }
    }

    #[test]
    fn edits_turn_old_tokens_into_new() {
        let t = |n: u32| lsp::SemanticToken {
            delta_line: n,
            delta_start: 0,
            length: 1,
            token_type: 0,
            token_modifiers_bitset: 0,
        };
        let old = [t(0), t(1), t(2), t(3)];
        let new = [t(0), t(9), t(3)];
        let e = semantic_tokens_edits(&old, &new);
        assert_eq!(e.len(), 1);
        assert_eq!((e[0].start, e[0].delete_count), (5, 10));
        assert_eq!(e[0].data.as_deref(), Some(&[t(9)][..]));
        assert!(semantic_tokens_edits(&old, &old).is_empty());
    }
}

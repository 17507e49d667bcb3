//! Own types to protocol types: the only place the core's byte ranges become positions.

use super::position::{to_position, to_range, Encoding};
use crate::check::{self, Severity};
use crate::ide;
use ropey::Rope;
use tower_lsp_server::ls_types as lsp;
use tower_lsp_server::ls_types::Uri;

/// The `source` of every diagnostic.
pub const SOURCE: &str = "archive-lsp";

/// A core diagnostic as LSP's, its related spans as locations in the same document.
pub fn diagnostic(rope: &Rope, uri: &Uri, d: &check::Diagnostic, enc: Encoding) -> lsp::Diagnostic {
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .related
        .iter()
        .map(|r| lsp::DiagnosticRelatedInformation {
            location: lsp::Location::new(uri.clone(), to_range(rope, &r.span, enc)),
            message: r.message.clone(),
        })
        .collect();
    lsp::Diagnostic {
        range: to_range(rope, &d.span, enc),
        severity: Some(severity(d.severity)),
        code: Some(lsp::NumberOrString::String(d.code.name().to_string())),
        source: Some(SOURCE.to_string()),
        message: d.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        ..Default::default()
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

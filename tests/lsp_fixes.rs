//! Quick fixes and fix-all through the real server: each fix on a fixture, applied as the
//! client would apply its edits, leaves the document with its diagnostic gone and nothing
//! new, in every position encoding, on CRLF text and after an astral character; the lazy
//! (`codeAction/resolve`) and inline paths; `context.only`; stale resolves.

mod common;

use common::faults::every_safe_fault;
use common::{answer_errors, line_boundaries, position, root, Server};
use serde_json::{json, Value};

/// How a test client speaks of code actions.
#[derive(Debug, Clone, Copy)]
struct Client {
    encoding: &'static str,
    /// Declares `resolveSupport.properties: ["edit"]`.
    lazy: bool,
    /// Declares `workspace.workspaceEdit.documentChanges`.
    versioned: bool,
}

const CLIENTS: [Client; 4] = [
    Client {
        encoding: "utf-8",
        lazy: false,
        versioned: true,
    },
    Client {
        encoding: "utf-16",
        lazy: true,
        versioned: false,
    },
    Client {
        encoding: "utf-32",
        lazy: true,
        versioned: true,
    },
    Client {
        encoding: "utf-16",
        lazy: false,
        versioned: false,
    },
];

fn capabilities(c: Client) -> Value {
    let mut code_action = json!({
        "codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix", "source", "source.fixAll"]}},
        "isPreferredSupport": true,
        "dataSupport": true
    });
    if c.lazy {
        code_action["resolveSupport"] = json!({"properties": ["edit"]});
    }
    json!({
        "general": {"positionEncodings": [c.encoding]},
        "textDocument": {"codeAction": code_action},
        "workspace": {"workspaceEdit": {"documentChanges": c.versioned}}
    })
}

fn start(c: Client) -> Server {
    let mut s = Server::start();
    let r = s.initialize(capabilities(c));
    assert_eq!(r["capabilities"]["positionEncoding"], c.encoding);
    let p = &r["capabilities"]["codeActionProvider"];
    assert_eq!(
        p["codeActionKinds"],
        json!(["quickfix", "source.fixAll", "source.fixAll.archive-lsp"])
    );
    assert_eq!(p["resolveProvider"], true);
    s
}

/// The text edits of an action's workspace edit for `uri`, checking its form: versioned
/// `documentChanges` for `version` when the client takes them, else `changes`.
fn edits_of(action: &Value, uri: &str, c: Client, version: i32) -> Vec<Value> {
    let edit = &action["edit"];
    if c.versioned {
        let changes = edit["documentChanges"].as_array().expect("documentChanges");
        assert_eq!(changes.len(), 1, "{edit}");
        assert_eq!(changes[0]["textDocument"]["uri"], uri);
        assert_eq!(changes[0]["textDocument"]["version"], version);
        changes[0]["edits"].as_array().unwrap().clone()
    } else {
        assert!(edit.get("documentChanges").is_none(), "{edit}");
        edit["changes"][uri].as_array().expect("changes").clone()
    }
}

/// `textDocument/codeAction` for `range`, with the client's `diagnostics` and `only`.
fn code_actions(
    s: &mut Server,
    uri: &str,
    range: &Value,
    diagnostics: &[Value],
    only: Option<&[&str]>,
) -> Vec<Value> {
    let mut context = json!({"diagnostics": diagnostics});
    if let Some(only) = only {
        context["only"] = json!(only);
    }
    let r = s.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": range, "context": context}),
    );
    r.as_array().cloned().unwrap_or_default()
}

/// The action with its edit: resolved for a lazy client (which must not have it yet),
/// as given otherwise.
fn with_edit(s: &mut Server, action: &Value, c: Client) -> Value {
    if c.lazy {
        assert!(action.get("edit").is_none(), "lazy: {action}");
        assert!(action["data"].is_object(), "{action}");
        s.request("codeAction/resolve", action.clone())
    } else {
        assert!(action["edit"].is_object(), "inline: {action}");
        action.clone()
    }
}

/// (code, message) of diagnostics, sorted.
fn keyed(ds: &[Value]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = ds
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

/// Asserts that `after` is `before` less one `fixed`, or less (never a new one).
fn assert_repaired(before: &[Value], fixed: &Value, after: &[Value], what: &str) {
    let mut left = keyed(before);
    let key = keyed(std::slice::from_ref(fixed)).remove(0);
    let i = left
        .iter()
        .position(|k| *k == key)
        .expect("fixed one was there");
    left.remove(i);
    for k in keyed(after) {
        let Some(i) = left.iter().position(|l| *l == k) else {
            panic!("{what}: new diagnostic {k:?}");
        };
        left.remove(i);
    }
}

/// Sends `text` as the document's new content; the diagnostics published for it.
fn replace_text(s: &mut Server, uri: &str, text: &str) -> Vec<Value> {
    let v = s.change(uri, vec![json!({"text": text})]);
    s.wait_diagnostics_version(uri, v)
}

const FIXABLE: [&str; 10] = [
    "date-mismatch",
    "page-mismatch",
    "missing-header-field",
    "unknown-header-field",
    "header-field-order",
    "header-layout",
    "indentation",
    "trailing-whitespace",
    "halfwidth-punctuation",
    "repeated-word",
];

fn sample() -> String {
    std::fs::read_to_string(root().join("seeds/000_0d759123a74baf35.txt")).unwrap()
}

/// The fixture texts per code: the one-fault fixtures, and a Latin O in a numeral (the
/// fixable `ocr-artifact`, with the year in the English).
fn cases() -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = FIXABLE
        .iter()
        .map(|code| {
            let path = root().join(format!("tests/fixtures/invalid/{code}.md"));
            (code.to_string(), std::fs::read_to_string(path).unwrap())
        })
        .collect();
    let zero = sample()
        .replacen("全国性的增产节约运动", "一九五O年全国性的增产节约运动", 1)
        .replacen("Since the launch", "Since the 1950 launch", 1);
    v.push(("ocr-artifact".into(), zero));
    v
}

/// The variants of a case: as is, with CRLF line ends, and with an astral 𠮷 before the
/// fault on its line (when the fault is inside a paragraph's text, where one can stand).
fn variants(code: &str, text: &str) -> Vec<(&'static str, String)> {
    let mut v = vec![
        ("lf", text.to_string()),
        ("crlf", text.replace('\n', "\r\n")),
    ];
    let ds = archive_lsp::check::check_text(text);
    if let Some(d) = ds.iter().find(|d| d.code.name() == code) {
        let line_start = text[..d.span.start].rfind('\n').map_or(0, |i| i + 1);
        let line = &text[line_start..];
        let indent = line.len() - line.trim_start_matches([' ', '\t', '\u{3000}']).len();
        if indent > 0 && d.span.start > line_start + indent {
            let at = line_start + indent;
            v.push(("astral", format!("{}𠮷{}", &text[..at], &text[at..])));
        }
    }
    v
}

#[test]
fn every_fix_repairs_its_fixture_in_every_encoding_and_path() {
    let mut astral = 0;
    for c in CLIENTS {
        let mut s = start(c);
        for (code, text) in cases() {
            for (variant, text) in variants(&code, &text) {
                astral += usize::from(variant == "astral");
                let what = format!("{code} ({variant}, {c:?})");
                let uri = format!("file:///fixes/{code}-{variant}.md");
                s.open(&uri, &text);
                let before = s.wait_diagnostics(&uri);
                let mine: Vec<Value> = before
                    .iter()
                    .filter(|d| d["code"] == code.as_str())
                    .cloned()
                    .collect();
                assert!(!mine.is_empty(), "{what}: no diagnostic");
                let mut fixed_any = false;
                for d in &mine {
                    // The client's copy carries its own data: it must come back as sent.
                    let mut theirs = d.clone();
                    theirs["data"] = json!({"client": "copy"});
                    let lines = line_boundaries(&text, c.encoding);
                    // Asked again for each action: the previous one's round trip changed
                    // the document's version (a lazy action of an old version is refused).
                    let ask = |s: &mut Server| -> Vec<Value> {
                        code_actions(s, &uri, &d["range"], &[theirs.clone()], None)
                            .into_iter()
                            .filter(|a| {
                                a["kind"] == "quickfix"
                                    && a["diagnostics"][0]["code"] == code.as_str()
                            })
                            .collect()
                    };
                    let count = ask(&mut s).len();
                    for k in 0..count {
                        let version = s.version(&uri);
                        let a = ask(&mut s).remove(k);
                        assert_eq!(a["diagnostics"], json!([theirs]), "{what}: echo");
                        assert!(a["isPreferred"].is_boolean(), "{what}: {a}");
                        let a = with_edit(&mut s, &a, c);
                        let errors = answer_errors(&lines, &a);
                        assert!(errors.is_empty(), "{what}: {errors:?}");
                        let edits = edits_of(&a, &uri, c, version);
                        let after_text = position::apply_edits(&text, &edits, c.encoding);
                        assert_ne!(after_text, text, "{what}: {}", a["title"]);
                        let after = replace_text(&mut s, &uri, &after_text);
                        assert_repaired(&before, d, &after, &format!("{what}: {}", a["title"]));
                        replace_text(&mut s, &uri, &text);
                        fixed_any = true;
                    }
                }
                assert!(fixed_any, "{what}: no quick fix offered");
                s.close(&uri);
            }
        }
        s.shutdown();
    }
    assert!(astral >= 4 * 3, "astral variants: {astral}");
}

#[test]
fn mismatches_offer_both_sides_with_the_original_preferred() {
    let c = CLIENTS[0];
    let mut s = start(c);
    let text =
        std::fs::read_to_string(root().join("tests/fixtures/invalid/date-mismatch.md")).unwrap();
    let uri = "file:///fixes/date.md";
    s.open(uri, &text);
    let ds = s.wait_diagnostics(uri);
    let d = ds.iter().find(|d| d["code"] == "date-mismatch").unwrap();
    let actions = code_actions(&mut s, uri, &d["range"], &[], None);
    let quick: Vec<&Value> = actions.iter().filter(|a| a["kind"] == "quickfix").collect();
    assert_eq!(quick.len(), 2, "{actions:?}");
    assert_eq!(quick[0]["isPreferred"], true);
    assert_eq!(quick[1]["isPreferred"], false);
    assert!(quick[0]["title"]
        .as_str()
        .unwrap()
        .contains("into the header"));
    // Without a client copy, the server's own diagnostic is attached.
    assert_eq!(quick[0]["diagnostics"][0]["message"], d["message"]);
    // Minimal: one character.
    let edits = edits_of(quick[0], uri, c, 1);
    assert_eq!(edits.len(), 1);
    assert_eq!(
        edits[0]["newText"].as_str().unwrap().chars().count(),
        1,
        "{edits:?}"
    );
    s.shutdown();
}

#[test]
fn fix_all_repairs_every_safe_fault_at_once() {
    for c in CLIENTS {
        let mut s = start(c);
        for (variant, seed) in [("lf", sample()), ("crlf", sample().replace('\n', "\r\n"))] {
            let broken = every_safe_fault(&sample());
            let broken = if variant == "crlf" {
                broken.replace('\n', "\r\n")
            } else {
                broken
            };
            let uri = format!("file:///fixes/all-{variant}.md");
            s.open(&uri, &broken);
            let before = s.wait_diagnostics(&uri);
            let codes: Vec<&str> = before.iter().map(|d| d["code"].as_str().unwrap()).collect();
            for code in [
                "unknown-header-field",
                "header-field-order",
                "header-layout",
                "missing-header-field",
                "indentation",
                "trailing-whitespace",
                "halfwidth-punctuation",
            ] {
                assert!(codes.contains(&code), "{code} in {codes:?}");
            }
            let whole =
                json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}});
            for only in [["source.fixAll"], ["source"], ["source.fixAll.archive-lsp"]] {
                let actions = code_actions(&mut s, &uri, &whole, &[], Some(&only));
                assert_eq!(actions.len(), 1, "{only:?}: {actions:?}");
                assert_eq!(actions[0]["kind"], "source.fixAll.archive-lsp");
            }
            let actions = code_actions(&mut s, &uri, &whole, &[], Some(&["source.fixAll"]));
            let a = with_edit(&mut s, &actions[0], c);
            let edits = edits_of(&a, &uri, c, s.version(&uri));
            // Minimal: the changed characters only, never a rewrite of the document.
            let changed: usize = edits
                .iter()
                .map(|e| e["newText"].as_str().unwrap().len())
                .sum();
            assert!(changed < 80, "{edits:?}");
            let fixed = position::apply_edits(&broken, &edits, c.encoding);
            assert_eq!(fixed, seed, "{c:?} {variant}");
            let after = replace_text(&mut s, &uri, &fixed);
            assert!(after.is_empty(), "{after:?}");
            // Nothing left: no fix-all offered.
            let actions = code_actions(&mut s, &uri, &whole, &[], Some(&["source"]));
            assert!(actions.is_empty(), "{actions:?}");
            s.close(&uri);
        }
        s.shutdown();
    }
}

#[test]
fn only_filters_by_kind() {
    let c = CLIENTS[1];
    let mut s = start(c);
    let broken = every_safe_fault(&sample());
    let uri = "file:///fixes/only.md";
    s.open(uri, &broken);
    s.wait_diagnostics(uri);
    // The header's lines: several faults with quick fixes.
    let range = json!({"start": {"line": 0, "character": 0}, "end": {"line": 3, "character": 0}});
    let kinds = |actions: &[Value]| -> Vec<String> {
        actions
            .iter()
            .map(|a| a["kind"].as_str().unwrap().to_string())
            .collect()
    };
    let all = kinds(&code_actions(&mut s, uri, &range, &[], None));
    assert!(
        all.iter().any(|k| k == "quickfix") && all.iter().any(|k| k == "source.fixAll.archive-lsp"),
        "{all:?}"
    );
    let quick = kinds(&code_actions(&mut s, uri, &range, &[], Some(&["quickfix"])));
    assert!(
        !quick.is_empty() && quick.iter().all(|k| k == "quickfix"),
        "{quick:?}"
    );
    assert_eq!(quick.len() + 1, all.len());
    let source = kinds(&code_actions(&mut s, uri, &range, &[], Some(&["source"])));
    assert_eq!(source, ["source.fixAll.archive-lsp"]);
    assert!(code_actions(&mut s, uri, &range, &[], Some(&["refactor"])).is_empty());
    // An automatic request (the cursor moved) without kinds: quick fixes only.
    let r = s.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": range, "context": {"diagnostics": [], "triggerKind": 2}}),
    );
    let automatic = kinds(r.as_array().unwrap());
    assert_eq!(automatic, quick);
    assert!(code_actions(&mut s, uri, &range, &[], Some(&["source.organizeImports"])).is_empty());
    s.shutdown();
}

#[test]
fn a_stale_resolve_is_refused_never_a_wrong_edit() {
    let c = CLIENTS[1];
    let mut s = start(c);
    let text =
        std::fs::read_to_string(root().join("tests/fixtures/invalid/trailing-whitespace.md"))
            .unwrap();
    let uri = "file:///fixes/stale.md";
    s.open(uri, &text);
    let ds = s.wait_diagnostics(uri);
    let d = ds
        .iter()
        .find(|d| d["code"] == "trailing-whitespace")
        .unwrap()
        .clone();
    let actions = code_actions(
        &mut s,
        uri,
        &d["range"],
        std::slice::from_ref(&d),
        Some(&["quickfix"]),
    );
    let action = actions[0].clone();
    // Fresh: resolves.
    let r = s.request("codeAction/resolve", action.clone());
    assert!(r["edit"].is_object());
    // The document changed (a line inserted above): the old action is refused.
    let v = s.change(uri, vec![json!({"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "Note\n"})]);
    s.wait_diagnostics_version(uri, v);
    let r = s.request_raw("codeAction/resolve", action.clone());
    assert_eq!(r["error"]["code"], -32801, "{r}");
    assert!(
        r["error"]["message"].as_str().unwrap().contains("changed"),
        "{r}"
    );
    assert!(r.get("result").is_none_or(Value::is_null));
    // Same version number but another text (a client reusing versions): refused too.
    let mut forged = action.clone();
    forged["data"]["version"] = json!(v);
    let r = s.request_raw("codeAction/resolve", forged);
    assert_eq!(r["error"]["code"], -32801, "{r}");
    // Garbage data and a closed document: clear errors.
    let mut junk = action.clone();
    junk["data"] = json!({"what": 1});
    let r = s.request_raw("codeAction/resolve", junk);
    assert_eq!(r["error"]["code"], -32602, "{r}");
    s.close(uri);
    let r = s.request_raw("codeAction/resolve", action);
    assert!(
        r["error"]["message"].as_str().unwrap().contains("not open"),
        "{r}"
    );
    s.shutdown();
}

#[test]
fn a_client_without_literals_gets_no_actions() {
    let mut s = Server::start();
    s.initialize(json!({}));
    let text =
        std::fs::read_to_string(root().join("tests/fixtures/invalid/trailing-whitespace.md"))
            .unwrap();
    let uri = "file:///fixes/plain.md";
    s.open(uri, &text);
    let ds = s.wait_diagnostics(uri);
    let d = ds
        .iter()
        .find(|d| d["code"] == "trailing-whitespace")
        .unwrap();
    for _ in 0..2 {
        let r = s.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": []}}),
        );
        assert!(r.is_null(), "{r}");
    }
    s.barrier();
    assert_eq!(
        s.stderr().matches("no CodeAction literals").count(),
        1,
        "{}",
        s.stderr()
    );
    s.shutdown();
}

#[test]
fn fixes_follow_the_servers_settings() {
    // Indentation off in the editor's settings: fix-all leaves the tab, fixes the rest.
    let c = CLIENTS[0];
    let mut s = Server::start();
    s.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": capabilities(c),
               "initializationOptions": {"rules": {"indentation": "off"}}}),
    );
    s.notify("initialized", json!({}));
    let broken = every_safe_fault(&sample());
    let uri = "file:///fixes/settings.md";
    s.open(uri, &broken);
    let before = s.wait_diagnostics(uri);
    assert!(
        before.iter().all(|d| d["code"] != "indentation"),
        "{before:?}"
    );
    let whole = json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}});
    let actions = code_actions(&mut s, uri, &whole, &[], Some(&["source.fixAll"]));
    let edits = edits_of(&actions[0], uri, c, 1);
    let fixed = position::apply_edits(&broken, &edits, c.encoding);
    assert_eq!(
        fixed,
        sample().replacen("    Experience in Timely", "\tExperience in Timely", 1)
    );
    s.shutdown();
}

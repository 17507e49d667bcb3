//! The real files of ../shared/corpus through the server: exactly the checker's
//! diagnostics (see lsp_diagnostics.rs), and hover, definition, symbols and links answered
//! without error on every line of every file. Skipped loudly if the corpus is absent.

mod common;

use common::Server;
use serde_json::json;

#[test]
fn every_real_file_answers_every_feature() {
    let Some(files) = common::corpus() else {
        return;
    };
    for enc in ["utf-16", "utf-8"] {
        let mut s = Server::start();
        s.initialize_encodings(Some(&[enc]));
        for path in &files {
            let (uri, text, _) = s.open_matching_core(path, enc);
            let doc = json!({"textDocument": {"uri": uri}});
            let symbols = s.request("textDocument/documentSymbol", doc.clone());
            assert!(
                !symbols.as_array().unwrap().is_empty(),
                "{}",
                path.display()
            );
            s.request("textDocument/documentLink", doc);
            let lines = text.split('\n').count();
            let mut toggles = 0;
            for line in 0..lines {
                let p = json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": 6}});
                s.request("textDocument/hover", p.clone());
                let d = s.request("textDocument/definition", p);
                toggles += d.is_array() as usize;
            }
            assert!(
                toggles > 0,
                "some element of {} has a counterpart",
                path.display()
            );
            s.close(&uri);
        }
        s.shutdown();
    }
}

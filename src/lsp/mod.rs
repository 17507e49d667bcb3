//! The language server: the core behind LSP on stdin/stdout, logs on stderr.
//!
//! [`documents`] keeps the editor's text, [`position`] converts positions, [`proto`] turns
//! the features' own types into protocol types, [`backend`] wires them to the protocol,
//! [`transport`] keeps malformed input from stopping the framework.

pub mod backend;
pub mod documents;
pub mod log;
pub mod position;
pub mod proto;
pub mod transport;

use backend::Backend;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tower_lsp_server::{LspService, Server};

/// Serves LSP on stdin/stdout until `exit` or the end of stdin. Exit status 0 after
/// `shutdown`, 1 otherwise (LSP's rule for `exit`; a closed stdin without `shutdown` is
/// likewise abnormal).
pub fn serve() -> ExitCode {
    log::install();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            log::log(format_args!("cannot start the async runtime: {e}"));
            return ExitCode::from(2);
        }
    };
    let shut_down = Arc::new(AtomicBool::new(false));
    let flag = shut_down.clone();
    runtime.block_on(async move {
        let (service, socket) = LspService::build(|client| Backend::new(client, flag))
            .custom_method(backend::VIEW_FILE_TEXT, Backend::view_file_text)
            .finish();
        // One message at a time, in arrival order: handlers take microseconds, and no
        // request can then observe a half-applied burst of edits (ANCHORS.md).
        let stdout = transport::SharedStdout::default();
        let stdin = transport::guard_stdin(tokio::runtime::Handle::current(), stdout.clone());
        Server::new(stdin, stdout, socket)
            .concurrency_level(1)
            .serve(service)
            .await;
    });
    // Nothing is left to wait for (stdin's reader is a plain thread, ended with the process).
    runtime.shutdown_background();
    if shut_down.load(Ordering::SeqCst) {
        ExitCode::SUCCESS
    } else {
        log::log("stopped without a shutdown request: exit status 1");
        ExitCode::from(1)
    }
}

//! The language server: the core behind LSP on stdin/stdout, logs on stderr.
//!
//! [`documents`] keeps the editor's text, [`position`] converts positions, [`proto`] turns
//! the features' own types into protocol types, [`backend`] wires them to the protocol,
//! [`settings`] resolves each document's settings, [`transport`] keeps malformed input from
//! stopping the framework, [`memory`] keeps the allocator from holding on to closed
//! documents.

pub mod backend;
pub mod code_actions;
pub mod documents;
pub mod edits;
pub mod log;
pub mod memory;
pub mod methods;
pub mod position;
pub mod proto;
pub mod settings;
pub mod transport;
pub mod workspace;

use backend::Backend;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tower_lsp_server::{ClientSocket, LspService, Server};

/// The service with every handler and custom method registered. `shut_down` is set when
/// `shutdown` arrives; `ordered` is the output that the framework's answers also go to
/// (for partial results, which must come before their answer).
fn service_with(
    shut_down: Arc<AtomicBool>,
    ordered: Option<transport::SharedStdout>,
) -> (LspService<Backend>, ClientSocket) {
    methods::register_custom(LspService::build(|client| {
        Backend::new(client, shut_down, ordered)
    }))
    .finish()
}

#[cfg(test)]
fn service() -> (LspService<Backend>, ClientSocket) {
    service_with(Arc::new(AtomicBool::new(false)), None)
}

/// Serves LSP on stdin/stdout until `exit` or the end of stdin. Exit status 0 after
/// `shutdown`, 1 otherwise (LSP's rule for `exit`; a closed stdin without `shutdown` is
/// likewise abnormal).
pub fn serve() -> ExitCode {
    log::install();
    memory::limit_arenas();
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
    let stdout = transport::SharedStdout::start();
    let out = stdout.clone();
    runtime.block_on(async move {
        let (service, socket) = service_with(flag, Some(out.clone()));
        // One message at a time, in arrival order: handlers take microseconds, and no
        // request can then observe a half-applied burst of edits (ANCHORS.md).
        let stdin = transport::guard_stdin(out.clone());
        Server::new(stdin, out, socket)
            .concurrency_level(1)
            .serve(service)
            .await;
    });
    // Stdin's reader is a plain thread, ended with the process; what is queued for stdout
    // is written first.
    runtime.shutdown_background();
    stdout.drain();
    if shut_down.load(Ordering::SeqCst) {
        ExitCode::SUCCESS
    } else {
        log::log("stopped without a shutdown request: exit status 1");
        ExitCode::from(1)
    }
}

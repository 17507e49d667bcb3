// VS Code client for archive-lsp: starts the language server over stdio for `archive`
// documents, re-tags plaintext/markdown documents that are archive documents, offers
// "Archive LSP: Restart server", and shows the workspace index in the status bar.

import * as vscode from 'vscode';
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CloseAction,
  CloseHandlerResult,
  ErrorAction,
  ErrorHandler,
  ErrorHandlerResult,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
} from 'vscode-languageclient/node';
import { isArchiveDocument } from './detect';
import { IndexStatusItem, IndexStatusView } from './indexStatus';

const LANGUAGE_ID = 'archive';
const CLIENT_ID = 'archiveLsp'; // the client reads `archiveLsp.trace.server` by this id
const CLIENT_NAME = 'Archive LSP';
const EXE_NAME = process.platform === 'win32' ? 'archive-lsp.exe' : 'archive-lsp';

/** At most this many unexpected exits within CRASH_WINDOW_MS before giving up. */
const MAX_RESTARTS = 4;
const CRASH_WINDOW_MS = 3 * 60 * 1000;

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel;
let traceOutput: vscode.LogOutputChannel;
let extensionContext: vscode.ExtensionContext;
let indexStatus: IndexStatusItem;
/** Serialises start/stop/restart so two restarts never overlap. */
let lifecycle: Promise<void> = Promise.resolve();

// ---------------------------------------------------------------------------------------------
// Finding the server binary

interface ServerBinary {
  command: string;
  /** How it was found, for the output channel and error messages. */
  origin: 'setting' | 'bundled' | 'PATH';
}

class ServerNotFound extends Error {}

function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    if (process.platform !== 'win32') {
      fs.accessSync(file, fs.constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

/** Looks `name` up on PATH like a shell would. */
function findOnPath(name: string): string | undefined {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter((d) => d !== '');
  const exts = process.platform === 'win32' ? (process.env.PATHEXT ?? '.EXE').split(';') : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = path.join(dir, name + (name.toLowerCase().endsWith(ext.toLowerCase()) ? '' : ext));
      if (isExecutableFile(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

/** The binary shipped in the .vsix under server/, if it was built for this platform. */
function bundledServer(context: vscode.ExtensionContext): string | undefined {
  const serverDir = context.asAbsolutePath('server');
  const binary = path.join(serverDir, EXE_NAME);
  if (!fs.existsSync(binary)) {
    return undefined;
  }
  try {
    const meta = JSON.parse(fs.readFileSync(path.join(serverDir, 'platform.json'), 'utf8')) as {
      platform?: string;
      arch?: string;
    };
    if (meta.platform !== process.platform || meta.arch !== process.arch) {
      output.appendLine(
        `Bundled server was built for ${meta.platform}-${meta.arch}, this is ${process.platform}-${process.arch}: not using it.`,
      );
      return undefined;
    }
  } catch {
    output.appendLine('Bundled server has no readable server/platform.json: not using it.');
    return undefined;
  }
  if (process.platform !== 'win32' && !isExecutableFile(binary)) {
    // Some unzip paths drop the executable bit.
    try {
      fs.chmodSync(binary, 0o755);
    } catch (e) {
      output.appendLine(`Could not make ${binary} executable: ${String(e)}`);
      return undefined;
    }
  }
  return binary;
}

function expandPath(configured: string): string {
  let p = configured;
  if (p === '~' || p.startsWith('~/')) {
    p = path.join(os.homedir(), p.slice(1));
  }
  if (!path.isAbsolute(p) && (p.includes('/') || p.includes('\\'))) {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (folder !== undefined && folder.uri.scheme === 'file') {
      p = path.join(folder.uri.fsPath, p);
    }
  }
  return p;
}

function resolveServer(context: vscode.ExtensionContext): ServerBinary {
  const configured = (vscode.workspace.getConfiguration('archiveLsp').get<string>('server.path') ?? '').trim();
  if (configured !== '') {
    const expanded = expandPath(configured);
    if (path.isAbsolute(expanded) || expanded.includes('/') || expanded.includes('\\')) {
      if (!isExecutableFile(expanded)) {
        throw new ServerNotFound(
          `the setting archiveLsp.server.path is "${configured}", but ${expanded} ${
            fs.existsSync(expanded) ? 'is not an executable file' : 'does not exist'
          }. Correct the setting, or clear it to use the bundled server.`,
        );
      }
      return { command: expanded, origin: 'setting' };
    }
    // A bare command name: look it up on PATH.
    const found = findOnPath(expanded);
    if (found === undefined) {
      throw new ServerNotFound(
        `the setting archiveLsp.server.path is "${configured}", which was not found on PATH. Correct the setting, or clear it to use the bundled server.`,
      );
    }
    return { command: found, origin: 'setting' };
  }
  const bundled = bundledServer(context);
  if (bundled !== undefined) {
    return { command: bundled, origin: 'bundled' };
  }
  const onPath = findOnPath(EXE_NAME);
  if (onPath !== undefined) {
    return { command: onPath, origin: 'PATH' };
  }
  throw new ServerNotFound(
    `the archive-lsp language server was not found: this extension has no server built for ${process.platform}-${process.arch}, and "${EXE_NAME}" is not on PATH. Install archive-lsp (cargo build --release in its repository) and put it on PATH, or set archiveLsp.server.path to it.`,
  );
}

/** Runs `archive-lsp --version` to prove the binary starts at all (a clear error otherwise). */
function probeVersion(command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    cp.execFile(command, ['--version'], { timeout: 10_000, windowsHide: true }, (err, stdout, stderr) => {
      if (err) {
        const detail = (stderr || '').trim() || err.message;
        reject(new Error(`${command} --version failed: ${detail}`));
      } else {
        resolve(stdout.trim());
      }
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Errors shown to the user

async function showServerError(message: string): Promise<void> {
  const openSettings = 'Open Settings';
  const showOutput = 'Show Output';
  const restart = 'Restart Server';
  const choice = await vscode.window.showErrorMessage(`Archive LSP: ${message}`, openSettings, showOutput, restart);
  if (choice === openSettings) {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'archiveLsp.server.path');
  } else if (choice === showOutput) {
    output.show(true);
  } else if (choice === restart) {
    await vscode.commands.executeCommand('archiveLsp.restartServer');
  }
}

/** Restarts after an unexpected exit, at most MAX_RESTARTS times within CRASH_WINDOW_MS. */
class CrashHandler implements ErrorHandler {
  private readonly exits: number[] = [];

  /** Set once the server has initialized: before that, startClient() reports the failure. */
  running = false;

  constructor(private readonly command: string) {}

  error(_error: Error, _message: unknown, count: number | undefined): ErrorHandlerResult {
    if (count !== undefined && count <= 3) {
      return { action: ErrorAction.Continue, handled: true };
    }
    return { action: ErrorAction.Shutdown, handled: true };
  }

  closed(): CloseHandlerResult {
    if (!this.running) {
      return { action: CloseAction.DoNotRestart, handled: true };
    }
    const now = Date.now();
    this.exits.push(now);
    while (this.exits.length > 0 && now - this.exits[0] > CRASH_WINDOW_MS) {
      this.exits.shift();
    }
    if (this.exits.length > MAX_RESTARTS) {
      const msg = `the language server (${this.command}) stopped unexpectedly ${this.exits.length} times in the last 3 minutes and will not be restarted. See the "${CLIENT_NAME}" output for its error output.`;
      output.appendLine(msg);
      void showServerError(msg);
      return { action: CloseAction.DoNotRestart, handled: true };
    }
    const msg = `the language server (${this.command}) stopped unexpectedly; restarting it (${this.exits.length} of ${MAX_RESTARTS}).`;
    output.appendLine(msg);
    void vscode.window.showWarningMessage(`Archive LSP: ${msg}`);
    return { action: CloseAction.Restart, handled: true };
  }
}

// ---------------------------------------------------------------------------------------------
// Client lifecycle

async function startClient(): Promise<void> {
  let server: ServerBinary;
  try {
    server = resolveServer(extensionContext);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    output.appendLine(msg);
    void showServerError(msg);
    return;
  }
  try {
    const version = await probeVersion(server.command);
    output.appendLine(`Using ${server.command} (${server.origin}): ${version}`);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    output.appendLine(msg);
    void showServerError(`the language server could not be run. ${msg}`);
    return;
  }

  // No `transport` field: with one, the client would append `--stdio` to the arguments, and
  // archive-lsp speaks LSP on stdin/stdout when run with no arguments.
  const serverOptions: ServerOptions = {
    command: server.command,
    args: [],
    options: { env: { ...process.env } },
  };
  const crashHandler = new CrashHandler(server.command);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { language: LANGUAGE_ID, scheme: 'file' },
      { language: LANGUAGE_ID, scheme: 'untitled' },
    ],
    outputChannel: output,
    traceOutputChannel: traceOutput,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    errorHandler: crashHandler,
    // The server asks for the `archiveLsp` section (workspace/configuration) when it starts
    // and whenever this sends it a didChangeConfiguration, which the client does on every
    // change of these settings. The settings go in the initialization options too, so
    // that the first diagnostics already follow them.
    synchronize: { configurationSection: 'archiveLsp' },
    initializationOptions: serverSettings(),
    initializationFailedHandler: (error) => {
      // Reported once, by the catch around start() below.
      output.appendLine(`The language server failed to initialize: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    },
  };
  const c = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  client = c;
  try {
    await c.start();
    crashHandler.running = true;
    indexStatus.attach(c);
  } catch (e) {
    const msg = `the language server (${server.command}) could not be started: ${e instanceof Error ? e.message : String(e)}`;
    output.appendLine(msg);
    void showServerError(msg);
    if (client === c) {
      client = undefined;
    }
    try {
      await c.dispose(2000);
    } catch {
      // already stopped
    }
  }
}

/** The settings the server reads (README, "Settings"): the rules and the review thresholds. */
function serverSettings(): { rules: unknown; review: unknown } {
  const config = vscode.workspace.getConfiguration('archiveLsp');
  return { rules: config.get('rules') ?? null, review: config.get('review') ?? null };
}

async function stopClient(): Promise<void> {
  const c = client;
  client = undefined;
  indexStatus.detach();
  if (c === undefined) {
    return;
  }
  try {
    await c.dispose(5000);
  } catch (e) {
    output.appendLine(`Stopping the language server: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function queue(step: () => Promise<void>): Promise<void> {
  lifecycle = lifecycle.then(step, step);
  return lifecycle;
}

/** Whether the server should run: once an `archive` document has been opened, or asked for. */
let wanted = false;

/** Starts the server the first time an archive document is open (not for every .txt/.md). */
function startIfWanted(doc: vscode.TextDocument): void {
  if (!wanted && doc.languageId === LANGUAGE_ID) {
    wanted = true;
    void queue(startClient);
  }
}

function restart(): Promise<void> {
  wanted = true;
  return queue(async () => {
    output.appendLine('Restarting the language server.');
    await stopClient();
    await startClient();
  });
}

// ---------------------------------------------------------------------------------------------
// Re-tagging .txt/.md documents that are archive documents

/** URIs this extension re-tagged, with the time their `archive` document was last closed. */
const retagged = new Map<string, number>();

function maybeRetag(doc: vscode.TextDocument): void {
  if (doc.languageId !== 'plaintext' && doc.languageId !== 'markdown') {
    return;
  }
  if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled' && doc.uri.scheme !== 'vscode-remote') {
    return;
  }
  const key = doc.uri.toString();
  const closedAt = retagged.get(key);
  if (closedAt !== undefined && Date.now() - closedAt < 1500) {
    // The archive document closed and came back as plaintext/markdown at once: the user chose
    // that language ("Change Language Mode"). Respect it.
    return;
  }
  if (!isArchiveDocument(doc.fileName, doc.getText())) {
    return;
  }
  retagged.set(key, Number.NEGATIVE_INFINITY);
  vscode.languages.setTextDocumentLanguage(doc, LANGUAGE_ID).then(
    () => undefined,
    (e: unknown) => output.appendLine(`Could not set the language of ${doc.uri.toString()}: ${String(e)}`),
  );
}

function noteClosed(doc: vscode.TextDocument): void {
  const key = doc.uri.toString();
  if (doc.languageId === LANGUAGE_ID && retagged.has(key)) {
    retagged.set(key, Date.now());
  }
}

// ---------------------------------------------------------------------------------------------

/** What the extension gives other extensions (its end-to-end test reads the status item). */
export interface ArchiveLspApi {
  /** The index status item as shown now. */
  indexStatus(): IndexStatusView;
}

export async function activate(context: vscode.ExtensionContext): Promise<ArchiveLspApi> {
  extensionContext = context;
  output = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  traceOutput = vscode.window.createOutputChannel(`${CLIENT_NAME} Trace`, { log: true });
  indexStatus = new IndexStatusItem(output);
  context.subscriptions.push(output, traceOutput, indexStatus);

  context.subscriptions.push(
    vscode.commands.registerCommand('archiveLsp.restartServer', () => restart()),
    vscode.workspace.onDidOpenTextDocument((doc) => {
      maybeRetag(doc);
      startIfWanted(doc);
    }),
    vscode.workspace.onDidCloseTextDocument(noteClosed),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (wanted && e.affectsConfiguration('archiveLsp.server.path')) {
        void restart();
      }
    }),
    { dispose: () => void stopClient() },
  );
  for (const doc of vscode.workspace.textDocuments) {
    maybeRetag(doc);
    startIfWanted(doc);
  }
  await lifecycle;
  return { indexStatus: () => indexStatus.view() };
}

export function deactivate(): Promise<void> | undefined {
  return stopClient();
}

// The status bar item of the workspace index: while the server indexes the workspace folders it
// says so (with the files indexed so far), then shows the folders' error count as `$(error) N`,
// with the warnings and the file count in its tooltip; clicking it opens the Problems view.
// It asks the server (`archive-lsp.showIndexStatus`) every few seconds, one request at a time.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { asStatus, render, type IndexStatus } from './indexStatusView';

export type { IndexStatus } from './indexStatusView';

/** The server's command answering the index counts (README, "Workspace"). */
export const SHOW_INDEX_STATUS = 'archive-lsp.showIndexStatus';
/** What clicking the item runs: VS Code's Problems view. */
export const PROBLEMS_COMMAND = 'workbench.actions.view.problems';
/** Between two polls while the index is being built (never less: no busy loop). */
export const POLL_INDEXING_MS = 2000;
/** Between two polls once it is built: edits and file changes move the counts slowly. */
export const POLL_IDLE_MS = 5000;

/** What the item shows, for tests (the extension's API) and for the item itself. */
export interface IndexStatusView {
  text: string;
  tooltip: string;
  command: string;
  visible: boolean;
  /** The last answer of the server, or null before the first one. */
  status: IndexStatus | null;
  /** Requests sent since the extension started, and when it started (ms since the epoch). */
  polls: number;
  since: number;
}

/** The status bar item, following one language client at a time. */
export class IndexStatusItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private client: LanguageClient | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Bumped by attach/detach, so a poll answered for an old client is dropped. */
  private generation = 0;
  private status: IndexStatus | null = null;
  private polls = 0;
  private readonly since = Date.now();
  private lastError = '';

  constructor(private readonly output: vscode.LogOutputChannel) {
    this.item = vscode.window.createStatusBarItem('archiveLsp.indexStatus', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'Archive LSP index';
    this.item.command = PROBLEMS_COMMAND;
  }

  /** Starts polling `client` (a started one) and shows the item. */
  attach(client: LanguageClient): void {
    this.detach();
    this.client = client;
    this.item.text = '$(sync~spin) Archive';
    this.item.tooltip = 'Archive LSP: asking the server for the index status';
    this.item.show();
    this.schedule(0);
  }

  /** Stops polling and hides the item (the server stopped). */
  detach(): void {
    this.generation++;
    this.client = undefined;
    this.status = null;
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.item.hide();
  }

  /** What the item shows now. */
  view(): IndexStatusView {
    return {
      text: this.item.text,
      tooltip: typeof this.item.tooltip === 'string' ? this.item.tooltip : '',
      command: PROBLEMS_COMMAND,
      visible: this.client !== undefined,
      status: this.status,
      polls: this.polls,
      since: this.since,
    };
  }

  dispose(): void {
    this.detach();
    this.item.dispose();
  }

  private schedule(ms: number): void {
    const generation = this.generation;
    this.timer = setTimeout(() => void this.poll(generation), ms);
  }

  /** One request; the next is scheduled only once it is answered, so polls never pile up. */
  private async poll(generation: number): Promise<void> {
    const client = this.client;
    if (client === undefined || generation !== this.generation) {
      return;
    }
    let status: IndexStatus | null = null;
    if (client.isRunning()) {
      this.polls++;
      try {
        status = asStatus(await client.sendRequest('workspace/executeCommand', { command: SHOW_INDEX_STATUS, arguments: [] }));
        this.lastError = '';
      } catch (e) {
        // Said once per distinct failure, not every few seconds.
        const msg = `${SHOW_INDEX_STATUS} failed: ${e instanceof Error ? e.message : String(e)}`;
        if (msg !== this.lastError) {
          this.output.appendLine(msg);
          this.lastError = msg;
        }
      }
    }
    if (generation !== this.generation) {
      return;
    }
    if (status !== null) {
      this.status = status;
      const { text, tooltip } = render(status);
      this.item.text = text;
      this.item.tooltip = tooltip;
    }
    // No files and not indexing is also what the server says just before its first scan starts.
    const settled = status !== null && !status.indexing && status.files > 0;
    this.schedule(settled ? POLL_IDLE_MS : POLL_INDEXING_MS);
  }
}

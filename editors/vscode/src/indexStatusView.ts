// What the index status item shows, from the server's answer: pure, so that the unit tests
// (which run without VS Code) check every state of it.

/** `archive-lsp.showIndexStatus`'s answer (the fields this item reads). */
export interface IndexStatus {
  files: number;
  errors: number;
  warnings: number;
  information: number;
  hints: number;
  indexedBytes: number;
  indexing: boolean;
  capped: boolean;
  cap: number;
}

/** `n` as the server's progress messages write counts: 1,200. */
export const count = (n: number): string => n.toLocaleString('en-US');

const plural = (n: number, one: string): string => `${count(n)} ${one}${n === 1 ? '' : 's'}`;

/** A reply that is not an object of numbers is no status: shown as unknown, never thrown. */
export function asStatus(reply: unknown): IndexStatus | null {
  if (typeof reply !== 'object' || reply === null) {
    return null;
  }
  const r = reply as Record<string, unknown>;
  const num = (k: string): number => (typeof r[k] === 'number' && Number.isFinite(r[k]) ? (r[k] as number) : 0);
  if (typeof r.files !== 'number' || typeof r.errors !== 'number') {
    return null;
  }
  return {
    files: num('files'),
    errors: num('errors'),
    warnings: num('warnings'),
    information: num('information'),
    hints: num('hints'),
    indexedBytes: num('indexedBytes'),
    indexing: r.indexing === true,
    capped: r.capped === true,
    cap: num('cap'),
  };
}

/** The item's text and tooltip for a status. */
export function render(status: IndexStatus): { text: string; tooltip: string } {
  const cap = status.capped ? `\nOnly the first ${count(status.cap)} files are indexed (the cap).` : '';
  if (status.indexing) {
    return {
      text: `$(sync~spin) Archive: ${count(status.files)}`,
      tooltip: `Archive LSP: indexing the workspace, ${plural(status.files, 'file')} so far.${cap}`,
    };
  }
  return {
    text: `$(error) ${count(status.errors)}`,
    tooltip:
      `Archive LSP: ${plural(status.errors, 'error')}, ${plural(status.warnings, 'warning')} in ` +
      `${plural(status.files, 'archive file')} of the workspace. Click for the Problems view.${cap}`,
  };
}


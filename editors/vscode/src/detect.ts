// Which opened documents are archive documents (FORMAT.md, "Which files").
//
// A `.txt` or `.md` file is one when it has a `<hr />` line followed later by an `Original:`
// line (trailing blanks allowed on both), or, for `.txt` only, when its first line (after a
// BOM) starts with `Title:` (a file being started). A MultiMarkdown `.md` that merely starts
// with `Title:` is not one.
//
// Kept free of the `vscode` module so the unit tests can run it under plain Node.

/** Lines of `text` as LSP counts them: LF, CRLF and CR end a line. */
function* lines(text: string): Generator<string> {
  const re = /\r\n|\r|\n/g;
  let start = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    yield text.slice(start, m.index);
    start = m.index + m[0].length;
  }
  yield text.slice(start);
}

/** The line's content without trailing blanks (spaces, tabs, other whitespace). */
function trimEnd(line: string): string {
  return line.replace(/\s+$/u, '');
}

/** True when `text` has a `<hr />` line followed later by an `Original:` line. */
export function hasSeparatorThenMarker(text: string): boolean {
  // Cheap pre-check: most plaintext/markdown files never contain the separator.
  if (!text.includes('<hr />') || !text.includes('Original:')) {
    return false;
  }
  let seenSeparator = false;
  for (const line of lines(text)) {
    const content = trimEnd(line);
    if (content === '<hr />') {
      seenSeparator = true;
    } else if (seenSeparator && content === 'Original:') {
      return true;
    }
  }
  return false;
}

/** True when the first line, after a BOM, starts with `Title:`. */
export function startsWithTitle(text: string): boolean {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  return body.startsWith('Title:');
}

/** The lower-cased extension of a path or file name, with its dot (`.md`), or ''. */
export function extensionOf(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
}

/**
 * Is the document named `fileName` with content `text` an archive document?
 * Only `.txt` and `.md` files qualify (FORMAT.md: "Which files").
 */
export function isArchiveDocument(fileName: string, text: string): boolean {
  const ext = extensionOf(fileName);
  if (ext === '.txt') {
    return startsWithTitle(text) || hasSeparatorThenMarker(text);
  }
  if (ext === '.md') {
    return hasSeparatorThenMarker(text);
  }
  return false;
}

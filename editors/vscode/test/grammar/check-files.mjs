// Runs the TextMate grammar (with vscode-textmate + vscode-oniguruma, the engine VS Code uses)
// over real archive files and checks that the key scopes land on the right lines.
//
// Files: the repository's seeds/*, tests/fixtures/invalid/* and every file of the shared corpus
// (env CORPUS_DIR, default: shared/corpus beside the repository). The corpus is read in place,
// never copied. Where a file's line is (by FORMAT.md's reading rules, applied here
// independently of the grammar) a header field, the separator, the marker, the original's title,
// date, page or column line, or a Named Entities line, the grammar must give it the matching
// scope; and no such scope may appear where the rules say there is none.
//
// Prints one line per failing file, then `SUMMARY grammar-files <passed> <failed> <skipped>`.
// Exit code: 0 when nothing failed.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const extRoot = path.resolve(here, '../..');
const repoRoot = path.resolve(extRoot, '../..');
const require = createRequire(path.join(extRoot, 'package.json'));
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const S = {
  headerKey: 'keyword.other.header-key.archive',
  date: 'constant.numeric.date.archive',
  page: 'constant.numeric.page.archive',
  separator: 'keyword.control.separator.archive',
  marker: 'keyword.control.marker.archive',
  original: 'meta.original.archive',
  titlePunct: 'punctuation.definition.heading.archive',
  title: 'entity.name.section.original-title.archive',
  dateLine: 'meta.date-line.archive',
  pageLine: 'meta.page-line.archive',
  columnLine: 'meta.column-line.archive',
  columnKey: 'keyword.other.column.archive',
  neHeading: 'markup.heading.named-entities.archive',
  neTerm: 'entity.name.term.archive',
  neTranslation: 'string.unquoted.translation.archive',
};

async function loadGrammar() {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer;
  await oniguruma.loadWASM(wasm);
  const grammarPath = path.join(extRoot, 'syntaxes/archive.tmLanguage.json');
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scope) =>
      scope === 'source.archive' ? vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath) : null,
  });
  return registry.loadGrammar('source.archive');
}

/** Tokenizes `lines`; returns per line a function col -> scopes[] and the token list. */
function tokenize(grammar, lines) {
  let stack = vsctm.INITIAL;
  const out = [];
  for (const line of lines) {
    const r = grammar.tokenizeLine(line, stack, 2000);
    if (r.stoppedEarly) {
      throw new Error(`tokenizing stopped early (time limit) on: ${JSON.stringify(line.slice(0, 60))}`);
    }
    stack = r.ruleStack;
    const tokens = r.tokens;
    out.push({
      tokens,
      at(col) {
        const t = tokens.find((x) => x.startIndex <= col && col < x.endIndex) ?? tokens[tokens.length - 1];
        return t ? t.scopes : [];
      },
      has(scope) {
        return tokens.some((t) => t.scopes.includes(scope));
      },
    });
  }
  return out;
}

const isBlank = (l) => /^\s*$/u.test(l);
const content = (l) => l.replace(/\s+$/u, '');
const HEADER_LINE = /^(Title|Author|Date|Page|Edition|Column):/;

/** FORMAT.md's structure of the file, read independently of the grammar. */
function readStructure(lines) {
  const s = { header: [], unknownHeader: [], separator: -1, marker: -1, title: -1, dateLine: -1, pageLine: -1, columnLine: -1, ne: -1, neEntries: [] };
  // Header: from the first non-blank line, header lines with blank lines between them.
  let i = 0;
  while (i < lines.length && isBlank(lines[i])) i++;
  // A line with an unknown `Key:` belongs to the header when the line right before or after
  // it is a (known) header line; it gets no key scope, but is not body text either.
  const ANY_KEY = /^[A-Za-z]+:/;
  for (; i < lines.length; i++) {
    if (HEADER_LINE.test(lines[i])) s.header.push(i);
    else if (ANY_KEY.test(lines[i]) && (HEADER_LINE.test(lines[i - 1] ?? '') || HEADER_LINE.test(lines[i + 1] ?? ''))) s.unknownHeader.push(i);
    else if (!isBlank(lines[i])) break;
  }
  s.marker = lines.findIndex((l) => content(l) === 'Original:');
  const end = s.marker === -1 ? lines.length : s.marker;
  for (let k = 0; k < end; k++) if (content(lines[k]) === '<hr />') s.separator = k;
  const englishEnd = s.separator === -1 ? end : s.separator;
  s.ne = lines.findIndex((l, k) => k < englishEnd && content(l) === '**Named Entities**');
  if (s.ne !== -1) {
    for (let k = s.ne + 1; k < englishEnd; k++) if (!isBlank(lines[k])) s.neEntries.push(k);
  }
  if (s.marker !== -1) {
    s.title = lines.findIndex((l, k) => k > s.marker && l.startsWith('### '));
    if (s.title !== -1) {
      for (let k = s.title + 1; k <= s.title + 4 && k < lines.length; k++) {
        const l = lines[k];
        if (/^\d{4}-\d{2}-\d{2}\s*$/.test(l) && s.dateLine === -1) s.dateLine = k;
        else if (/^第[0-9０-９]+版(?:[(（][^)）]*[)）])?\s*$/.test(l) && s.pageLine === -1) s.pageLine = k;
        else if (/^专栏[：:]/.test(l) && s.columnLine === -1) s.columnLine = k;
      }
    }
  }
  return s;
}

function checkFile(grammar, file) {
  const raw = fs.readFileSync(file, 'utf8');
  const text = raw.startsWith('\uFEFF') ? raw.slice(1) : raw; // VS Code drops the BOM too
  const lines = text.split(/\r\n|\r|\n/);
  const s = readStructure(lines);
  const tok = tokenize(grammar, lines);
  const problems = [];
  const expect = (line, col, scope, what) => {
    if (!tok[line].at(col).includes(scope)) {
      problems.push(`line ${line} col ${col}: ${what} should have ${scope}; has ${tok[line].at(col).join(' ')}`);
    }
  };
  const forbid = (line, scope, what) => {
    if (tok[line].has(scope)) problems.push(`line ${line}: ${what} must not have ${scope}`);
  };
  const headerSet = new Set(s.header);
  for (const h of s.header) {
    expect(h, 0, S.headerKey, 'header key');
    const m = /^(Date:\s*)(\d{4}-\d{2}-\d{2})\s*$/.exec(lines[h]);
    if (m) expect(h, m[1].length, S.date, 'header date');
    const p = /^((?:Page|Edition):\s*)\d+\s*$/.exec(lines[h]);
    if (p) expect(h, p[1].length, S.page, 'header page');
  }
  const englishEnd = s.marker === -1 ? lines.length : s.marker;
  for (let k = 0; k < englishEnd; k++) {
    if (!headerSet.has(k) && !s.unknownHeader.includes(k) && !(k > s.separator && s.separator !== -1)) {
      // A header-like line later in the English part only counts after a stray <hr /> (debris).
      const strayHr = lines.slice(0, k).some((l) => content(l) === '<hr />');
      if (!strayHr) forbid(k, S.headerKey, 'English body line');
    }
    forbid(k, S.original, 'line before the marker');
    for (const sc of [S.dateLine, S.pageLine, S.columnLine, S.marker]) forbid(k, sc, 'line before the marker');
    if (content(lines[k]) !== '<hr />') forbid(k, S.separator, 'non-separator line');
  }
  if (s.separator !== -1) expect(s.separator, 0, S.separator, 'separator');
  if (s.ne !== -1) {
    expect(s.ne, 0, S.neHeading, 'Named Entities heading');
    for (const k of s.neEntries) {
      const col = lines[k].search(/\S/);
      if (/\S(\t| {2,})\S/.test(lines[k])) {
        expect(k, col, S.neTerm, 'Named Entities term');
        expect(k, lines[k].length - 1, S.neTranslation, 'Named Entities translation');
      }
    }
  }
  if (s.marker !== -1) {
    expect(s.marker, 0, S.marker, 'marker');
    for (let k = s.marker; k < lines.length; k++) {
      expect(k, 0, S.original, 'original part');
      forbid(k, S.headerKey, 'original part');
      forbid(k, S.separator, 'original part');
    }
    if (s.title !== -1) {
      expect(s.title, 0, S.titlePunct, "original's title marker");
      if (lines[s.title].trim().length > 3) expect(s.title, 4, S.title, "original's title");
    }
    if (s.dateLine !== -1) expect(s.dateLine, 0, S.date, "original's date line");
    if (s.pageLine !== -1) expect(s.pageLine, 1, S.page, "original's page line");
    if (s.columnLine !== -1) expect(s.columnLine, 0, S.columnKey, "original's column line");
  }
  return { problems, structure: s };
}

function listDir(dir) {
  try {
    return fs
      .readdirSync(dir)
      .filter((f) => /\.(md|txt)$/i.test(f))
      .sort()
      .map((f) => path.join(dir, f));
  } catch {
    return null;
  }
}

async function main() {
  const grammar = await loadGrammar();
  const corpusDir = process.env.CORPUS_DIR ?? path.resolve(repoRoot, '../shared/corpus');
  const groups = [
    ['seeds', path.join(repoRoot, 'seeds')],
    ['fixtures', path.join(repoRoot, 'tests/fixtures/invalid')],
    ['corpus', corpusDir],
  ];
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const [name, dir] of groups) {
    const files = listDir(dir);
    if (files === null || files.length === 0) {
      console.log(`SKIP: ${name}: no .md/.txt files in ${dir} (absent?) — these grammar checks did not run`);
      skipped++;
      continue;
    }
    let groupFailed = 0;
    let markers = 0;
    for (const file of files) {
      let result;
      try {
        result = checkFile(grammar, file);
      } catch (e) {
        result = { problems: [String(e && e.stack ? e.stack : e)], structure: {} };
      }
      if (result.structure.marker !== -1) markers++;
      if (result.problems.length === 0) {
        passed++;
      } else {
        failed++;
        groupFailed++;
        console.log(`FAIL: ${path.relative(process.cwd(), file)}`);
        for (const p of result.problems.slice(0, 10)) console.log(`    ${p}`);
        if (result.problems.length > 10) console.log(`    … ${result.problems.length - 10} more`);
      }
    }
    console.log(`${name}: ${files.length} files (${markers} with an Original: marker), ${groupFailed} failed — ${dir}`);
  }
  console.log(`SUMMARY grammar-files ${passed} ${failed} ${skipped}`);
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  console.log('SUMMARY grammar-files 0 1 0');
  process.exit(1);
});

// Unit tests (node:test) for what needs no VS Code: the archive-document detection that
// re-tags .txt/.md documents, what the index status item shows, the language configuration's
// word pattern on Han text, and the manifest. Run after `npm run build:unit` (esbuild puts
// src/detect.ts and src/indexStatusView.ts into test/out/).

import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const extRoot = path.resolve(here, '../..');
const repoRoot = path.resolve(extRoot, '../..');
const require = createRequire(import.meta.url);
const { isArchiveDocument, hasSeparatorThenMarker } = require('../out/detect.js');
const { asStatus, render } = require('../out/indexStatusView.js');

const SEED = path.join(repoRoot, 'seeds/000_0d759123a74baf35.txt');
const seedText = fs.readFileSync(SEED, 'utf8');

test('the seed (.txt) is an archive document, and so is it as .md', () => {
  assert.equal(isArchiveDocument(SEED, seedText), true);
  assert.equal(isArchiveDocument('/x/2020-01-01_文章.md', seedText), true);
  assert.equal(isArchiveDocument('/x/UPPER.MD', seedText), true);
});

test('a .txt being started (first line Title:) is one; an .md starting with Title: is not', () => {
  assert.equal(isArchiveDocument('new.txt', 'Title: Something\n'), true);
  assert.equal(isArchiveDocument('new.txt', '\uFEFFTitle: Something\n'), true);
  assert.equal(isArchiveDocument('notes.md', 'Title: My MultiMarkdown note\nAuthor: me\n\nText.\n'), false);
  assert.equal(isArchiveDocument('new.txt', ' Title: indented\n'), false);
  assert.equal(isArchiveDocument('new.txt', 'Hello\nTitle: later\n'), false);
});

test('separator then marker, trailing blanks allowed, any line break', () => {
  for (const nl of ['\n', '\r\n', '\r']) {
    const text = ['# Notes', '', 'text', '<hr /> ', '', 'Original: \t', '', '### 标题', ''].join(nl);
    assert.equal(isArchiveDocument('a.md', text), true, JSON.stringify(nl));
  }
  assert.equal(hasSeparatorThenMarker('<hr />\nOriginal:'), true);
});

test('not an archive document: marker before separator, inline tags, leading blanks, no marker', () => {
  assert.equal(isArchiveDocument('a.md', 'Original:\n<hr />\n'), false);
  assert.equal(isArchiveDocument('a.md', 'see <hr /> here\nOriginal:\n'), false);
  assert.equal(isArchiveDocument('a.md', '  <hr />\nOriginal:\n'), false);
  assert.equal(isArchiveDocument('a.md', '<hr />\n  Original:\n'), false);
  assert.equal(isArchiveDocument('a.md', '<hr />\nOriginal: text\n'), false);
  assert.equal(isArchiveDocument('a.md', '<hr />\n\nNothing else\n'), false);
  assert.equal(isArchiveDocument('a.md', ''), false);
});

test('only .txt and .md files are re-tagged', () => {
  assert.equal(isArchiveDocument('a.rs', seedText), false);
  assert.equal(isArchiveDocument('a.markdown.bak', seedText), false);
  assert.equal(isArchiveDocument('Untitled-1', seedText), false);
  assert.equal(isArchiveDocument('.md', seedText), false);
});

test('every seed and every corpus file is detected', (t) => {
  const dirs = [path.join(repoRoot, 'seeds')];
  const corpus = process.env.CORPUS_DIR ?? path.resolve(repoRoot, '../shared/corpus');
  if (fs.existsSync(corpus)) dirs.push(corpus);
  else t.diagnostic(`corpus absent at ${corpus}: only seeds checked`);
  let n = 0;
  for (const dir of dirs) {
    for (const f of fs.readdirSync(dir).filter((x) => /\.(md|txt)$/.test(x))) {
      const file = path.join(dir, f);
      assert.equal(isArchiveDocument(file, fs.readFileSync(file, 'utf8')), true, file);
      n++;
    }
  }
  assert.ok(n >= 9, `only ${n} files found`);
});

test('the index status item: indexing, then the error count; counts with separators; the cap', () => {
  const status = (over) =>
    asStatus({ files: 0, errors: 0, warnings: 0, information: 0, hints: 0, indexedBytes: 0, indexing: false, capped: false, cap: 200000, ...over });
  const indexing = render(status({ files: 1200, indexing: true }));
  assert.equal(indexing.text, '$(sync~spin) Archive: 1,200');
  assert.match(indexing.tooltip, /indexing the workspace, 1,200 files so far/);
  const done = render(status({ files: 4000, errors: 1, warnings: 2345 }));
  assert.equal(done.text, '$(error) 1');
  assert.match(done.tooltip, /1 error, 2,345 warnings in 4,000 archive files/);
  assert.doesNotMatch(done.tooltip, /cap/);
  const capped = render(status({ files: 200000, errors: 12000, capped: true }));
  assert.equal(capped.text, '$(error) 12,000');
  assert.match(capped.tooltip, /Only the first 200,000 files are indexed \(the cap\)/);
});

test('an index status answer that is not one is no status, never a throw', () => {
  for (const reply of [null, undefined, 3, 'x', [], {}, { files: '1', errors: 0 }, { files: 1 }]) {
    assert.equal(asStatus(reply), null, JSON.stringify(reply));
  }
  // Fields that are missing or not finite numbers read as 0; flags only when `true`.
  const s = asStatus({ files: 2, errors: 1, warnings: Infinity, indexing: 'yes', capped: 1 });
  assert.deepEqual(
    [s.files, s.errors, s.warnings, s.hints, s.indexing, s.capped],
    [2, 1, 0, 0, false, false],
  );
});

test('the word pattern finds words in Han, pinyin and English text', () => {
  const conf = JSON.parse(fs.readFileSync(path.join(extRoot, 'language-configuration.json'), 'utf8'));
  // VS Code compiles it like this (adding the global flag).
  const re = new RegExp(conf.wordPattern.pattern, conf.wordPattern.flags + 'g');
  const words = (s) => s.match(re) ?? [];
  assert.deepEqual(words('及时总结和传播推广先进经验的经验'), ['及时总结和传播推广先进经验的经验']);
  assert.deepEqual(words('专栏：经济生活简评'), ['专栏', '经济生活简评']);
  assert.deepEqual(words('𠮷家庄修成新水渠'), ['𠮷家庄修成新水渠']);
  assert.deepEqual(words('一九五〇年'), ['一九五〇年']);
  assert.deepEqual(words('Rénmín Rìbào (People\'s Daily)'), ['Rénmín', 'Rìbào', "People's", 'Daily']);
  assert.deepEqual(words('Houses乱盖房屋 1952-08-03'), ['Houses', '乱盖房屋', '1952-08-03']);
  assert.deepEqual(words('第２版（）'), ['第', '２', '版']);
});

test('language configuration pairs include the CJK brackets and quotes', () => {
  const conf = JSON.parse(fs.readFileSync(path.join(extRoot, 'language-configuration.json'), 'utf8'));
  const pairs = conf.brackets.map((p) => p.join(''));
  for (const p of ['《》', '（）', '“”', '()']) assert.ok(pairs.includes(p), p);
});

test('the manifest contributes the language, grammar, settings and command', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(extRoot, 'package.json'), 'utf8'));
  assert.equal(pkg.name, 'archive-lsp');
  assert.equal(pkg.publisher, 'archive-lsp');
  assert.equal(pkg.engines.vscode, '^1.91.0');
  const lang = pkg.contributes.languages.find((l) => l.id === 'archive');
  assert.ok(lang && lang.aliases.length > 0 && fs.existsSync(path.join(extRoot, lang.configuration)));
  const grammar = pkg.contributes.grammars.find((g) => g.language === 'archive');
  assert.equal(grammar.scopeName, 'source.archive');
  assert.equal(JSON.parse(fs.readFileSync(path.join(extRoot, grammar.path), 'utf8')).scopeName, 'source.archive');
  const props = pkg.contributes.configuration.properties;
  assert.equal(props['archiveLsp.server.path'].default, '');
  assert.deepEqual(props['archiveLsp.trace.server'].enum, ['off', 'messages', 'verbose']);
  const cmd = pkg.contributes.commands.find((c) => c.command === 'archiveLsp.restartServer');
  assert.equal(`${cmd.category}: ${cmd.title}`, 'Archive LSP: Restart server');
  for (const e of ['onLanguage:archive', 'onLanguage:plaintext', 'onLanguage:markdown']) {
    assert.ok(pkg.activationEvents.includes(e), e);
  }
});

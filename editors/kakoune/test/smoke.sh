#!/usr/bin/env bash
# Headless Kakoune + kak-lsp smoke test of editors/kakoune/archive-lsp.kak.
#
# Runs a real Kakoune (dummy UI) with a kakrc made exactly as
# editors/README-editors.md says, opens a faulty copy of the seed, and checks
# through `kak -p` that kak-lsp shows the archive-lsp diagnostic with its code,
# that fixing the buffer clears it, that hover works, and that filetype
# detection picks archive files only. Prints PASS/FAIL lines and
# `kakoune: N passed, N failed, N skipped`; exit status 1 on failure.
#
# Needs: kak, kak-lsp on PATH; ARCHIVE_LSP_BIN; optional CORPUS_DIR.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=${ARCHIVE_LSP_REPO:-$(cd "$here/../../.." && pwd)}
bin=${ARCHIVE_LSP_BIN:-$repo/target/release/archive-lsp}
corpus=${CORPUS_DIR:-$(cd "$repo/.." && pwd)/shared/corpus}
seed=$repo/seeds/000_0d759123a74baf35.txt
timeout_s=${ARCHIVE_LSP_TEST_TIMEOUT:-20}

passed=0 failed=0 skipped=0
pass() { passed=$((passed + 1)); echo "PASS  $1"; }
failc() { failed=$((failed + 1)); echo "FAIL  $1${2:+  -- $2}"; }
check() { if [ "$2" = 0 ]; then pass "$1"; else failc "$1" "${3:-}"; fi; }

# A fresh HOME, XDG folders and TMPDIR: no user configuration, own session sockets; removed at
# the end (KEEP_TEST_HOME=1 keeps it). run.sh already runs this in a fresh test home; this keeps
# smoke.sh run on its own just as clean.
work=$(mktemp -d)
export HOME=$work TMPDIR=$work XDG_CONFIG_HOME=$work/.config XDG_RUNTIME_DIR=$work/run
export XDG_DATA_HOME=$work/.local/share XDG_STATE_HOME=$work/.local/state XDG_CACHE_HOME=$work/.cache
unset KAKOUNE_CONFIG_DIR # it would replace $XDG_CONFIG_HOME/kak, the kakrc below
mkdir -p "$XDG_CONFIG_HOME/kak" "$XDG_RUNTIME_DIR" "$work/files"
chmod 700 "$XDG_RUNTIME_DIR"

# The kakrc from the README (with the binary's path).
cat >"$XDG_CONFIG_HOME/kak/kakrc" <<EOF
eval %sh{kak-lsp}
source $repo/editors/kakoune/archive-lsp.kak
set-option global archive_lsp_command $bin
hook global WinSetOption filetype=archive %{ lsp-enable-window }
EOF

faulty=$work/files/faulty.txt
sed 's/^Date: 1952-08-03$/Date: 1953-01-15/' "$seed" >"$faulty"
printf 'Title: Meeting notes\n\nJust Markdown.\n' >"$work/files/notes.md"

session=archive-smoke-$$
kak_pid=
cleanup() {
  if [ -n "$kak_pid" ] && kill -0 "$kak_pid" 2>/dev/null; then
    echo 'evaluate-commands -client client0 %{ try lsp-exit }' | kak -p "$session" 2>/dev/null
    sleep 0.3
    echo 'kill!' | kak -p "$session" 2>/dev/null
    sleep 0.3
    kill "$kak_pid" 2>/dev/null
  fi
  # kak-lsp daemonizes: stop the one this session started, by its PID.
  if [ -n "${lsp_pid:-}" ] && kill -0 "$lsp_pid" 2>/dev/null; then kill "$lsp_pid" 2>/dev/null; fi
  if [ "${KEEP_TEST_HOME:-}" = 1 ]; then echo "kept $work (KEEP_TEST_HOME=1)" >&2; else rm -rf "$work" 2>/dev/null || { sleep 0.5; rm -rf "$work"; }; fi
}
trap cleanup EXIT

(cd "$work/files" && exec kak -ui dummy -s "$session" "$faulty") >"$work/kak.out" 2>&1 </dev/null &
kak_pid=$!

# q EXPR: evaluate EXPR (a Kakoune string) in client0 and print it.
q() {
  rm -f "$work/q"
  printf 'evaluate-commands -client client0 %%{ echo -to-file %s %s }\n' "$work/q" "$1" | kak -p "$session" 2>/dev/null || return 1
  for _ in $(seq 50); do [ -f "$work/q" ] && { cat "$work/q"; return 0; }; sleep 0.05; done
  return 1
}
# cmd COMMANDS: run Kakoune commands in client0.
cmd() { printf 'evaluate-commands -client client0 %%{ %s }\n' "$1" | kak -p "$session"; }
# wait_for EXPR REGEX: poll until the value of EXPR matches REGEX.
wait_for() {
  local deadline=$((SECONDS + timeout_s)) v
  while [ $SECONDS -lt $deadline ]; do
    v=$(q "$1") && printf '%s' "$v" | grep -Eq -- "$2" && return 0
    sleep 0.2
  done
  return 1
}
dump_buffer() { # dump_buffer NAME FILE
  rm -f "$2"
  printf 'evaluate-commands -buffer %s %%{ write -force %s }\n' "$1" "$2" | kak -p "$session" 2>/dev/null
  for _ in $(seq 50); do [ -s "$2" ] && return 0; sleep 0.05; done
  return 1
}

echo "archive-lsp Kakoune smoke test: $(dpkg-query -W -f='kakoune ${Version}' kakoune 2>/dev/null || echo kakoune), $(kak-lsp --version 2>/dev/null), server $bin"

wait_for '%val{client_list}' client0
check 'Kakoune session with a dummy UI client' $? "$(cat "$work/kak.out")"

wait_for '%opt{filetype}' '^archive$'
check 'faulty .txt: filetype is archive' $? "$(q '%opt{filetype}')"

wait_for '%opt{lsp_diagnostic_error_count}' '^1$'
check 'faulty .txt: kak-lsp shows 1 error from archive-lsp' $? "errors=$(q '%opt{lsp_diagnostic_error_count}')"

dump_buffer '*debug*' "$work/debug.txt"
lsp_pid=$(sed -n 's/.*kak-lsp server starting (PID=\([0-9]*\)).*/\1/p' "$work/debug.txt" | head -1)

# The diagnostics list, as `lsp-diagnostics` shows it: file:line:col: [error][source][code] message
cmd 'declare-option str toolsclient; set-option global toolsclient client0; lsp-diagnostics'
for _ in $(seq 40); do dump_buffer '*diagnostics*' "$work/diagnostics.txt" && break; sleep 0.25; done
grep -q '^faulty.txt:3:[0-9]*: \[error\]\[archive-lsp\]\[date-mismatch\]' "$work/diagnostics.txt" 2>/dev/null
check 'faulty .txt: lsp-diagnostics lists faulty.txt:3 [error][archive-lsp][date-mismatch]' $? "$(cat "$work/diagnostics.txt" 2>/dev/null)"
sed 's/^/      /' "$work/diagnostics.txt" 2>/dev/null | head -5

# Fix the Date line in the buffer; kak-lsp sends didChange (lsp-did-change is
# what its NormalIdle hook runs; a dummy UI never goes idle).
cmd "buffer $faulty; execute-keys 3gxHcDate:<space>1952-08-03<esc>; lsp-did-change"
wait_for '%opt{lsp_diagnostic_error_count} %opt{lsp_diagnostic_warning_count}' '^0 0$'
check 'faulty .txt: fixing Date in the buffer clears the diagnostics (0 errors, 0 warnings)' $? "$(q '%opt{lsp_diagnostic_error_count} %opt{lsp_diagnostic_warning_count}')"

# Hover on an original paragraph (line 27, byte column 8) into a *hover* buffer.
cmd "buffer $faulty; select 27.8,27.8; lsp-hover-buffer"
ok=1
for _ in $(seq 40); do
  if dump_buffer '*hover*' "$work/hover.txt" && grep -q 'Translation ¶2 of 4' "$work/hover.txt"; then ok=0; break; fi
  sleep 0.25
done
check 'hover (lsp-hover-buffer) on original line 27 shows "Translation ¶2 of 4"' $ok "$(head -c 300 "$work/hover.txt" 2>/dev/null)"

# Detection: a real corpus .md is archive (over Kakoune's markdown), other .md not.
corpus_file=$corpus/1946.08_1946-08-03_防止泼冷水.md
if [ -f "$corpus_file" ]; then
  cmd "edit %{$corpus_file}"
  wait_for '%val{bufname} %opt{filetype}' '防止泼冷水.md archive$'
  check 'corpus .md: filetype is archive' $? "$(q '%val{bufname} %opt{filetype}')"
  wait_for '%opt{lsp_servers}' '^\[archive-lsp\]'
  check 'corpus .md: archive-lsp configured for the buffer' $? "$(q '%opt{lsp_servers}')"
  # Original paragraph 2 (line 29) -> English paragraph 2 of 6.
  cmd "buffer %{$corpus_file}; select 29.8,29.8; lsp-hover-buffer"
  ok=1
  for _ in $(seq 40); do
    if dump_buffer '*hover*' "$work/hover2.txt" && grep -q 'Translation ¶2 of 6' "$work/hover2.txt"; then ok=0; break; fi
    sleep 0.25
  done
  check 'corpus .md: hover on original line 29 shows "Translation ¶2 of 6"' $ok "$(head -c 300 "$work/hover2.txt" 2>/dev/null)"
else
  skipped=$((skipped + 1)); echo "SKIP  corpus .md  -- no $corpus_file (set CORPUS_DIR)"
fi
cmd "edit %{$work/files/notes.md}"
wait_for '%val{bufname}' 'notes.md$' && [ "$(q '%opt{filetype}')" != archive ]
check 'MultiMarkdown .md starting with Title: is not archive' $? "$(q '%opt{filetype}')"

echo "kakoune: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# Headless Emacs + eglot smoke test of editors/emacs/archive-lsp.el.
#
#   editors/emacs/test/run.sh
#
# Installs Debian's emacs-nox and elpa-eglot with apt when missing (needs root),
# builds target/release/archive-lsp when missing, runs smoke.el in
# `emacs --batch -Q` and ends with `emacs: N passed, N failed, N skipped`.
#
# Emacs (even `emacs --version`) runs with a HOME, XDG folders and TMPDIR of its own, made fresh
# for this run and removed at its end (editors/test-env.sh): a user's ~/.emacs.d or
# ~/.config/emacs (user-emacs-directory: eln-cache, elpa, auto-save lists) stays out of the
# result, and nothing the run writes there lands in the user's HOME.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
test_env_name=emacs
. "$repo/editors/test-env.sh"

fail() {
  echo "emacs: $*" >&2
  echo "emacs: 0 passed, 1 failed"
  exit 1
}

t0=$(date +%s)
have_eglot() { compgen -G "/usr/share/emacs/site-lisp/elpa/eglot-*" >/dev/null; }
if ! command -v emacs >/dev/null || ! have_eglot; then
  echo "emacs: installing emacs-nox elpa-eglot (apt)"
  export DEBIAN_FRONTEND=noninteractive
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq emacs-nox elpa-eglot >/dev/null 2>&1 ||
    { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq emacs-nox elpa-eglot >/dev/null; } ||
    fail "apt-get install emacs-nox elpa-eglot failed"
fi
have_eglot || fail "eglot not found under /usr/share/emacs/site-lisp/elpa"
echo "emacs: using $(in_test_home emacs --version 2>&1 </dev/null | grep -m1 -E 'Emacs [0-9]') ($(( $(date +%s) - t0 ))s)"

export ARCHIVE_LSP_BIN=${ARCHIVE_LSP_BIN:-$repo/target/release/archive-lsp}
if [ ! -x "$ARCHIVE_LSP_BIN" ]; then
  echo "emacs: building the release binary (cargo build --release)"
  (cd "$repo" && cargo build --release) || fail "cargo build --release failed"
fi
[ -x "$ARCHIVE_LSP_BIN" ] || fail "no server binary at $ARCHIVE_LSP_BIN"

export ARCHIVE_LSP_REPO="$repo"
export CORPUS_DIR=${CORPUS_DIR:-$(cd "$repo/.." && pwd)/shared/corpus}
enter_test_home
log=$TMPDIR
t1=$(date +%s)
timeout 400 emacs --batch -Q -l "$here/smoke.el" >"$log/out" 2>"$log/err" </dev/null
rc=$?
cat "$log/out"
echo "emacs: test took $(( $(date +%s) - t1 ))s (exit $rc)"
summary=$(grep -E '^emacs: [0-9]+ passed, [0-9]+ failed' "$log/out" | tail -1)
if [ $rc -ne 0 ] || [ -z "$summary" ]; then
  echo "--- emacs stderr ---"; tail -40 "$log/err"
fi
if [ -z "$summary" ]; then
  echo "emacs: 0 passed, 1 failed"
  exit 1
fi
echo "$summary"
[ $rc -eq 0 ] && echo "$summary" | grep -q ' 0 failed'

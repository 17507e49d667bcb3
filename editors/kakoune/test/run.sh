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
#
# Kakoune and kak-lsp (even `kak-lsp --version`) run with a HOME, XDG folders and TMPDIR of
# their own, made fresh for this run and removed at its end (editors/test-env.sh): the user's
# ~/.config/kak and ~/.config/kak-lsp stay out of the result. `cargo install` runs with the
# user's CARGO_HOME and RUSTUP_HOME.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
test_env_name=kakoune
. "$repo/editors/test-env.sh"
cache=$ARCHIVE_EDITORS_CACHE
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

# kak-lsp: one on PATH with the tested major version, else the cached build. The version is
# looked for anywhere in the output of `kak-lsp --version` (22.0.0 prints `22.0.0`).
if ! command -v kak-lsp >/dev/null || ! prints_version "${kak_lsp_version%%.*}." kak-lsp --version; then
  kak_lsp_root="$cache/kak-lsp-$kak_lsp_version"
  export PATH="$kak_lsp_root/bin:$PATH"
  if ! [ -x "$kak_lsp_root/bin/kak-lsp" ] || ! prints_version "$kak_lsp_version" "$kak_lsp_root/bin/kak-lsp" --version; then
    echo "kakoune: building kak-lsp $kak_lsp_version (cargo install --locked; a few minutes)"
    t=$(date +%s)
    # --force: a broken or other-version binary left in the cache root is rebuilt, not kept.
    cargo install --quiet --locked --force kak-lsp --version "$kak_lsp_version" --root "$kak_lsp_root" ||
      fail "cargo install kak-lsp failed"
    prints_version "$kak_lsp_version" "$kak_lsp_root/bin/kak-lsp" --version ||
      fail "$kak_lsp_root/bin/kak-lsp --version does not say $kak_lsp_version: $(in_test_home "$kak_lsp_root/bin/kak-lsp" --version 2>&1 </dev/null | head -3)"
    echo "kakoune: kak-lsp built in $(( $(date +%s) - t ))s"
  fi
fi
echo "kakoune: using kakoune $(dpkg-query -W -f='${Version}' kakoune 2>/dev/null), kak-lsp $(in_test_home kak-lsp --version 2>&1 </dev/null | grep -m1 -oE '[0-9]+(\.[0-9]+)+') ($(( $(date +%s) - t0 ))s)"

export ARCHIVE_LSP_BIN=${ARCHIVE_LSP_BIN:-$repo/target/release/archive-lsp}
if [ ! -x "$ARCHIVE_LSP_BIN" ]; then
  echo "kakoune: building the release binary (cargo build --release)"
  (cd "$repo" && cargo build --release) || fail "cargo build --release failed"
fi
[ -x "$ARCHIVE_LSP_BIN" ] || fail "no server binary at $ARCHIVE_LSP_BIN"

export ARCHIVE_LSP_REPO="$repo"
export CORPUS_DIR=${CORPUS_DIR:-$(cd "$repo/.." && pwd)/shared/corpus}
enter_test_home
t1=$(date +%s)
out=$TMPDIR/smoke.out
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

#!/usr/bin/env bash
# Runs the terminal-editor tests in sequence: Neovim (e2e), Emacs + eglot
# (smoke), Kakoune + kak-lsp (smoke). Each installs what it needs when missing.
#
#   editors/test-terminal-editors.sh            # all three
#   editors/test-terminal-editors.sh nvim emacs # a subset
#
# Builds target/release/archive-lsp once if missing. Ends with
# `editors: N passed, N failed, N skipped` (sums of the three) and exits
# non-zero if any suite failed.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
suites=("$@")
[ ${#suites[@]} -eq 0 ] && suites=(nvim emacs kakoune)

export ARCHIVE_LSP_BIN=${ARCHIVE_LSP_BIN:-$repo/target/release/archive-lsp}
if [ ! -x "$ARCHIVE_LSP_BIN" ]; then
  echo "editors: building the release binary (cargo build --release)"
  (cd "$repo" && cargo build --release) || { echo "editors: 0 passed, 1 failed"; exit 1; }
fi

total_p=0 total_f=0 total_s=0 status=0
for s in "${suites[@]}"; do
  echo "=== $s ==="
  t=$(date +%s)
  out=$(mktemp)
  "$here/$s/test/run.sh" 2>&1 | tee "$out"
  rc=${PIPESTATUS[0]}
  line=$(grep -E "^$s: [0-9]+ passed, [0-9]+ failed" "$out" | tail -1)
  p=$(echo "$line" | sed -n 's/.* \([0-9]*\) passed.*/\1/p')
  f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
  k=$(echo "$line" | sed -n 's/.* \([0-9]*\) skipped.*/\1/p')
  [ -z "$line" ] && f=1
  total_p=$((total_p + ${p:-0})) total_f=$((total_f + ${f:-0})) total_s=$((total_s + ${k:-0}))
  if [ "$rc" -ne 0 ]; then status=1; [ "${f:-0}" -eq 0 ] && total_f=$((total_f + 1)); fi
  echo "=== $s: exit $rc in $(( $(date +%s) - t ))s ==="
  rm -f "$out"
done
echo "editors: $total_p passed, $total_f failed, $total_s skipped"
exit $status

#!/usr/bin/env bash
# The one test command (see README): builds what the tests need, then runs every suite.
# Rust: format, lints, doc links, unit + integration tests (debug, with the test-only panic
# trigger), heavy tests against the release binary. Editors: Neovim, Emacs, VS Code end to end.
# Set SKIP_EDITORS=1 to run the Rust suites only.
set -uo pipefail
cd "$(dirname "$0")/.."

failed=()
step() {
    local name=$1
    shift
    echo
    echo "=== $name: $*"
    local t0=$SECONDS
    if "$@"; then
        echo "=== $name: ok ($((SECONDS - t0)) s)"
    else
        echo "=== $name: FAILED ($((SECONDS - t0)) s)"
        failed+=("$name")
    fi
}

step fmt cargo fmt --check
step clippy cargo clippy --all-targets --all-features -- -D warnings
step doc env RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --all-features
step build-release cargo build --release
step cargo-test cargo test --all-features
if [ "${SKIP_EDITORS:-0}" != 1 ]; then
    for suite in editors/*/test/run.sh; do
        [ -x "$suite" ] && step "$(basename "$(dirname "$(dirname "$suite")")")" "$suite"
    done
fi

echo
if ((${#failed[@]})); then
    echo "FAILED: ${failed[*]}"
    exit 1
fi
echo "all test suites passed"

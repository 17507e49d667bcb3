# Sourced (not run) by every editors/*/test/run.sh: gives the editor under test a HOME and XDG
# folders of its own, made fresh for the run and removed at its end, so that neither an earlier
# run nor the user's own configuration changes the result, and the run leaves nothing behind.
#
#   test_env_name=vscode   # optional: names the temporary folder
#   . "$repo/editors/test-env.sh"
#
# Sourcing it
#   - exports CARGO_HOME and RUSTUP_HOME with their real values (default ~/.cargo, ~/.rustup), so
#     cargo and rustup still find the toolchain whatever HOME is later;
#   - exports ARCHIVE_EDITORS_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/archive-lsp-editors,
#     of the real HOME): where downloaded or built tools (Neovim, kak-lsp) are cached. That cache,
#     editors/*/.cache and the download caches of npm and pip (~/.npm, ~/.cache/pip) are the only
#     things a test run writes into the user's HOME;
#   - makes test_home, a fresh folder holding home/ and tmp/, removed when the sourcing shell
#     exits (KEEP_TEST_HOME=1 keeps it and says where).
#
# Functions
#   enter_test_home          exports HOME=$test_home/home, XDG_CONFIG_HOME, XDG_DATA_HOME,
#                            XDG_STATE_HOME, XDG_CACHE_HOME (its .config, .local/share,
#                            .local/state, .cache) and TMPDIR=$test_home/tmp; unsets the variables
#                            that point an editor at a configuration of the user's; npm keeps
#                            reading the user's ~/.npmrc.
#   in_test_home CMD...      runs CMD (a command or function) in a subshell that entered it.
#   prints_version V CMD...  true if CMD, run in the test home, prints version V anywhere in its
#                            output (stdout or stderr, any line), as a word of its own: 4.139.1
#                            matches "[…] info Wrote …\n4.139.1 abc with Code 1.139.1" but not
#                            14.139.1, 4.139.10 or /x/code-server-4.139.1/; CMD must exit 0.
#                            A V ending in "." is a prefix: "24." matches v24.11.0, "0.11."
#                            matches "NVIM v0.11.4". A leading v in the output is optional.
#
# Installs (apt, npm, pip, cargo install) stay outside the test home: they use the user's own
# registry settings and download caches, as they would for any other project.

# An XDG variable that is set but empty counts as unset (the XDG spec says so).
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
export ARCHIVE_EDITORS_CACHE="${ARCHIVE_EDITORS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/archive-lsp-editors}"
real_home=$HOME

test_home=$(mktemp -d "${TMPDIR:-/tmp}/archive-lsp-${test_env_name:-editor}.XXXXXX") || {
  echo "test-env.sh: cannot make a temporary folder under ${TMPDIR:-/tmp}" >&2
  exit 1
}
mkdir -p "$test_home/home/.config" "$test_home/home/.local/share" "$test_home/home/.local/state" \
  "$test_home/home/.cache" "$test_home/tmp"

remove_test_home() {
  [ -n "${test_home:-}" ] && [ -d "$test_home" ] || return 0
  if [ "${KEEP_TEST_HOME:-}" = 1 ]; then
    echo "test-env.sh: kept $test_home (KEEP_TEST_HOME=1)" >&2
    return 0
  fi
  rm -rf "$test_home" 2>/dev/null || { chmod -R u+w "$test_home" 2>/dev/null; rm -rf "$test_home"; }
}
trap remove_test_home EXIT

enter_test_home() {
  export HOME="$test_home/home"
  export XDG_CONFIG_HOME="$HOME/.config" XDG_DATA_HOME="$HOME/.local/share"
  export XDG_STATE_HOME="$HOME/.local/state" XDG_CACHE_HOME="$HOME/.cache"
  export TMPDIR="$test_home/tmp"
  # Each of these would point an editor at a configuration or instance outside the test home.
  unset CODE_SERVER_CONFIG VSCODE_IPC_HOOK_CLI KAKOUNE_CONFIG_DIR NVIM_APPNAME VIMINIT MYVIMRC
  # npm and npx (the VS Code build and test steps) keep the user's settings (registry, CA file,
  # update-notifier), as the installs had them; their logs go to the test home's ~/.npm.
  if [ -z "${npm_config_userconfig:-}${NPM_CONFIG_USERCONFIG:-}" ] && [ -f "$real_home/.npmrc" ]; then
    export npm_config_userconfig="$real_home/.npmrc"
  fi
}

in_test_home() { (enter_test_home && "$@"); }

prints_version() {
  local want=$1 re out
  shift
  re=$(printf '%s' "$want" | sed 's/[.[\*^$]/\\&/g')
  if [ "${want%.}" != "$want" ]; then
    re="$re[0-9]"
  else
    re="$re(\$|[^0-9.]|\\.(\$|[^0-9]))"
  fi
  # The command must succeed: "timeout: failed to run command '…/nvim-0.11.4/…/nvim'" names
  # the version too. And the version must stand as a word (after a blank, a bracket or a quote,
  # optionally with a v), not inside a path such as …/kak-lsp-22.0.0/bin.
  out=$(in_test_home timeout 60 "$@" 2>&1 </dev/null) || return 1
  printf '%s\n' "$out" | grep -Eq "(^|[[:space:]([\"'])v?$re"
}

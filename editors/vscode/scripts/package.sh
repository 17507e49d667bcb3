#!/usr/bin/env bash
# Builds the extension and packages it with the archive-lsp binary into a .vsix for this
# platform: editors/vscode/archive-lsp-<target>-<version>.vsix.
#
# The binary is $ARCHIVE_LSP_BIN (default: the repository's target/release/archive-lsp).
# Needs `npm ci` done. Prints the .vsix path as its last line.
set -euo pipefail
ext_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ext_dir"
bin="${ARCHIVE_LSP_BIN:-../../target/release/archive-lsp}"
if [[ ! -x "$bin" ]]; then
  echo "package.sh: no executable archive-lsp at $bin (build it with cargo build --release, or set ARCHIVE_LSP_BIN)" >&2
  exit 1
fi

# vsce's platform name for this machine (linux-x64, darwin-arm64, win32-x64, alpine-x64, …).
target="$(node -e '
  const fs = require("fs");
  let p = process.platform;
  if (p === "linux" && fs.existsSync("/etc/alpine-release")) p = "alpine";
  console.log(`${p}-${process.arch}`);
')"
version="$(node -p 'require("./package.json").version')"

npx --no-install tsc --noEmit -p .
npm run -s build

rm -rf server
mkdir -p server
cp "$bin" server/archive-lsp
chmod 755 server/archive-lsp
node -e '
  const fs = require("fs");
  fs.writeFileSync("server/platform.json", JSON.stringify({
    platform: process.platform, arch: process.arch, version: process.argv[1]
  }, null, 2) + "\n");
' "$("$bin" --version 2>/dev/null || echo unknown)"

out="archive-lsp-${target}-${version}.vsix"
rm -f "$out"
npx --no-install vsce package --no-dependencies --allow-missing-repository \
  --target "$target" --out "$out" </dev/null
echo "$ext_dir/$out"

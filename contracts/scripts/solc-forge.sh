#!/usr/bin/env bash
# solc for forge, backed by the pinned npm solc (solc-js), so forge needs no compiler download.
# forge asks `--version` (it reads the `Version:` line), then passes standard JSON on stdin.
# solcjs prints a `>>>` notice before the JSON and may exit before a pipe drains, so its output goes
# through a file.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
solcjs="$here/node_modules/solc/solc.js"
for arg in "$@"; do
    if [ "$arg" = "--version" ]; then
        echo "solc, the solidity compiler commandline interface"
        echo "Version: $(node -e "process.stdout.write(require('$here/node_modules/solc').version())")"
        exit 0
    fi
done
base="$here"
while [ $# -gt 0 ]; do
    case "$1" in
        --base-path) base="$2"; shift 2 ;;
        *) shift ;;
    esac
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat >"$work/in.json"
node "$solcjs" --standard-json --base-path "$base" <"$work/in.json" >"$work/out.json"
grep -v '^>>>' "$work/out.json"

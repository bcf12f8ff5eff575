#!/usr/bin/env bash
# Installs the npm packages pinned in package-lock.json, skipped when node_modules already matches it.
# `npm install` rather than `npm ci`: the lock cannot list forge's and anvil's binaries for platforms the
# registry does not serve, and `npm ci` refuses such a lock; with a lock present `npm install` installs
# exactly its versions.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=node_modules/.tollgate-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x node_modules/.bin/forge ] && [ -x node_modules/.bin/anvil ]; then
    exit 0
fi
npm install --no-audit --no-fund --loglevel=error
node_modules/.bin/forge --version >/dev/null && node_modules/.bin/anvil --version >/dev/null
sha256sum package-lock.json | cut -d' ' -f1 >"$stamp"

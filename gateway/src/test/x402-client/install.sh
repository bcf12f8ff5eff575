#!/usr/bin/env bash
# Installs the x402 clients pinned in package-lock.json, skipped when node_modules already matches it (as
# web-ui/scripts/npm-install.sh).
set -euo pipefail
cd "$(dirname "$0")"
stamp=node_modules/.tollgate-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    exit 0
fi
npm install --no-audit --no-fund --loglevel=error
sha256sum package-lock.json | cut -d' ' -f1 >"$stamp"

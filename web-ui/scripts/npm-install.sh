#!/usr/bin/env bash
# Installs the npm packages pinned in package-lock.json, skipped when node_modules already matches it
# (`npm install` with a lock installs exactly its versions; see contracts/scripts/npm-ci.sh for why not `npm ci`).
# Usage: npm-install.sh [folder with package-lock.json; default web-ui/]
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"
stamp=node_modules/.tollgate-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    exit 0
fi
npm install --no-audit --no-fund --loglevel=error
sha256sum package-lock.json | cut -d' ' -f1 >"$stamp"

#!/usr/bin/env bash
# Runs the forge tests offline with the pinned npm solc (see foundry.toml). Extra args go to forge.
set -euo pipefail
cd "$(dirname "$0")/.."
exec node_modules/.bin/forge test --offline "$@"

#!/usr/bin/env bash
# Compiles the Solidity sources with the pinned npm solc into OUT (default target/solidity).
set -euo pipefail
cd "$(dirname "$0")/.."
exec node scripts/compile.mjs "${1:-target/solidity}"

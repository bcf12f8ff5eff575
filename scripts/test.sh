#!/usr/bin/env bash
# Runs the whole test suite: Solidity (forge), Java unit and integration tests against real
# PostgreSQL, Redis, anvil and headless Chromium, then a smoke test of the embedded demo.
# Installs what a fresh machine lacks (Debian packages; npm packages come from the lock files).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$tollgate_root"

tollgate_require_jdk25
tollgate_ensure_packages chromium chromium-driver docker-compose redis-server postgresql-client
tollgate_require_commands mvn npm node
tollgate_ensure_services

mvn -B -ntp verify "$@"
scripts/compose-check.sh
scripts/demo-smoke.sh

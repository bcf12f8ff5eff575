#!/usr/bin/env bash
# The long fault, load and abuse scenarios (the quick ones run in every `mvn verify`, see docs/reliability.md):
#   1. the process-level crash scenarios at a larger scale: a gateway killed with SIGKILL, then its Redis, three
#      times each under paid load from 32 clients (GatewayKillTest, RedisKillTest with more kills and answers);
#   2. the refusal paths under a flood (gateway/bench/flood.sh);
#   3. the 10-minute soak at half the measured maximum paid throughput (gateway/bench/soak.sh).
# Prints each scenario's figures (lines starting with FAULTS, then the scripts' own summaries).
#
# Env: TOLLGATE_SKIP_BUILD=1 (reuse built jars), FAULTS_KILLS (3), FAULTS_REQUESTS (answers per phase, 5000),
#      FAULTS_CLIENTS (32), SKIP_SOAK=1, SKIP_FLOOD=1, and the scripts' own (SOAK_DURATION, DURATION, …).
# Command: scripts/faults.sh   (about 20 minutes on 2 cores)
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$tollgate_root"
tollgate_require_jdk25
tollgate_ensure_packages wrk redis-server postgresql-client
tollgate_require_commands mvn wrk redis-server
tollgate_ensure_services

if [ "${TOLLGATE_SKIP_BUILD:-0}" != 1 ]; then
    tollgate_log "building (mvn install, tests skipped)"
    mvn -B -q -ntp -DskipTests install
fi

log="$(mktemp -t tollgate-faults.XXXXXX.log)"
tollgate_log "crash scenarios at scale (log: $log)"
mvn -B -ntp -pl gateway surefire:test -Dtest='GatewayKillTest,RedisKillTest' -Dsurefire.failIfNoSpecifiedTests=false \
    -Dtollgate.faults.kills="${FAULTS_KILLS:-3}" -Dtollgate.faults.requests="${FAULTS_REQUESTS:-5000}" \
    -Dtollgate.faults.clients="${FAULTS_CLIENTS:-32}" >"$log" 2>&1 || { grep -E 'FAULTS|Tests run|FAIL' "$log"; exit 1; }
grep -E '^FAULTS' "$log"

[ "${SKIP_FLOOD:-0}" = 1 ] || gateway/bench/flood.sh
[ "${SKIP_SOAK:-0}" = 1 ] || gateway/bench/soak.sh

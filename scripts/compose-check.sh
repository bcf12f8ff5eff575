#!/usr/bin/env bash
# Checks docker-compose.yml without a Docker engine: `docker-compose config` must accept it, it must
# run the production topology, Redis must fsync its append-only file, and every image it builds must
# have a Dockerfile.
set -uo pipefail
source "$(dirname "$0")/env.sh"
cd "$tollgate_root"
tollgate_ensure_packages docker-compose

passed=0 failed=0
check() {
    local what=$1; shift
    if "$@"; then passed=$((passed + 1)); echo "  ok   $what"; else failed=$((failed + 1)); echo "  FAIL $what"; fi
}
export TOLLGATE_DB_PASSWORD=compose-check
export TOLLGATE_GATEWAY_CREDENTIAL=compose-check-gateway-credential-0123456789
export TOLLGATE_MONITOR_CREDENTIAL=compose-check-monitor-credential-0123456789
config=$(docker-compose -f docker-compose.yml config 2>&1)
check "docker-compose config accepts the file" docker-compose -f docker-compose.yml config -q
services=$(docker-compose -f docker-compose.yml config --services 2>/dev/null | sort | tr '\n' ' ')
check "it runs postgres, redis, chain, gateway, marketplace, monitor, upstream, loadbalancer (has: $services)" \
    test "$services" = "chain gateway loadbalancer marketplace monitor postgres redis upstream "
check "the SLA monitor reads the shared database and the marketplace's feed, its keys come from the environment" \
    bash -c 'grep -A40 "^  monitor:" <<<"$0" | grep -q "SPRING_DATASOURCE_URL: jdbc:postgresql://postgres" \
        && grep -A40 "^  monitor:" <<<"$0" | grep -q "TOLLGATE_MONITOR_MARKETPLACE_URL: http://marketplace" \
        && ! grep -qE "TOLLGATE_(MONITOR_KEYS|SUBMITTER_KEY): *[0-9a-fA-F]{64}" docker-compose.yml' "$config"
check "redis keeps an append-only file fsynced on every write" \
    bash -c 'grep -A3 -- "--appendonly" <<<"$0" | grep -q always' "$config"
check "the database password is not committed: compose refuses to start without it" \
    bash -c 'env -u TOLLGATE_DB_PASSWORD docker-compose -f docker-compose.yml config -q 2>/dev/null; test $? -ne 0'
for dir in gateway marketplace-api monitor examples/upstream; do
    check "$dir has a Dockerfile" test -f "$dir/Dockerfile"
done
echo "compose-check: $passed passed, $failed failed"
[ "$failed" = 0 ]

#!/usr/bin/env bash
# Smoke test of scripts/demo.sh: starts the demo on spare ports from the jars the build just made,
# checks that a request through the gateway reaches the example API and that the UI loads, then
# sends SIGINT (what Ctrl-C sends) and checks that nothing it started is left running or listening.
set -uo pipefail
source "$(dirname "$0")/env.sh"
cd "$tollgate_root"

# TOLLGATE_SMOKE_PORT_OFFSET moves every port by that much (two smoke tests on one machine)
offset=${TOLLGATE_SMOKE_PORT_OFFSET:-0}
export TOLLGATE_GATEWAY_PORT=$((18080 + offset)) TOLLGATE_UPSTREAM_PORT=$((18081 + offset))
export TOLLGATE_MARKETPLACE_PORT=$((18090 + offset)) TOLLGATE_CHAIN_PORT=$((18545 + offset))
export TOLLGATE_REDIS_PORT=$((16380 + offset)) TOLLGATE_POSTGRES_PORT=$((16432 + offset))
export TOLLGATE_MONITOR_PORT=$((18095 + offset))
gw=$TOLLGATE_GATEWAY_PORT mp=$TOLLGATE_MARKETPLACE_PORT pg=$TOLLGATE_POSTGRES_PORT mon=$TOLLGATE_MONITOR_PORT
export TOLLGATE_SKIP_BUILD=${TOLLGATE_SKIP_BUILD:-1}
export TOLLGATE_DEMO_DIR
TOLLGATE_DEMO_DIR=$(mktemp -d /tmp/tollgate-demo-smoke.XXXXXX)
out="$TOLLGATE_DEMO_DIR/demo.out"
ports=("$TOLLGATE_GATEWAY_PORT" "$TOLLGATE_UPSTREAM_PORT" "$TOLLGATE_MARKETPLACE_PORT" "$TOLLGATE_CHAIN_PORT"
    "$TOLLGATE_REDIS_PORT" "$TOLLGATE_POSTGRES_PORT" "$TOLLGATE_MONITOR_PORT")
passed=0 failed=0
check() { # description, command...
    local what=$1; shift
    if "$@"; then passed=$((passed + 1)); echo "  ok   $what"; else failed=$((failed + 1)); echo "  FAIL $what"; fi
}
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

echo "demo smoke test (state in $TOLLGATE_DEMO_DIR)"
# job control: the demo gets its own process group, as a terminal's foreground job has, and SIGINT
# is not ignored in it (it would be for a plain background job of a script)
set -m
scripts/demo.sh >"$out" 2>&1 &
demo=$!
set +m
ready=0
for _ in $(seq 1 480); do
    grep -q "tollgate demo ready" "$out" && { ready=1; break; }
    kill -0 "$demo" 2>/dev/null || break
    sleep 0.5
done
check "demo starts and prints its URLs" test $ready = 1
if [ $ready = 1 ]; then
    check "a request through the gateway reaches the example API" \
        bash -c "curl -fsS http://127.0.0.1:$gw/example/weather/berlin | grep -qi berlin"
    check "a marketplace listing is a paid route of the gateway: 402 problem+json without a voucher" bash -c '
        for _ in $(seq 1 60); do
            curl -sS -D - -o /tmp/tollgate-smoke-402.json http://127.0.0.1:$0/weather/weather/berlin 2>/dev/null \
                | grep -qi "content-type: application/problem+json" && grep -q "payment-required" /tmp/tollgate-smoke-402.json && exit 0
            sleep 0.5
        done
        exit 1' "$gw"
    check "the client library pays for calls through the gateway with the demo channel" bash -c '
        out=$(scripts/demo-call.sh 2 2>&1); echo "$out" | tail -n 2
        [ "$(echo "$out" | grep -c "^200 accepted-count=")" = 2 ]'
    check "the gateway records the paid calls' usage in the shared database" bash -c '
        for _ in $(seq 1 40); do
            n=$(psql -h 127.0.0.1 -p $0 -U postgres -d postgres -tAc "select coalesce(sum(requests), 0) from gateway_usage_minute" 2>/dev/null)
            [ "${n:-0}" -ge 2 ] && exit 0
            sleep 0.5
        done
        exit 1' "$pg"
    check "the marketplace's chain indexer has the demo channel and its deposit" bash -c '
        for _ in $(seq 1 40); do
            n=$(psql -h 127.0.0.1 -p $0 -U postgres -d postgres -tAc "select count(*) from chain_event where name in ('"'"'ChannelCreated'"'"', '"'"'Deposited'"'"')" 2>/dev/null)
            [ "${n:-0}" -ge 2 ] && exit 0
            sleep 0.5
        done
        exit 1' "$pg"
    check "the demo consumer has a history: two weeks of usage and its redemption indexed from the chain" bash -c '
        for _ in $(seq 1 40); do
            n=$(psql -h 127.0.0.1 -p $0 -U postgres -d postgres -tAc "select (select count(*) from chain_event where name = '"'"'Redeemed'"'"') * (select count(*) from gateway_usage_minute where listing_id = '"'"'quotes'"'"')" 2>/dev/null)
            [ "${n:-0}" -ge 14 ] && exit 0
            sleep 0.5
        done
        exit 1' "$pg"
    check "the web UI page loads" bash -c "curl -fsS http://127.0.0.1:$mp/ | grep -qi '<html'"
    check "the marketplace API serves the demo listings" \
        bash -c "curl -fsS http://127.0.0.1:$mp/api/listings | grep -q 'upstream'"
    check "the weather listing carries SLA terms naming the demo's three monitors" \
        bash -c "curl -fsS http://127.0.0.1:$mp/api/listings/weather | grep -q '\"quorum\":2'"
    check "the SLA monitor is up and reads the marketplace's feed" bash -c "
        curl -fsS http://127.0.0.1:$mon/actuator/health | grep -q UP \
            && curl -fsS -H 'Authorization: Bearer demo-monitor-credential-public-not-a-secret' http://127.0.0.1:$mp/api/sla/monitoring | grep -q '^\['"
fi
kill -INT -- "-$demo" 2>/dev/null # what Ctrl-C does: SIGINT to the whole foreground process group
for _ in $(seq 1 90); do kill -0 "$demo" 2>/dev/null || break; sleep 0.5; done
check "the demo exits after SIGINT" bash -c "! kill -0 $demo 2>/dev/null"
left=""
for port in "${ports[@]}"; do listening "$port" && left="$left $port"; done
check "no port is left listening after SIGINT${left:+ (still:$left)}" test -z "$left"
# "[/]tmp…" matches the state directory in a command line but not this check's own command line
check "no process of the demo is left running" bash -c "! pgrep -f '[/]${TOLLGATE_DEMO_DIR#/}' >/dev/null"
if [ $failed -gt 0 ]; then
    echo "--- demo output"; tail -n 40 "$out"
    for log in "$TOLLGATE_DEMO_DIR"/logs/*.log; do echo "--- $log"; tail -n 25 "$log"; done
    kill -KILL -- "-$demo" 2>/dev/null # whatever the demo left behind: its whole process group
    pkill -KILL -f "[/]${TOLLGATE_DEMO_DIR#/}" 2>/dev/null
else
    rm -rf "$TOLLGATE_DEMO_DIR"
fi
echo "demo-smoke: $passed passed, $failed failed"
[ $failed = 0 ]

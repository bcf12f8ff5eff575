#!/usr/bin/env bash
# Smoke test of scripts/demo.sh: starts the demo on spare ports from the jars the build just made,
# checks that a request through the gateway reaches the example API and that the UI loads; then stops and
# restarts it on the same folder three times: SIGINT (what Ctrl-C sends) -> the same channel, deposit, accepted
# counts, history and indexed events, paid calls go on; SIGKILL of every process (power loss) -> it comes up
# consistent, recovered or reset as it says; a cut-off chain state file -> an announced reset, the damaged folder
# kept. At the end, SIGINT once more and nothing it started is left running or listening.
set -uo pipefail
source "$(dirname "$0")/env.sh"
cd "$tollgate_root"

# TOLLGATE_SMOKE_PORT_OFFSET moves every port by that much (two smoke tests on one machine);
# TOLLGATE_SMOKE_PORTS_FROM=P puts them on seven consecutive ports instead: gateway P, upstream P+1, marketplace P+2,
# chain P+3, Redis P+4, PostgreSQL P+5, monitor P+6
if [ -n "${TOLLGATE_SMOKE_PORTS_FROM:-}" ]; then
    from=$TOLLGATE_SMOKE_PORTS_FROM
    export TOLLGATE_GATEWAY_PORT=$from TOLLGATE_UPSTREAM_PORT=$((from + 1)) TOLLGATE_MARKETPLACE_PORT=$((from + 2))
    export TOLLGATE_CHAIN_PORT=$((from + 3)) TOLLGATE_REDIS_PORT=$((from + 4)) TOLLGATE_POSTGRES_PORT=$((from + 5))
    export TOLLGATE_MONITOR_PORT=$((from + 6))
else
    offset=${TOLLGATE_SMOKE_PORT_OFFSET:-0}
    export TOLLGATE_GATEWAY_PORT=$((18080 + offset)) TOLLGATE_UPSTREAM_PORT=$((18081 + offset))
    export TOLLGATE_MARKETPLACE_PORT=$((18090 + offset)) TOLLGATE_CHAIN_PORT=$((18545 + offset))
    export TOLLGATE_REDIS_PORT=$((16380 + offset)) TOLLGATE_POSTGRES_PORT=$((16432 + offset))
    export TOLLGATE_MONITOR_PORT=$((18095 + offset))
fi
gw=$TOLLGATE_GATEWAY_PORT mp=$TOLLGATE_MARKETPLACE_PORT pg=$TOLLGATE_POSTGRES_PORT mon=$TOLLGATE_MONITOR_PORT
export TOLLGATE_SKIP_BUILD=${TOLLGATE_SKIP_BUILD:-1}
export TOLLGATE_DEMO_DIR
# the smoke's own files beside the demo's folder, not in it (a reset moves the folder's state aside)
smoke=$(mktemp -d /tmp/tollgate-demo-smoke.XXXXXX)
TOLLGATE_DEMO_DIR="$smoke/demo"
out="$smoke/demo.out"
ports=("$TOLLGATE_GATEWAY_PORT" "$TOLLGATE_UPSTREAM_PORT" "$TOLLGATE_MARKETPLACE_PORT" "$TOLLGATE_CHAIN_PORT"
    "$TOLLGATE_REDIS_PORT" "$TOLLGATE_POSTGRES_PORT" "$TOLLGATE_MONITOR_PORT")
passed=0 failed=0
check() { # description, command...
    local what=$1; shift
    if "$@"; then passed=$((passed + 1)); echo "  ok   $what"; else failed=$((failed + 1)); echo "  FAIL $what"; fi
}
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

echo "demo smoke test (state in $TOLLGATE_DEMO_DIR)"
paid=0
run=0 demo=""
start_demo() { # job control: the demo gets its own process group, as a terminal's foreground job has, and
    # SIGINT is not ignored in it (it would be for a plain background job of a script)
    run=$((run + 1)) out="$smoke/demo-$run.out"
    set -m
    env --default-signal=INT scripts/demo.sh >"$out" 2>&1 &
    demo=$!
    set +m
    ready=0
    for _ in $(seq 1 1200); do
        grep -q "tollgate demo ready" "$out" && { ready=1; break; }
        kill -0 "$demo" 2>/dev/null || break
        sleep 0.5
    done
}
interrupt_demo() { # what Ctrl-C does: SIGINT to the whole foreground process group
    kill -INT -- "-$demo" 2>/dev/null
    for _ in $(seq 1 120); do kill -0 "$demo" 2>/dev/null || break; sleep 0.5; done
    ! kill -0 "$demo" 2>/dev/null
}
sql() { psql -h 127.0.0.1 -p "$pg" -U postgres -d postgres -tAc "$1" 2>/dev/null; }
rpc() { curl -fsS -H 'Content-Type: application/json' -d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$1\",\"params\":$2}" \
    "http://127.0.0.1:$TOLLGATE_CHAIN_PORT" | sed -n 's/.*"result":"\([^"]*\)".*/\1/p'; }
channel() { sed -n 's/^CHANNEL=//p' "$TOLLGATE_DEMO_DIR/chain/demo.properties"; }
demo_prop() { sed -n "s/^$1=//p" "$TOLLGATE_DEMO_DIR/chain/demo.properties"; }
token_balance() { # token, holder: balanceOf(holder) in the token's smallest unit, decimal
    local hex
    hex=$(rpc eth_call "[{\"to\":\"$1\",\"data\":\"0x70a08231000000000000000000000000${2#0x}\"},\"latest\"]")
    [ -n "$hex" ] && echo $((hex))
}
# What must survive a stop: the channel and its deposit on chain and as indexed, the accepted counts (the gateway's
# Redis keys of the channel, best vouchers included), the history (usage rows) and the events indexed up to block $1.
snapshot() {
    local ch keys
    ch=$(channel)
    echo "channel $ch"
    echo "balance $(rpc eth_getBalance "[\"$ch\",\"latest\"]") code $(rpc eth_getCode "[\"$ch\",\"latest\"]" | md5sum)"
    echo "deposited $(sql "select coalesce(sum(amount_wei), 0) from chain_event where name = 'Deposited' and channel = '$ch'")"
    echo "usd channel $(demo_prop USD_CHANNEL) holds $(token_balance "$(demo_prop DEMO_USD)" "$(demo_prop USD_CHANNEL)")"
    keys=$(redis-cli -p "$TOLLGATE_REDIS_PORT" --scan --pattern "*$ch*" | grep -iv -e lease -e lock | sort)
    echo "redis keys $(echo "$keys" | wc -w)"
    for key in $keys; do
        case $(redis-cli -p "$TOLLGATE_REDIS_PORT" type "$key") in
            string) echo "$key $(redis-cli -p "$TOLLGATE_REDIS_PORT" get "$key")" ;;
            hash) echo "$key $(redis-cli -p "$TOLLGATE_REDIS_PORT" hgetall "$key" | paste -sd' ')" ;;
            zset) echo "$key $(redis-cli -p "$TOLLGATE_REDIS_PORT" zrange "$key" 0 -1 withscores | paste -sd' ')" ;;
            *) echo "$key $(redis-cli -p "$TOLLGATE_REDIS_PORT" type "$key")" ;;
        esac
    done
    echo "usage $(sql "select count(*), sum(requests) from gateway_usage_minute")"
    echo "events $(sql "select count(*), md5(string_agg(block_number || ':' || log_index || ':' || tx_hash || ':' || name, ',' order by block_number, log_index)) from chain_event where block_number <= $1")"
}
indexed_head() { sql "select coalesce(max(block_number), 0) from chain_event"; }
paid_calls() { # count: that many paid calls answered 200, their accepted counts printed
    local result
    result=$(scripts/demo-call.sh "$1" 2>&1); echo "$result" | tail -n "$1" >"$smoke/calls.out"
    cat "$smoke/calls.out" | sed 's/^/       /'
    [ "$(echo "$result" | grep -c "^200 accepted-count=")" = "$1" ] && paid=$((paid + $1))
}
usd_calls() { # count: that many paid calls on the fx-rates listing with the demo USD channel, each costing 1000 units
    local result
    result=$(scripts/demo-call.sh fx-rates "$1" 2>&1); echo "$result" | tail -n "$1" >"$smoke/usd-calls.out"
    sed 's/^/       /' "$smoke/usd-calls.out"
    [ "$(grep -c "^200 accepted-count=.* cost=0.001 USDT-demo " "$smoke/usd-calls.out")" = "$1" ]
}
usd_usage() { # the gateway's usage rows of the USD channel's epoch 2: $1 requests at 1000 base units each
    for _ in $(seq 1 60); do
        [ "$(sql "select coalesce(sum(requests), 0) || '/' || coalesce(sum(value_wei), 0) from gateway_usage_minute
                  where listing_id = 'fx-rates' and epoch = 2")" = "$1/$(($1 * 1000))" ] && return 0
        sleep 0.5
    done
    sql "select requests, value_wei from gateway_usage_minute where listing_id = 'fx-rates' and epoch = 2"
    return 1
}
usage_written() { # the gateway's usage writer has written the rows of the $paid calls made on this demo's PostgreSQL
    for _ in $(seq 1 60); do
        [ "$(sql "select coalesce(sum(requests), 0) from gateway_usage_minute where listing_id = 'weather'")" -ge "$paid" ] 2>/dev/null && return 0
        sleep 0.5
    done
    return 1
}
stores_agree() { # the chain's fingerprint is the one Redis, PostgreSQL and the client's counters keep
    local fp
    fp=$(node scripts/demo-state.js fingerprint "http://127.0.0.1:$TOLLGATE_CHAIN_PORT")
    [ "$(redis-cli -p "$TOLLGATE_REDIS_PORT" get tollgate:demo:chain-fingerprint)" = "$fp" ] \
        && [ "$(cat "$TOLLGATE_DEMO_DIR/postgres.chain-fingerprint")" = "$fp" ] \
        && [ "$(cat "$TOLLGATE_DEMO_DIR/client-counters.chain-fingerprint")" = "$fp" ]
}

start_demo
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
    check "the client library pays for calls through the gateway with the demo channel" paid_calls 2
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
    check "the fx-rates listing is listed, priced in the demo dollar (USDT-demo, 6 decimals, DemoUsd's address)" bash -c "
        curl -fsS http://127.0.0.1:$mp/api/listings | grep -q '\"fx-rates\"' \
            && [ \"\$(psql -h 127.0.0.1 -p $pg -U postgres -d postgres -tAc \"select token_address || ' ' || token_symbol || ' ' || token_decimals from listing where slug = 'fx-rates'\")\" = \"\$(echo '$(demo_prop DEMO_USD)' | tr A-F a-f) USDT-demo 6\" ] \
            && curl -fsS -H 'Authorization: Bearer demo-gateway-credential-public-not-a-secret' http://127.0.0.1:$mp/api/gateway/routes | grep -q 'USDT-demo'"
    check "the demo consumer holds 980 USDT-demo; its USD channel 19.82 (20 by permit, 0.18 of history claimed)" bash -c "
        [ '$(token_balance "$(demo_prop DEMO_USD)" 0x70997970c51812dc3a010c7d01b50e0d17dc79c8)' = 980000000 ] \
            && [ '$(token_balance "$(demo_prop DEMO_USD)" "$(demo_prop USD_CHANNEL)")' = 19820000 ]"
    check "the USD channel is the demo consumer's subscription, with a week of fx-rates usage (150 calls, 0.18 USDT-demo)" \
        test "$(sql "select (select count(*) from subscription where channel_address = lower('$(demo_prop USD_CHANNEL)') and state = 'ACTIVE')
                   || '/' || (select sum(requests) || '/' || sum(value_wei) from gateway_usage_minute where listing_id = 'fx-rates' and epoch = 1)")" = "1/150/180000"
    check "the client library pays for fx-rates calls with the demo USD channel, 0.001 USDT-demo each" usd_calls 2
    check "... and the gateway records them at 1000 base units a call" usd_usage 2
    check "the web UI page loads" bash -c "curl -fsS http://127.0.0.1:$mp/ | grep -qi '<html'"
    check "the marketplace API serves the demo listings" \
        bash -c "curl -fsS http://127.0.0.1:$mp/api/listings | grep -q '\"weather\"'"
    check "... without their upstream URLs (only providers, operators and gateways see those)" \
        bash -c "! curl -fsS http://127.0.0.1:$mp/api/listings | grep -q 'upstreamUrl'"
    check "the weather listing carries SLA terms naming the demo's three monitors" \
        bash -c "curl -fsS http://127.0.0.1:$mp/api/listings/weather | grep -q '\"quorum\":2'"
    check "the SLA monitor is up and reads the marketplace's feed" bash -c "
        curl -fsS http://127.0.0.1:$mon/actuator/health | grep -q UP \
            && curl -fsS -H 'Authorization: Bearer demo-monitor-credential-public-not-a-secret' http://127.0.0.1:$mp/api/sla/monitoring | grep -q '^\['"
    # the indexer has caught up with the paid calls' effects; what it has indexed up to now must survive
    sleep 3
    usage_written
    head=$(indexed_head)
    snapshot "$head" >"$smoke/before-stop.txt"
    check "the demo exits after SIGINT" interrupt_demo
    start_demo
    check "the demo starts again on the same folder after SIGINT" test $ready = 1
    check "... and goes on from the saved state (no reset announced)" bash -c "! grep -q 'starting a fresh demo' '$out'"
    sleep 2
    snapshot "$head" >"$smoke/after-restart.txt"
    check "the channel, its deposit, the accepted counts, the history and the indexed events are unchanged" \
        diff "$smoke/before-stop.txt" "$smoke/after-restart.txt"
    before=$(grep -o 'accepted-count=[0-9]*' "$smoke/calls.out" 2>/dev/null | tail -n1)
    check "paid calls go on after the restart" paid_calls 2
    check "... counting on from before the stop (${before:-none}, then $(grep -o 'accepted-count=[0-9]*' "$smoke/calls.out" | head -n1))" \
        test "$(grep -o 'accepted-count=[0-9]*' "$smoke/calls.out" | head -n1 | cut -d= -f2)" -gt "${before#accepted-count=}"
    usd_before=$(grep -o 'accepted-count=[0-9]*' "$smoke/usd-calls.out" 2>/dev/null | tail -n1)
    check "paid fx-rates calls with the USD channel go on after the restart" usd_calls 1
    check "... counting on from before the stop (${usd_before:-none}, then $(grep -o 'accepted-count=[0-9]*' "$smoke/usd-calls.out" | head -n1))" \
        test "$(grep -o 'accepted-count=[0-9]*' "$smoke/usd-calls.out" | head -n1 | cut -d= -f2)" -gt "${usd_before#accepted-count=}"

    # power loss: SIGKILL to every process of the demo at once (the script's group and each part's own)
    sleep 3
    usage_written
    head=$(indexed_head)
    snapshot "$head" >"$smoke/before-kill.txt"
    groups=("-$demo")
    while read -r _ pid _; do groups+=("-$pid"); done <"$TOLLGATE_DEMO_DIR/run.pids"
    kill -KILL -- "${groups[@]}" 2>/dev/null
    for _ in $(seq 1 20); do kill -0 "$demo" 2>/dev/null || break; sleep 0.25; done
    start_demo
    check "after SIGKILL of every process the demo starts again" test $ready = 1
    if grep -q 'starting a fresh demo' "$out"; then
        aside=$(sed -n 's/.*the old state is kept in \(.*\)$/\1/p' "$out")
        check "... announcing a fresh start with the old state kept aside ($aside)" test -d "$aside"
    else
        sleep 2
        snapshot "$head" >"$smoke/after-kill.txt"
        check "... recovered: the channel, deposit, accepted counts, history and indexed events are as before" \
            diff "$smoke/before-kill.txt" "$smoke/after-kill.txt"
    fi
    check "... with chain, Redis, PostgreSQL and client counters describing one chain" stores_agree
    check "paid calls go on after the crash" paid_calls 2

    # a chain state file cut off in the middle (as when anvil itself was stopped while writing it)
    check "the demo exits after SIGINT" interrupt_demo
    size=$(stat -c %s "$TOLLGATE_DEMO_DIR/chain/state.json")
    truncate -s $((size / 2)) "$TOLLGATE_DEMO_DIR/chain/state.json"
    start_demo
    check "with a cut-off chain state file the demo starts" test $ready = 1
    check "... saying in one sentence that the state file is damaged and it starts fresh" \
        grep -q "state file .* is damaged .*: starting a fresh demo" "$out"
    aside=$(sed -n 's/.*the old state is kept in \(.*\)$/\1/p' "$out" | tail -n1)
    check "... keeping the damaged folder aside ($aside) with the cut-off file in it" \
        bash -c "[ -d '$aside' ] && [ \$(stat -c %s '$aside/chain/state.json') = $((size / 2)) ] && [ -d '$aside/postgres' ]"
    check "... with all stores fresh together: one chain fingerprint in Redis, PostgreSQL and the client's counters" stores_agree
    paid=0
    check "paid calls work on the fresh demo" paid_calls 2
    check "... counting from 1 again (fresh Redis and fresh client counters)" \
        grep -q "^200 accepted-count=1 " "$smoke/calls.out"
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
    for run_out in "$smoke"/demo-*.out; do echo "--- $run_out"; tail -n 25 "$run_out"; done
    for log in "$TOLLGATE_DEMO_DIR"/logs/*.log; do echo "--- $log"; tail -n 25 "$log"; done
    # whatever the demo left behind: its whole process group and each part's own
    kill -KILL -- "-$demo" 2>/dev/null
    [ -f "$TOLLGATE_DEMO_DIR/run.pids" ] && while read -r _ pid _; do kill -KILL -- "-$pid" 2>/dev/null; done <"$TOLLGATE_DEMO_DIR/run.pids"
    pkill -KILL -f "[/]${TOLLGATE_DEMO_DIR#/}" 2>/dev/null
else
    rm -rf "$smoke"
fi
echo "demo-smoke: $passed passed, $failed failed"
[ $failed = 0 ]

#!/usr/bin/env bash
# Starts the whole of Tollgate on this machine with embedded defaults and demo data:
# a local chain (anvil), Redis with append-only persistence, the example upstream API, the gateway,
# the marketplace (embedded PostgreSQL, web UI) and an SLA monitor (three demo monitor keys and a
# submitter). Prints the URLs; Ctrl-C stops everything in order, the chain's state saved first. A restart on the
# same folder goes on from there; README says what survives a stop and what a restart after a crash does.
#
# Environment: TOLLGATE_DEMO_DIR (state, default ./.demo), TOLLGATE_SKIP_BUILD=1 (reuse built jars),
# ports TOLLGATE_{GATEWAY,UPSTREAM,MARKETPLACE,CHAIN,REDIS,POSTGRES,MONITOR}_PORT
# (8080, 8081, 8090, 8545, 6380, 15432, 8095).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$tollgate_root"

gateway_port=${TOLLGATE_GATEWAY_PORT:-8080}
upstream_port=${TOLLGATE_UPSTREAM_PORT:-8081}
marketplace_port=${TOLLGATE_MARKETPLACE_PORT:-8090}
chain_port=${TOLLGATE_CHAIN_PORT:-8545}
redis_port=${TOLLGATE_REDIS_PORT:-6380}
postgres_port=${TOLLGATE_POSTGRES_PORT:-15432}
monitor_port=${TOLLGATE_MONITOR_PORT:-8095}
# the credentials gateways and the monitor present to the marketplace's feeds (/api/gateway/**, /api/sla/monitoring;
# demo only: fixed, public values); passed through the environment, not the command line
gateway_credential=${TOLLGATE_GATEWAY_CREDENTIAL:-demo-gateway-credential-public-not-a-secret}
monitor_credential=${TOLLGATE_MONITOR_CREDENTIAL:-demo-monitor-credential-public-not-a-secret}
demo_dir=$(mkdir -p "${TOLLGATE_DEMO_DIR:-.demo}" && cd "${TOLLGATE_DEMO_DIR:-.demo}" && pwd)
logs="$demo_dir/logs"
mkdir -p "$logs" "$demo_dir/redis" "$demo_dir/chain"

tollgate_require_jdk25
tollgate_ensure_packages redis-server curl
tollgate_require_commands mvn npm node redis-server redis-cli redis-check-aof curl setsid

if [ "${TOLLGATE_SKIP_BUILD:-0}" != 1 ]; then
    tollgate_log "building (mvn package, tests skipped; TOLLGATE_SKIP_BUILD=1 reuses the jars)"
    mvn -B -q -ntp -DskipTests package
fi
# The runnable jar of a module: the Spring Boot jar, or the `-exec` jar where the plain one is a library.
jar_of() {
    local jar
    jar=$(ls "$1"/target/tollgate-*-exec.jar 2>/dev/null | head -n1)
    [ -n "$jar" ] || jar=$(ls "$1"/target/tollgate-*.jar 2>/dev/null | grep -v -e '-tests.jar' -e '-sources.jar' | head -n1)
    [ -n "$jar" ] || { tollgate_log "no jar in $1/target: run without TOLLGATE_SKIP_BUILD"; exit 1; }
    echo "$jar"
}

# --- running the parts -------------------------------------------------------------------------------------
# Each part runs in its own session (setsid), out of the terminal's process group: Ctrl-C reaches only this
# script, whose trap then stops the parts in order. Their pids (with start times, so a reused pid is never taken
# for ours) are kept in $run_file, so that the next start can end what a kill -9 of this script left running.
run_file="$demo_dir/run.pids"
names=() pids=()
start() { # name, command...
    local name=$1; shift
    setsid "$@" >"$logs/$name.log" 2>&1 </dev/null &
    names+=("$name") pids+=("$!")
    echo "$name $! $(proc_start "$!")" >>"$run_file"
    tollgate_log "started $name (pid $!, log $logs/$name.log)"
}
proc_start() { awk '{print $22}' "/proc/$1/stat" 2>/dev/null || true; }
pid_of() { local i; for i in "${!names[@]}"; do [ "${names[$i]}" = "$1" ] && echo "${pids[$i]}"; done; return 0; }
stop_part() { # name [signal]: stops it and waits for it (30 s, then KILL)
    local pid i
    pid=$(pid_of "$1")
    [ -n "$pid" ] || return 0
    kill -"${2:-TERM}" "$pid" 2>/dev/null || true
    for i in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && { tollgate_log "$1 did not stop within 30 s: killing it"; kill -KILL "$pid" 2>/dev/null; }
    wait "$pid" 2>/dev/null || true
}
save_chain() { # the chain's state, atomically (temporary file + rename), while anvil still runs
    [ -n "$(pid_of chain)" ] && kill -0 "$(pid_of chain)" 2>/dev/null || return 0
    node scripts/demo-state.js dump "http://127.0.0.1:$chain_port" "$state_file" 2>>"$logs/chain-saver.log" \
        || tollgate_log "saving the chain failed (the state saved last, at most 2 s old, is kept): see $logs/chain-saver.log"
}
stop_postgres() { # the marketplace stops its embedded PostgreSQL; this makes sure it is gone
    local pid i
    pid=$(head -n1 "$demo_dir/postgres/postmaster.pid" 2>/dev/null) || return 0
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
    kill -INT "$pid" 2>/dev/null # fast shutdown: a checkpoint, then exit
    for i in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
}
stopping=0
stop_all() { # the chain saved first, then the services, then the stores, the chain last (saved once more)
    [ "$stopping" = 1 ] && return
    stopping=1
    trap '' INT TERM # a second Ctrl-C must not cut the stop short
    [ ${#pids[@]} = 0 ] && return
    tollgate_log "stopping: saving the chain, then gateway, monitor, marketplace, Redis, PostgreSQL, chain"
    stop_part chain-saver
    save_chain
    local name
    for name in gateway monitor marketplace upstream; do stop_part "$name"; done
    stop_part redis
    stop_postgres
    save_chain
    stop_part chain
    rm -f "$run_file"
    tollgate_log "stopped"
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap 'stop_all' EXIT

await_url() { # name, url
    local i pid
    for i in $(seq 1 600); do
        curl -fsS -o /dev/null "$2" 2>/dev/null && return 0
        for pid in "${pids[@]}"; do
            kill -0 "$pid" 2>/dev/null || { tollgate_log "$1 exited early; last lines of its log:"; tail -n 30 "$logs/$1.log" >&2 || true; exit 1; }
        done
        sleep 0.5
    done
    tollgate_log "$1 did not answer at $2 within 300 s; see $logs/$1.log"
    exit 1
}

# --- the stores: one chain, and PostgreSQL, Redis and the client's counters that belong to it ---------------------
# Each store keeps the fingerprint of the chain it describes (demo-state.js fingerprint: a random id written into
# the chain at its first start): Redis as a key, PostgreSQL and the client's counters as a file beside them. A store
# that names another chain, or a damaged state file, means the folder cannot be trusted as a whole: all of it is
# moved aside and every store starts fresh together.
state_file="$demo_dir/chain/state.json"
pg_fingerprint="$demo_dir/postgres.chain-fingerprint"
counters_fingerprint="$demo_dir/client-counters.chain-fingerprint"
redis_fingerprint_key="tollgate:demo:chain-fingerprint"

end_leftovers() { # what a kill -9 of the last demo left running on this folder: its parts, its PostgreSQL
    local name pid started pgpid
    if [ -f "$run_file" ]; then
        while read -r name pid started; do
            [ -n "$pid" ] && [ "$(proc_start "$pid")" = "$started" ] || continue
            [[ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" == [ZX] ]] && continue # dead, not yet reaped
            tollgate_log "the last demo on this folder did not stop: ending its $name (pid $pid)"
            kill -KILL "$pid" 2>/dev/null || true
        done <"$run_file"
        rm -f "$run_file"
    fi
    pgpid=$(head -n1 "$demo_dir/postgres/postmaster.pid" 2>/dev/null || true)
    if [ -n "$pgpid" ] && [ "$(cat "/proc/$pgpid/comm" 2>/dev/null)" = postgres ]; then
        tollgate_log "the last demo's PostgreSQL still runs (pid $pgpid): stopping it"
        kill -INT "$pgpid" 2>/dev/null
        local i
        for i in $(seq 1 40); do kill -0 "$pgpid" 2>/dev/null || break; sleep 0.5; done
        kill -KILL "$pgpid" 2>/dev/null || true
        sleep 0.5
    fi
    if [ -f "$demo_dir/postgres/postmaster.pid" ] && [ "$(cat "/proc/$pgpid/comm" 2>/dev/null)" != postgres ]; then
        tollgate_log "removing PostgreSQL's stale lock (its process $pgpid is gone)"
        rm -f "$demo_dir/postgres/postmaster.pid"
    fi
    sleep_until_ports_free
}
sleep_until_ports_free() {
    local i port busy
    for i in $(seq 1 20); do
        busy=""
        for port in "$gateway_port" "$upstream_port" "$marketplace_port" "$chain_port" "$redis_port" "$postgres_port" "$monitor_port"; do
            (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && busy="$busy $port"
        done
        [ -z "$busy" ] && return 0
        sleep 0.5
    done
    tollgate_log "port(s)$busy already in use: stop what listens there or choose other ports (see the header of $0)."
    exit 1
}
repair_redis_aof() { # a kill -9 or power loss can leave the append-only file with a torn last command
    local manifest
    manifest=$(ls "$demo_dir"/redis/appendonlydir/*.manifest 2>/dev/null | head -n1)
    [ -n "$manifest" ] || return 0
    redis-check-aof "$manifest" >"$logs/redis-check-aof.log" 2>&1 && return 0
    tollgate_log "Redis's append-only file ends in a torn write: repairing it (redis-check-aof --fix)"
    echo y | redis-check-aof --fix "$manifest" >>"$logs/redis-check-aof.log" 2>&1 \
        || { tollgate_log "Redis's append-only file could not be repaired"; return 1; }
}
start_chain() {
    local load=()
    if [ -f "$state_file" ]; then
        load=(--load-state "$state_file")
    else
        # a fresh chain starts ten minutes in the past: the demo's history moves its clock past a T_r, and DemoChain
        # then sets it to this machine's time (forward), because release 2 starts SLA windows at block time and the
        # monitor measures by this machine's clock
        load=(--timestamp "$(( $(date +%s) - 600 ))")
    fi
    start chain "$anvil_bin" --host 127.0.0.1 --port "$chain_port" --chain-id 31337 "${load[@]}" --silent
    await_chain
}
await_chain() {
    local i
    for i in $(seq 1 60); do
        curl -fsS -o /dev/null -H 'Content-Type: application/json' \
            -d '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' "http://127.0.0.1:$chain_port" 2>/dev/null && return 0
        sleep 0.5
    done
    tollgate_log "the chain did not answer on port $chain_port; see $logs/chain.log"
    exit 1
}
start_redis() {
    start redis redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$demo_dir/redis" \
        --appendonly yes --appendfsync always --save ""
    local i
    for i in $(seq 1 40); do redis-cli -p "$redis_port" ping 2>/dev/null | grep -q PONG && return 0; sleep 0.25; done
    tollgate_log "Redis did not answer on port $redis_port; see $logs/redis.log"
    exit 1
}
has_data() { [ -n "$(ls -A "$1" 2>/dev/null)" ]; }
# Prints why the stores cannot be used together, or nothing when they agree with the chain's fingerprint $1.
disagreement() {
    local fp=$1 redis_fp
    if has_data "$demo_dir/postgres" && [ "$(cat "$pg_fingerprint" 2>/dev/null)" != "$fp" ]; then
        echo "the PostgreSQL data in $demo_dir/postgres belongs to another chain than $state_file"; return
    fi
    if [ -s "$demo_dir/client-counters.log" ] && [ "$(cat "$counters_fingerprint" 2>/dev/null)" != "$fp" ]; then
        echo "the client's counters in $demo_dir/client-counters.log belong to another chain than $state_file"; return
    fi
    redis_fp=$(redis-cli -p "$redis_port" get "$redis_fingerprint_key")
    if [ "$redis_fp" != "$fp" ] && { [ -n "$redis_fp" ] || [ "$(redis-cli -p "$redis_port" dbsize)" != 0 ]; }; then
        echo "the Redis data in $demo_dir/redis belongs to another chain than $state_file"; return
    fi
    local prop
    for prop in FACTORY CHANNEL DEMO_USD USD_CHANNEL; do
        local address
        address=$(sed -n "s/^$prop=//p" "$demo_dir/chain/demo.properties" 2>/dev/null)
        [ -n "$address" ] || continue
        curl -fsS -H 'Content-Type: application/json' \
            -d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_getCode\",\"params\":[\"$address\",\"latest\"]}" \
            "http://127.0.0.1:$chain_port" | grep -q '"result":"0x[0-9a-f]' \
            || { echo "the chain has no contract at the demo's $prop $address"; return; }
    done
}
reset_folder() { # reason: keeps the whole folder's state aside, in damaged-<time>, and starts empty
    local aside
    aside="$demo_dir/damaged-$(date -u +%Y%m%dT%H%M%SZ)"
    tollgate_log "$1: starting a fresh demo (chain, PostgreSQL, Redis and client counters together); the old state is kept in $aside"
    stop_part redis
    stop_part chain
    names=() pids=()
    rm -f "$run_file"
    mkdir -p "$aside"
    local entry
    for entry in chain redis postgres logs client-counters.log client-counters.chain-fingerprint postgres.chain-fingerprint; do
        [ -e "$demo_dir/$entry" ] && mv "$demo_dir/$entry" "$aside/"
    done
    mkdir -p "$logs" "$demo_dir/redis" "$demo_dir/chain"
}
open_stores() {
    local reason="" fp
    end_leftovers
    rm -f "$demo_dir"/chain/.state.json.*.tmp # a save cut short
    if [ -f "$state_file" ] && ! node scripts/demo-state.js check "$state_file"; then
        reason="the chain's state file $state_file is damaged (cut off or not JSON)"
    elif ! repair_redis_aof; then
        reason="Redis's append-only file in $demo_dir/redis is damaged beyond repair"
    fi
    if [ -n "$reason" ]; then reset_folder "$reason"; fi
    start_chain
    fp=$(node scripts/demo-state.js fingerprint "http://127.0.0.1:$chain_port")
    start_redis
    reason=$(disagreement "$fp")
    if [ -n "$reason" ]; then
        reset_folder "$reason"
        start_chain
        fp=$(node scripts/demo-state.js fingerprint "http://127.0.0.1:$chain_port")
        start_redis
    fi
    redis-cli -p "$redis_port" set "$redis_fingerprint_key" "$fp" >/dev/null
    echo "$fp" >"$pg_fingerprint"
    echo "$fp" >"$counters_fingerprint"
    save_chain # the fingerprint's id is in the state file before anything else writes a store
    start chain-saver node scripts/demo-state.js save-every "http://127.0.0.1:$chain_port" "$state_file" 2000
}

# --- the parts' command lines, one function each --------------------------------------------------------------
start_upstream() {
    start upstream "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$(jar_of examples/upstream)" --port="$upstream_port"
}
# The embedded PostgreSQL is not in the marketplace's jar (production configures a datasource): demo-support's jar
# and its target/lib, put on the marketplace's class path by Spring Boot's PropertiesLauncher, start it.
demo_support_path() {
    local jar
    jar=$(ls demo-support/target/tollgate-demo-support-*.jar 2>/dev/null | grep -v -e '-sources.jar' | head -n1)
    [ -n "$jar" ] && [ -d demo-support/target/lib ] || { tollgate_log "no demo-support jar or lib in demo-support/target: run without TOLLGATE_SKIP_BUILD"; exit 1; }
    echo "$tollgate_root/$jar,$tollgate_root/demo-support/target/lib"
}
start_marketplace() {
    local support
    support=$(demo_support_path) || exit 1
    TOLLGATE_GATEWAYS_CREDENTIAL="$gateway_credential" TOLLGATE_MONITORS_CREDENTIAL="$monitor_credential" \
    start marketplace "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$(jar_of marketplace-api)" \
        -Dloader.path="$support" org.springframework.boot.loader.launch.PropertiesLauncher \
        --server.port="$marketplace_port" \
        --tollgate.demo.enabled=true \
        --tollgate.demo.upstream-url="http://127.0.0.1:$upstream_port" \
        --tollgate.demo.history-channel="$(demo_prop HISTORY_CHANNEL)" \
        --tollgate.demo.channel="$demo_channel" \
        --tollgate.demo.usd-token="$(demo_prop DEMO_USD)" \
        --tollgate.demo.usd-channel="$(demo_prop USD_CHANNEL)" \
        --tollgate.embedded-postgres.data-directory="$demo_dir/postgres" \
        --tollgate.embedded-postgres.port="$postgres_port" \
        --tollgate.chain.rpc-url="http://127.0.0.1:$chain_port" \
        --tollgate.chain.factories[0]="$factory" \
        --tollgate.indexer.enabled=true \
        --tollgate.indexer.confirmations=0 \
        --tollgate.indexer.poll-interval=1s \
        --tollgate.web.dev-wallet=true \
        --tollgate.web.gateway-url="http://127.0.0.1:$gateway_port" \
        --tollgate.identity.operators[0]=0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266 \
        --tollgate.identity.domain="127.0.0.1:$marketplace_port" --tollgate.identity.uri="http://127.0.0.1:$marketplace_port/"
}
# the operator key is anvil's public test account 4, the demo channel's operator; redemptions start once
# a tenth of a percent of the deposit is spent (100 calls), so the demo shows them
start_gateway() {
    TOLLGATE_GATEWAY_MARKETPLACE_CREDENTIAL="$gateway_credential" \
    start gateway "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$(jar_of gateway)" \
        --server.port="$gateway_port" --spring.profiles.active=demo \
        --tollgate.upstream-url="http://127.0.0.1:$upstream_port" \
        --tollgate.gateway.marketplace.url="http://127.0.0.1:$marketplace_port" \
        --tollgate.gateway.marketplace.poll-interval=2s \
        --tollgate.chain.rpc-url="http://127.0.0.1:$chain_port" \
        --spring.data.redis.port="$redis_port" \
        --tollgate.chain.factories[0]="$factory" \
        --tollgate.chain.implementation-code-hashes="$code_hashes" \
        --tollgate.chain.operator-key=47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a \
        --tollgate.gateway.redemption.exposure-share-bps=10 \
        --tollgate.gateway.redemption.claims.exposure-share-bps=10 \
        --tollgate.gateway.usage.jdbc-url="jdbc:postgresql://127.0.0.1:$postgres_port/postgres" \
        --tollgate.gateway.usage.username=postgres
}
# One SLA monitor process holding the three demo monitor keys (the openly insecure private keys 1, 2 and 3, which
# the demo's weather listing names) and a submitter paying gas with anvil's public test account 9. It measures the
# channels of subscriptions to listings with SLA terms: probes every 2 s, one-minute windows.
start_monitor() {
    TOLLGATE_MONITOR_MARKETPLACE_CREDENTIAL="$monitor_credential" \
    start monitor "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$(jar_of monitor)" \
        --server.port="$monitor_port" \
        --spring.datasource.url="jdbc:postgresql://127.0.0.1:$postgres_port/postgres" \
        --spring.datasource.username=postgres \
        --tollgate.chain.rpc-url="http://127.0.0.1:$chain_port" \
        --tollgate.monitor.marketplace-url="http://127.0.0.1:$marketplace_port" \
        --tollgate.monitor.name=demo-monitor \
        --tollgate.monitor.keys=0000000000000000000000000000000000000000000000000000000000000001,0000000000000000000000000000000000000000000000000000000000000002,0000000000000000000000000000000000000000000000000000000000000003 \
        --tollgate.monitor.feed-interval=2s \
        --tollgate.monitor.probe-interval=2s \
        --tollgate.monitor.settle=10s \
        --tollgate.monitor.tick=2s \
        --tollgate.submitter.key=2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6 \
        --tollgate.submitter.collect-for=30s \
        --tollgate.submitter.tick=2s
}

# anvil's own binary, not npm's node launcher in front of it: signals then reach the chain itself
anvil_bin=$(ls contracts/node_modules/@foundry-rs/anvil-*/bin/anvil 2>/dev/null | head -n1)
anvil_bin=${anvil_bin:-contracts/node_modules/.bin/anvil}
open_stores
# the release, the factory and a funded demo channel (idempotent: kept in the chain's state file)
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$(jar_of gateway)" \
    -Dloader.main=io.tollgate.contracts.demo.DemoChain org.springframework.boot.loader.launch.PropertiesLauncher \
    "http://127.0.0.1:$chain_port" "$demo_dir/chain/demo.properties" >"$logs/demo-chain.log" 2>&1 \
    || { tollgate_log "setting up the demo chain failed:"; tail -n 20 "$logs/demo-chain.log" >&2; exit 1; }
save_chain
demo_prop() { sed -n "s/^$1=//p" "$demo_dir/chain/demo.properties"; }
factory=$(demo_prop FACTORY)
code_hash=$(demo_prop IMPLEMENTATION_CODE_HASH)
# gateways trust every release's code: channels upgraded to the newer release keep being served
code_hashes=$(demo_prop IMPLEMENTATION_CODE_HASHES)
code_hashes=${code_hashes:-$code_hash}
demo_channel=$(demo_prop CHANNEL)
# The gateway-to-upstream proof: the example upstream refuses API requests without this secret, the marketplace
# gives it to the demo listings and the gateway sends it (environment, not arguments: not shown by ps).
TOLLGATE_UPSTREAM_SECRET=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
export TOLLGATE_UPSTREAM_SECRET TOLLGATE_DEMO_UPSTREAMSECRET=$TOLLGATE_UPSTREAM_SECRET
export TOLLGATE_GATEWAY_UPSTREAMSECRETS_EXAMPLE=$TOLLGATE_UPSTREAM_SECRET
# every upstream of the demo runs on this machine: loopback is allowed explicitly (production refuses it)
export TOLLGATE_UPSTREAMS_ALLOWNETWORKS=127.0.0.0/8
start_upstream
await_url upstream "http://127.0.0.1:$upstream_port/health"
start_marketplace
# the marketplace migrates the shared database before the gateway writes usage rows into it
await_url marketplace "http://127.0.0.1:$marketplace_port/actuator/health"
start_gateway
await_url gateway "http://127.0.0.1:$gateway_port/actuator/health"
start_monitor
await_url monitor "http://127.0.0.1:$monitor_port/actuator/health"

cat <<URLS
Tollgate is running (Ctrl-C stops everything):
  marketplace and web UI  http://127.0.0.1:$marketplace_port/
  API documentation       http://127.0.0.1:$marketplace_port/swagger-ui.html
  gateway                 http://127.0.0.1:$gateway_port/   (unpaid example: http://127.0.0.1:$gateway_port/example/weather/berlin,
                          paid listing: http://127.0.0.1:$gateway_port/weather/weather/berlin answers 402 without a voucher)
  gateway metrics         http://127.0.0.1:$gateway_port/actuator/prometheus
  example upstream API    http://127.0.0.1:$upstream_port/   (outage switch: curl -X POST 'http://127.0.0.1:$upstream_port/admin/outage?percent=100', then percent=0)
  SLA monitor             http://127.0.0.1:$monitor_port/actuator/health   (3 monitor keys and a submitter; metrics at /actuator/prometheus)
  chain (anvil JSON-RPC)  http://127.0.0.1:$chain_port  (chain id 31337)
  redis (AOF, fsync always) 127.0.0.1:$redis_port
  postgres (embedded)     127.0.0.1:$postgres_port, user postgres (usage rows: table gateway_usage_minute)
  demo channel            $demo_channel (funded with 0.1 ether, paying Acme Weather)
                          paid calls with the client library: scripts/demo-call.sh [count]
  demo USD channel        $(demo_prop USD_CHANNEL) (20 USDT-demo by permit, paying Ledgerline FX's fx-rates
                          at 0.001 USDT-demo a rate): scripts/demo-call.sh fx-rates [count]
  logs                    $logs
URLS
echo "tollgate demo ready"
wait # until Ctrl-C or TERM: the trap stops everything in order

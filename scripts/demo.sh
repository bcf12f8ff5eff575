#!/usr/bin/env bash
# Starts the whole of Tollgate on this machine with embedded defaults and demo data:
# a local chain (anvil), Redis with append-only persistence, the example upstream API, the gateway,
# the marketplace (embedded PostgreSQL, web UI) and an SLA monitor (three demo monitor keys and a
# submitter). Prints the URLs; Ctrl-C stops everything.
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
# the credential gateways present to the marketplace's /api/gateway/** (demo only: a fixed, public value);
# passed through the environment, not the command line
gateway_credential=${TOLLGATE_GATEWAY_CREDENTIAL:-demo-gateway-credential-public-not-a-secret}
# the same for the monitor's /api/sla/monitoring (listings' probe URLs)
monitor_credential=${TOLLGATE_MONITOR_CREDENTIAL:-demo-monitor-credential-public-not-a-secret}
demo_dir=$(mkdir -p "${TOLLGATE_DEMO_DIR:-.demo}" && cd "${TOLLGATE_DEMO_DIR:-.demo}" && pwd)
logs="$demo_dir/logs"
mkdir -p "$logs" "$demo_dir/redis" "$demo_dir/chain"

tollgate_require_jdk25
tollgate_ensure_packages redis-server curl
tollgate_require_commands mvn npm node redis-server curl

for port in "$gateway_port" "$upstream_port" "$marketplace_port" "$chain_port" "$redis_port" "$postgres_port" "$monitor_port"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        tollgate_log "port $port is already in use: stop what listens there or choose another port (see the header of $0)."
        exit 1
    fi
done

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

pids=()
stopping=0
stop_all() {
    [ "$stopping" = 1 ] && return
    stopping=1
    tollgate_log "stopping ${#pids[@]} processes"
    local pid i
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for i in $(seq 1 30); do
        local alive=0
        for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        [ $alive = 0 ] && break
        sleep 1
    done
    for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    tollgate_log "stopped"
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap 'stop_all' EXIT

start() { # name, command...
    local name=$1; shift
    "$@" >"$logs/$name.log" 2>&1 &
    pids+=("$!")
    tollgate_log "started $name (pid $!, log $logs/$name.log)"
}

await_url() { # name, url
    local i
    for i in $(seq 1 240); do
        curl -fsS -o /dev/null "$2" 2>/dev/null && return 0
        for pid in "${pids[@]}"; do
            kill -0 "$pid" 2>/dev/null || { tollgate_log "$1 exited early; last lines of its log:"; tail -n 30 "$logs/$1.log" >&2 || true; exit 1; }
        done
        sleep 0.5
    done
    tollgate_log "$1 did not answer at $2 within 120 s; see $logs/$1.log"
    exit 1
}

# anvil's own binary, not npm's node launcher in front of it: signals then reach the chain itself
anvil_bin=$(ls contracts/node_modules/@foundry-rs/anvil-*/bin/anvil 2>/dev/null | head -n1)
start chain "${anvil_bin:-contracts/node_modules/.bin/anvil}" --host 127.0.0.1 --port "$chain_port" --chain-id 31337 \
    --state "$demo_dir/chain/state.json" --silent
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
await_chain
# the release, the factory and a funded demo channel (idempotent: kept in the chain's state file)
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$(jar_of gateway)" \
    -Dloader.main=io.tollgate.contracts.demo.DemoChain org.springframework.boot.loader.launch.PropertiesLauncher \
    "http://127.0.0.1:$chain_port" "$demo_dir/chain/demo.properties" >"$logs/demo-chain.log" 2>&1 \
    || { tollgate_log "setting up the demo chain failed:"; tail -n 20 "$logs/demo-chain.log" >&2; exit 1; }
demo_prop() { sed -n "s/^$1=//p" "$demo_dir/chain/demo.properties"; }
factory=$(demo_prop FACTORY)
code_hash=$(demo_prop IMPLEMENTATION_CODE_HASH)
demo_channel=$(demo_prop CHANNEL)
start redis redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$demo_dir/redis" \
    --appendonly yes --appendfsync always --save ""
# The gateway-to-upstream proof: the example upstream refuses API requests without this secret, the marketplace
# gives it to the demo listings and the gateway sends it (environment, not arguments: not shown by ps).
TOLLGATE_UPSTREAM_SECRET=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
export TOLLGATE_UPSTREAM_SECRET TOLLGATE_DEMO_UPSTREAMSECRET=$TOLLGATE_UPSTREAM_SECRET
export TOLLGATE_GATEWAY_UPSTREAMSECRETS_EXAMPLE=$TOLLGATE_UPSTREAM_SECRET
# every upstream of the demo runs on this machine: loopback is allowed explicitly (production refuses it)
export TOLLGATE_UPSTREAMS_ALLOWNETWORKS=127.0.0.0/8
start upstream "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$(jar_of examples/upstream)" --port="$upstream_port"
await_url upstream "http://127.0.0.1:$upstream_port/health"
TOLLGATE_GATEWAYS_CREDENTIAL="$gateway_credential" TOLLGATE_MONITORS_CREDENTIAL="$monitor_credential" \
start marketplace "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$(jar_of marketplace-api)" \
    --server.port="$marketplace_port" \
    --tollgate.demo.enabled=true \
    --tollgate.demo.upstream-url="http://127.0.0.1:$upstream_port" \
    --tollgate.demo.history-channel="$(demo_prop HISTORY_CHANNEL)" \
    --tollgate.demo.channel="$demo_channel" \
    --tollgate.embedded-postgres.data-directory="$demo_dir/postgres" \
    --tollgate.embedded-postgres.port="$postgres_port" \
    --tollgate.chain.rpc-url="http://127.0.0.1:$chain_port" \
    --tollgate.chain.factory="$factory" \
    --tollgate.indexer.enabled=true \
    --tollgate.indexer.confirmations=0 \
    --tollgate.indexer.poll-interval=1s \
    --tollgate.web.dev-wallet=true \
    --tollgate.web.gateway-url="http://127.0.0.1:$gateway_port" \
    --tollgate.identity.operators[0]=0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266 \
    --tollgate.identity.domain="127.0.0.1:$marketplace_port" --tollgate.identity.uri="http://127.0.0.1:$marketplace_port/"
# the marketplace migrates the shared database before the gateway writes usage rows into it
await_url marketplace "http://127.0.0.1:$marketplace_port/actuator/health"
# the operator key is anvil's public test account 4, the demo channel's operator; redemptions start once
# a tenth of a percent of the deposit is spent (100 calls), so the demo shows them
TOLLGATE_GATEWAY_MARKETPLACE_CREDENTIAL="$gateway_credential" \
start gateway "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$(jar_of gateway)" \
    --server.port="$gateway_port" --spring.profiles.active=demo \
    --tollgate.upstream-url="http://127.0.0.1:$upstream_port" \
    --tollgate.gateway.marketplace.url="http://127.0.0.1:$marketplace_port" \
    --tollgate.gateway.marketplace.poll-interval=2s \
    --tollgate.chain.rpc-url="http://127.0.0.1:$chain_port" \
    --spring.data.redis.port="$redis_port" \
    --tollgate.chain.factories[0]="$factory" \
    --tollgate.chain.implementation-code-hashes[0]="$code_hash" \
    --tollgate.chain.operator-key=47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a \
    --tollgate.gateway.redemption.exposure-share-bps=10 \
    --tollgate.gateway.usage.jdbc-url="jdbc:postgresql://127.0.0.1:$postgres_port/postgres" \
    --tollgate.gateway.usage.username=postgres
await_url gateway "http://127.0.0.1:$gateway_port/actuator/health"
# One SLA monitor process holding the three demo monitor keys (the openly insecure private keys 1, 2 and 3, which
# the demo's weather listing names) and a submitter paying gas with anvil's public test account 9. It measures the
# channels of subscriptions to listings with SLA terms: probes every 2 s, one-minute windows.
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
  logs                    $logs
URLS
echo "tollgate demo ready"
wait

# shellcheck shell=bash
# Sourced by the gateway's long-running scenario scripts (soak.sh, flood.sh): starts the example upstream, an
# own redis-server (append-only file, fsync always) and one gateway process with the bench profile
# (/unpaid/** and /paid/** with Payment=bench) and static channels; signs voucher files; stops everything on
# exit. Needs `mvn -DskipTests package` first.
set -euo pipefail
bench_here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bench_root="$(cd "$bench_here/../.." && pwd)"
source "$bench_root/scripts/env.sh"
tollgate_require_jdk25
command -v wrk >/dev/null || tollgate_ensure_packages wrk
command -v redis-server >/dev/null || tollgate_ensure_packages redis-server
tollgate_require_commands wrk redis-server redis-cli curl python3 ss

bench_work="$(mktemp -d -t tollgate-faults.XXXXXX)"
bench_gateway_jar="$(ls "$bench_root"/gateway/target/tollgate-gateway-*.jar | grep -v -e '\.original$' | head -n1)"
bench_upstream_jar="$(ls "$bench_root"/examples/upstream/target/tollgate-example-upstream-*-exec.jar | head -n1)"
# anvil account 1: a public test key, never a real one.
export BENCH_SIGNER_KEY=59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d
bench_signer=0x70997970C51812dc3A010C7d01b50e0d17dc79C8
bench_pids=()
bench_channel_args=()
bench_gateway_pid=""

bench_cleanup() {
    local pid
    for pid in "${bench_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    [ "${BENCH_KEEP_WORK:-0}" = 1 ] || rm -rf "$bench_work"
}
trap bench_cleanup EXIT

bench_random_address() { echo "0x$(od -An -N20 -tx1 /dev/urandom | tr -d ' \n')"; }

# bench_channel DEPOSIT: declares a fresh static channel paying the bench listing; its address in $bench_last_channel
# (not printed: a command substitution would run it in a subshell and lose the declaration)
bench_channel() {
    local ch
    ch=$(bench_random_address)
    bench_last_channel=$ch
    bench_channel_args+=("--tollgate.chain.static-channels[$ch].signer=$bench_signer"
        "--tollgate.chain.static-channels[$ch].provider=0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc"
        "--tollgate.chain.static-channels[$ch].factory=0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0"
        "--tollgate.chain.static-channels[$ch].operator=0x15d34aaf54267db7d7c367839aaf71a00a2c6a65"
        "--tollgate.chain.static-channels[$ch].prices=1000,2500"
        "--tollgate.chain.static-channels[$ch].deposit=$1")
}

# bench_sign FILE CHANNEL N: counts 1..N of CHANNEL (epoch 1, category 0), one header per line
bench_sign() {
    "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$bench_gateway_jar" \
        -Dloader.main=io.tollgate.gateway.bench.BenchVouchers org.springframework.boot.loader.launch.PropertiesLauncher \
        "$1" "$2" 31337 0 "$3" 1000 2500
}

bench_start_upstream() { # PORT
    "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$bench_upstream_jar" --port="$1" \
        >"$bench_work/upstream.log" 2>&1 &
    bench_pids+=($!)
}

bench_start_redis() { # PORT
    mkdir -p "$bench_work/redis"
    redis-server --bind 127.0.0.1 --port "$1" --dir "$bench_work/redis" --appendonly yes --appendfsync always \
        --save "" >"$bench_work/redis.log" 2>&1 &
    bench_pids+=($!)
    local i
    for i in $(seq 1 50); do redis-cli -p "$1" ping >/dev/null 2>&1 && return 0; sleep 0.2; done
    tollgate_log "redis-server on $1 did not start"; exit 1
}

# bench_start_gateway PORT UPSTREAM_PORT REDIS_PORT [extra args…] (after the bench_channel calls)
bench_start_gateway() {
    local port=$1 up=$2 redis=$3
    shift 3
    # shellcheck disable=SC2086
    "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED ${BENCH_JAVA_OPTS:-} -jar "$bench_gateway_jar" \
        --server.port="$port" --spring.config.additional-location="file:$bench_here/application-bench.yml" \
        --tollgate.upstream-url="http://127.0.0.1:$up" --spring.data.redis.port="$redis" \
        "${bench_channel_args[@]}" "$@" >"$bench_work/gateway.log" 2>&1 &
    bench_gateway_pid=$!
    bench_pids+=($!)
    local i
    for i in $(seq 1 240); do
        curl -fsS "http://127.0.0.1:$port/actuator/health" >/dev/null 2>&1 && return 0
        kill -0 "$bench_gateway_pid" 2>/dev/null || { tail -n 30 "$bench_work/gateway.log" >&2; exit 1; }
        sleep 0.5
    done
    tollgate_log "the gateway did not become healthy; see $bench_work/gateway.log"
    exit 1
}

# bench_metric PORT NAME [TAG]: a gateway actuator metric's first measurement value
bench_metric() {
    local url="http://127.0.0.1:$1/actuator/metrics/$2"
    [ $# -ge 3 ] && url="$url?tag=$3"
    curl -fsS "$url" 2>/dev/null | python3 -c 'import json,sys; print(int(json.load(sys.stdin)["measurements"][0]["value"]))' \
        2>/dev/null || echo 0
}

# bench_wrk_summary FILE: "rps p50 p99 non2xx" of a wrk --latency output
bench_wrk_summary() {
    awk '/^Requests\/sec:/ {rps=$2} $1 == "50%" {p50=$2} $1 == "99%" {p99=$2} /Non-2xx/ {n=$NF}
         END {printf "%s %s %s %s\n", rps, p50, p99, (n == "" ? 0 : n)}' "$1"
}

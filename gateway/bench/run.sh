#!/usr/bin/env bash
# Gateway benchmark pieces: starts the example upstream and one gateway (profile bench: an unpaid route
# /unpaid/** and a paid route /paid/** with Payment=bench) on the machine's Redis, pre-signs vouchers for
# fresh static channels, warms both routes up, then drives each at concurrency 20 with wrk and prints rps,
# p50 and p99 of each and the paid/unpaid throughput ratio.
# Env: WARMUP (s, default 30), DURATION (s, default 30), RATE_GUESS (paid rps to size voucher files, 8000),
#      BENCH_GATEWAY_PORT (18380), BENCH_UPSTREAM_PORT (18381). Needs `mvn -DskipTests package` first.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
source "$root/scripts/env.sh"
tollgate_require_jdk25
command -v wrk >/dev/null || tollgate_ensure_packages wrk

warmup=${WARMUP:-30}
duration=${DURATION:-30}
rate=${RATE_GUESS:-8000}
gw_port=${BENCH_GATEWAY_PORT:-18380}
up_port=${BENCH_UPSTREAM_PORT:-18381}
work="$(mktemp -d -t tollgate-bench.XXXXXX)"
gateway_jar="$(ls "$root"/gateway/target/tollgate-gateway-*.jar | grep -v -e '\.original$' | head -n1)"
upstream_jar="$(ls "$root"/examples/upstream/target/tollgate-example-upstream-*-exec.jar | head -n1)"
# anvil account 1: a public test key, never a real one.
export BENCH_SIGNER_KEY=59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d
signer=0x70997970C51812dc3A010C7d01b50e0d17dc79C8

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

random_address() { echo "0x$(od -An -N20 -tx1 /dev/urandom | tr -d ' \n')"; }
channel_args=()
declare -A channel_of
for phase in warmup measure; do
    for thread in 0 1; do
        ch=$(random_address)
        channel_of["$phase-$thread"]=$ch
        channel_args+=("--tollgate.chain.static-channels[$ch].signer=$signer"
            "--tollgate.chain.static-channels[$ch].provider=0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc"
            "--tollgate.chain.static-channels[$ch].factory=0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0"
            "--tollgate.chain.static-channels[$ch].prices=1000,2500"
            "--tollgate.chain.static-channels[$ch].deposit=1000000000000000000000000000")
    done
done

tollgate_log "signing vouchers"
for phase in warmup measure; do
    secs=$warmup; [ "$phase" = measure ] && secs=$duration
    n=$(( rate * secs * 3 / 4 + 10000 ))
    for thread in 0 1; do
        "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$gateway_jar" -Dloader.main=io.tollgate.gateway.bench.BenchVouchers \
            org.springframework.boot.loader.launch.PropertiesLauncher \
            "$work/$phase-$thread.txt" "${channel_of[$phase-$thread]}" 31337 0 "$n" 1000 2500
    done
done

"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$upstream_jar" --port="$up_port" >"$work/upstream.log" 2>&1 &
pids+=($!)
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$gateway_jar" --server.port="$gw_port" \
    --spring.config.additional-location="file:$here/application-bench.yml" \
    --tollgate.upstream-url="http://127.0.0.1:$up_port" "${channel_args[@]}" >"$work/gateway.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$gw_port/actuator/health" >/dev/null 2>&1 && break
    sleep 1
done
curl -fsS "http://127.0.0.1:$gw_port/unpaid/weather/berlin" >/dev/null
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Payment-Voucher: $(sed -n 2p "$work/warmup-1.txt")" \
    "http://127.0.0.1:$gw_port/paid/weather/berlin")
[ "$status" = 200 ] || { tollgate_log "paid probe answered $status"; cat "$work/gateway.log" >&2; exit 1; }

tollgate_log "warming up ${warmup}s per route"
wrk -t2 -c20 -d"${warmup}s" "http://127.0.0.1:$gw_port/unpaid/weather/berlin" >/dev/null
wrk -t2 -c20 -d"${warmup}s" -s "$here/vouchers.lua" "http://127.0.0.1:$gw_port/paid/weather/berlin" -- "$work/warmup" >/dev/null

run() { # name url [voucher file prefix]
    local name=$1 url=$2
    if [ $# -ge 3 ]; then
        wrk -t2 -c20 -d"${duration}s" --latency -s "$here/vouchers.lua" "$url" -- "$3" >"$work/$name.out"
    else
        wrk -t2 -c20 -d"${duration}s" --latency "$url" >"$work/$name.out"
    fi
    local rps p50 p99 non2xx
    rps=$(awk '/^Requests\/sec:/ {print $2}' "$work/$name.out")
    p50=$(awk '$1 == "50%" {print $2}' "$work/$name.out")
    p99=$(awk '$1 == "99%" {print $2}' "$work/$name.out")
    non2xx=$(awk '/Non-2xx/ {print $NF}' "$work/$name.out")
    printf '%-7s rps %10s  p50 %8s  p99 %8s  non-2xx %s\n' "$name" "$rps" "$p50" "$p99" "${non2xx:-0}"
    eval "${name}_rps=$rps"
}
run unpaid "http://127.0.0.1:$gw_port/unpaid/weather/berlin"
run paid "http://127.0.0.1:$gw_port/paid/weather/berlin" "$work/measure"
awk -v p="$paid_rps" -v u="$unpaid_rps" 'BEGIN { printf "paid/unpaid throughput ratio: %.2f\n", p / u }'

#!/usr/bin/env bash
# The gateway benchmark: starts the example upstream and one gateway (profile bench: an unpaid route
# /unpaid/** and a paid route /paid/** with Payment=bench, the same upstream behind both) on the machine's
# Redis, writing usage to a fresh database on the machine's PostgreSQL (BENCH_DATABASE, default
# tollgate_bench); pre-signs vouchers for fresh static channels; warms both routes up; then drives them at
# concurrency 20 with wrk in alternating rounds (unpaid, paid, unpaid, paid, ...), so that a machine whose
# speed drifts (a shared VM does) slows both alike. Both routes get the same wrk script sending a
# Payment-Voucher header (the unpaid route forwards it unread), so the load generator costs the same on both
# and the difference is the gateway's. Prints each round, then per route rps (all requests over
# all rounds' time), the median of the rounds' p50 and p99, the CPU time per request of every process in the
# loop (gateway, upstream, Redis, wrk: on one machine they share the cores, so where the microseconds go is
# what bounds the ratio), then the latency each route has at a fixed rate well below saturation (PACED_RATE,
# default 1000 rps, PACED seconds each: what a paid request adds when the machine is not saturated), and last
# `paid/unpaid throughput ratio: X.XX`.
# Env: WARMUP (s per route, default 30), ROUNDS (default 6), ROUND (s, default 10), PACED_RATE (rps, 1000),
#      PACED (s, 15), RATE_GUESS (paid rps to size
#      voucher files, 8000), BENCH_GATEWAY_PORT (18380), BENCH_UPSTREAM_PORT (18381), GATEWAY_JAVA_OPTS (extra
#      JVM options of the gateway, e.g. a JFR recording). Needs `mvn -DskipTests package` first.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
source "$root/scripts/env.sh"
tollgate_require_jdk25
command -v wrk >/dev/null || tollgate_ensure_packages wrk

warmup=${WARMUP:-30}
rounds=${ROUNDS:-6}
round=${ROUND:-10}
paced_rate=${PACED_RATE:-1000}
paced=${PACED:-15}
rate=${RATE_GUESS:-8000}
gw_port=${BENCH_GATEWAY_PORT:-18380}
up_port=${BENCH_UPSTREAM_PORT:-18381}
database=${BENCH_DATABASE:-tollgate_bench}
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
            "--tollgate.chain.static-channels[$ch].operator=0x15d34aaf54267db7d7c367839aaf71a00a2c6a65"
            "--tollgate.chain.static-channels[$ch].prices=1000,2500"
            "--tollgate.chain.static-channels[$ch].deposit=1000000000000000000000000000")
    done
done

tollgate_log "signing vouchers"
for phase in warmup measure; do
    secs=$warmup; [ "$phase" = measure ] && secs=$((rounds * round + paced * paced_rate / rate + 1))
    n=$(( rate * secs * 3 / 4 + 10000 ))
    for thread in 0 1; do
        "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$gateway_jar" -Dloader.main=io.tollgate.gateway.bench.BenchVouchers \
            org.springframework.boot.loader.launch.PropertiesLauncher \
            "$work/$phase-$thread.txt" "${channel_of[$phase-$thread]}" 31337 0 "$n" 1000 2500
    done
done

tollgate_log "usage goes to database $database (dropped and created)"
psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $database" -c "CREATE DATABASE $database"
for migration in $(ls "$root"/db/migrations/V*.sql | sort -V); do
    psql -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres -d "$database" -f "$migration" >/dev/null
done

"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$upstream_jar" --port="$up_port" >"$work/upstream.log" 2>&1 &
pids+=($!)
# shellcheck disable=SC2086 # GATEWAY_JAVA_OPTS is a list of options
"$JAVA_HOME/bin/java" ${GATEWAY_JAVA_OPTS:-} --enable-native-access=ALL-UNNAMED -jar "$gateway_jar" --server.port="$gw_port" \
    --spring.config.additional-location="file:$here/application-bench.yml" \
    --tollgate.upstream-url="http://127.0.0.1:$up_port" "${channel_args[@]}" \
    --tollgate.gateway.usage.jdbc-url="jdbc:postgresql://127.0.0.1:5432/$database" --tollgate.gateway.usage.username=postgres >"$work/gateway.log" 2>&1 &
pids+=($!)
gateway_pid=$!
upstream_pid=${pids[0]}
redis_pid=$(redis-cli info server | tr -d '\r' | awk -F: '$1 == "process_id" {print $2}')
for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$gw_port/actuator/health" >/dev/null 2>&1 && break
    sleep 1
done
curl -fsS "http://127.0.0.1:$gw_port/unpaid/weather/berlin" >/dev/null
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Payment-Voucher: $(sed -n 2p "$work/warmup-1.txt")" \
    "http://127.0.0.1:$gw_port/paid/weather/berlin")
[ "$status" = 200 ] || { tollgate_log "paid probe answered $status"; cat "$work/gateway.log" >&2; exit 1; }

tollgate_log "warming up ${warmup}s per route"
wrk -t2 -c20 -d"${warmup}s" -s "$here/vouchers.lua" "http://127.0.0.1:$gw_port/unpaid/weather/berlin" -- "$work/warmup" \
    >/dev/null
rm -f "$work"/warmup-*.next # the paid warm-up starts at count 1
wrk -t2 -c20 -d"${warmup}s" -s "$here/vouchers.lua" "http://127.0.0.1:$gw_port/paid/weather/berlin" -- "$work/warmup" >/dev/null

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # user + system CPU of a process, in clock ticks
hz=$(getconf CLK_TCK)
# one round of one route: appends "requests seconds p50ms p99ms non2xx gateway upstream redis(ticks) wrk(s)"
measure() { # name url [voucher file prefix]
    local name=$1 url=$2 g0 u0 r0 g1 u1 r1 script=()
    [ $# -ge 3 ] && script=(-s "$here/vouchers.lua")
    g0=$(ticks "$gateway_pid"); u0=$(ticks "$upstream_pid"); r0=$(ticks "$redis_pid")
    /usr/bin/time -f '%U %S' -o "$work/wrkcpu" \
        wrk -t2 -c20 -d"${round}s" --latency "${script[@]}" "$url" ${3:+-- "$3"} >"$work/round.out"
    g1=$(ticks "$gateway_pid"); u1=$(ticks "$upstream_pid"); r1=$(ticks "$redis_pid")
    awk -v g=$((g1 - g0)) -v u=$((u1 - u0)) -v r=$((r1 - r0)) -v w="$(tail -n1 "$work/wrkcpu")" '
        function ms(t) { if (t ~ /us$/) return t / 1000; if (t ~ /ms$/) return t + 0; if (t ~ /m$/) return t * 60000; return t * 1000 }
        / requests in / { n = $1; secs = $4 + 0 }
        $1 == "50%" { p50 = ms($2) }
        $1 == "99%" { p99 = ms($2) }
        /Non-2xx/ { bad = $NF }
        END { split(w, t, " "); print n, secs, p50, p99, bad + 0, g, u, r, t[1] + t[2] }' "$work/round.out" >>"$work/$name.rounds"
}

tollgate_log "measuring: $rounds rounds of ${round}s per route, alternating"
for thread in 0 1; do ln -s "$work/warmup-$thread.txt" "$work/unpaid-$thread.txt"; done
for i in $(seq 1 "$rounds"); do
    measure unpaid "http://127.0.0.1:$gw_port/unpaid/weather/berlin" "$work/unpaid"
    measure paid "http://127.0.0.1:$gw_port/paid/weather/berlin" "$work/measure"
    paste -d' ' <(tail -n1 "$work/unpaid.rounds") <(tail -n1 "$work/paid.rounds") | awk -v i="$i" '{
        printf "round %d: unpaid %8.0f rps  paid %8.0f rps  ratio %.2f\n", i, $1 / $2, $10 / $11, ($10 / $11) / ($1 / $2) }'
done

report() { # name: totals over the rounds
    sort -n -k3 "$work/$1.rounds" | awk '{ p50[NR] = $3 } END { print p50[int((NR + 1) / 2)] }' >"$work/$1.p50"
    sort -n -k4 "$work/$1.rounds" | awk '{ p99[NR] = $4 } END { print p99[int((NR + 1) / 2)] }' >"$work/$1.p99"
    awk -v name="$1" -v hz="$hz" -v p50="$(cat "$work/$1.p50")" -v p99="$(cat "$work/$1.p99")" '
        { n += $1; secs += $2; bad += $5; g += $6; u += $7; r += $8; w += $9 }
        END {
            us = 1e6 / n
            printf "%-7s rps %10.2f  p50 %6.2fms  p99 %6.2fms  non-2xx %d  (%d requests)\n", name, n / secs, p50, p99, bad, n
            printf "        CPU us/request: gateway %.0f  upstream %.0f  redis %.0f  wrk %.0f\n",
                g / hz * us, u / hz * us, r / hz * us, w * us
        }' "$work/$1.rounds"
}
report unpaid
report paid

tollgate_log "latency at a fixed $paced_rate rps, ${paced}s per route"
paced_run() { # name url prefix
    wrk -t2 -c20 -d"${paced}s" --latency -s "$here/paced.lua" "$2" -- "$3" $((paced_rate / 2)) >"$work/$1.paced"
    awk -v name="$1" '
        function ms(t) { if (t ~ /us$/) return t / 1000; if (t ~ /ms$/) return t + 0; if (t ~ /m$/) return t * 60000; return t * 1000 }
        / requests in / { n = $1; secs = $4 + 0 }
        $1 == "50%" { p50 = ms($2) }
        $1 == "99%" { p99 = ms($2) }
        /Non-2xx/ { bad = $NF }
        END { printf "%-7s at %6.0f rps: p50 %6.2fms  p99 %6.2fms  non-2xx %d\n", name, n / secs, p50, p99, bad + 0; print p50 > "/dev/stderr" }' \
        "$work/$1.paced" 2>"$work/$1.paced.p50"
}
paced_run unpaid "http://127.0.0.1:$gw_port/unpaid/weather/berlin" "$work/unpaid"
paced_run paid "http://127.0.0.1:$gw_port/paid/weather/berlin" "$work/measure"
awk -v p="$(cat "$work/paid.paced.p50")" -v u="$(cat "$work/unpaid.paced.p50")" \
    'BEGIN { printf "added p50 at a fixed rate: %.2f ms\n", p - u }'
sleep 3 # one more usage flush (every 2 s)
used=$(psql -tA -h 127.0.0.1 -U postgres -d "$database" -c "SELECT coalesce(sum(requests), 0) FROM gateway_usage_minute")
echo "usage rows record $used paid requests (warm-up included)"
echo "command: WARMUP=$warmup ROUNDS=$rounds ROUND=$round PACED_RATE=$paced_rate PACED=$paced RATE_GUESS=$rate gateway/bench/run.sh"
awk -v p="$(awk '{ n += $1; s += $2 } END { print n / s }' "$work/paid.rounds")" \
    -v u="$(awk '{ n += $1; s += $2 } END { print n / s }' "$work/unpaid.rounds")" \
    'BEGIN { printf "paid/unpaid throughput ratio: %.2f\n", p / u }'

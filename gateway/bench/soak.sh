#!/usr/bin/env bash
# Soak: one gateway under paid load for a long time at half of its measured maximum paid throughput, on its own
# Redis (append-only file, fsync always) and with usage rows written to PostgreSQL. Every SOAK_SAMPLE seconds it
# samples the gateway's heap (all of it, and the G1 old generation: what survives young collections), its
# resident memory, Redis' used
# memory, the gateway's open file descriptors and its TCP connections (from clients, to the upstream, to
# Redis, to PostgreSQL), and prints the curve, the first and last minute and the wrk summary.
#
# Env: SOAK_DURATION (s, 600), SOAK_RATE (paid rps; default: half of the maximum, measured first for
#      MAX_DURATION s after WARMUP s), SOAK_SAMPLE (s, 10), MAX_DURATION (30), WARMUP (20),
#      SOAK_GATEWAY_PORT (31380), SOAK_UPSTREAM_PORT (31381), SOAK_REDIS_PORT (31379),
#      SOAK_DATABASE (tollgate_faults_soak: created, migrated from db/migrations, dropped at the end; "none": no
#      usage rows), BENCH_JAVA_OPTS (gateway JVM options, default -Xmx512m).
# Needs `mvn -DskipTests package` first. Command: gateway/bench/soak.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"

duration=${SOAK_DURATION:-600}
sample=${SOAK_SAMPLE:-10}
max_duration=${MAX_DURATION:-30}
warmup=${WARMUP:-20}
gw_port=${SOAK_GATEWAY_PORT:-31380}
up_port=${SOAK_UPSTREAM_PORT:-31381}
redis_port=${SOAK_REDIS_PORT:-31379}
database=${SOAK_DATABASE:-tollgate_faults_soak}
export BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS:--Xmx512m}
commit=$(git -C "$bench_root" rev-parse --short HEAD 2>/dev/null || echo unknown)

usage_args=()
if [ "$database" != none ]; then
    psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null
    psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE $database" >/dev/null
    for migration in $(ls "$bench_root"/db/migrations/V*__*.sql | sort -V); do
        psql -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres -d "$database" -f "$migration" >/dev/null
    done
    usage_args=(--tollgate.gateway.usage.jdbc-url="jdbc:postgresql://127.0.0.1:5432/$database"
        --tollgate.gateway.usage.username=postgres)
fi
soak_cleanup() {
    bench_cleanup
    if [ "$database" != none ]; then
        psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null || true
    fi
}
trap soak_cleanup EXIT

deposit=1000000000000000000000000000
declare -A channel
for phase in warm max soak; do
    for thread in 0 1; do
        bench_channel "$deposit"
        channel[$phase-$thread]=$bench_last_channel
    done
done
tollgate_log "signing vouchers for the warm-up and the maximum"
for thread in 0 1; do
    bench_sign "$bench_work/warm-$thread.txt" "${channel[warm-$thread]}" $(( 6000 * warmup + 10000 ))
    bench_sign "$bench_work/max-$thread.txt" "${channel[max-$thread]}" $(( 6000 * max_duration + 10000 ))
done

bench_start_redis "$redis_port"
bench_start_upstream "$up_port"
bench_start_gateway "$gw_port" "$up_port" "$redis_port" "${usage_args[@]}"
url="http://127.0.0.1:$gw_port/paid/weather/berlin"

if [ -z "${SOAK_RATE:-}" ]; then
    tollgate_log "warming up ${warmup}s, then measuring the maximum paid throughput for ${max_duration}s"
    wrk -t2 -c20 -d"${warmup}s" -s "$bench_here/vouchers.lua" "$url" -- "$bench_work/warm" >/dev/null
    wrk -t2 -c20 -d"${max_duration}s" --latency -s "$bench_here/vouchers.lua" "$url" -- "$bench_work/max" \
        >"$bench_work/max.out"
    read -r max_rps max_p50 max_p99 max_non2xx < <(bench_wrk_summary "$bench_work/max.out")
    printf 'maximum paid throughput: %s rps (p50 %s, p99 %s, non-2xx %s)\n' "$max_rps" "$max_p50" "$max_p99" "$max_non2xx"
    rate=$(awk -v m="$max_rps" 'BEGIN { printf "%d", m / 2 }')
else
    rate=$SOAK_RATE
fi
per_thread=$(( rate / 2 ))
tollgate_log "signing $(( per_thread * duration * 21 / 20 + 1000 )) vouchers per thread for ${duration}s at $rate rps"
for thread in 0 1; do
    bench_sign "$bench_work/soak-$thread.txt" "${channel[soak-$thread]}" $(( per_thread * duration * 21 / 20 + 1000 ))
done

mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
conns() { ss -Htn state established "$1" 2>/dev/null | wc -l; }
sampler() {
    local start accepted_before accepted now then t heap old rss redis fds from to_up to_redis to_pg
    start=$(date +%s)
    then=$(date +%s%N)
    accepted_before=$(bench_metric "$gw_port" tollgate.voucher.checks outcome:accepted)
    printf 't_s\tpaid_rps\theap_used_mb\told_gen_mb\trss_mb\tredis_used_mb\tfds\tconn_clients\tconn_upstream\tconn_redis\tconn_pg\n'
    while true; do
        sleep "$sample"
        now=$(date +%s); t=$(( now - start ))
        accepted=$(bench_metric "$gw_port" tollgate.voucher.checks outcome:accepted)
        local elapsed_ms=$(( ($(date +%s%N) - then) / 1000000 ))
        then=$(date +%s%N)
        heap=$(bench_metric "$gw_port" jvm.memory.used area:heap)
        old=$(bench_metric "$gw_port" jvm.memory.used "id:G1%20Old%20Gen")
        rss=$(awk '/VmRSS/ {print $2 * 1024}' "/proc/$bench_gateway_pid/status" 2>/dev/null || echo 0)
        redis=$(redis-cli -p "$redis_port" info memory | awk -F: '/^used_memory:/ {print $2+0}')
        fds=$(ls "/proc/$bench_gateway_pid/fd" 2>/dev/null | wc -l)
        from=$(conns "( sport = :$gw_port )")
        to_up=$(conns "( dport = :$up_port )")
        to_redis=$(conns "( dport = :$redis_port )")
        to_pg=$(ss -Htnp state established "( dport = :5432 )" 2>/dev/null | grep -c "pid=$bench_gateway_pid," || true)
        printf '%d\t%d\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\n' "$t" $(( (accepted - accepted_before) * 1000 / elapsed_ms )) \
            "$(mb "$heap")" "$(mb "$old")" "$(mb "$rss")" "$(mb "$redis")" "$fds" "$from" "$to_up" "$to_redis" "$to_pg"
        accepted_before=$accepted
    done
}
sampler >"$bench_work/samples.tsv" &
sampler_pid=$!
bench_pids+=("$sampler_pid")

tollgate_log "soaking ${duration}s at $rate paid rps (wrk -t2 -c20, paced), sampling every ${sample}s"
wrk -t2 -c20 -d"${duration}s" --timeout 10s --latency -s "$bench_here/paced.lua" "$url" -- "$bench_work/soak" "$per_thread" \
    >"$bench_work/soak.out"
sleep "$sample"
kill "$sampler_pid" 2>/dev/null || true

echo "== curve (every ${sample}s)"
column -t -s $'\t' "$bench_work/samples.tsv"
read -r soak_rps soak_p50 soak_p99 soak_non2xx < <(bench_wrk_summary "$bench_work/soak.out")
errors=$(awk '/Socket errors/ {print}' "$bench_work/soak.out")
python3 - "$bench_work/samples.tsv" "$sample" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
head, rows = rows[0], [list(map(float, r)) for r in rows[1:] if len(r) == len(rows[0])]
per_min = max(1, int(60 / float(sys.argv[2])))
first, last = rows[:per_min], rows[-per_min - 1:-1] if len(rows) > per_min + 1 else rows[-per_min:]
def avg(rs, i): return sum(r[i] for r in rs) / len(rs)
print("== first minute vs last minute of load (averages)")
for i, name in enumerate(head):
    if i == 0: continue
    print(f"{name:>14}: {avg(first, i):10.1f} -> {avg(last, i):10.1f}   (max {max(r[i] for r in rows):.1f})")
PY
printf 'soak: %s s at %s rps asked, %s rps done, p50 %s, p99 %s, non-2xx %s %s\n' "$duration" "$rate" "$soak_rps" \
    "$soak_p50" "$soak_p99" "$soak_non2xx" "$errors"
if [ "$database" != none ]; then
    sleep 3 # one flush interval
    accepted=$(bench_metric "$gw_port" tollgate.voucher.checks outcome:accepted)
    dropped=$(bench_metric "$gw_port" tollgate.usage.dropped)
    rows=$(psql -tA -h 127.0.0.1 -U postgres -d "$database" -c "SELECT coalesce(sum(requests), 0) FROM gateway_usage_minute" 2>/dev/null || echo "?")
    echo "usage: $accepted paid requests accepted in the whole run (warm-up and maximum included), $rows in gateway_usage_minute, $dropped dropped"
fi
echo "command: SOAK_DURATION=$duration SOAK_RATE=$rate gateway/bench/soak.sh   (commit $commit, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores)"

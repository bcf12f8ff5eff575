#!/usr/bin/env bash
# Refusal paths under a flood: how many requests per second one gateway refuses, compared with what it serves.
# Drives, each for DURATION s at concurrency 20 (wrk -t2 -c20) after a warm-up: the unpaid route (reference),
# the paid route with fresh vouchers (reference), no voucher (402 payment-required), one voucher of a channel
# with no deposit sent over and over (402 payment-insufficient: what a consumer with an unfunded channel
# floods with), a voucher of a channel the gateway does not know (403 channel-unknown) and a malformed voucher
# (400), and vouchers for a different made-up channel address on every request (403 channel-unknown, each one
# looked up: the old generation is printed before and after). Prints rps, p50, p99 and the share of the unpaid route's throughput, and how many ledger scripts
# (EVALSHA) Redis ran per refused request.
#
# Env: DURATION (s, 20), WARMUP (s, 10), FLOOD_GATEWAY_PORT (31480), FLOOD_UPSTREAM_PORT (31481),
#      FLOOD_REDIS_PORT (31479), BENCH_JAVA_OPTS. Needs `mvn -DskipTests package` first.
# Command: gateway/bench/flood.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"

duration=${DURATION:-20}
warmup=${WARMUP:-10}
gw_port=${FLOOD_GATEWAY_PORT:-31480}
up_port=${FLOOD_UPSTREAM_PORT:-31481}
redis_port=${FLOOD_REDIS_PORT:-31479}
commit=$(git -C "$bench_root" rev-parse --short HEAD 2>/dev/null || echo unknown)

declare -A channel
for name in warm-0 warm-1 paid-0 paid-1; do
    bench_channel 1000000000000000000000000000
    channel[$name]=$bench_last_channel
done
bench_channel 0
unfunded=$bench_last_channel
for name in warm-0 warm-1 paid-0 paid-1; do
    bench_sign "$bench_work/${name}.txt" "${channel[$name]}" $(( 8000 * duration + 10000 ))
done
bench_sign "$bench_work/unfunded.txt" "$unfunded" 1
# a channel nobody declared: same signer, unknown address
bench_sign "$bench_work/unknown.txt" "$(bench_random_address)" 1

bench_start_redis "$redis_port"
bench_start_upstream "$up_port"
bench_start_gateway "$gw_port" "$up_port" "$redis_port"
base="http://127.0.0.1:$gw_port"

evalsha() { redis-cli -p "$redis_port" info commandstats | awk -F'[:=,]' '/^cmdstat_(evalsha|eval):/ {n += $3} END {print n + 0}'; }

tollgate_log "warming up ${warmup}s on every path"
wrk -t2 -c20 -d"${warmup}s" "$base/unpaid/weather/berlin" >/dev/null
wrk -t2 -c20 -d"${warmup}s" -s "$bench_here/vouchers.lua" "$base/paid/weather/berlin" -- "$bench_work/warm" >/dev/null
wrk -t2 -c20 -d"${warmup}s" -H "Payment-Voucher: $(cat "$bench_work/unfunded.txt")" "$base/paid/weather/berlin" >/dev/null
wrk -t2 -c20 -d"${warmup}s" "$base/paid/weather/berlin" >/dev/null

run() { # name expected-status wrk-args…
    local name=$1 before after
    shift
    before=$(evalsha)
    wrk -t2 -c20 -d"${duration}s" --latency "$@" >"$bench_work/$name.out"
    after=$(evalsha)
    read -r rps p50 p99 non2xx < <(bench_wrk_summary "$bench_work/$name.out")
    total=$(awk '/requests in/ {print $1}' "$bench_work/$name.out")
    printf '%-22s %10s rps  p50 %8s  p99 %8s  non-2xx %9s  ledger scripts/request %s\n' "$name" "$rps" "$p50" "$p99" \
        "$non2xx" "$(awk -v e=$(( after - before )) -v t="$total" 'BEGIN { printf "%.2f", (t > 0 ? e / t : 0) }')"
    eval "rps_${name//-/_}=$rps"
}
echo "== ${duration}s each, wrk -t2 -c20"
run unpaid "$base/unpaid/weather/berlin"
run paid -s "$bench_here/vouchers.lua" "$base/paid/weather/berlin" -- "$bench_work/paid"
run payment-required "$base/paid/weather/berlin"
run payment-insufficient -H "Payment-Voucher: $(cat "$bench_work/unfunded.txt")" "$base/paid/weather/berlin"
run channel-unknown -H "Payment-Voucher: $(cat "$bench_work/unknown.txt")" "$base/paid/weather/berlin"
run voucher-malformed -H "Payment-Voucher: not-a-voucher" "$base/paid/weather/berlin"
old_before=$(bench_metric "$gw_port" jvm.memory.used "id:G1%20Old%20Gen")
run random-channels -s "$bench_here/random-channels.lua" "$base/paid/weather/berlin"
old_after=$(bench_metric "$gw_port" jvm.memory.used "id:G1%20Old%20Gen")
random_total=$(awk '/requests in/ {print $1}' "$bench_work/random-channels.out")
awk -v b="$old_before" -v a="$old_after" -v n="$random_total" 'BEGIN {
    printf "random-channels: %d made-up channel addresses; old generation %.1f MB -> %.1f MB\n", n, b / 1048576, a / 1048576 }'
echo "== share of the unpaid route's throughput"
for name in paid payment_required payment_insufficient channel_unknown voucher_malformed random_channels; do
    var="rps_$name"
    awk -v n="$name" -v r="${!var}" -v u="$rps_unpaid" 'BEGIN { printf "%-22s %.2f\n", n, r / u }'
done
echo "command: DURATION=$duration gateway/bench/flood.sh   (commit $commit, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores)"

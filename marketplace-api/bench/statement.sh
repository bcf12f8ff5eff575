#!/usr/bin/env bash
# Benchmark (measured, never asserted): a consumer's monthly statement over 1,000,000 gateway usage rows.
# Starts the marketplace on a fresh database tollgate_statement_bench on the machine's PostgreSQL, seeds
# 10 channels x 2 categories x 50,000 minutes of usage plus their ChannelCreated events, warms up 30 s,
# then times 40 statements one after another with hey and prints p50/p95. Target: < 1 s.
# Usage: marketplace-api/bench/statement.sh [rows-per-channel-and-category (default 50000)]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
source "$root/scripts/env.sh"
tollgate_require_jdk25
tollgate_ensure_packages hey
tollgate_ensure_services
cd "$root"
minutes=${1:-50000}
db=tollgate_statement_bench
port=18190
secret="statement-bench-secret-0123456789abcdef"
consumer=0x70997970c51812dc3a010c5bf0cd6f7ae8c3f1e7
log=$(mktemp /tmp/statement-bench.XXXXXX.log)

mvn -B -q -pl marketplace-api -am package -DskipTests
psql -q -h 127.0.0.1 -U postgres -d test -c "drop database if exists $db with (force)" -c "create database $db"

"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar marketplace-api/target/tollgate-marketplace-api-0.1.0-SNAPSHOT.jar \
    --server.port=$port --spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/$db \
    --spring.datasource.username=postgres --tollgate.identity.token-secret=$secret \
    --tollgate.identity.domain=127.0.0.1:$port --tollgate.identity.uri=http://127.0.0.1:$port/ >"$log" 2>&1 &
app=$!
trap 'kill $app 2>/dev/null; wait $app 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$port/actuator/health" >/dev/null 2>&1 && break; sleep 0.5; done

tollgate_log "seeding $((minutes * 20)) usage rows"
psql -q -h 127.0.0.1 -U postgres -d $db <<SQL
insert into chain_block (number, hash, parent_hash, time)
select n, '0x' || lpad(to_hex(n), 64, '0'), '0x' || lpad(to_hex(n + 1000000), 64, '0'), now() - interval '40 days'
from generate_series(1, 10) n;
insert into chain_event (block_number, log_index, tx_hash, address, channel, name, args, amount_wei)
select n, 0, '0x' || lpad(to_hex(n), 64, '0'), '0x' || lpad('f', 40, 'f'), '0x' || lpad(to_hex(n), 40, '0'),
       'ChannelCreated', json_build_object('channel', '0x' || lpad(to_hex(n), 40, '0'), 'owner', '$consumer',
       'payout', '0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc')::jsonb, null
from generate_series(1, 10) n;
insert into gateway_usage_minute (minute, listing_id, channel, epoch, category, requests, value_wei, status_2xx)
select date_trunc('minute', now()) - make_interval(mins => m), 'weather', '0x' || lpad(to_hex(c), 40, '0'),
       1 + m / 10000, k, 1 + (m % 7), (1 + (m % 7)) * 1000000000000::numeric * (k + 1), 1 + (m % 7)
from generate_series(1, 10) c, generate_series(0, 1) k, generate_series(0, $minutes - 1) m;
analyze;
SQL

b64() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
header=$(printf '{"alg":"HS256","typ":"JWT"}' | b64)
now=$(date +%s)
payload=$(printf '{"iss":"tollgate-marketplace","sub":"%s","roles":["consumer"],"iat":%d,"exp":%d}' \
    "$consumer" "$now" $((now + 3600)) | b64)
signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -hmac "$secret" -binary | b64)
token="$header.$payload.$signature"
from=$(date -u -d '30 days ago' +%Y-%m-%dT%H:%M:%SZ)
url="http://127.0.0.1:$port/api/billing/statement?from=$from&granularity=day"
rows=$(curl -fsS -H "Authorization: Bearer $token" "$url" | grep -o '"requests":[0-9]*' | head -n1)
tollgate_log "statement answers ($rows); warming up 30 s"
hey -z 30s -c 1 -H "Authorization: Bearer $token" "$url" >/dev/null
result=$(hey -n 40 -c 1 -H "Authorization: Bearer $token" "$url")
echo "$result" | sed -n '/Summary/,/Latency distribution/p;/50%/p;/95%/p;/Status code/,/^$/p'
total=$(psql -tA -h 127.0.0.1 -U postgres -d $db -c "select count(*) from gateway_usage_minute")
echo "statement over $total usage rows (30 days of them in the period): p50 $(echo "$result" | awk '/50%/ {print $3}') s, p95 $(echo "$result" | awk '/95%/ {print $3}') s"
echo "command: marketplace-api/bench/statement.sh $minutes"

#!/usr/bin/env bash
# Catalogue search benchmark (not a test): builds the marketplace, starts it on a fresh PostgreSQL database
# (tollgate_search_bench on 127.0.0.1:5432, user postgres), seeds 10,000 listings of 200 providers directly
# in SQL, warms up, then drives a mix of searches one after the other with hey at concurrency 8 and prints
# p50, p95 and requests per second of each, with the hey command that measured it. Stops the marketplace
# and drops the database at the end (KEEP_DB=1 keeps it). Target: p95 < 50 ms.
#
# Env: WARMUP (s, default 30), DURATION (s per query, default 20), CONCURRENCY (8), LISTINGS (10000),
#      BENCH_MARKETPLACE_PORT (18390), SKIP_BUILD=1 (reuse marketplace-api/target's jar), KEEP_DB=1.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
source "$root/scripts/env.sh"
tollgate_require_jdk25
command -v hey >/dev/null || tollgate_ensure_packages hey
tollgate_require_commands mvn psql curl hey awk

warmup=${WARMUP:-30}
duration=${DURATION:-20}
concurrency=${CONCURRENCY:-8}
listings=${LISTINGS:-10000}
port=${BENCH_MARKETPLACE_PORT:-18390}
database=tollgate_search_bench
pg=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p 5432 -U postgres)
work="$(mktemp -d -t tollgate-search-bench.XXXXXX)"
base="http://127.0.0.1:$port"

if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    tollgate_log "port $port is in use: set BENCH_MARKETPLACE_PORT"
    exit 1
fi

app=""
cleanup() {
    if [ -n "$app" ] && kill -0 "$app" 2>/dev/null; then
        kill -TERM "$app" 2>/dev/null || true
        for _ in $(seq 1 30); do kill -0 "$app" 2>/dev/null || break; sleep 1; done
        kill -KILL "$app" 2>/dev/null || true
        tollgate_log "marketplace stopped"
    fi
    if [ "${KEEP_DB:-0}" != 1 ]; then
        "${pg[@]}" -d postgres -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

if [ "${SKIP_BUILD:-0}" != 1 ]; then
    tollgate_log "building the marketplace (mvn package, tests skipped)"
    (cd "$root" && mvn -B -q -ntp -pl marketplace-api -am package -DskipTests) >"$work/build.log" 2>&1 \
        || { tollgate_log "the build failed:"; tail -n 40 "$work/build.log" >&2; exit 1; }
fi
jar="$(ls "$root"/marketplace-api/target/tollgate-marketplace-api-*.jar | grep -v -e '\.original$' | head -n1)"

tollgate_log "creating a fresh database $database"
"${pg[@]}" -d postgres -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" -c "CREATE DATABASE $database"

# the marketplace migrates the schema (Flyway, V1..) on start; no demo data, no chain needed for the catalogue
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xms512m -Xmx1g -jar "$jar" \
    --server.port="$port" \
    --spring.datasource.url="jdbc:postgresql://127.0.0.1:5432/$database" \
    --spring.datasource.username=postgres \
    --tollgate.demo.enabled=false \
    --tollgate.identity.domain="127.0.0.1:$port" --tollgate.identity.uri="http://127.0.0.1:$port/" \
    --logging.level.root=WARN >"$work/marketplace.log" 2>&1 &
app=$!
for _ in $(seq 1 120); do
    curl -fsS -o /dev/null "$base/actuator/health" 2>/dev/null && break
    kill -0 "$app" 2>/dev/null || { tollgate_log "the marketplace exited:"; tail -n 40 "$work/marketplace.log" >&2; exit 1; }
    sleep 1
done
curl -fsS -o /dev/null "$base/actuator/health" || { tollgate_log "the marketplace did not start"; exit 1; }

tollgate_log "seeding $listings listings"
"${pg[@]}" -d "$database" -v listings="$listings" <<'SQL'
BEGIN;
INSERT INTO provider (slug, name, payout_address)
SELECT 'provider-' || p,
       (ARRAY['Acme', 'Northwind', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Hooli', 'Vandelay', 'Tyrell'])[1 + p % 10]
           || ' ' || (ARRAY['Data', 'Labs', 'Systems', 'Cloud', 'Networks', 'Analytics', 'Services', 'Works'])[1 + (p / 10) % 8]
           || ' ' || p,
       '0x' || lpad(to_hex(p), 40, '0')
FROM generate_series(1, 200) AS p;

INSERT INTO listing (slug, provider_id, name, description, upstream_url, docs_url, token_address, created_at)
SELECT 'listing-' || i,
       (SELECT id FROM provider WHERE slug = 'provider-' || (1 + i % 200)),
       (ARRAY['Fast', 'Global', 'Open', 'Secure', 'Smart', 'Daily', 'Live', 'Precise', 'Simple', 'Rapid', 'Urban',
              'Solar', 'Deep', 'Quiet', 'Prime'])[1 + i % 15]
           || ' ' || (ARRAY['Weather', 'Quotes', 'Geocoding', 'Translation', 'Images', 'Payments', 'Maps', 'News',
                            'Sports', 'Flights', 'Crypto', 'Search', 'Email', 'Messaging', 'Vision', 'Speech',
                            'Traffic', 'Energy', 'Health', 'Shipping'])[1 + (i / 15) % 20]
           || ' API ' || i,
       'Provides ' || (ARRAY['current', 'historical', 'aggregated', 'raw', 'curated'])[1 + i % 5] || ' data for '
           || (ARRAY['Europe', 'Asia', 'the Americas', 'Africa', 'Oceania', 'the whole world'])[1 + i % 6]
           || ', updated every ' || (1 + i % 60) || ' minutes. Listing ' || i || '.',
       'https://upstream.example/' || i,
       CASE WHEN i % 3 = 0 THEN 'https://docs.example/' || i END,
       CASE WHEN i % 10 = 0 THEN '0x' || lpad(to_hex(1 + i % 5), 40, '0') END,
       now() - make_interval(mins => i)
FROM generate_series(1, :listings) AS i;

-- 1 to 4 categories per listing, prices from 1e8 to about 1e20 wei
INSERT INTO listing_category (listing_id, category, name, price_wei)
SELECT l.id, k,
       (ARRAY['lookup', 'search', 'bulk', 'stream', 'forecast', 'history', 'realtime', 'batch', 'premium', 'basic',
              'translate', 'export'])[1 + (l.id * 7 + k * 5) % 12],
       (1 + (l.id * 31 + k * 17) % 997)::numeric * power(10::numeric, 8 + (l.id + 3 * k) % 12)::numeric(78, 0)
FROM listing l
CROSS JOIN LATERAL generate_series(0, (l.id % 4)::int) AS k;

INSERT INTO listing_route (listing_id, position, method, path_pattern, category)
SELECT listing_id, category, 'GET', '/c' || category || '/**', category FROM listing_category;
COMMIT;
-- what autovacuum does soon after a bulk load: statistics for the planner, a visibility map
VACUUM ANALYZE;
SQL
"${pg[@]}" -d "$database" -At -c "SELECT count(*) || ' listings, ' || (SELECT count(*) FROM listing_category)
    || ' categories, ' || (SELECT count(*) FROM provider) || ' providers' FROM listing" >&2

# name|query string
queries=(
    "free text|q=weather"
    "category|category=bulk"
    "maxPriceWei|maxPriceWei=1000000000"
    "sort=price|sort=price"
    "all four|q=smart&category=search&maxPriceWei=100000000000000&sort=price"
)
for entry in "${queries[@]}"; do
    query=${entry#*|}
    total=$(curl -fsS -D - -o /dev/null "$base/api/listings?$query" | awk -F': ' 'tolower($1) == "x-total-count" {print $2}' | tr -d '\r')
    tollgate_log "/api/listings?$query matches ${total:-?} listings"
done

tollgate_log "warming up ${warmup}s (all queries at once, concurrency $concurrency in all)"
warm_pids=()
per=$(( (concurrency + ${#queries[@]} - 1) / ${#queries[@]} ))
for entry in "${queries[@]}"; do
    hey -z "${warmup}s" -c "$per" "$base/api/listings?${entry#*|}" >/dev/null &
    warm_pids+=($!)
done
for pid in "${warm_pids[@]}"; do wait "$pid"; done

printf '\n%-12s %9s %9s %9s %8s  %s\n' query p50_ms p95_ms rps non_200 command
for entry in "${queries[@]}"; do
    name=${entry%%|*}
    url="$base/api/listings?${entry#*|}"
    command=(hey -z "${duration}s" -c "$concurrency" "$url")
    "${command[@]}" >"$work/out.txt"
    rps=$(awk '/Requests\/sec:/ {printf "%.0f", $2}' "$work/out.txt")
    p50=$(awk '$1 == "50%" && $2 == "in" {printf "%.1f", $3 * 1000}' "$work/out.txt")
    p95=$(awk '$1 == "95%" && $2 == "in" {printf "%.1f", $3 * 1000}' "$work/out.txt")
    non200=$(awk '/^  \[[0-9]+\]/ && $1 != "[200]" {n += $2} END {print n + 0}' "$work/out.txt")
    printf '%-12s %9s %9s %9s %8s  %s\n' "$name" "$p50" "$p95" "$rps" "$non200" "${command[*]}"
done
echo

#!/usr/bin/env bash
# Writes docs/economics.md (and docs/economics-transactions.csv): what a provider pays to get paid, from the
# receipts of the settlement-economics scenario (issue 18) run on anvil with the gateway's real ledger and
# redemption scheduler on a simulated clock, before (release 1) and after (release 2 claims), plus release 2's
# batch claims. See gateway/src/test/java/io/tollgate/gateway/economics/.
#
# Usage: scripts/economics.sh [--calls N] [--days D] [--price-usd P | --price-wei W] [--usd-per-ether E]
#            [--deposit-usd D] [--top-up-below-bps B] [--fees-gwei 1,0.01] [--categories 1,4,16] [--step 10m]
#            [--batch-sizes 1,10,50] [--out docs/economics.md] [--before auto|run|reuse|skip]
#            [--after auto|run|reuse|skip] [--parallel 3] [-- extra Maven arguments, e.g.
#            -Dtollgate.gateway.redemption.worth-ratio=100 to try other gateway settings]
# Every option also comes from the environment: ECONOMICS_CALLS, ECONOMICS_DAYS, ECONOMICS_PRICE_USD,
# ECONOMICS_PRICE_WEI, ECONOMICS_USD_PER_ETHER, ECONOMICS_DEPOSIT_USD, ECONOMICS_TOP_UP_BELOW_BPS,
# ECONOMICS_FEES_GWEI, ECONOMICS_CATEGORIES, ECONOMICS_STEP, ECONOMICS_BATCH_SIZES, ECONOMICS_OUT,
# ECONOMICS_DATABASE (the journal's PostgreSQL database, tollgate_economics), ECONOMICS_PORTS (a port range for
# the chains it starts, e.g. 27000-27999), ECONOMICS_BEFORE, ECONOMICS_PARALLEL (runs at a time). Defaults: the
# issue's scenario (1,000,000 calls over 30 days at $0.001, $3,000 per ether, a $100 deposit topped up below
# 20 %, 1 gwei and 0.01 gwei, k = 1, 4, 16). --before reuse renders the recorded before runs
# (docs/economics-runs.csv, docs/economics-transactions.csv) instead of running them: release 1's hourly
# scheduler is gone from the code since issue 18, so `auto` reuses them; --after likewise for the after runs.
# The runs take 20 to 40 minutes on 2 cores (reusing recorded runs: a few).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$tollgate_root"

props=()
add() { [ -n "$2" ] && props+=("-Dtollgate.economics.$1=$2"); return 0; }
days="${ECONOMICS_DAYS:-}"
extra=()
while [ $# -gt 0 ]; do
    case "$1" in
        --help|-h) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        --days) days="$2"; shift 2 ;;
        --calls|--price-usd|--price-wei|--usd-per-ether|--deposit-usd|--top-up-below-bps|--fees-gwei|--categories|--step|--batch-sizes|--out|--before|--after|--parallel)
            add "${1#--}" "$2"; shift 2 ;;
        --) shift; extra=("$@"); break ;;
        *) tollgate_log "unknown option $1 (see --help)"; exit 2 ;;
    esac
done
add calls "${ECONOMICS_CALLS:-}"
add price-usd "${ECONOMICS_PRICE_USD:-}"
add price-wei "${ECONOMICS_PRICE_WEI:-}"
add usd-per-ether "${ECONOMICS_USD_PER_ETHER:-}"
add deposit-usd "${ECONOMICS_DEPOSIT_USD:-}"
add top-up-below-bps "${ECONOMICS_TOP_UP_BELOW_BPS:-}"
add fees-gwei "${ECONOMICS_FEES_GWEI:-}"
add categories "${ECONOMICS_CATEGORIES:-}"
add step "${ECONOMICS_STEP:-}"
add batch-sizes "${ECONOMICS_BATCH_SIZES:-}"
add database "${ECONOMICS_DATABASE:-}"
add before "${ECONOMICS_BEFORE:-}"
add after "${ECONOMICS_AFTER:-}"
add parallel "${ECONOMICS_PARALLEL:-}"
commit="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
git diff --quiet HEAD -- gateway contracts pricing client 2>/dev/null || commit="$commit+changes"
add commit "$commit"
[ -n "$days" ] && add period "${days}d"
ports=()
[ -n "${ECONOMICS_PORTS:-}" ] && ports=("-Dtollgate.test.ports=$ECONOMICS_PORTS")
out="${ECONOMICS_OUT:-docs/economics.md}"
for p in "${props[@]}"; do case "$p" in -Dtollgate.economics.out=*) out="${p#*=}" ;; esac; done

tollgate_require_jdk25
tollgate_ensure_packages redis-server postgresql-client
tollgate_require_commands mvn npm node
tollgate_ensure_services
[ -x contracts/node_modules/.bin/anvil ] || (cd contracts && npm ci --no-audit --no-fund)

log="$(mktemp -t tollgate-economics.XXXXXX.log)"
tollgate_log "running the scenario (log: $log)"
# -am builds pricing, contracts (solc, wrappers) and client first; -Dtest names the one class, which no other
# module has (and the normal suite never runs: its name is no test's)
if ! mvn -B -ntp -pl gateway -am test -Dforge.skip=true -Dtest=EconomicsScenario \
        -Dsurefire.failIfNoSpecifiedTests=false "-Dtollgate.economics.out=$out" "${props[@]}" "${ports[@]}" \
        "${extra[@]}" >"$log" 2>&1; then
    grep -E 'ECONOMICS|ERROR|FAIL|Exception' "$log" | head -40 >&2
    tollgate_log "the scenario failed (log: $log)"
    exit 1
fi
grep -E '^ECONOMICS' "$log" || true
tollgate_log "written: $out"

#!/usr/bin/env bash
# Paid calls through the running demo's gateway with the Java client library:
# scripts/demo-call.sh [count] [path]            the ether demo channel: count calls (3) to /weather/weather/berlin,
#                                                category 0, at 0.000001 ether a call
# scripts/demo-call.sh fx-rates [count] [path]   the demo USD channel: count calls (3) to /fx-rates/fx/rates/eurusd,
#                                                category 0, at 0.001 USDT-demo (1000 base units) a call
# Each line: status, accepted count, remaining credit, the call's cost, body.
# Uses TOLLGATE_DEMO_DIR and TOLLGATE_GATEWAY_PORT like scripts/demo.sh.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$tollgate_root"
tollgate_require_jdk25
demo_dir=${TOLLGATE_DEMO_DIR:-.demo}
state="$demo_dir/chain/demo.properties"
[ -f "$state" ] || { tollgate_log "no demo chain state in $state: start scripts/demo.sh first"; exit 1; }
prop() { sed -n "s/^$1=//p" "$state"; }
if [ "${1:-}" = fx-rates ]; then
    shift
    count=${1:-3}
    path=${2:-/fx-rates/fx/rates/eurusd}
    channel=$(prop USD_CHANNEL)
    [ -n "$channel" ] || { tollgate_log "the demo chain in $state has no USD channel: restart scripts/demo.sh"; exit 1; }
    # the fx-rates listing's prices in DemoUsd's smallest unit (6 decimals); the history used epoch 1
    terms=(--epoch="$(prop USD_CHANNEL_EPOCH)" --unit=USDT-demo:6)
    prices=(1000 2000)
else
    count=${1:-3}
    path=${2:-/weather/weather/berlin}
    channel=$(prop CHANNEL)
    terms=()
    prices=(1000000000000 2500000000000)
fi
case $path in
    /fx-rates/fx/history/*) category=1 ;;
    /weather/forecast/*) category=1 ;;
    *) category=0 ;;
esac
gateway_jar=$(ls gateway/target/tollgate-gateway-*.jar | head -n1)
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$gateway_jar" \
    -Dloader.main=io.tollgate.client.demo.DemoCall org.springframework.boot.loader.launch.PropertiesLauncher \
    "${terms[@]}" "http://127.0.0.1:${TOLLGATE_GATEWAY_PORT:-8080}$path" "$category" "$count" "$channel" \
    "$(prop CHANNEL_SIGNER_KEY)" "$demo_dir/client-counters.log" "${prices[@]}"

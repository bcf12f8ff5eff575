#!/usr/bin/env bash
# Paid calls through the running demo's gateway with the Java client library, paid by the demo channel:
# scripts/demo-call.sh [count] [path]   (default: 3 calls to /weather/weather/berlin, category 0)
# Uses TOLLGATE_DEMO_DIR and TOLLGATE_GATEWAY_PORT like scripts/demo.sh.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$tollgate_root"
tollgate_require_jdk25
count=${1:-3}
path=${2:-/weather/weather/berlin}
demo_dir=${TOLLGATE_DEMO_DIR:-.demo}
state="$demo_dir/chain/demo.properties"
[ -f "$state" ] || { tollgate_log "no demo chain state in $state: start scripts/demo.sh first"; exit 1; }
prop() { sed -n "s/^$1=//p" "$state"; }
gateway_jar=$(ls gateway/target/tollgate-gateway-*.jar | head -n1)
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$gateway_jar" \
    -Dloader.main=io.tollgate.client.demo.DemoCall org.springframework.boot.loader.launch.PropertiesLauncher \
    "http://127.0.0.1:${TOLLGATE_GATEWAY_PORT:-8080}$path" 0 "$count" "$(prop CHANNEL)" "$(prop CHANNEL_SIGNER_KEY)" \
    "$demo_dir/client-counters.log" 1000000000000 2500000000000

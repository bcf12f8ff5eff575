#!/usr/bin/env bash
# JMH benchmarks of the gateway's per-request check (VoucherCheckBenchmark: parse; parse + recover;
# parse + cache + policy + recover; the ledger's Lua round trip on the machine's Redis). Prints µs/op.
# Extra arguments go to JMH (e.g. `-f 1 -wi 2 -i 3`).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
source "$root/scripts/env.sh"
tollgate_require_jdk25
cd "$root"
mvn -B -q -pl gateway -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/jmh.classpath -Dmdep.includeScope=test
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
    -cp "gateway/target/test-classes:gateway/target/classes:$(cat gateway/target/jmh.classpath)" \
    org.openjdk.jmh.Main VoucherCheckBenchmark "$@"

#!/usr/bin/env bash
# JMH benchmarks of the client's per-request cost (VoucherSigningBenchmark: EIP-712 digest; digest + sign +
# header; fsync'd counter + sign). Prints µs/op. Extra arguments go to JMH (e.g. `-f 1 -wi 2 -i 3`).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
source "$root/scripts/env.sh"
tollgate_require_jdk25
cd "$root"
mvn -B -q -pl client -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/jmh.classpath -Dmdep.includeScope=test
echo "command: client/bench/jmh.sh $*"
exec "$JAVA_HOME/bin/java" \
    -cp "client/target/test-classes:client/target/classes:$(cat client/target/jmh.classpath)" \
    org.openjdk.jmh.Main VoucherSigningBenchmark "$@"

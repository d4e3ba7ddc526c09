#!/usr/bin/env bash
# Chaos benchmark (see ChaosBench.java): bench/chaos/run.sh [requests] [concurrency] [fault rate]
# Builds first when the gateway jar or the plugins are missing (BENCH_BUILD=1 forces it).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
if [ "${BENCH_BUILD:-0}" = 1 ] || [ ! -f gateway-runtime/target/sluice-gateway.jar ] || [ ! -d target/plugins ]; then
  ./mvnw -B -q install -DskipTests ${MAVEN_ARGS:-}
fi
TESTKIT="$(ls plugin-api/target/sluice-plugin-api-*-tests.jar | head -1)"
CP="gateway-runtime/target/sluice-gateway.jar:gateway-runtime/target/lib/*:$TESTKIT"
exec java ${CHAOS_JAVA_OPTS:--Xms512m -Xmx1g} -Dsluice.root="$ROOT" -Dlogback.configurationFile="$ROOT/bench/logback-bench.xml" \
  -cp "$CP" bench/chaos/ChaosBench.java "$@"

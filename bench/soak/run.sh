#!/usr/bin/env bash
# Soak (see SoakBench.java): bench/soak/run.sh [minutes] [concurrency] [fault rate]
# Needs PostgreSQL on 127.0.0.1:5432 (trust auth for postgres; SOAK_PG=postgresql://host:port picks another); each
# run makes and drops its own database. The gateway runs as ./sluice runs it; the fake upstream listens on a free
# loopback port. Builds first when the gateway jar or the plugins are missing (BENCH_BUILD=1 forces it).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
if [ "${BENCH_BUILD:-0}" = 1 ] || [ ! -f gateway-runtime/target/sluice-gateway.jar ] || [ ! -d target/plugins ]; then
  ./mvnw -B -q install -DskipTests ${MAVEN_ARGS:-}
fi
TESTKIT="$(ls plugin-api/target/sluice-plugin-api-*-tests.jar | head -1)"
CP="gateway-runtime/target/sluice-gateway.jar:gateway-runtime/target/lib/*:$TESTKIT"
exec java ${SOAK_JAVA_OPTS:--Xmx512m} -Dsluice.root="$ROOT" -Dlogback.configurationFile="$ROOT/bench/logback-bench.xml" \
  -cp "$CP" bench/soak/SoakBench.java "$@"

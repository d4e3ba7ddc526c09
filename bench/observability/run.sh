#!/usr/bin/env bash
# CPU cost of the observability observers per request (metrics, access-log rendering, access-log writing), on one
# thread, independent of other load on the machine (thread/process CPU time, not wall time). See bench/RESULTS.md.
#   bench/observability/run.sh [REQUESTS]      (default 1000000; builds the gateway jar if missing)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$ROOT/bench/out/observability"
mkdir -p "$OUT"
if [ ! -f "$ROOT/gateway-runtime/target/sluice-gateway.jar" ]; then (cd "$ROOT" && ./mvnw -q -B -DskipTests package) >&2; fi
CP="$ROOT/gateway-runtime/target/sluice-gateway.jar:$ROOT/gateway-runtime/target/lib/*"
javac -d "$OUT" -cp "$CP" "$ROOT/bench/observability/ObserverCost.java"
java -Xms256m -Xmx256m -Dlogback.configurationFile="$ROOT/bench/observability/logback-sync.xml" \
  -cp "$OUT:$CP" ObserverCost "${1:-1000000}" > "$OUT/access.jsonl"
echo "access-log lines written: $(wc -l < "$OUT/access.jsonl") ($OUT/access.jsonl)"

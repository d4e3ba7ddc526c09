#!/usr/bin/env bash
# Exact-cache hit against a 0 ms upstream call (the in-process demo provider, and an OpenAI-compatible fake on
# loopback), all through Sluice: service time (Server-Timing) and throughput at saturation. Needs ./mvnw install.
# Usage: bench/exact-cache/run.sh [requests per kind] [concurrency] [seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-5000}
OUT=bench/exact-cache/target
. bench/classpath.sh
CP="gateway-runtime/target/classes:$(bench_classpath "$OUT" gateway-runtime)"
javac -d "$OUT/classes" -cp "$CP" bench/exact-cache/src/ExactCacheBench.java
exec java -Xms1g -cp "$OUT/classes:$CP" ExactCacheBench "$(pwd)/target/plugins" "$N" "${2:-32}" "${3:-5}"

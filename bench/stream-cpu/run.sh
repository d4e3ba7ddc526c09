#!/usr/bin/env bash
# CPU time and heap bytes allocated by Sluice's event loops per streamed and per JSON request, one JVM (gateway +
# fake upstream + client), 0 ms upstream. A CPU-time and allocation measurement, not a load benchmark.
# Needs ./mvnw install -DskipTests first.
# Usage: bench/stream-cpu/run.sh [requests per round] [rounds] [connections] [modes] [chunks]
# JFR: STREAM_CPU_JFR=out.jfr bench/stream-cpu/run.sh (1 ms execution samples, bench/stream-cpu/profile.jfc).
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=bench/stream-cpu/target
. bench/classpath.sh
CP="gateway-runtime/target/classes:$(bench_classpath "$OUT" gateway-runtime)"
javac -d "$OUT/classes" -cp "$CP" bench/stream-cpu/src/StreamCpuBench.java
JFR=()
if [ -n "${STREAM_CPU_JFR:-}" ]; then
  JFR=("-XX:StartFlightRecording=filename=$STREAM_CPU_JFR,settings=$(pwd)/bench/stream-cpu/profile.jfc")
fi
# The access log goes to standard output: discarded here, as a file would be.
exec java -Xms512m -Xmx512m -XX:+UseParallelGC "${JFR[@]}" -cp "$OUT/classes:$CP" StreamCpuBench \
  "$(pwd)/target/plugins" "${1:-20000}" "${2:-6}" "${3:-32}" "${4:-stream,json}" "${5:-8}" > >(grep -v '^{' || true)

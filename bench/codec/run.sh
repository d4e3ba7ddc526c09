#!/usr/bin/env bash
# Per-chunk cost of reading an upstream stream chunk: the streaming reader against a JSON tree parse, same JVM.
# Needs `./mvnw install -DskipTests` first. Usage: bench/codec/run.sh [rounds] [chunks per round]
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=bench/codec/target
. bench/classpath.sh
CP="openai-wire/target/classes:plugin-api/target/classes:$(bench_classpath "$OUT" openai-wire "")"
javac -d "$OUT/classes" -cp "$CP" bench/codec/src/ChunkCodecBench.java
exec java -Xms512m -cp "$OUT/classes:$CP" ChunkCodecBench "${1:-7}" "${2:-400000}"

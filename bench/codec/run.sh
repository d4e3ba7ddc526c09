#!/usr/bin/env bash
# Per-chunk cost of reading an upstream stream chunk: the streaming reader against a JSON tree parse, same JVM.
# Needs `./mvnw install -DskipTests` first. Usage: bench/codec/run.sh [rounds] [chunks per round]
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=${MAVEN_REPO:-$HOME/.m2/repository}
OUT=bench/codec/target
mkdir -p "$OUT"
if [ ! -f "$OUT/cp.txt" ]; then
  ./mvnw -B -q -o -Dmaven.repo.local="$REPO" -pl plugin-api dependency:build-classpath \
    -Dmdep.outputFile="$(pwd)/$OUT/cp.txt"
fi
CP="plugin-api/target/classes:$(cat "$OUT/cp.txt")"
javac -d "$OUT/classes" -cp "$CP" bench/codec/src/ChunkCodecBench.java
exec java -Xms512m -cp "$OUT/classes:$CP" ChunkCodecBench "${1:-7}" "${2:-400000}"

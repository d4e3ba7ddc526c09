#!/usr/bin/env bash
# Replays the QQP pairs through the semantic cache's embedder, index and guard.
# Usage: bench/semantic-cache/run.sh [calibration|test] [pairs] [q|full] [index size] [guard settings: maxNewTerms:maxNewWords,... e.g. 0:0,0:1]
# Filler entries (texts of the rest of the half, then of the other half; never scored as right) bring the
# index to [index size] for the latency and memory figures.
# Tune on calibration; report on test. Reads ../shared/data (never copied into the repository).
set -euo pipefail
cd "$(dirname "$0")/../.."
HALF=${1:-calibration}; PAIRS=${2:-10000}; MODEL=${3:-q}; FILL=${4:-0}; GUARD=${5:-0:0}
DATA="$(cd .. && pwd)/shared/data/semantic-cache/qqp-$HALF.jsonl.gz"
OTHER="$(cd .. && pwd)/shared/data/semantic-cache/qqp-$([ "$HALF" = test ] && echo calibration || echo test).jsonl.gz"
OUT=bench/semantic-cache/target
. bench/classpath.sh
CP="gateway-runtime/target/classes:$(bench_classpath "$OUT" gateway-runtime)"
javac -d "$OUT/classes" -cp "$CP" bench/semantic-cache/src/dev/sluice/gateway/cache/*.java
exec java -Xmx6g -cp "$OUT/classes:$CP" dev.sluice.gateway.cache.SemanticCacheBench "$DATA" "$PAIRS" "$MODEL" "$FILL" "$GUARD" "$OTHER"

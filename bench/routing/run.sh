#!/usr/bin/env bash
# bench/routing: difficulty estimators against random and prompt length, on RouteLLM's MMLU + GSM8K labels.
# Usage: bench/routing/run.sh          # report (trains per split, reports on held-out subjects / datasets)
#        bench/routing/run.sh write    # also retrain the shipped models on the TRAIN split and write them to
#                                      # plugins/routing-strategies/src/main/resources/difficulty/
# Label and L2 of the logistic regressions: BENCH_LABEL (soft | gain | weak_fails), BENCH_LAMBDA (0.3).
# Reads ../shared/data/routing (never copied into the repository); embeddings are cached in bench/routing/target.
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA="$(cd .. && pwd)/shared/data/routing/mmlu-gsm8k-routellm.jsonl.gz"
REPO=${MAVEN_REPO:-$HOME/.m2/repository}
OUT=bench/routing/target
mkdir -p "$OUT"
if [ ! -d plugins/routing-strategies/target/classes ] || [ ! -d gateway-runtime/target/classes ]; then
  ./mvnw -B -q -o -Dmaven.repo.local="$REPO" -DskipTests install
fi
if [ ! -f "$OUT/cp.txt" ]; then
  ./mvnw -B -q -o -Dmaven.repo.local="$REPO" -pl gateway-runtime dependency:build-classpath \
    -Dmdep.outputFile="$(pwd)/$OUT/cp.txt" -Dmdep.includeScope=test
fi
CP="plugins/routing-strategies/target/classes:plugin-api/target/classes:$(cat "$OUT/cp.txt")"
javac -d "$OUT/classes" -cp "$CP" bench/routing/src/dev/sluice/plugins/routing/*.java
exec java -Xmx3g -Dlogback.configurationFile=bench/logback-bench.xml -cp "$OUT/classes:$CP" dev.sluice.plugins.routing.RoutingBench "$DATA" "$OUT/embeddings.bin" \
  "${1:-report}" plugins/routing-strategies/src/main/resources/difficulty

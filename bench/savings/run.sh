#!/usr/bin/env bash
# Savings: a replayed workload through Sluice and the demo provider priced as a premium and a cheap tier, once
# with every lever on and once with none; prints the savings report, each lever's share and the quality kept.
# Reads ../shared/data (never copied into the repository). Needs ./mvnw install (plugins in target/plugins).
# Usage: bench/savings/run.sh [seed]      (SAVINGS_AUTO=1 routes the QA prompts with model: auto)
set -euo pipefail
cd "$(dirname "$0")/../.."
SEED=${1:-42}
DATA="$(cd .. && pwd)/shared/data"
OUT=bench/savings/target
. bench/classpath.sh
CP="gateway-runtime/target/classes:$(bench_classpath "$OUT" gateway-runtime)"
javac -d "$OUT/classes" -cp "$CP" bench/savings/src/SavingsBench.java
exec java -Xmx2g -Dsavings.auto="${SAVINGS_AUTO:+true}" -Dlogback.configurationFile=bench/logback-bench.xml \
  -cp "$OUT/classes:$CP" SavingsBench "$(pwd)/target/plugins" "$DATA" "$(pwd)/$OUT" "$SEED"

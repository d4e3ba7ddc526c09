#!/usr/bin/env bash
# Governance overhead: the same load through two gateways in the same run, alternating, against one fake
# OpenAI upstream at 50 ms: "bare" (storage.postgres: none, master key) and "governed" (embedded PostgreSQL, a
# virtual key with rpm/tpm/concurrency limits and a budget: auth + limits + budget + spend journal + flush).
#   bench/governance.sh        (BENCH_DURATION=15 BENCH_ROUNDS=3 BENCH_CONNECTIONS=50 BENCH_LATENCY=50)
# Run bench/run.sh once first (or ./mvnw package) so the jars and bench/out/deps.cp exist.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/bench/out/governance"
mkdir -p "$OUT"
DURATION="${BENCH_DURATION:-15}"; ROUNDS="${BENCH_ROUNDS:-3}"; CONNS="${BENCH_CONNECTIONS:-50}"; LAT="${BENCH_LATENCY:-50}"
FAKE_PORT=19201; BARE_PORT=19202; GOV_PORT=19203
API_JAR="$(ls "$ROOT"/plugin-api/target/sluice-plugin-api-*-SNAPSHOT.jar | grep -v -- '-tests.jar' | head -1)"
API_TESTS_JAR="$(ls "$ROOT"/plugin-api/target/sluice-plugin-api-*-tests.jar | head -1)"
[ -s "$ROOT/bench/out/deps.cp" ] || (cd "$ROOT" && ./mvnw -q -B dependency:build-classpath -f plugin-api/pom.xml \
  -Dmdep.includeScope=test -Dmdep.outputFile="$ROOT/bench/out/deps.cp") >&2
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
java -Xms256m -Xmx256m -XX:+UseSerialGC -Dlogback.configurationFile="$ROOT/bench/logback-bench.xml" \
  -cp "$API_TESTS_JAR:$API_JAR:$(cat "$ROOT/bench/out/deps.cp")" dev.sluice.testkit.FakeOpenAiUpstream \
  --host 127.0.0.1 --port "$FAKE_PORT" --latency-ms "$LAT" > "$OUT/fake.out" 2>&1 &
PIDS+=($!)
KEY="sk-bench-governed-key-000000000001"
config() { # config PORT STORAGE EXTRA
  cat <<YAML
server: {host: 127.0.0.1, port: $1, master_key: sk-sluice-bench, event_loops: 2}
storage: {postgres: $2, data_dir: "$OUT/data"}
providers: [{id: fake, type: openai, base_url: "http://127.0.0.1:$FAKE_PORT/v1", api_key: x, max_connections: 300}]
models: [{name: bench, deployments: [{provider: fake, model: gpt-4o-mini}]}]
$3
YAML
}
rm -rf "$OUT/data"
config $BARE_PORT none "" > "$OUT/bare.yaml"
config $GOV_PORT embedded "keys: [{key: $KEY, team: bench, user: u1, org: o1, models: [bench],
  limits: {rpm: 100000000, tpm: 1000000000000, concurrency: 100000}, budget: {usd: 1000000, period: daily}}]" > "$OUT/gov.yaml"
for t in bare gov; do
  JAVA_OPTS="-Xms512m -Xmx512m -XX:+UseParallelGC" "$ROOT/sluice" --config "$OUT/$t.yaml" > "$OUT/$t.out" 2> "$OUT/$t.log" &
  PIDS+=($!)
done
for port in $BARE_PORT $GOV_PORT; do
  for _ in $(seq 1 300); do curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break; sleep 0.2; done
done
BODY="$OUT/body.json"
printf '%s\n' '{"model":"bench","messages":[{"role":"user","content":"Say hello to the benchmark."}],"max_tokens":16}' > "$BODY"
run() { # run PORT KEY SECONDS -> "rps p50ms p99ms non2xx"
  local raw; raw="$(BENCH_BODY_FILE="$BODY" BENCH_AUTH="$2" wrk -t2 -c"$CONNS" -d"$3s" --latency \
    -s "$ROOT/bench/post.lua" "http://127.0.0.1:$1/v1/chat/completions")"
  echo "$raw" | awk '/^Requests\/sec:/ {r=$2} $1=="50%" {p50=$2} $1=="99%" {p99=$2} /Non-2xx/ {e=$NF}
    function ms(v) { n=v+0; if (v ~ /us$/) n/=1000; else if (v ~ /[^m]s$/) n*=1000; return n }
    END { printf "%s %.3f %.3f %d\n", r, ms(p50), ms(p99), e }'
}
run $BARE_PORT sk-sluice-bench 5 > /dev/null; run $GOV_PORT "$KEY" 5 > /dev/null   # warm-up
: > "$OUT/results.txt"
for r in $(seq 1 "$ROUNDS"); do
  b="$(run $BARE_PORT sk-sluice-bench "$DURATION")"; g="$(run $GOV_PORT "$KEY" "$DURATION")"
  echo "round $r bare: $b | governed: $g" | tee -a "$OUT/results.txt" >&2
done
awk '{ split($0, a, "\\|"); split(a[1], b, " "); split(a[2], g, " ");
       bp[NR]=b[5]; gp[NR]=g[3]; br[NR]=b[4]; gr[NR]=g[2]; be+=b[7]; ge+=g[5] }
  function med(x, n,   i, j, t) { for (i=2;i<=n;i++){t=x[i];for(j=i-1;j>=1&&x[j]>t;j--)x[j+1]=x[j];x[j+1]=t}
    return n%2 ? x[(n+1)/2] : (x[n/2]+x[n/2+1])/2 }
  END { n=NR; B=med(bp,n); G=med(gp,n); printf "median of %d rounds: bare p50 %.3f ms, %.0f RPS; governed p50 %.3f ms, %.0f RPS; added p50 %+.3f ms (aim <= 0.3); non-2xx bare %d, governed %d\n", n, B, med(br,n), G, med(gr,n), G-B, be, ge }' "$OUT/results.txt"
sleep 2
echo "spend journal + PostgreSQL: $(grep -c . "$OUT"/data/journal/*.jsonl 2>/dev/null | awk -F: '{s+=$2} END {print s+0}') records still in the journal"

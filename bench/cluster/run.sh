#!/usr/bin/env bash
# Cluster overhead: the same load, in the same run, alternating, through
#   "single"  one Sluice node (cluster.enabled: false: its counters on a loopback-only Hazelcast member of its own)
#   "cluster" three Sluice nodes clustered on loopback (cluster.enabled: true), the load spread over all three
# against one fake OpenAI upstream at 50 ms, with a governed virtual key (rpm/tpm/concurrency limits and a budget:
# every request takes from the cluster-wide pools). Both use the same PostgreSQL server (a database each).
# Each target gets three wrk processes (one connection group per node for "cluster", all on the one node for
# "single"), so the load generators are the same; p50 is the median of the three, RPS their sum.
# Round trips: each node logs at shutdown how many calls it made to pool owners and how many crossed the network.
#   bench/cluster/run.sh   (BENCH_DURATION=10 BENCH_ROUNDS=3 BENCH_CONNECTIONS=60 BENCH_LATENCY=50 BENCH_WARMUP=10
#                           BENCH_PG=postgres://postgres@127.0.0.1:5432)
# Needs a build (./mvnw package, or bench/run.sh once), wrk, and psql/createdb for BENCH_PG.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$ROOT/bench/out/cluster"
mkdir -p "$OUT"
DURATION="${BENCH_DURATION:-10}"; ROUNDS="${BENCH_ROUNDS:-3}"; CONNS="${BENCH_CONNECTIONS:-60}"
LAT="${BENCH_LATENCY:-50}"; PG="${BENCH_PG:-postgres://postgres@127.0.0.1:5432}"; WARMUP="${BENCH_WARMUP:-10}"
FAKE_PORT=19301; SINGLE_PORT=19302; NODE_PORTS=(19311 19312 19313); HZ_PORTS=(19321 19322 19323)
PER=$((CONNS / 3))
API_JAR="$(ls "$ROOT"/plugin-api/target/sluice-plugin-api-*-SNAPSHOT.jar | grep -v -- '-tests.jar' | head -1)"
API_TESTS_JAR="$(ls "$ROOT"/plugin-api/target/sluice-plugin-api-*-tests.jar | head -1)"
[ -s "$ROOT/bench/out/deps.cp" ] || (cd "$ROOT" && ./mvnw -q -B dependency:build-classpath -f plugin-api/pom.xml \
  -Dmdep.includeScope=test -Dmdep.outputFile="$ROOT/bench/out/deps.cp") >&2
RUN_ID="$$"
DBS=("sluice_bench_single_$RUN_ID" "sluice_bench_cluster_$RUN_ID")
for db in "${DBS[@]}"; do psql -q "$PG/postgres" -c "CREATE DATABASE $db" >/dev/null; done
PIDS=()
NODE_PIDS=()
cleanup() {
  for p in "${PIDS[@]}" "${NODE_PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  for db in "${DBS[@]}"; do psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT
java -Xms256m -Xmx256m -XX:+UseSerialGC -Dlogback.configurationFile="$ROOT/bench/logback-bench.xml" \
  -cp "$API_TESTS_JAR:$API_JAR:$(cat "$ROOT/bench/out/deps.cp")" dev.sluice.testkit.FakeOpenAiUpstream \
  --host 127.0.0.1 --port "$FAKE_PORT" --latency-ms "$LAT" > "$OUT/fake.out" 2>&1 &
PIDS+=($!)
KEY="sk-bench-cluster-key-0000000000001"
MEMBERS="127.0.0.1:${HZ_PORTS[0]},127.0.0.1:${HZ_PORTS[1]},127.0.0.1:${HZ_PORTS[2]}"
config() { # config PORT DB DATA CLUSTER
  cat <<YAML
server: {host: 127.0.0.1, port: $1, master_key: sk-sluice-bench, event_loops: 2}
storage: {postgres: "$PG/$2", data_dir: "$3"}
cluster: $4
routing: {watch: 0s}
providers: [{id: fake, type: openai, base_url: "http://127.0.0.1:$FAKE_PORT/v1", api_key: x, max_connections: 300}]
models: [{name: bench, price: {input: 0.15, output: 0.6}, deployments: [{provider: fake, model: gpt-4o-mini}]}]
keys: [{key: $KEY, team: bench, user: u1, org: o1, models: [bench],
  limits: {rpm: 100000000, tpm: 1000000000000, concurrency: 100000}, budget: {usd: 1000000, period: daily}}]
YAML
}
rm -rf "$OUT"/data-*
config $SINGLE_PORT "${DBS[0]}" "$OUT/data-single" "{enabled: false}" > "$OUT/single.yaml"
for i in 0 1 2; do
  config "${NODE_PORTS[$i]}" "${DBS[1]}" "$OUT/data-node$i" "{enabled: true, name: sluice-bench-$RUN_ID, \
port: ${HZ_PORTS[$i]}, members: \"$MEMBERS\"}" > "$OUT/node$i.yaml"
done
start() { # start NAME -> pid
  JAVA_OPTS="-Xms384m -Xmx384m -XX:+UseParallelGC" "$ROOT/sluice" --config "$OUT/$1.yaml" > "$OUT/$1.out" 2> "$OUT/$1.log" &
  echo $!
}
NODE_PIDS+=("$(start single)")
# The first node alone first: the others join the cluster it formed.
NODE_PIDS+=("$(start node0)")
for _ in $(seq 1 300); do curl -fsS "http://127.0.0.1:${NODE_PORTS[0]}/health/ready" >/dev/null 2>&1 && break; sleep 0.2; done
NODE_PIDS+=("$(start node1)" "$(start node2)")
for port in $SINGLE_PORT "${NODE_PORTS[@]}"; do
  for _ in $(seq 1 300); do curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break; sleep 0.2; done
  curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null || { echo "node on $port did not start; see $OUT" >&2; exit 1; }
done
grep -h "joined cluster" "$OUT"/node*.log | sed 's/^.* - //' >&2 || true
BODY="$OUT/body.json"
printf '%s\n' '{"model":"bench","messages":[{"role":"user","content":"Say hello to the benchmark."}],"max_tokens":16}' > "$BODY"
wrk1() { # wrk1 PORT SECONDS -> raw wrk output
  BENCH_BODY_FILE="$BODY" BENCH_AUTH="$KEY" wrk -t1 -c"$PER" -d"$2s" --latency -s "$ROOT/bench/post.lua" \
    "http://127.0.0.1:$1/v1/chat/completions"
}
run() { # run PORT PORT PORT SECONDS -> "rps p50ms p99ms non2xx requests"
  local f; f="$(mktemp -d "$OUT/wrk.XXXX")"
  wrk1 "$1" "$4" > "$f/a" & local a=$!
  wrk1 "$2" "$4" > "$f/b" & local b=$!
  wrk1 "$3" "$4" > "$f/c" & local c=$!
  wait $a $b $c
  cat "$f/a" "$f/b" "$f/c" | awk '/^Requests\/sec:/ {r+=$2} $1=="50%" {p[++n]=ms($2)} $1=="99%" {q[++m]=ms($2)}
    /Non-2xx/ {e+=$NF} / requests in / {t+=$1}
    function ms(v) { x=v+0; if (v ~ /us$/) x/=1000; else if (v ~ /[^m]s$/) x*=1000; return x }
    function med3(a) { return a[1]>a[2] ? (a[2]>a[3] ? a[2] : (a[1]>a[3] ? a[3] : a[1])) : (a[1]>a[3] ? a[1] : (a[2]>a[3] ? a[3] : a[2])) }
    END { printf "%.0f %.3f %.3f %d %d\n", r, med3(p), med3(q), e, t }'
  rm -rf "$f"
}
TOTAL_CLUSTER=0
# Warm-up: each cluster node sees a third of the load, so it gets three times as long to see as many requests
# (and JIT-compile as much) as the single node.
c="$(run $SINGLE_PORT $SINGLE_PORT $SINGLE_PORT "$WARMUP")"
c="$(run "${NODE_PORTS[0]}" "${NODE_PORTS[1]}" "${NODE_PORTS[2]}" $((3 * WARMUP)))"
TOTAL_CLUSTER=$((TOTAL_CLUSTER + $(echo "$c" | awk '{print $5}')))
: > "$OUT/results.txt"
for r in $(seq 1 "$ROUNDS"); do
  s="$(run $SINGLE_PORT $SINGLE_PORT $SINGLE_PORT "$DURATION")"
  c="$(run "${NODE_PORTS[0]}" "${NODE_PORTS[1]}" "${NODE_PORTS[2]}" "$DURATION")"
  TOTAL_CLUSTER=$((TOTAL_CLUSTER + $(echo "$c" | awk '{print $5}')))
  echo "round $r single: $s | cluster: $c" | tee -a "$OUT/results.txt" >&2
done
# SIGTERM: each node drains, gives its leases back and logs its pool-owner calls.
for p in "${NODE_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
for p in "${NODE_PIDS[@]}"; do  # started in subshells: not this shell's children, so poll (bounded)
  for _ in $(seq 1 300); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
done
NODE_PIDS=()
calls() { grep -h "calls to pool owners" "$@" | sed -E 's/.*: ([0-9]+) calls to pool owners, ([0-9]+) of them.*/\1 \2/' \
  | awk '{c+=$1; r+=$2} END {printf "%d %d", c, r}'; }
read -r CC CR <<< "$(calls "$OUT"/node*.log)"
read -r SC SR <<< "$(calls "$OUT"/single.log)"
awk -v cc="$CC" -v cr="$CR" -v tc="$TOTAL_CLUSTER" -v sc="$SC" '{ split($0, a, "\\|"); split(a[1], s, " "); split(a[2], c, " ");
       sp[NR]=s[5]; cp[NR]=c[3]; sr[NR]=s[4]; cr2[NR]=c[2]; se+=s[7]; ce+=c[5] }
  function med(x, n,   i, j, t) { for (i=2;i<=n;i++){t=x[i];for(j=i-1;j>=1&&x[j]>t;j--)x[j+1]=x[j];x[j+1]=t}
    return n%2 ? x[(n+1)/2] : (x[n/2]+x[n/2+1])/2 }
  END { n=NR; S=med(sp,n); C=med(cp,n);
    printf "median of %d rounds: single p50 %.3f ms, %.0f RPS; cluster (3 nodes) p50 %.3f ms, %.0f RPS; added p50 %+.3f ms (aim <= 0.5); non-2xx single %d, cluster %d\n", n, S, med(sr,n), C, med(cr2,n), C-S, se, ce
    printf "cluster round trips: %d requests (warm-up included), %d calls to pool owners, %d over the network: %.5f network round trips per request (%.5f owner calls per request); single node: %d owner calls, none over a network\n", tc, cc, cr, (tc ? cr/tc : 0), (tc ? cc/tc : 0), sc }' "$OUT/results.txt"

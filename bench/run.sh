#!/usr/bin/env bash
# Sluice load benchmark: added latency and throughput against a fake OpenAI upstream, with a direct baseline
# (load generator -> fake) measured in the same run, alternating with the path through Sluice
# (load generator -> Sluice -> fake). See bench/README.md.
#
#   bench/run.sh                        full run (15 s per measurement, 3 rounds, ~8 minutes)
#   BENCH_DURATION=5 bench/run.sh       quick run (1 round unless BENCH_ROUNDS is set)
#
# Knobs (environment): BENCH_DURATION (s, 15), BENCH_WARMUP (s, 5, per scenario and target),
# BENCH_JIT_WARMUP (s, 20: Sluice alone, right after it starts), BENCH_ROUNDS (3; 1 when DURATION < 10),
# BENCH_CONNECTIONS (200), BENCH_LATENCIES ("0 50", ms), BENCH_MODES ("json stream"), BENCH_STREAM_CHUNKS (8),
# BENCH_TARGETS ("direct sluice"), BENCH_EVENT_LOOPS (2: Sluice's server.event_loops), BENCH_FAKE_PORT (19101), BENCH_SLUICE_PORT (19100), BENCH_BUILD=1 (force ./mvnw package),
# BENCH_EXTRA_CONFIG (YAML appended to Sluice's config, e.g. an observability: section),
# BENCH_JFR=1 (record a JFR profile of Sluice into bench/out/sluice.jfr), BENCH_STRICT=1 (exit 1 on a missed
# target), SLUICE_JAVA_OPTS / FAKE_JAVA_OPTS / LOADGEN_JAVA_OPTS (JVM flags).
# Everything listens on 127.0.0.1 only; every process started here is stopped on exit.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
OUT="$BENCH/out"
mkdir -p "$OUT"

DURATION="${BENCH_DURATION:-15}"
WARMUP="${BENCH_WARMUP:-5}"
JIT_WARMUP="${BENCH_JIT_WARMUP:-20}"
if [ -z "${BENCH_ROUNDS:-}" ]; then
  if [ "$DURATION" -lt 10 ]; then ROUNDS=1; else ROUNDS=3; fi
else
  ROUNDS="$BENCH_ROUNDS"
fi
CONNS="${BENCH_CONNECTIONS:-200}"
LATENCIES="${BENCH_LATENCIES:-0 50}"
MODES="${BENCH_MODES:-json stream}"
TARGETS="${BENCH_TARGETS:-direct sluice}" # "direct" alone checks the fake and the load generators without Sluice
STREAM_CHUNKS="${BENCH_STREAM_CHUNKS:-8}"
FAKE_PORT="${BENCH_FAKE_PORT:-19101}"
SLUICE_PORT="${BENCH_SLUICE_PORT:-19100}"
MASTER_KEY="sk-sluice-bench"
EVENT_LOOPS="${BENCH_EVENT_LOOPS:-2}"
SLUICE_JAVA_OPTS="${SLUICE_JAVA_OPTS:-}" # empty: ./sluice's own memory defaults
FAKE_JAVA_OPTS="${FAKE_JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseSerialGC}"
LOADGEN_JAVA_OPTS="${LOADGEN_JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseSerialGC}"
# The Java load generator warms its own JIT this long before it starts measuring (each invocation).
LOADGEN_WARMUP="${BENCH_LOADGEN_WARMUP:-3}"

log() { echo "[bench $(date +%H:%M:%S)] $*" >&2; }

# ---- processes: always cleaned up ----
FAKE_PID=""
SLUICE_PID=""
stop_pid() {
  local pid="$1"
  [ -n "$pid" ] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  stop_pid "$SLUICE_PID"; SLUICE_PID=""
  stop_pid "$FAKE_PID"; FAKE_PID=""
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- tools ----
command -v java >/dev/null || { echo "bench: java (17+) is required" >&2; exit 1; }
command -v curl >/dev/null || { echo "bench: curl is required" >&2; exit 1; }
if ! command -v wrk >/dev/null; then
  log "installing wrk"
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && apt-get install -y -qq wrk) >&2
  else
    echo "bench: wrk is required (apt-get install wrk)" >&2; exit 1
  fi
fi

# ---- build ----
GATEWAY_JAR="$ROOT/gateway-runtime/target/sluice-gateway.jar"
API_JAR="$(ls "$ROOT"/plugin-api/target/sluice-plugin-api-*-SNAPSHOT.jar 2>/dev/null | grep -v -- '-tests.jar' | head -1 || true)"
API_TESTS_JAR="$(ls "$ROOT"/plugin-api/target/sluice-plugin-api-*-tests.jar 2>/dev/null | head -1 || true)"
if [ "${BENCH_BUILD:-0}" = 1 ] || [ ! -f "$GATEWAY_JAR" ] || [ -z "$API_JAR" ] || [ -z "$API_TESTS_JAR" ] \
   || [ -z "$(ls "$ROOT"/target/plugins/*.jar 2>/dev/null)" ]; then
  log "building with ./mvnw -q -B -DskipTests package"
  (cd "$ROOT" && ./mvnw -q -B -DskipTests package) >&2
  API_JAR="$(ls "$ROOT"/plugin-api/target/sluice-plugin-api-*-SNAPSHOT.jar | grep -v -- '-tests.jar' | head -1)"
  API_TESTS_JAR="$(ls "$ROOT"/plugin-api/target/sluice-plugin-api-*-tests.jar | head -1)"
fi

# Run from a snapshot of the build: other builds of this checkout during the run (a developer's ./mvnw) must
# not replace jars under running JVMs (lazy class loading then fails with NoClassDefFoundError).
SNAP="$OUT/home"
rm -rf "$SNAP"
mkdir -p "$SNAP/gateway-runtime/target" "$SNAP/target/plugins" "$SNAP/lib"
cp "$ROOT/sluice" "$SNAP/sluice"
cp -r "$GATEWAY_JAR" "$ROOT/gateway-runtime/target/lib" "$SNAP/gateway-runtime/target/"
cp "$ROOT"/target/plugins/*.jar "$SNAP/target/plugins/"
cp "$API_JAR" "$SNAP/lib/plugin-api.jar"
cp "$API_TESTS_JAR" "$SNAP/lib/plugin-api-tests.jar"
API_JAR="$SNAP/lib/plugin-api.jar"
API_TESTS_JAR="$SNAP/lib/plugin-api-tests.jar"

# Dependencies of the fake upstream (the plugin-api test kit): resolved by Maven from the local repository.
if [ ! -s "$OUT/deps.cp" ] || [ "$ROOT/plugin-api/pom.xml" -nt "$OUT/deps.cp" ] || [ "$ROOT/pom.xml" -nt "$OUT/deps.cp" ]; then
  log "resolving the fake upstream's classpath"
  (cd "$ROOT" && ./mvnw -q -B dependency:build-classpath -f plugin-api/pom.xml -Dmdep.includeScope=test \
      -Dmdep.outputFile="$OUT/deps.cp") >&2
fi
DEPS_CP="$(cat "$OUT/deps.cp")"
FAKE_CP="$API_TESTS_JAR:$API_JAR:$DEPS_CP"
LOADGEN_CP="$(tr ':' '\n' < "$OUT/deps.cp" | grep -E '/(vertx-core|vertx-core-logging|netty-[^/]*|jackson-core)-[0-9][^/]*\.jar$' | paste -sd: -)"
if [ ! -f "$OUT/loadgen/LoadGen.class" ] || [ "$BENCH/src/LoadGen.java" -nt "$OUT/loadgen/LoadGen.class" ]; then
  log "compiling the load generator"
  mkdir -p "$OUT/loadgen"
  javac -d "$OUT/loadgen" -cp "$LOADGEN_CP" "$BENCH/src/LoadGen.java"
fi
LOADGEN_CP="$LOADGEN_CP:$OUT/loadgen"

# ---- request bodies ----
printf '%s\n' '{"model":"bench","messages":[{"role":"user","content":"Say hello to the benchmark."}],"max_tokens":16}' \
  > "$OUT/body-json.json"
printf '%s\n' '{"model":"bench","stream":true,"messages":[{"role":"user","content":"Say hello to the benchmark."}],"max_tokens":16}' \
  > "$OUT/body-stream.json"

# ---- Sluice config ----
CONFIG="$OUT/config.bench.yaml"
cat > "$CONFIG" <<EOF
# Generated by bench/run.sh: one model "bench" served by the fake OpenAI upstream on 127.0.0.1:$FAKE_PORT.
server:
  host: 127.0.0.1
  port: $SLUICE_PORT
  master_key: $MASTER_KEY
  event_loops: $EVENT_LOOPS
storage:
  postgres: none
providers:
  - {id: fake, type: openai, base_url: "http://127.0.0.1:$FAKE_PORT/v1", api_key: x, max_connections: $((CONNS + 56))}
models:
  - name: bench
    deployments:
      - {provider: fake, model: gpt-4o-mini, weight: 1}
EOF
# Extra top-level config sections, e.g. BENCH_EXTRA_CONFIG='observability: {access_log: {enabled: false}}'.
if [ -n "${BENCH_EXTRA_CONFIG:-}" ]; then printf '%s\n' "$BENCH_EXTRA_CONFIG" >> "$CONFIG"; fi

DIRECT_URL="http://127.0.0.1:$FAKE_PORT/v1/chat/completions"
SLUICE_URL="http://127.0.0.1:$SLUICE_PORT/v1/chat/completions"

wait_for() { # wait_for SECONDS PID DESCRIPTION COMMAND...
  local secs="$1" pid="$2" what="$3"; shift 3
  local deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "bench: $what exited during start-up" >&2; return 1; fi
    if [ "$SECONDS" -ge "$deadline" ]; then echo "bench: $what not ready after ${secs}s" >&2; return 1; fi
    sleep 0.2
  done
}

start_fake() { # start_fake LATENCY_MS
  local lat="$1"
  log "starting the fake upstream on 127.0.0.1:$FAKE_PORT (latency ${lat} ms, $STREAM_CHUNKS stream chunks)"
  # shellcheck disable=SC2086
  java $FAKE_JAVA_OPTS -Dlogback.configurationFile="$BENCH/logback-bench.xml" -cp "$FAKE_CP" \
    dev.sluice.testkit.FakeOpenAiUpstream --host 127.0.0.1 --port "$FAKE_PORT" --latency-ms "$lat" \
    --stream-chunks "$STREAM_CHUNKS" > "$OUT/fake-${lat}ms.out" 2> "$OUT/fake-${lat}ms.log" &
  FAKE_PID=$!
  wait_for 30 "$FAKE_PID" "the fake upstream" grep -q "listening on" "$OUT/fake-${lat}ms.out" \
    || { cat "$OUT/fake-${lat}ms.log" >&2; exit 1; }
}

start_sluice() {
  log "starting Sluice on 127.0.0.1:$SLUICE_PORT ($SLUICE_JAVA_OPTS)"
  local opts="$SLUICE_JAVA_OPTS"
  if [ "${BENCH_JFR:-0}" = 1 ]; then
    opts="$opts -XX:StartFlightRecording=filename=$OUT/sluice.jfr,settings=profile,dumponexit=true"
  fi
  JAVA_OPTS="$opts" "$SNAP/sluice" --config "$CONFIG" > "$OUT/sluice.out" 2> "$OUT/sluice.log" &
  SLUICE_PID=$!
  wait_for 120 "$SLUICE_PID" "Sluice" curl -fsS "http://127.0.0.1:$SLUICE_PORT/health/ready" \
    || { tail -50 "$OUT/sluice.log" >&2; exit 1; }
  log "$(grep -m1 'listening' "$OUT/sluice.out" || echo 'Sluice is ready')"
}

# CPU time (user + system) a process has used, in clock ticks; 0 when there is no such process.
cpu_ticks() { if [ -n "$1" ] && [ -r "/proc/$1/stat" ]; then awk '{ print $14 + $15 }' "/proc/$1/stat"; else echo 0; fi; }
TICK_US=$((1000000 / $(getconf CLK_TCK)))
# Busy CPU ticks of the whole machine (all cores): user + nice + system + irq + softirq + steal.
machine_busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
NCPU="$(nproc)"

# ---- one measurement ----
# measure TARGET(direct|sluice) MODE(json|stream) SECONDS -> prints "rps p50 p99 ttfb50 ttfb99 errors" (ms)
wrk_ms() { # wrk latency value with unit -> milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000; printf "%.3f", n }'
}
measure() {
  local target="$1" mode="$2" secs="$3" url
  if [ "$target" = direct ]; then url="$DIRECT_URL"; else url="$SLUICE_URL"; fi
  if [ "$mode" = json ]; then
    local raw
    raw="$(BENCH_BODY_FILE="$OUT/body-json.json" BENCH_AUTH="$MASTER_KEY" \
      wrk -t2 -c"$CONNS" -d"${secs}s" --timeout 10s --latency -s "$BENCH/post.lua" "$url")"
    echo "$raw" >> "$OUT/wrk.log"
    local rps p50 p99 non2xx sock
    rps="$(echo "$raw" | awk '/^Requests\/sec:/ { print $2 }')"
    p50="$(wrk_ms "$(echo "$raw" | awk '$1 == "50%" { print $2 }')")"
    p99="$(wrk_ms "$(echo "$raw" | awk '$1 == "99%" { print $2 }')")"
    non2xx="$(echo "$raw" | awk '/Non-2xx or 3xx responses:/ { print $NF }')"
    sock="$(echo "$raw" | awk '/Socket errors:/ { gsub(/,/, ""); print $4 + $6 + $8 + $10 }')"
    echo "$rps $p50 $p99 $p50 $p99 $(( ${non2xx:-0} + ${sock:-0} ))"
  else
    local line
    # shellcheck disable=SC2086
    line="$(java $LOADGEN_JAVA_OPTS -cp "$LOADGEN_CP" LoadGen --url "$url" --body-file "$OUT/body-stream.json" \
      --header "Authorization: Bearer $MASTER_KEY" --connections "$CONNS" --threads 2 \
      --warmup "$LOADGEN_WARMUP" --duration "$secs" | grep '^RESULT')"
    echo "$line" >> "$OUT/loadgen.log"
    echo "$line" | awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      print v["rps"], v["p50_ms"], v["p99_ms"], v["ttfb_p50_ms"], v["ttfb_p99_ms"], v["errors"] }'
  fi
}

# ---- run ----
RESULTS="$OUT/results.tsv"
LOAD_BEFORE="$(cut -d' ' -f1 /proc/loadavg)"
if awk -v l="$LOAD_BEFORE" 'BEGIN { exit !(l > 0.5) }'; then
  log "WARNING: load average is $LOAD_BEFORE before the run: other processes share these $(nproc) cores, results will be noisy"
fi
: > "$RESULTS"
rm -f "$OUT/loadgen-check.tsv" "$OUT/summary.txt"
: > "$OUT/wrk.log"
: > "$OUT/loadgen.log"
log "duration ${DURATION}s x $ROUNDS rounds, warm-up ${WARMUP}s, $CONNS connections, latencies: $LATENCIES ms, modes: $MODES"

first=1
for lat in $LATENCIES; do
  start_fake "$lat"
  if [ "$first" = 1 ] && [[ " $TARGETS " == *" sluice "* ]]; then
    start_sluice
    if [ "$JIT_WARMUP" -gt 0 ]; then
      log "JIT warm-up of Sluice: ${JIT_WARMUP}s"
      measure sluice json "$(( (JIT_WARMUP + 1) / 2 ))" > /dev/null
      measure sluice stream "$(( JIT_WARMUP / 2 ))" > /dev/null
    fi
  fi
  first=0
  # Sanity check of the Java load generator (used for streaming): on the direct path at 0 ms it must not be
  # far below wrk, else it is the bottleneck and the streaming ratio is flattering.
  for mode in $MODES; do
    log "upstream ${lat} ms, $mode: warm-up (direct, sluice)"
    for target in $TARGETS; do measure "$target" "$mode" "$WARMUP" > /dev/null; done
    for r in $(seq 1 "$ROUNDS"); do
      for target in $TARGETS; do
        s0="$(cpu_ticks "$SLUICE_PID")"; f0="$(cpu_ticks "$FAKE_PID")"; b0="$(machine_busy)"; t0="$(date +%s%N)"
        # The load generator's own CPU time (user + sys of this child) via bash's time keyword.
        m="$( { TIMEFORMAT='%U %S'; time measure "$target" "$mode" "$DURATION" > "$OUT/m.tmp"; } 2> "$OUT/time.tmp"; cat "$OUT/m.tmp")"
        s1="$(cpu_ticks "$SLUICE_PID")"; f1="$(cpu_ticks "$FAKE_PID")"; b1="$(machine_busy)"; t1="$(date +%s%N)"
        # Share of the machine's CPU that other processes (not Sluice, the fake or the load generator) used.
        other="$(awk -v b="$((b1 - b0))" -v s="$((s1 - s0))" -v f="$((f1 - f0))" -v t="$TICK_US" -v ns="$((t1 - t0))" \
          -v n="$NCPU" -v lg="$(tail -1 "$OUT/time.tmp")" 'BEGIN { split(lg, u, " ");
            o = (b - s - f) * t / 1e6 - (u[1] + u[2]); if (o < 0) o = 0; printf "%.0f", 100 * o / (ns / 1e9 * n) }')"
        # CPU microseconds per request of Sluice and of the fake (includes the load generator's warm-up
        # phase for streaming, so it slightly overstates; compare direct with sluice rows of the same mode).
        m="$m $(awk -v s="$((s1 - s0))" -v f="$((f1 - f0))" -v t="$TICK_US" -v rps="${m%% *}" -v d="$DURATION" \
          -v lw="$([ "$mode" = stream ] && echo "$LOADGEN_WARMUP" || echo 0)" \
          'BEGIN { n = rps * (d + lw); if (n <= 0) n = 1; printf "%.1f %.1f", s * t / n, f * t / n }')"
        m="$m $other"
        log "upstream ${lat} ms, $mode, round $r, $target: rps p50 p99 ttfb50 ttfb99 errors cpu_us/req(sluice fake) other_cpu% = $m"
        printf '%s\t%s\t%s\t%s\t%s\n' "$lat" "$mode" "$target" "$r" "$(echo "$m" | tr ' ' '\t')" >> "$RESULTS"
      done
    done
  done
  if [ "$lat" = 0 ] && [ "${BENCH_LOADGEN_CHECK:-1}" = 1 ] && [[ " $MODES " == *" stream "* ]]; then
    log "load generator check: wrk vs LoadGen, direct, non-streaming, 0 ms"
    w="$(measure direct json "$DURATION")"
    j="$(java $LOADGEN_JAVA_OPTS -cp "$LOADGEN_CP" LoadGen --url "$DIRECT_URL" --body-file "$OUT/body-json.json" \
      --connections "$CONNS" --threads 2 --warmup "$LOADGEN_WARMUP" --duration "$DURATION" | grep '^RESULT' \
      | awk '{ split($2, kv, "="); print kv[2] }')"
    printf 'loadgen-check\t%s\t%s\n' "$(echo "$w" | cut -d' ' -f1)" "$j" > "$OUT/loadgen-check.tsv"
  fi
  stop_pid "$FAKE_PID"; FAKE_PID=""
done
stop_pid "$SLUICE_PID"; SLUICE_PID=""

# ---- report ----
BLOCKED="$(grep -ciE 'blocked' "$OUT/sluice.log" 2>/dev/null || true)"
BLOCKED="${BLOCKED:-0}"
echo
echo "Sluice benchmark: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $CONNS connections, ${DURATION}s x $ROUNDS rounds (median), warm-up ${WARMUP}s"
VERTX_VERSION="$(unzip -p "$SNAP/gateway-runtime/target/sluice-gateway.jar" META-INF/MANIFEST.MF 2>/dev/null | tr -d '\r\n ' \
  | grep -o 'vertx-core-[0-9][0-9.]*[0-9]' | head -1 | sed 's/vertx-core-//' || true)"
echo "load average before the run: $LOAD_BEFORE (1 min); Sluice: event_loops $EVENT_LOOPS, JVM $SLUICE_JAVA_OPTS, Vert.x ${VERTX_VERSION:-?}"
echo "json: wrk (latency = full response); stream: bench/src/LoadGen.java (latency = time to first byte, TTFB)"
echo
awk -F'\t' -v blocked="$BLOCKED" -v checkfile="$OUT/loadgen-check.tsv" '
  function median(key,   n, i, j, t, a) {
    n = cnt[key]; for (i = 1; i <= n; i++) a[i] = val[key, i]
    for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  function add(key, v) { val[key, ++cnt[key]] = v }
  {
    s = $1 SUBSEP $2; if (!(s in seen)) { seen[s] = 1; order[++ns] = s }
    add(s SUBSEP $3 SUBSEP "rps", $5)
    if ($2 == "stream") { add(s SUBSEP $3 SUBSEP "p50", $8); add(s SUBSEP $3 SUBSEP "p99", $9) }
    else                { add(s SUBSEP $3 SUBSEP "p50", $6); add(s SUBSEP $3 SUBSEP "p99", $7) }
    add(s SUBSEP $3 SUBSEP "tot50", $6); add(s SUBSEP $3 SUBSEP "tot99", $7)
    err[s SUBSEP $3] += $10
    add(s SUBSEP $3 SUBSEP "cpuS", $11); add(s SUBSEP $3 SUBSEP "cpuF", $12)
    if ($13 + 0 > maxother) maxother = $13 + 0
  }
  END {
    fmt = "%-9s %-7s %-7s %10s %9s %9s %7s %11s | %9s %9s %9s %6s\n"
    printf fmt, "upstream", "mode", "target", "RPS", "p50 ms", "p99 ms", "errors", "CPU us/req", "RPS ratio", "+p50 ms", "+p99 ms", "target"
    miss = 0
    for (k = 1; k <= ns; k++) {
      s = order[k]; split(s, parts, SUBSEP); lat = parts[1]; mode = parts[2]
      label = mode == "stream" ? "stream*" : "json"
      dr = median(s SUBSEP "direct" SUBSEP "rps"); sr = median(s SUBSEP "sluice" SUBSEP "rps")
      d50 = median(s SUBSEP "direct" SUBSEP "p50"); s50 = median(s SUBSEP "sluice" SUBSEP "p50")
      d99 = median(s SUBSEP "direct" SUBSEP "p99"); s99 = median(s SUBSEP "sluice" SUBSEP "p99")
      ratio = dr > 0 ? sr / dr : 0; a50 = s50 - d50; a99 = s99 - d99
      if (lat + 0 == 0) { ok = ratio >= 0.4; verdict = ok ? "aim met" : "aim MISSED" }
      else { ok = ratio >= 0.95 && a50 <= 1 && a99 <= 5; verdict = ok ? "MET" : "MISSED" }
      if (err[s SUBSEP "sluice"] + err[s SUBSEP "direct"] > 0) { ok = 0; verdict = verdict "+errors" }
      if (!ok) miss = 1
      cd = sprintf("%.0f", median(s SUBSEP "direct" SUBSEP "cpuF"))
      cs = sprintf("%.0f+%.0f", median(s SUBSEP "sluice" SUBSEP "cpuS"), median(s SUBSEP "sluice" SUBSEP "cpuF"))
      printf fmt, lat " ms", label, "direct", sprintf("%.0f", dr), sprintf("%.2f", d50), sprintf("%.2f", d99), err[s SUBSEP "direct"], cd, "", "", "", ""
      printf fmt, "", "", "sluice", sprintf("%.0f", sr), sprintf("%.2f", s50), sprintf("%.2f", s99), err[s SUBSEP "sluice"], cs, sprintf("%.3f", ratio), sprintf("%+.2f", a50), sprintf("%+.2f", a99), verdict
    }
    print ""
    print "CPU us/req: direct = the fake upstream; sluice = Sluice + the fake upstream (user + system time)"
    print "* stream: p50/p99 are time to first byte; full-stream latency (direct/sluice, ms):"
    for (k = 1; k <= ns; k++) {
      s = order[k]; split(s, parts, SUBSEP)
      if (parts[2] != "stream") continue
      printf "    %s ms: p50 %.2f / %.2f, p99 %.2f / %.2f\n", parts[1],
        median(s SUBSEP "direct" SUBSEP "tot50"), median(s SUBSEP "sluice" SUBSEP "tot50"),
        median(s SUBSEP "direct" SUBSEP "tot99"), median(s SUBSEP "sluice" SUBSEP "tot99")
    }
    if ((getline line < checkfile) > 0) {
      split(line, c, "\t")
      printf "load generator check (direct, json, 0 ms): wrk %.0f RPS, LoadGen %.0f RPS (%.0f%% of wrk)\n", c[2], c[3], (c[2] > 0 ? 100 * c[3] / c[2] : 0)
    }
    printf "CPU used by other processes during measurements: at most %d%% of the machine%s\n", maxother, (maxother > 10 ? " (NOISY: rerun on a quiet machine)" : "")
    printf "targets: 50 ms -> RPS ratio >= 0.95, +p50 <= 1 ms, +p99 <= 5 ms; 0 ms -> RPS ratio >= 0.4 (aim)\n"
    printf "event-loop blocked warnings in Sluice log: %d %s\n", blocked, blocked == 0 ? "(MET)" : "(MISSED: see bench/out/sluice.log)"
    if (blocked > 0) miss = 1
    printf "overall: %s\n", miss ? "some targets MISSED" : "all targets met"
    exit miss ? 3 : 0
  }' "$RESULTS" | tee "$OUT/summary.txt" || status=$?
status="${status:-0}"
if [ "$BLOCKED" -gt 0 ]; then grep -iE 'blocked' "$OUT/sluice.log" | head -5; fi
echo "raw results: $RESULTS; logs: $OUT/{sluice,fake-*}.log, $OUT/wrk.log, $OUT/loadgen.log"
if [ "${BENCH_STRICT:-0}" = 1 ] && [ "$status" != 0 ]; then exit 1; fi
exit 0

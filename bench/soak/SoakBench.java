import dev.sluice.testkit.FakeFault;
import dev.sluice.testkit.FakeOpenAiUpstream;
import dev.sluice.testkit.FakeUpstreamOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Soak: a real gateway process ({@code ./sluice}, PostgreSQL on 127.0.0.1:5432, a fresh database) under mixed
 * traffic for MINUTES: JSON chat, streams, embeddings, cache hits, refusals (rate limit, model not allowed), bad
 * input and client disconnects, while the fake upstream (this JVM, loopback, a free port) injects faults: 5xx,
 * slow answers, cut streams. Reports outcomes by class, the gateway's RSS over time (from /proc), and spend rows
 * against the answers clients saw.
 *
 * <p>{@code bench/soak/run.sh [minutes] [concurrency] [fault rate]}
 */
public final class SoakBench {
  enum Kind { JSON, STREAM, EMBEDDING, CACHE_HIT, REFUSAL, BAD_INPUT, DISCONNECT }

  static final String MASTER = "sk-soak-master-0123456789";
  static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final AtomicInteger SEQ = new AtomicInteger();
  static final Map<String, LongAdder> OUTCOMES = new ConcurrentHashMap<>();
  static final Map<Kind, Set<String>> ANSWERED = new ConcurrentHashMap<>();
  static final List<Long> LATENCIES = Collections.synchronizedList(new ArrayList<>());

  public static void main(String[] args) throws Exception {
    double minutes = args.length > 0 ? Double.parseDouble(args[0]) : 2;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    double faultRate = args.length > 2 ? Double.parseDouble(args[2]) : 0.10;
    Path root = Path.of(System.getProperty("sluice.root", ".")).toAbsolutePath();
    String pgBase = System.getenv().getOrDefault("SOAK_PG", "postgresql://127.0.0.1:5432");
    String db = "sluice_soak_" + ProcessHandle.current().pid();
    sql(pgBase + "/postgres", "CREATE DATABASE " + db);
    Vertx vertx = Vertx.vertx();
    FakeOpenAiUpstream upstream = await(FakeOpenAiUpstream.start(vertx, new FakeUpstreamOptions().port(0)
        .recordRequests(false).latencyMs(30).chunkGapMs(10).instances(1)));
    upstream.randomFaults(faultRate, List.of(FakeFault.status(500), FakeFault.status(503),
        FakeFault.latency(3000), FakeFault.resetAfter(1)));
    Path dir = Files.createTempDirectory("sluice-soak");
    Path config = dir.resolve("soak.yaml");
    Files.writeString(config, """
        server: {port: 0, master_key: %s}
        storage: {postgres: "postgres://postgres@%s/%s", data_dir: "%s"}
        providers: [{id: fake, type: openai, base_url: "%s", api_key: sk-soak-upstream-key-000000000000}]
        models:
          - {name: chat, price: {input: 1.0, output: 2.0}, deployments: [{provider: fake, model: gpt-4o-mini}]}
          - {name: other, deployments: [{provider: fake, model: gpt-4o}]}
          - {name: embed, deployments: [{provider: fake, model: text-embedding-3-small}]}
        routing: {retries: {attempts: 2, backoff: 50ms}, timeouts: {first_token: 10s, total: 30s}}
        cache: {exact: {enabled: true, backend: memory, ttl: 1h}}
        """.formatted(MASTER, pgBase.substring(pgBase.indexOf("//") + 2), db, dir.resolve("data"),
        upstream.baseUrl()));
    Process gateway = new ProcessBuilder(root.resolve("sluice").toString(), "--config", config.toString())
        .redirectError(dir.resolve("gateway.log").toFile()).start();
    long pid = gateway.pid();
    String base = listening(gateway);
    if (base == null) throw new IllegalStateException("the gateway did not start; see " + dir.resolve("gateway.log"));
    // ./sluice execs java, so the process started is the gateway's JVM.
    String key = createKey(base, "{\"name\":\"soak\",\"models\":[\"chat\",\"embed\"]}");
    String limited = createKey(base, "{\"name\":\"limited\",\"limits\":{\"rpm\":30}}");
    for (Kind k : Kind.values()) ANSWERED.put(k, ConcurrentHashMap.newKeySet());

    List<long[]> rss = Collections.synchronizedList(new ArrayList<>());
    long start = System.nanoTime();
    long end = start + (long) (minutes * 60e9);
    Thread sampler = new Thread(() -> {
      while (System.nanoTime() < end + 5_000_000_000L && !Thread.currentThread().isInterrupted()) {
        rss.add(new long[] {(System.nanoTime() - start) / 1_000_000_000L, rssKb(pid)});
        try {
          Thread.sleep(5000);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    sampler.start();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    for (int c = 0; c < concurrency; c++) {
      pool.submit(() -> {
        while (System.nanoTime() < end) {
          Kind kind = pick();
          try {
            one(base, kind, kind == Kind.REFUSAL ? limited : key);
          } catch (Exception e) {
            count(kind, "transport:" + e.getClass().getSimpleName());
          }
        }
      });
    }
    pool.shutdown();
    pool.awaitTermination((long) (minutes * 60) + 120, TimeUnit.SECONDS);
    long ranMs = (System.nanoTime() - start) / 1_000_000;

    // Spend rows against answers, once the journal has flushed (the count stops moving).
    String url = pgBase + "/" + db;
    long rows = -1;
    for (int i = 0; i < 60; i++) {
      long now = count(url, "SELECT count(*) FROM spend WHERE request_id LIKE 'soak-%'");
      if (now == rows) break;
      rows = now;
      Thread.sleep(1000);
    }
    StringBuilder out = new StringBuilder();
    out.append(String.format("soak: %.1f min, %d clients, upstream fault rate %.0f%% (500, 503, 3 s latency, stream "
        + "cut after 1 chunk); %d requests in %d s%n", minutes, concurrency, faultRate * 100,
        OUTCOMES.values().stream().mapToLong(LongAdder::sum).sum(), ranMs / 1000));
    out.append("\noutcomes by class (status or transport error: count)\n");
    for (Kind k : Kind.values()) {
      Map<String, Long> by = new TreeMap<>();
      OUTCOMES.forEach((name, n) -> {
        if (name.startsWith(k + " ")) by.put(name.substring(k.name().length() + 1), n.sum());
      });
      out.append(String.format("  %-10s %s%n", k, by));
    }
    synchronized (LATENCIES) {
      Collections.sort(LATENCIES);
      out.append(String.format("%nlatency of 200 answers (ms): p50 %d, p99 %d, max %d%n", pct(0.50), pct(0.99),
          LATENCIES.isEmpty() ? 0 : LATENCIES.get(LATENCIES.size() - 1)));
    }
    out.append("\ngateway RSS (MB) every 5 s: ");
    long peak = 0;
    synchronized (rss) {
      for (long[] s : rss) {
        out.append(s[1] / 1024).append(' ');
        peak = Math.max(peak, s[1]);
      }
      out.append(String.format("%n  first %d MB, last %d MB, peak %d MB%n", rss.get(0)[1] / 1024,
          rss.get(rss.size() - 1)[1] / 1024, peak / 1024));
    }
    out.append("\nspend rows against answers (200 answers of billable classes)\n");
    long lostTotal = 0;
    for (Kind k : List.of(Kind.JSON, Kind.STREAM, Kind.EMBEDDING, Kind.CACHE_HIT)) {
      Set<String> ids = ANSWERED.get(k);
      long found = ids.isEmpty() ? 0 : countIds(url, ids);
      lostTotal += ids.size() - found;
      out.append(String.format("  %-10s answered %d, with a spend row %d, missing %d%n", k, ids.size(), found,
          ids.size() - found));
    }
    long distinct = count(url, "SELECT count(DISTINCT request_id) FROM spend WHERE request_id LIKE 'soak-%'");
    long daily = count(url, "SELECT coalesce(sum(requests), 0) FROM spend_daily");
    long all = count(url, "SELECT count(*) FROM spend");
    out.append(String.format("  rows %d, distinct request ids %d, doubled %d; spend_daily requests %d vs rows %d; "
        + "missing in total %d%n", rows, distinct, rows - distinct, daily, all, lostTotal));
    System.out.print(out);
    Files.writeString(dir.resolve("report.txt"), out);

    gateway.destroy(); // SIGTERM: drains and stops
    gateway.waitFor(60, TimeUnit.SECONDS);
    await(vertx.close());
    sql(pgBase + "/postgres", "DROP DATABASE IF EXISTS " + db);
    System.out.println("gateway log and report in " + dir);
    System.exit(0);
  }

  static Kind pick() {
    int r = ThreadLocalRandom.current().nextInt(100);
    if (r < 35) return Kind.JSON;
    if (r < 55) return Kind.STREAM;
    if (r < 65) return Kind.EMBEDDING;
    if (r < 75) return Kind.CACHE_HIT;
    if (r < 83) return Kind.REFUSAL;
    if (r < 90) return Kind.BAD_INPUT;
    return Kind.DISCONNECT;
  }

  static void one(String base, Kind kind, String key) throws Exception {
    String id = "soak-" + SEQ.incrementAndGet();
    String chat = "{\"model\":\"chat\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"question " + id
        + "\"}]}";
    String path = "/v1/chat/completions";
    String body = switch (kind) {
      case JSON -> chat;
      case STREAM, DISCONNECT -> chat.replace("{\"model\"", "{\"stream\":true,\"model\"");
      case EMBEDDING -> {
        path = "/v1/embeddings";
        yield "{\"model\":\"embed\",\"input\":\"text " + id + "\"}";
      }
      case CACHE_HIT -> "{\"model\":\"chat\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":"
          + "\"the same question " + ThreadLocalRandom.current().nextInt(5) + "\"}]}";
      // The limited key runs out of its 30 rpm; the other half asks for a model the soak key may not use.
      case REFUSAL -> ThreadLocalRandom.current().nextBoolean() ? chat : chat.replace("\"chat\"", "\"other\"");
      case BAD_INPUT -> switch (ThreadLocalRandom.current().nextInt(4)) {
        case 0 -> "{\"model\":\"chat\",\"messages\":[";
        case 1 -> "{\"model\":\"chat\"}";
        case 2 -> "{\"model\":42,\"messages\":\"hi\"}";
        default -> chat.replace("\"chat\"", "\"no-such-model\"");
      };
    };
    if (kind == Kind.REFUSAL && body.contains("\"other\"")) key = RESTRICTED_KEY.get();
    if (kind == Kind.BAD_INPUT) key = MASTER; // no limit or model list: the input alone decides
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(40))
        .header("authorization", "Bearer " + key).header("x-request-id", id).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    long t0 = System.nanoTime();
    if (kind == Kind.DISCONNECT) {
      HttpResponse<InputStream> r = HTTP.send(req, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = r.body()) {
        in.read(new byte[64]); // the first bytes, then the client goes away
      }
      count(kind, Integer.toString(r.statusCode()) + " then closed");
      return;
    }
    HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    String outcome = Integer.toString(r.statusCode());
    if (r.statusCode() == 200 && kind == Kind.STREAM) {
      outcome = r.body().contains("[DONE]") ? "200 complete" : r.body().contains("\"error\"") ? "200 error event"
          : "200 cut";
    }
    if (kind == Kind.CACHE_HIT && r.statusCode() == 200) {
      outcome = "200 " + r.headers().firstValue("x-sluice-cache").orElse("?");
    }
    count(kind, outcome);
    if (r.statusCode() == 200) {
      ANSWERED.get(kind).add(id);
      LATENCIES.add((System.nanoTime() - t0) / 1_000_000);
    }
  }

  /** The soak key, which may use only {@code chat} and {@code embed}: set once it is created. */
  static final java.util.concurrent.atomic.AtomicReference<String> RESTRICTED_KEY = new java.util.concurrent.atomic.AtomicReference<>();

  static void count(Kind kind, String outcome) {
    OUTCOMES.computeIfAbsent(kind + " " + outcome, k -> new LongAdder()).increment();
  }

  static long pct(double p) {
    return LATENCIES.isEmpty() ? 0 : LATENCIES.get((int) Math.min(LATENCIES.size() - 1, p * LATENCIES.size()));
  }

  static String createKey(String base, String json) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/admin/keys"))
        .header("authorization", "Bearer " + MASTER).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 201) throw new IllegalStateException("cannot create a key: " + r.body());
    String secret = new JsonObject(r.body()).getString("key");
    if (json.contains("\"soak\"")) RESTRICTED_KEY.set(secret);
    return secret;
  }

  static String listening(Process p) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    for (int i = 0; i < 500; i++) {
      String line = out.readLine();
      if (line == null) return null;
      Matcher m = LISTENING.matcher(line);
      if (m.find()) return m.group(1);
    }
    return null;
  }

  static long rssKb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    } catch (Exception e) {
      // the process is gone
    }
    return 0;
  }

  static String jdbc(String url) {
    return "jdbc:" + url.replaceFirst("^postgres://", "postgresql://");
  }

  static void sql(String url, String statement) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbc(url), "postgres", ""); Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }

  static long count(String url, String query) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbc(url), "postgres", ""); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static long countIds(String url, Set<String> ids) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbc(url), "postgres", "");
         var st = c.prepareStatement("SELECT count(DISTINCT request_id) FROM spend WHERE request_id = ANY (?)")) {
      st.setArray(1, c.createArrayOf("text", ids.toArray()));
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}

import dev.sluice.gateway.Gateway;
import dev.sluice.gateway.config.ConfigLoader;
import dev.sluice.testkit.FakeOpenAiUpstream;
import dev.sluice.testkit.FakeUpstreamOptions;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An exact-cache hit against the same request answered by a 0 ms upstream, all through one Sluice (one event
 * loop). Three ways to answer, each measured two ways:
 * <ul>
 *   <li>exact-cache hit;
 *   <li>miss to the in-process demo provider with 0 ms latency ({@code Cache-Control: no-store});
 *   <li>miss to an OpenAI-compatible upstream on loopback answering in 0 ms (the test kit's fake, its own
 *       Vert.x instance in this JVM), {@code no-store}.
 * </ul>
 * Service time: Sluice's own {@code Server-Timing: sluice;dur=} (arrival to the answer's headers), one request at
 * a time. Throughput at saturation: {@code concurrency} client threads (java.net.http, in this JVM, on the same
 * 2 cores) sending back to back for {@code seconds} seconds. Arguments: {@code <plugins dir> <requests per kind>
 * [concurrency] [seconds]}.
 */
public final class ExactCacheBench {
  record Kind(String name, String model, String cacheControl, String expect) {}

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[1]);
    int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 32;
    int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    Vertx fakes = Vertx.vertx();
    FakeOpenAiUpstream fake = await(FakeOpenAiUpstream.start(fakes, new FakeUpstreamOptions().recordRequests(false)
        .latencyMs(0).instances(1)));
    String yaml = """
        server: {port: 0, master_key: sk-bench-0123456789, event_loops: 1}
        plugins: {dir: "%s"}
        providers:
          - {id: demo, type: demo, latency: 0ms, first_token: 0ms}
          - {id: fake, type: openai, base_url: "%s", api_key: sk-x, max_connections: 300}
        models:
          - {name: demo, deployments: [{provider: demo}]}
          - {name: fake, deployments: [{provider: fake, model: gpt-4o-mini}]}
        cache:
          exact: {enabled: true, backend: memory, ttl: 1h}
        """.formatted(args[0], fake.baseUrl());
    Vertx vertx = Vertx.vertx();
    Gateway gw = await(Gateway.start(vertx, ConfigLoader.parse(yaml, "bench.yaml", Map.<String, String>of()::get,
        Path.of("."))));
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI uri = URI.create("http://127.0.0.1:" + gw.port() + "/v1/chat/completions");
    Kind[] kinds = {
        new Kind("exact-cache hit", "fake", null, "HIT"),
        new Kind("miss: demo provider, 0 ms, in process", "demo", "no-store", "BYPASS"),
        new Kind("miss: OpenAI-compatible upstream, 0 ms, loopback HTTP", "fake", "no-store", "BYPASS")};
    send(http, uri, new Kind("store", "fake", null, null));  // stores the entry the hits are served from
    Thread.sleep(200);
    for (int round = 0; round < 2; round++) {  // the first round warms the JIT up
      double[][] service = new double[kinds.length][];
      double[][] rtt = new double[kinds.length][];
      double[] rate = new double[kinds.length];
      for (int k = 0; k < kinds.length; k++) {
                double[][] t = sequential(http, uri, kinds[k], n);
        service[k] = t[0];
        rtt[k] = t[1];
        rate[k] = saturate(http, uri, kinds[k], concurrency, round == 0 ? 2 : seconds);
      }
      if (round == 0) continue;
      System.out.printf(Locale.ROOT, "sequential: %d requests per kind, one connection; saturation: %d in flight for"
          + " %d s, client in the same JVM%n", n, concurrency, seconds);
      for (int k = 0; k < kinds.length; k++) {
        System.out.printf(Locale.ROOT, "%-56s service p50 %.3f ms p99 %.3f ms mean %.3f ms | round trip p50 %.3f ms"
            + " | %.0f req/s%n", kinds[k].name(), service[k][n / 2], service[k][n * 99 / 100], mean(service[k]),
            rtt[k][n / 2], rate[k]);
      }
      for (int k = 1; k < kinds.length; k++) {
        System.out.printf(Locale.ROOT, "hit vs %s: service time p50 %.1fx, mean %.1fx; throughput %.1fx;"
            + " round trip p50 %.1fx%n", kinds[k].name(), service[k][n / 2] / service[0][n / 2],
            mean(service[k]) / mean(service[0]), rate[0] / rate[k], rtt[k][n / 2] / rtt[0][n / 2]);
      }
    }
    await(gw.stop());
    vertx.close();
    fakes.close();
  }

  static final String BODY = "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"What is a sluice gate"
      + " and how does it control the flow of water in a canal?\"}]}";

  /** One request; its {@code Server-Timing} duration in ms, checked against {@code expect}. */
  static double send(HttpClient http, URI uri, Kind kind) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
        .header("authorization", "Bearer sk-bench-0123456789").header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(BODY.formatted(kind.model())));
    if (kind.cacheControl() != null) b.header("cache-control", kind.cacheControl());
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    String got = r.headers().firstValue("x-sluice-cache").orElse("");
    if (r.statusCode() != 200 || (kind.expect() != null && !kind.expect().equals(got))) {
      throw new IllegalStateException("unexpected answer " + r.statusCode() + " " + got + ": " + r.body());
    }
    String timing = r.headers().firstValue("server-timing").orElseThrow();
    return Double.parseDouble(timing.substring(timing.indexOf("dur=") + 4));
  }

  static double[][] sequential(HttpClient http, URI uri, Kind kind, int n) throws Exception {
    double[] service = new double[n];
    double[] rtt = new double[n];
    for (int i = 0; i < n; i++) {
      long s = System.nanoTime();
      service[i] = send(http, uri, kind);
      rtt[i] = (System.nanoTime() - s) / 1e6;
    }
    Arrays.sort(service);
    Arrays.sort(rtt);
    return new double[][] {service, rtt};
  }

  /** Requests per second with {@code concurrency} client threads sending back to back for {@code seconds}. */
  static double saturate(HttpClient http, URI uri, Kind kind, int concurrency, int seconds) throws Exception {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    AtomicLong done = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    List<Future<?>> runs = new ArrayList<>();
    long start = System.nanoTime();
    for (int c = 0; c < concurrency; c++) {
      runs.add(pool.submit(() -> {
        while (System.nanoTime() < end) {
          send(http, uri, kind);
          done.incrementAndGet();
        }
        return null;
      }));
    }
    for (Future<?> f : runs) f.get();
    double rate = done.get() / ((System.nanoTime() - start) / 1e9);
    pool.shutdown();
    return rate;
  }

  static double mean(double[] t) {
    return Arrays.stream(t).average().orElse(0);
  }

  static <T> T await(io.vertx.core.Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}

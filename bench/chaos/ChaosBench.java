import dev.sluice.gateway.Gateway;
import dev.sluice.gateway.config.ConfigLoader;
import dev.sluice.testkit.FakeFault;
import dev.sluice.testkit.FakeOpenAiUpstream;
import dev.sluice.testkit.FakeUpstreamOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Chaos benchmark: one model group of two deployments (two fake upstreams); one fails a share of requests at
 * random with 500, 429, a hang or a mid-stream reset before content. REQUESTS requests, CONCURRENCY at a time,
 * half streamed; prints the success rate and latency percentiles. Gateway, fakes and load share one JVM.
 *
 * <p>{@code java -cp <gateway jar + lib + plugin-api test jar> bench/chaos/ChaosBench.java [requests] [concurrency] [fault rate]}
 */
public final class ChaosBench {
  public static void main(String[] args) {
    try {
      run(args);
    } catch (Throwable t) {
      t.printStackTrace();
      System.exit(2);
    }
  }

  private static void run(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    double rate = args.length > 2 ? Double.parseDouble(args[2]) : 0.30;
    Path root = Path.of(System.getProperty("sluice.root", ".")).toAbsolutePath();
    Vertx fakes = Vertx.vertx();
    FakeOpenAiUpstream flaky = await(FakeOpenAiUpstream.start(fakes, new FakeUpstreamOptions().recordRequests(false)
        .latencyMs(20).chunkGapMs(5).instances(1)));
    FakeOpenAiUpstream steady = await(FakeOpenAiUpstream.start(fakes, new FakeUpstreamOptions().recordRequests(false)
        .latencyMs(20).chunkGapMs(5).instances(1)));
    flaky.randomFaults(rate, List.of(FakeFault.status(500), FakeFault.status(429), FakeFault.hang(),
        FakeFault.resetAfter(0)));
    String yaml = """
        server: {port: 0, master_key: sk-chaos-bench-key, event_loops: 1}
        plugins: {dir: "%s"}
        providers:
          - {id: flaky, type: openai, base_url: "%s", api_key: sk-x}
          - {id: steady, type: openai, base_url: "%s", api_key: sk-x}
        models:
          - {name: m, deployments: [{provider: flaky, model: x}, {provider: steady, model: x}]}
        routing:
          strategy: weighted
          retries: {attempts: 3, backoff: 50ms}
          timeouts: {first_token: 1s, idle: 2s, total: 10s}
          breaker: {failure_ratio: 0.5, min_requests: 20, window: 10s, open_for: 5s}
        """.formatted(root.resolve("target/plugins"), flaky.baseUrl(), steady.baseUrl());
    Vertx gatewayVertx = Vertx.vertx();
    Gateway gateway = await(Gateway.start(gatewayVertx, ConfigLoader.parse(yaml, "chaos.yaml",
        Map.<String, String>of()::get, root)));
    String url = "http://127.0.0.1:" + gateway.port() + "/v1/chat/completions";
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
        .executor(java.util.concurrent.Executors.newFixedThreadPool(8)).build();
    long[] latencies = new long[requests];
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    Semaphore slots = new Semaphore(concurrency);
    CountDownLatch done = new CountDownLatch(requests);
    long start = System.nanoTime();
    for (int i = 0; i < requests; i++) {
      slots.acquire();
      int n = i;
      boolean stream = i % 2 == 0;
      String body = "{\"model\":\"m\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"chaos " + i + "\"}]}";
      HttpRequest req = HttpRequest.newBuilder(URI.create(url)).header("authorization", "Bearer sk-chaos-bench-key")
          .header("content-type", "application/json").timeout(Duration.ofSeconds(30))
          .POST(HttpRequest.BodyPublishers.ofString(body)).build();
      long t0 = System.nanoTime();
      client.sendAsync(req, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
        latencies[n] = System.nanoTime() - t0;
        boolean good = e == null && r.statusCode() == 200 && !r.body().contains("\"error\"")
            && (!stream || r.body().endsWith("data: [DONE]\n\n"));
        if (good) ok.incrementAndGet();
        else failed.incrementAndGet();
        slots.release();
        done.countDown();
      });
    }
    done.await(10, TimeUnit.MINUTES);
    double seconds = (System.nanoTime() - start) / 1e9;
    Arrays.sort(latencies);
    System.out.printf("requests %d, concurrency %d, fault rate %.0f%% on one of two deployments%n", requests,
        concurrency, rate * 100);
    System.out.printf("succeeded %d (%.3f%%), failed %d, %.0f req/s%n", ok.get(), 100.0 * ok.get() / requests,
        failed.get(), requests / seconds);
    System.out.printf("latency ms: p50 %.1f, p90 %.1f, p99 %.1f, max %.1f (total timeout 10000)%n",
        pct(latencies, 0.50), pct(latencies, 0.90), pct(latencies, 0.99), latencies[requests - 1] / 1e6);
    System.out.println("router: " + gateway.router().describe().encode());
    await(gateway.stop());
    await(gatewayVertx.close());
    await(fakes.close());
    System.exit(ok.get() >= requests * 0.999 ? 0 : 1);
  }

  private static double pct(long[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}

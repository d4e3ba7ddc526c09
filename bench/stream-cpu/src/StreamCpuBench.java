import dev.sluice.gateway.Gateway;
import dev.sluice.gateway.config.ConfigLoader;
import dev.sluice.testkit.FakeOpenAiUpstream;
import dev.sluice.testkit.FakeUpstreamOptions;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.VertxInternal;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * CPU time Sluice's event loops spend per request, streamed and JSON, through a real in-process Gateway in front of
 * the test kit's fake OpenAI upstream (its own Vert.x instance, 0 ms latency). A closed-loop Vert.x client (on the
 * fake's Vert.x) keeps {@code connections} requests in flight. Per round: the CPU time of the gateway's event-loop
 * threads (ThreadMXBean) divided by the requests completed, and the same for the whole process; also the bytes
 * those threads allocated on the heap per request (the young-GC pressure Sluice itself adds). Not a load
 * benchmark: the absolute rate is meaningless (everything shares one JVM); read the event-loop µs per request.
 * Arguments: {@code <plugins dir> [requests per round] [rounds] [connections] [modes: stream,json] [chunks]}.
 */
public final class StreamCpuBench {
  static final String BODY = "{\"model\":\"bench\",%s\"messages\":[{\"role\":\"user\",\"content\":\"Say hello to the"
      + " benchmark.\"}],\"max_tokens\":16}";

  public static void main(String[] args) throws Exception {
    int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 20000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 6;
    int connections = args.length > 3 ? Integer.parseInt(args[3]) : 32;
    String[] modes = (args.length > 4 ? args[4] : "stream,json").split(",");
    int chunks = args.length > 5 ? Integer.parseInt(args[5]) : 8;
    Vertx fakes = Vertx.vertx();
    FakeOpenAiUpstream fake = await(FakeOpenAiUpstream.start(fakes, new FakeUpstreamOptions().recordRequests(false)
        .latencyMs(0).instances(1).streamChunks(chunks)));
    String yaml = """
        server: {port: 0, master_key: sk-bench-0123456789, event_loops: 2}
        plugins: {dir: "%s"}
        storage: {postgres: none}
        providers:
          - {id: fake, type: openai, base_url: "%s", api_key: x, max_connections: 300}
        models:
          - {name: bench, deployments: [{provider: fake, model: gpt-4o-mini, weight: 1}]}
        """.formatted(args[0], fake.baseUrl());
    Gateway gw = await(Gateway.start(ConfigLoader.parse(yaml, "bench.yaml", Map.<String, String>of()::get,
        Path.of("."))));
    long[] loops = eventLoopThreads(gw);
    System.out.println("Sluice event-loop thread ids: " + Arrays.toString(loops));
    var cpu = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    HttpClient client = fakes.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
            .setDefaultHost("127.0.0.1").setDefaultPort(gw.port()),
        new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
    for (String mode : modes) {
      Buffer body = Buffer.buffer(BODY.formatted(mode.equals("stream") ? "\"stream\":true," : ""));
      double[] loopUs = new double[rounds];
      double[] loopBytes = new double[rounds];
      for (int round = 0; round < rounds; round++) {
        long l0 = threadsCpu(cpu, loops);
        long a0 = threadsAllocated(cpu, loops);
        long p0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        run(client, body, perRound, connections);
        long t1 = System.nanoTime();
        long l1 = threadsCpu(cpu, loops);
        long a1 = threadsAllocated(cpu, loops);
        long p1 = os.getProcessCpuTime();
        loopUs[round] = (l1 - l0) / 1e3 / perRound;
        loopBytes[round] = (double) (a1 - a0) / perRound;
        System.out.printf(Locale.ROOT, "%-6s round %d: Sluice event loops %6.1f us CPU/request, %7.0f bytes"
            + " allocated/request; whole JVM %6.1f us CPU/request (%.0f req/s in one JVM)%n", mode, round,
            loopUs[round], loopBytes[round], (p1 - p0) / 1e3 / perRound, perRound / ((t1 - t0) / 1e9));
      }
      System.out.printf(Locale.ROOT, "%-6s Sluice event loops: median of the last %d rounds %.1f us CPU/request,"
          + " %.0f bytes allocated/request%n", mode, rounds - rounds / 2, lastHalfMedian(loopUs),
          lastHalfMedian(loopBytes));
    }
    await(gw.stop());
    fakes.close();
    System.exit(0);
  }

  /** The gateway's event-loop threads, by running a task on each. */
  static long[] eventLoopThreads(Gateway gw) throws Exception {
    Vertx vertx = gatewayVertx(gw);
    Map<Long, Boolean> ids = new ConcurrentHashMap<>();
    List<io.netty.util.concurrent.Future<?>> tasks = new ArrayList<>();
    for (EventExecutor e : ((VertxInternal) vertx).nettyEventLoopGroup()) {
      tasks.add(e.submit(() -> ids.put(Thread.currentThread().getId(), true)));
    }
    for (var t : tasks) t.get(10, TimeUnit.SECONDS);
    return ids.keySet().stream().mapToLong(Long::longValue).toArray();
  }

  static Vertx gatewayVertx(Gateway gw) throws Exception {
    for (var f : Gateway.class.getDeclaredFields()) {
      if (Vertx.class.isAssignableFrom(f.getType())) {
        f.setAccessible(true);
        return (Vertx) f.get(gw);
      }
    }
    throw new IllegalStateException("no Vertx field on Gateway");
  }

  /** The median of the last half of the rounds: the first half warms the JIT up. */
  static double lastHalfMedian(double[] perRound) {
    double[] measured = Arrays.copyOfRange(perRound, perRound.length / 2, perRound.length);
    Arrays.sort(measured);
    return measured[measured.length / 2];
  }

  /** Bytes the threads allocated on the heap so far (HotSpot's per-thread TLAB accounting). */
  static long threadsAllocated(com.sun.management.ThreadMXBean mx, long[] ids) {
    long sum = 0;
    for (long id : ids) sum += Math.max(0, mx.getThreadAllocatedBytes(id));
    return sum;
  }

  static long threadsCpu(ThreadMXBean cpu, long[] ids) {
    long sum = 0;
    for (long id : ids) sum += Math.max(0, cpu.getThreadCpuTime(id));
    return sum;
  }

  /** {@code n} requests, {@code connections} at a time, each read to its end. */
  static void run(HttpClient client, Buffer body, int n, int connections) throws Exception {
    Promise<Void> done = Promise.promise();
    int[] state = {0, 0, 0};  // started, finished, failed
    Runnable[] next = new Runnable[1];
    Object lock = new Object();
    next[0] = () -> {
      synchronized (lock) {
        if (state[0] >= n) return;
        state[0]++;
      }
      RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/chat/completions")
          .putHeader("authorization", "Bearer sk-bench-0123456789").putHeader("content-type", "application/json");
      client.request(o).compose(req -> req.send(body)).compose(resp -> {
        if (resp.statusCode() != 200) throw new IllegalStateException("status " + resp.statusCode());
        return resp.body();
      }).onComplete(ar -> {
        boolean last;
        synchronized (lock) {
          if (ar.failed()) state[2]++;
          last = ++state[1] == n;
        }
        if (ar.failed() && state[2] == 1) ar.cause().printStackTrace();
        if (last) done.tryComplete();
        else next[0].run();
      });
    };
    for (int i = 0; i < connections; i++) next[0].run();
    await(done.future());
    if (state[2] > 0) throw new IllegalStateException(state[2] + " requests failed");
  }

  static <T> T await(io.vertx.core.Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }
}

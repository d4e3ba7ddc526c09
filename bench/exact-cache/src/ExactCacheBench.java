import dev.sluice.gateway.Gateway;
import dev.sluice.gateway.config.ConfigLoader;
import dev.sluice.testkit.FakeOpenAiUpstream;
import dev.sluice.testkit.FakeUpstreamOptions;
import io.vertx.core.Vertx;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
 * Service time: Sluice's own {@code Server-Timing: sluice;dur=} (arrival to the answer's headers, 0.1 µs
 * resolution), one request at a time, the kinds taking turns (of one request, then of 100), each kind on its own
 * keep-alive connection. Throughput at saturation: {@code concurrency} client threads (blocking
 * sockets, one keep-alive connection each, in this JVM, on the same 2 cores) sending back to back for {@code
 * seconds} seconds. Arguments: {@code <plugins dir> <requests per kind> [concurrency] [seconds]}.
 */
public final class ExactCacheBench {
  record Kind(String name, String model, String cacheControl, String expect) {}

  /** How many requests of one kind in a row, for the two sequential measurements. */
  static final int[] TURNS = {1, 100};

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[1]);
    int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 32;
    int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    Vertx fakes = Vertx.vertx(new io.vertx.core.VertxOptions().setPreferNativeTransport(true));
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
    Vertx vertx = Vertx.vertx(new io.vertx.core.VertxOptions().setPreferNativeTransport(true));  // as the launcher
    Gateway gw = await(Gateway.start(vertx, ConfigLoader.parse(yaml, "bench.yaml", Map.<String, String>of()::get,
        Path.of("."))));
    int port = gw.port();
    Kind[] kinds = {
        new Kind("exact-cache hit", "fake", null, "HIT"),
        new Kind("miss: demo provider, 0 ms, in process", "demo", "no-store", "BYPASS"),
        new Kind("miss: OpenAI-compatible upstream, 0 ms, loopback HTTP", "fake", "no-store", "BYPASS")};
    try (Connection c = new Connection(port)) {
      c.send(request(port, new Kind("store", "fake", null, null)), null);
    }  // stores the entry the hits are served from
    Thread.sleep(200);
    for (int round = 0; round < 2; round++) {  // the first round warms the JIT up
      double[][][][] runs = new double[TURNS.length][][][];
      for (int i = 0; i < TURNS.length; i++) runs[i] = sequential(port, kinds, n, TURNS[i]);
      double[] rate = new double[kinds.length];
      for (int k = 0; k < kinds.length; k++) rate[k] = saturate(port, kinds[k], concurrency, round == 0 ? 2 : seconds);
      if (round == 0) continue;
      System.out.printf(Locale.ROOT, "sequential: %d requests per kind, one at a time; saturation: %d in flight for"
          + " %d s, client in the same JVM%n", n, concurrency, seconds);
      for (int i = 0; i < TURNS.length; i++) {
        double[][][] t = runs[i];
        System.out.printf(Locale.ROOT, "-- kinds taking turns of %d request%s%n", TURNS[i], TURNS[i] == 1 ? "" : "s");
        for (int k = 0; k < kinds.length; k++) {
          System.out.printf(Locale.ROOT, "%-56s service p50 %.4f ms p99 %.4f ms mean %.4f ms | round trip p50 %.3f"
              + " ms%n", kinds[k].name(), t[k][0][n / 2], t[k][0][n * 99 / 100], mean(t[k][0]), t[k][1][n / 2]);
        }
        for (int k = 1; k < kinds.length; k++) {
          System.out.printf(Locale.ROOT, "hit vs %s: service time p50 %.1fx, mean %.1fx; round trip p50 %.1fx%n",
              kinds[k].name(), t[k][0][n / 2] / t[0][0][n / 2], mean(t[k][0]) / mean(t[0][0]),
              t[k][1][n / 2] / t[0][1][n / 2]);
        }
      }
      System.out.printf(Locale.ROOT, "-- saturation%n");
      for (int k = 0; k < kinds.length; k++) {
        System.out.printf(Locale.ROOT, "%-56s %.0f req/s%s%n", kinds[k].name(), rate[k],
            k == 0 ? "" : String.format(Locale.ROOT, " (hit: %.1fx)", rate[0] / rate[k]));
      }
    }
    await(gw.stop());
    vertx.close();
    fakes.close();
  }

  static final String BODY = "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"What is a sluice gate"
      + " and how does it control the flow of water in a canal?\"}]}";

  /**
   * The request's bytes, headers and body, written in one {@code write(2)}, as OkHttp (the OpenAI SDKs' client)
   * sends a small request. A client that writes the body separately adds its wait to the server's clock: with
   * java.net.http the body came 3.5 to 7 µs after the headers at p50 and 30 to 40 µs at p90.
   */
  static byte[] request(int port, Kind kind) {
    String body = BODY.formatted(kind.model());
    StringBuilder head = new StringBuilder("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:").append(port)
        .append("\r\nAuthorization: Bearer sk-bench-0123456789\r\nContent-Type: application/json\r\n");
    if (kind.cacheControl() != null) head.append("Cache-Control: ").append(kind.cacheControl()).append("\r\n");
    head.append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n\r\n")
        .append(body);
    return head.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** One keep-alive HTTP/1.1 connection with a blocking socket: the leanest client, so the server's cost shows. */
  static final class Connection implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final byte[] buf = new byte[1 << 16];

    Connection(int port) throws IOException {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(10_000);
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      out = socket.getOutputStream();
      in = socket.getInputStream();
    }

    /** Sends one request; its {@code Server-Timing} duration in ms, checked against {@code expect}. */
    double send(byte[] request, String expect) throws IOException {
      out.write(request);
      out.flush();
      int n = 0;
      int headEnd = -1;
      while (headEnd < 0) {
        int r = in.read(buf, n, buf.length - n);
        if (r < 0) throw new EOFException("the server closed the connection");
        n += r;
        headEnd = indexOf(buf, n, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      }
      String head = new String(buf, 0, headEnd, StandardCharsets.ISO_8859_1);
      int length = Integer.parseInt(header(head, "content-length"));
      int total = headEnd + 4 + length;
      while (n < total) {
        int r = in.read(buf, n, buf.length - n);
        if (r < 0) throw new EOFException("the server closed the connection mid-answer");
        n += r;
      }
      String cache = header(head, "x-sluice-cache");
      if (!head.startsWith("HTTP/1.1 200") || (expect != null && !expect.equals(cache))) {
        throw new IllegalStateException("unexpected answer: " + head + "\n"
            + new String(buf, headEnd + 4, length, StandardCharsets.UTF_8));
      }
      String timing = header(head, "server-timing");
      return Double.parseDouble(timing.substring(timing.indexOf("dur=") + 4));
    }

    private static String header(String head, String name) {
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) return line.substring(colon + 1).trim();
      }
      return null;
    }

    private static int indexOf(byte[] b, int n, byte[] what) {
      outer:
      for (int i = 0; i + what.length <= n; i++) {
        for (int j = 0; j < what.length; j++) if (b[i + j] != what[j]) continue outer;
        return i;
      }
      return -1;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /**
   * {@code n} requests of each kind, one at a time, the kinds taking turns of {@code turn} requests (hit, demo,
   * loopback, hit, ...), each kind on its own keep-alive connection: whatever else the machine does at a moment
   * slows every kind alike, so the ratios hold on a noisy machine. Turns of 1 put every request after one of
   * another kind, whose code and data have pushed its own out of the CPU's caches (a server with mixed, sparse
   * traffic); longer turns let a kind run warm (a server busy with one kind of request). Per kind: sorted service
   * times and sorted round trips, in ms.
   */
  static double[][][] sequential(int port, Kind[] kinds, int n, int turn) throws Exception {
    double[][][] out = new double[kinds.length][2][n];
    Connection[] connections = new Connection[kinds.length];
    byte[][] requests = new byte[kinds.length][];
    try {
      for (int k = 0; k < kinds.length; k++) {
        connections[k] = new Connection(port);
        requests[k] = request(port, kinds[k]);
      }
      for (int i = 0; i < n; i += turn) {
        for (int k = 0; k < kinds.length; k++) {
          for (int j = i; j < Math.min(n, i + turn); j++) {
            long s = System.nanoTime();
            out[k][0][j] = connections[k].send(requests[k], kinds[k].expect());
            out[k][1][j] = (System.nanoTime() - s) / 1e6;
          }
        }
      }
    } finally {
      for (Connection c : connections) if (c != null) c.close();
    }
    for (double[][] kind : out) {
      Arrays.sort(kind[0]);
      Arrays.sort(kind[1]);
    }
    return out;
  }

  /** Requests per second with {@code concurrency} connections, each sending back to back for {@code seconds}. */
  static double saturate(int port, Kind kind, int concurrency, int seconds) throws Exception {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    AtomicLong done = new AtomicLong();
    byte[] request = request(port, kind);
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    List<Future<?>> runs = new ArrayList<>();
    long start = System.nanoTime();
    for (int c = 0; c < concurrency; c++) {
      runs.add(pool.submit(() -> {
        try (Connection conn = new Connection(port)) {
          while (System.nanoTime() < end) {
            conn.send(request, kind.expect());
            done.incrementAndGet();
          }
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

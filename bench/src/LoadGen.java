import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Closed-loop HTTP/1.1 load generator for the Sluice benchmark: N keep-alive connections, each sending the next
 * POST as soon as the previous answer has fully arrived. Records, per request, the time to the first body byte
 * (TTFB: for SSE, the first event) and the time to the end of the body.
 *
 * <pre>
 * java -cp &lt;vertx-core + netty&gt;:bench/out/loadgen LoadGen --url http://127.0.0.1:9001/v1/chat/completions \
 *   --body-file body.json --connections 200 --duration 15 --warmup 0 [--threads 2] [--header "K: V"]...
 * </pre>
 *
 * Prints one line: {@code RESULT rps=.. n=.. errors=.. p50_ms=.. p99_ms=.. ttfb_p50_ms=.. ttfb_p99_ms=..}.
 * Only requests that complete inside the measured window count (those started during the warm-up do not).
 */
public final class LoadGen {

  /** Grows as needed; one per verticle, touched only by its event loop. */
  static final class Samples {
    long[] total = new long[1 << 16];
    long[] ttfb = new long[1 << 16];
    int n;
    long errors;

    void add(long ttfbNanos, long totalNanos) {
      if (n == total.length) {
        total = Arrays.copyOf(total, n * 2);
        ttfb = Arrays.copyOf(ttfb, n * 2);
      }
      ttfb[n] = ttfbNanos;
      total[n] = totalNanos;
      n++;
    }
  }

  static final class Worker extends AbstractVerticle {
    private final String host;
    private final int port;
    private final String path;
    private final Buffer body;
    private final List<String[]> headers;
    private final int connections;
    private final long measureStart;
    private final long measureEnd;
    final Samples samples = new Samples();
    private HttpClient client;
    private int running;
    private Promise<Void> done;

    Worker(String host, int port, String path, Buffer body, List<String[]> headers, int connections,
           long measureStart, long measureEnd) {
      this.host = host;
      this.port = port;
      this.path = path;
      this.body = body;
      this.headers = headers;
      this.connections = connections;
      this.measureStart = measureStart;
      this.measureEnd = measureEnd;
    }

    @Override
    public void start(Promise<Void> startPromise) {
      client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setPipelining(false)
              .setTcpNoDelay(true).setDefaultHost(host).setDefaultPort(port),
          new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
      done = Promise.promise();
      running = connections;
      for (int i = 0; i < connections; i++) next();
      startPromise.complete();
    }

    Promise<Void> done() {
      return done;
    }

    private void finishOne() {
      if (--running == 0) done.complete();
    }

    private void next() {
      long start = System.nanoTime();
      if (start >= measureEnd) {
        finishOne();
        return;
      }
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI(path);
      for (String[] h : headers) options.addHeader(h[0], h[1]);
      options.putHeader("content-type", "application/json");
      client.request(options)
          .compose(req -> req.send(body))
          .onSuccess(resp -> {
            long[] first = {0};
            boolean ok = resp.statusCode() == 200;
            resp.handler(chunk -> {
              if (first[0] == 0) first[0] = System.nanoTime();
            });
            resp.exceptionHandler(e -> {});
            resp.endHandler(v -> {
              long end = System.nanoTime();
              if (start >= measureStart && end <= measureEnd) {
                if (ok) samples.add((first[0] == 0 ? end : first[0]) - start, end - start);
                else samples.errors++;
              }
              next();
            });
          })
          .onFailure(e -> {
            long end = System.nanoTime();
            if (start >= measureStart && end <= measureEnd) samples.errors++;
            // Back off a little so a refused connection does not spin the loop.
            vertx.setTimer(10, t -> next());
          });
    }
  }

  public static void main(String[] args) throws Exception {
    String url = null;
    String bodyFile = null;
    int connections = 200;
    int threads = 2;
    double duration = 15;
    double warmup = 0;
    List<String[]> headers = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String v = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--url" -> url = v;
        case "--body-file" -> bodyFile = v;
        case "--connections" -> connections = Integer.parseInt(v);
        case "--threads" -> threads = Integer.parseInt(v);
        case "--duration" -> duration = Double.parseDouble(v);
        case "--warmup" -> warmup = Double.parseDouble(v);
        case "--header" -> {
          int c = v.indexOf(':');
          headers.add(new String[] {v.substring(0, c).trim(), v.substring(c + 1).trim()});
        }
        default -> {
          System.err.println("unknown argument " + args[i]);
          System.exit(2);
        }
      }
      i++;
    }
    if (url == null || bodyFile == null) {
      System.err.println("usage: LoadGen --url URL --body-file FILE [--connections N] [--threads N] "
          + "[--duration S] [--warmup S] [--header 'K: V']...");
      System.exit(2);
    }
    URI uri = URI.create(url);
    Buffer body = Buffer.buffer(Files.readAllBytes(Path.of(bodyFile)));
    String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    int port = uri.getPort() > 0 ? uri.getPort() : 80;

    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(threads).setPreferNativeTransport(true));
    long now = System.nanoTime();
    long measureStart = now + (long) (warmup * 1e9);
    long measureEnd = measureStart + (long) (duration * 1e9);
    List<Worker> workers = new ArrayList<>();
    CountDownLatch finished = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      int share = connections / threads + (t < connections % threads ? 1 : 0);
      Worker w = new Worker(uri.getHost(), port, path, body, headers, share, measureStart, measureEnd);
      workers.add(w);
      vertx.deployVerticle(w, new DeploymentOptions())
          .compose(id -> w.done().future())
          .onComplete(ar -> finished.countDown());
    }
    // Everyone stops at measureEnd; requests still in flight then are abandoned (they would not count anyway).
    long waitMs = (long) ((warmup + duration) * 1000) + 30_000;
    finished.await(waitMs, TimeUnit.MILLISECONDS);

    int n = 0;
    long errors = 0;
    for (Worker w : workers) {
      n += w.samples.n;
      errors += w.samples.errors;
    }
    long[] total = new long[n];
    long[] ttfb = new long[n];
    int at = 0;
    for (Worker w : workers) {
      System.arraycopy(w.samples.total, 0, total, at, w.samples.n);
      System.arraycopy(w.samples.ttfb, 0, ttfb, at, w.samples.n);
      at += w.samples.n;
    }
    Arrays.sort(total);
    Arrays.sort(ttfb);
    System.out.println(String.format(Locale.ROOT,
        "RESULT rps=%.1f n=%d errors=%d p50_ms=%.3f p99_ms=%.3f ttfb_p50_ms=%.3f ttfb_p99_ms=%.3f max_ms=%.3f",
        n / duration, n, errors, pct(total, 0.50), pct(total, 0.99), pct(ttfb, 0.50), pct(ttfb, 0.99),
        n == 0 ? Double.NaN : total[n - 1] / 1e6));
    System.out.flush();
    System.exit(0); // no graceful close: connections still in flight past the window are simply dropped
  }

  /** Nearest-rank percentile in milliseconds. */
  static double pct(long[] sorted, double q) {
    if (sorted.length == 0) return Double.NaN;
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }
}

package dev.sluice.kit;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One HTTP client per event loop, so a request and the upstream connection that serves it stay on the
 * same thread. A single client shared by every event loop hands connections across threads: each request then
 * pays several cross-thread wake-ups. Pool limits apply per event loop.
 */
public final class UpstreamClients {
  private final Vertx vertx;
  private final HttpClientOptions options;
  private final PoolOptions pool;
  /**
   * Keyed by event-loop thread, not by context: every server request runs on a context of its own (a duplicate
   * of its event loop's), so a context key would make a new client, and a new pool, per request.
   */
  private final Map<Thread, HttpClientAgent> byEventLoop = new ConcurrentHashMap<>();
  private final HttpClientAgent offContext;

  private UpstreamClients(Vertx vertx, HttpClientOptions options, PoolOptions pool) {
    this.vertx = vertx;
    this.options = new HttpClientOptions(options);
    this.pool = new PoolOptions(pool);
    this.offContext = vertx.createHttpClient(this.options, this.pool);
  }

  public static UpstreamClients create(Vertx vertx, HttpClientOptions options, PoolOptions pool) {
    return new UpstreamClients(vertx, options, pool);
  }

  /** The client of the calling event loop (made on first use), or a shared one off any event loop. */
  public HttpClientAgent current() {
    Context context = Vertx.currentContext();
    if (context == null || !context.isEventLoopContext()) return offContext;
    Thread eventLoop = Thread.currentThread();
    HttpClientAgent client = byEventLoop.get(eventLoop);
    return client != null ? client : byEventLoop.computeIfAbsent(eventLoop, t -> vertx.createHttpClient(options, pool));
  }

  public Future<Void> close() {
    List<Future<Void>> closes = new ArrayList<>();
    closes.add(offContext.close());
    for (HttpClientAgent c : byEventLoop.values()) closes.add(c.close());
    byEventLoop.clear();
    return Future.join(closes).mapEmpty();
  }
}

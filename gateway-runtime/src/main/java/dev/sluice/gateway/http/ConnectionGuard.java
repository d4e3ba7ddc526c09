package dev.sluice.gateway.http;

import dev.sluice.api.GatewayError;
import dev.sluice.api.IngressFormat;
import dev.sluice.gateway.config.ServerLimits;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds every connection of one event loop to {@link ServerLimits} before anything authenticates it: a new
 * connection sends its first request's headers within the header timeout, a request its body within the body
 * timeout (408 otherwise), a kept-alive connection its next request within the idle timeout; past the cap on open
 * connections a new one is closed at once. One clock per event loop checks the deadlines (a tenth of the shortest
 * timeout apart), so a request costs a field write, not a timer. Event-loop confined: no locks.
 */
final class ConnectionGuard {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
  private static final long NONE = Long.MAX_VALUE;

  private final ServerLimits limits;
  private final AtomicInteger open;
  private final Handler<HttpServerRequest> next;
  private final Function<String, IngressFormat> formats;
  private final LongSupplier nanos;
  private final Map<HttpConnection, Watch> watched = new IdentityHashMap<>();

  /** What one connection is waiting for, and until when (System.nanoTime). */
  private static final class Watch {
    HttpServerRequest request;
    long deadline;
    boolean readingBody;
  }

  /**
   * @param open connections open on the node, shared by every event loop's guard
   * @param next handles each request whose connection is within its limits
   * @param formats the error format of a path
   */
  ConnectionGuard(ServerLimits limits, AtomicInteger open, Handler<HttpServerRequest> next,
                  Function<String, IngressFormat> formats, LongSupplier nanos) {
    this.limits = limits;
    this.open = open;
    this.next = next;
    this.formats = formats;
    this.nanos = nanos;
  }

  /** Starts the clock on {@code vertx} (from the event loop's verticle); answers its timer id. */
  long start(Vertx vertx) {
    long tick = Math.max(10, Math.min(1000, limits.shortestTimeout().toMillis() / 10));
    return vertx.setPeriodic(tick, id -> sweep());
  }

  /** A new connection: counted, closed when over the cap, else its header clock starts. */
  void connected(HttpConnection conn) {
    // A protocol error on the connection (a bad chunk, a reset) is the client's doing: no ERROR log for it.
    conn.exceptionHandler(e -> LOG.debug("connection from {}: {}", conn.remoteAddress(), e.toString()));
    if (open.incrementAndGet() > limits.maxConnections()) {
      open.decrementAndGet();
      LOG.debug("connection from {} closed: {} connections are open (server.max_connections)", conn.remoteAddress(),
          limits.maxConnections());
      conn.close();
      return;
    }
    Watch w = new Watch();
    w.deadline = nanos.getAsLong() + limits.headerTimeout().toNanos();
    watched.put(conn, w);
    conn.closeHandler(v -> {
      if (watched.remove(conn) != null) open.decrementAndGet();
    });
  }

  /** A request's headers are in: its body clock starts, and its answer's end starts the idle clock. */
  void request(HttpServerRequest req) {
    Watch w = watched.get(req.connection());
    if (w != null) {
      w.request = req;
      w.readingBody = !req.isEnded();
      w.deadline = w.readingBody ? nanos.getAsLong() + limits.bodyTimeout().toNanos() : NONE;
      req.response().endHandler(v -> answered(w, req));
    }
    next.handle(req);
  }

  private void answered(Watch w, HttpServerRequest req) {
    if (w.request != req) return;
    if (!req.isEnded()) return; // answered early (401, 413): the body's clock still runs
    w.request = null;
    w.readingBody = false;
    w.deadline = nanos.getAsLong() + limits.idleTimeout().toNanos();
  }

  /** Closes every connection past its deadline; a request still sending its body is answered 408 first. */
  void sweep() {
    long now = nanos.getAsLong();
    for (Iterator<Map.Entry<HttpConnection, Watch>> it = watched.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<HttpConnection, Watch> e = it.next();
      HttpConnection conn = e.getKey();
      Watch w = e.getValue();
      if (w.readingBody && w.request.isEnded()) {
        w.readingBody = false;
        if (w.request.response().ended()) { // answered before its body ended: now idle
          w.request = null;
          w.deadline = now + limits.idleTimeout().toNanos();
        } else {
          w.deadline = NONE; // waiting on its answer: the routing timeouts bound that
        }
      }
      if (w.deadline == NONE || now - w.deadline < 0) continue;
      it.remove();
      open.decrementAndGet();
      expire(conn, w);
    }
  }

  private void expire(HttpConnection conn, Watch w) {
    HttpServerRequest req = w.request;
    if (req != null && !req.response().headWritten() && !req.response().closed()) {
      long seconds = Math.max(1, limits.bodyTimeout().toSeconds());
      GatewayError error = GatewayError.badRequest("The request body did not arrive within " + seconds
          + " s (server.body_timeout). Send the whole body promptly, or raise server.body_timeout.");
      req.response().putHeader("connection", "close");
      Replies.error(req.response(), formats.apply(req.path()), 408, error);
    }
    LOG.debug("connection from {} closed: past its {} timeout", conn.remoteAddress(),
        req == null ? "header or idle" : "body");
    conn.close(); // writes what is pending first
  }
}

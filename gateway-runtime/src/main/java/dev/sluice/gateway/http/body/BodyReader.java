package dev.sluice.gateway.http.body;

import dev.sluice.api.GatewayError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads a request body up to a limit, enforced as the bytes arrive: a larger body fails with 413 before it is all
 * in memory, and the buffer grows with the bytes received, never sized from what the client declares. The time
 * the body may take is the connection's (server.body_timeout, see the http package's ConnectionGuard).
 */
public final class BodyReader {
  /** The first buffer's size: a declared length buys no more memory than this until its bytes come. */
  static final int INITIAL_BYTES = 8 * 1024;

  private BodyReader() {}

  /** The request's body, or a {@link GatewayError}: 413 over {@code limit}, 400 for a body that is not HTTP. */
  public static Future<Buffer> read(HttpServerRequest request, long limit) {
    String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    long length = -1;
    if (declared != null) {
      try {
        length = Long.parseLong(declared.trim());
      } catch (NumberFormatException e) {
        return Future.failedFuture(GatewayError.badRequest("The Content-Length header is not a number."));
      }
      if (length > limit) return Future.failedFuture(GatewayError.payloadTooLarge(limit));
    }
    Promise<Buffer> promise = Promise.promise();
    Buffer body = Buffer.buffer((int) (length >= 0 ? Math.min(length, INITIAL_BYTES) : 1024));
    request.handler(bytes -> {
      if (body.length() + bytes.length() > limit) {
        request.handler(null);
        promise.tryFail(GatewayError.payloadTooLarge(limit));
      } else {
        body.appendBuffer(bytes);
      }
    });
    request.exceptionHandler(e -> unreadable(request, promise, e));
    request.endHandler(v -> promise.tryComplete(body));
    return promise.future();
  }

  /**
   * The body broke off: the client went away, or its framing is not HTTP (a chunk size that is no number). The
   * latter is answered 400; the connection then closes at once, so what the answer wrote is flushed now.
   */
  private static void unreadable(HttpServerRequest request, Promise<Buffer> promise, Throwable e) {
    if (e instanceof HttpClosedException || request.response().closed()) {
      promise.tryFail(GatewayError.cancelled("The client closed the connection while sending the body."));
      return;
    }
    String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (why.length() > 120) why = why.substring(0, 120) + "...";
    request.response().putHeader("connection", "close");
    promise.tryFail(GatewayError.badRequest("The request body is not valid HTTP framing (" + why.replaceAll(
        "[^\\x20-\\x7e]", "?") + "). Check its Content-Length or chunked encoding."));
    if (request.connection() instanceof io.vertx.core.net.impl.VertxConnection c) c.flush();
  }
}

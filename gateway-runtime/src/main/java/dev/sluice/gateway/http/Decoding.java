package dev.sluice.gateway.http;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.Callable;

/**
 * Where a body is decoded: a small one on the event loop (cheaper than a hop), a large one on a worker, so that a
 * body of 100,000 content parts never stalls the event loop that serves every other connection. Either way the
 * answer comes back on the caller's context.
 */
final class Decoding {
  /** Bodies above this many bytes are decoded on a worker. */
  static final int INLINE_BYTES = 16 * 1024;

  private Decoding() {}

  static <T> Future<T> decode(Buffer body, Callable<T> decode) {
    Context context = Vertx.currentContext();
    if (body.length() <= INLINE_BYTES || context == null) {
      try {
        return Future.succeededFuture(decode.call());
      } catch (Exception e) {
        return Future.failedFuture(e);
      }
    }
    return context.executeBlocking(decode, false);
  }
}

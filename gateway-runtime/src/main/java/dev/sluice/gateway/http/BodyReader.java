package dev.sluice.gateway.http;

import dev.sluice.api.GatewayError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/** Reads a request body up to a limit; a larger body fails with 413 before it is all in memory. */
final class BodyReader {
  private BodyReader() {}

  static Future<Buffer> read(HttpServerRequest request, long limit) {
    String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (declared != null) {
      try {
        if (Long.parseLong(declared.trim()) > limit) return Future.failedFuture(GatewayError.payloadTooLarge(limit));
      } catch (NumberFormatException e) {
        return Future.failedFuture(GatewayError.badRequest("The Content-Length header is not a number."));
      }
    }
    Promise<Buffer> promise = Promise.promise();
    Buffer body = Buffer.buffer(declared == null ? 1024 : (int) Math.min(Long.parseLong(declared.trim()), limit));
    request.handler(bytes -> {
      if (body.length() + bytes.length() > limit) {
        request.handler(null);
        promise.tryFail(GatewayError.payloadTooLarge(limit));
      } else {
        body.appendBuffer(bytes);
      }
    });
    request.exceptionHandler(promise::tryFail);
    request.endHandler(v -> promise.tryComplete(body));
    return promise.future();
  }
}

package dev.sluice.gateway.http;

import dev.sluice.api.GatewayError;
import dev.sluice.api.IngressFormat;
import dev.sluice.gateway.config.ServerLimits;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.Function;

/**
 * Requests that are not HTTP/1.x Sluice can read (a request line or headers over their limits, garbage, an unknown
 * HTTP version): each is answered with a status that says why and a JSON error in its path's format, then its
 * connection is closed (the parser cannot find where the next request would start).
 */
final class ProtocolErrors {
  private final ServerLimits limits;
  private final Function<String, IngressFormat> formats;

  ProtocolErrors(ServerLimits limits, Function<String, IngressFormat> formats) {
    this.limits = limits;
    this.formats = formats;
  }

  /** The server's invalid-request handler: the HTTP parser failed on this request's line or headers. */
  void invalid(HttpServerRequest req) {
    Throwable cause = req.decoderResult().cause();
    int status;
    String message;
    if (cause instanceof TooLongHttpLineException) {
      status = 414;
      message = "The request line (method, URL and version) is longer than " + limits.maxUrlLength()
          + " bytes (server.max_url_length). Send a shorter URL; large inputs belong in the body.";
    } else if (cause instanceof TooLongHttpHeaderException) {
      status = 431;
      message = "The request headers are larger than " + limits.maxHeaderSize() + " bytes in all "
          + "(server.max_header_size). Send fewer or smaller headers.";
    } else {
      status = 400;
      message = "The request is not valid HTTP/1.1 (" + describe(cause) + "). Check its request line and headers.";
    }
    answer(req, status, message);
  }

  /** True, after answering 505, when the request's HTTP version is neither 1.1 nor 1.0. */
  boolean unsupportedVersion(HttpServerRequest req) {
    if (req.version() != null) return false;
    answer(req, 505, "This HTTP version is not supported. Send HTTP/1.1 (or HTTP/1.0).");
    return true;
  }

  private void answer(HttpServerRequest req, int status, String message) {
    String path;
    try {
      path = req.path();
    } catch (RuntimeException e) {
      path = null;
    }
    req.response().putHeader(Replies.REQUEST_ID, Replies.requestId(null)).putHeader("connection", "close");
    Replies.error(req.response(), formats.apply(path == null ? "" : path), status, GatewayError.badRequest(message));
    req.connection().close();
  }

  private static String describe(Throwable cause) {
    if (cause == null) return "unreadable";
    String m = cause.getMessage();
    if (m == null || m.isBlank()) return cause.getClass().getSimpleName();
    // The parser's message can quote the client's bytes: keep it short and printable.
    String s = m.length() > 120 ? m.substring(0, 120) + "..." : m;
    return s.replaceAll("[^\\x20-\\x7e]", "?");
  }
}

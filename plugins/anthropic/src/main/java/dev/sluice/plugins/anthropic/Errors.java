package dev.sluice.plugins.anthropic;

import dev.sluice.api.GatewayError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Locale;

/**
 * What Anthropic's errors mean for Sluice: an HTTP error answer ({@code {"type":"error","error":{"type",
 * "message"}}} with a status) or an {@code error} event inside a stream (the same body, no status).
 */
final class Errors {
  /** Anthropic's own "overloaded" status. */
  static final int OVERLOADED = 529;

  private Errors() {}

  /** A non-2xx answer. {@code provider} names the deployment in the message. */
  static GatewayError fromStatus(int status, Buffer body, String provider, Duration retryAfter) {
    Detail d = Detail.parse(body);
    String message = d.message != null ? d.message : d.raw.isEmpty() ? "HTTP " + status : d.raw;
    String said = provider + " (Anthropic) answered " + status + (d.type == null ? "" : " " + d.type) + ": " + message;
    if (status == 429) {
      return spendLimit(d) ? GatewayError.upstreamRejected(status, said) : GatewayError.rateLimited(said, retryAfter);
    }
    if (status == OVERLOADED || "overloaded_error".equals(d.type)) return GatewayError.upstream5xx(status, said);
    if (status == 400 || status == 413) {
      if (contextWindow(message)) return GatewayError.contextWindow(said);
      return GatewayError.upstreamBadRequest(status, said, null);
    }
    if (status == 401 || status == 402 || status == 403 || status == 404) {
      return GatewayError.upstreamRejected(status, said);
    }
    if (status == 408 || status == 504) return GatewayError.timeout(said);
    if (status >= 500) return GatewayError.upstream5xx(status, said);
    return GatewayError.upstreamBadRequest(status, said, null);
  }

  /** An {@code error} event in a stream that had started: the type decides, as its status would have. */
  static GatewayError fromEvent(String data, String provider) {
    Detail d = Detail.parse(Buffer.buffer(data));
    String type = d.type == null ? "api_error" : d.type;
    String said = provider + " (Anthropic) reported " + type + " mid-stream: "
        + (d.message != null ? d.message : d.raw);
    switch (type) {
      case "overloaded_error":
        return GatewayError.upstream5xx(OVERLOADED, said);
      case "rate_limit_error":
        return spendLimit(d) ? GatewayError.upstreamRejected(429, said) : GatewayError.rateLimited(said, null);
      case "invalid_request_error":
        return contextWindow(said) ? GatewayError.contextWindow(said) : GatewayError.upstreamBadRequest(400, said, null);
      case "request_too_large":
        return GatewayError.upstreamBadRequest(413, said, null);
      case "authentication_error":
        return GatewayError.upstreamRejected(401, said);
      case "billing_error":
        return GatewayError.upstreamRejected(402, said);
      case "permission_error":
        return GatewayError.upstreamRejected(403, said);
      case "not_found_error":
        return GatewayError.upstreamRejected(404, said);
      case "timeout_error":
        return GatewayError.timeout(said);
      default:
        return GatewayError.upstream5xx(500, said);
    }
  }

  private static boolean contextWindow(String message) {
    String m = message.toLowerCase(Locale.ROOT);
    return m.contains("prompt is too long") || m.contains("exceed context limit")
        || m.contains("context window") || m.contains("too many total text bytes");
  }

  /** A 429 for a spent monthly limit: retrying will not help until an operator acts. */
  private static boolean spendLimit(Detail d) {
    return d.errorCode != null && d.errorCode.contains("spend_limit");
  }

  private record Detail(String type, String message, String errorCode, String raw) {
    static Detail parse(Buffer body) {
      String raw = ResponseMapper.abbreviate(body);
      try {
        JsonObject o = body == null || body.length() == 0 ? null : new JsonObject(body);
        if (o != null && o.getValue("error") instanceof JsonObject e) {
          String code = e.getValue("details") instanceof JsonObject details
              && details.getValue("error_code") instanceof String s ? s : null;
          return new Detail(e.getValue("type") instanceof String t ? t : null,
              e.getValue("message") instanceof String m ? m : null, code, raw);
        }
      } catch (DecodeException | ClassCastException ignored) {
        // not JSON (a proxy's HTML page): the status alone decides
      }
      return new Detail(null, null, null, raw);
    }
  }
}

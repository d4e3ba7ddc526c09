package dev.sluice.plugins.gemini;

import dev.sluice.api.GatewayError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;

/**
 * What a Google API error means for Sluice. Google answers {@code {"error":{"code","message","status","details"}}}
 * (Vertex sometimes wraps it in an array); the HTTP status and the canonical {@code status} decide the kind, the
 * message decides between a context-window overflow and another bad request, and a {@code google.rpc.RetryInfo}
 * detail gives the wait after a rate limit.
 */
final class Errors {
  private static final String RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo";
  private static final String ERROR_INFO = "type.googleapis.com/google.rpc.ErrorInfo";

  private Errors() {}

  /** An error answer with {@code httpStatus}; {@code retryAfter} is the {@code retry-after} header or null. */
  static GatewayError fromResponse(int httpStatus, Buffer body, String upstream, String retryAfter) {
    JsonObject error = errorObject(body);
    if (error == null) {
      String text = body == null ? "" : Wire.excerpt(body.toString());
      return classify(httpStatus, null, text.isEmpty() ? "HTTP " + httpStatus : text, null, upstream,
          headerDelay(retryAfter));
    }
    return fromError(error, httpStatus, upstream, headerDelay(retryAfter));
  }

  /** An {@code error} object inside a 200 stream; its {@code code} stands in for the HTTP status. */
  static GatewayError fromError(JsonObject error, int httpStatus, String upstream, Duration headerDelay) {
    int code = error.getValue("code") instanceof Number n ? n.intValue() : httpStatus;
    String status = error.getValue("status") instanceof String s ? s : null;
    String message = error.getValue("message") instanceof String m && !m.isBlank() ? m : "HTTP " + code;
    JsonArray details = error.getValue("details") instanceof JsonArray d ? d : new JsonArray();
    Duration delay = retryDelay(details);
    return classify(code, status, message, details, upstream, delay != null ? delay : headerDelay);
  }

  /** The {@code error} object of a body, plain or wrapped in an array; null when the body is something else. */
  static JsonObject errorObject(Buffer body) {
    if (body == null || body.length() == 0) return null;
    try {
      Object value = Json.decodeValue(body);
      if (value instanceof JsonArray a && !a.isEmpty()) value = a.getValue(0);
      return value instanceof JsonObject o && o.getValue("error") instanceof JsonObject e ? e : null;
    } catch (DecodeException e) {
      return null;
    }
  }

  private static GatewayError classify(int code, String status, String message, JsonArray details, String upstream,
                                       Duration retryAfter) {
    String said = upstream + " (Gemini) answered " + code + (status == null ? "" : " " + status) + ": " + message;
    String text = message.toLowerCase(Locale.ROOT);
    if (code == 429 || "RESOURCE_EXHAUSTED".equals(status)) return GatewayError.rateLimited(said, retryAfter);
    if (code == 401 || code == 403 || code == 404 || "UNAUTHENTICATED".equals(status)
        || "PERMISSION_DENIED".equals(status) || "NOT_FOUND".equals(status)) {
      return GatewayError.upstreamRejected(code, said);
    }
    if (code == 408 || code == 504 || "DEADLINE_EXCEEDED".equals(status)) return GatewayError.timeout(said);
    if (code >= 500) return GatewayError.upstream5xx(code, said);
    if (code == 400 || code == 413 || "INVALID_ARGUMENT".equals(status) || "FAILED_PRECONDITION".equals(status)) {
      if (isTokenLimit(text)) return GatewayError.contextWindow(said);
      // Google AI answers a bad key with 400 API_KEY_INVALID: Sluice's credential, not the client's request.
      if (hasReason(details, "API_KEY_INVALID") || text.contains("api key not valid")) {
        return GatewayError.upstreamRejected(code, said);
      }
      // e.g. "User location is not supported for the API use": the deployment cannot serve, another may.
      if ("FAILED_PRECONDITION".equals(status)) return GatewayError.upstreamRejected(code, said);
      return GatewayError.upstreamBadRequest(code == 413 ? 400 : code, said, null);
    }
    return GatewayError.upstreamBadRequest(code >= 400 && code < 500 ? code : 400, said, null);
  }

  /** "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576)." and kin. */
  private static boolean isTokenLimit(String text) {
    return text.contains("input token count") || text.contains("exceeds the maximum number of tokens")
        || text.contains("context window") || text.contains("too many tokens") || text.contains("token limit")
        || text.contains("prompt is too long");
  }

  private static boolean hasReason(JsonArray details, String reason) {
    if (details == null) return false;
    for (Object d : details) {
      if (d instanceof JsonObject o && ERROR_INFO.equals(o.getValue("@type")) && reason.equals(o.getValue("reason"))) {
        return true;
      }
    }
    return false;
  }

  /** {@code google.rpc.RetryInfo.retryDelay}: a protobuf duration such as {@code "37s"} or {@code "1.5s"}. */
  static Duration retryDelay(JsonArray details) {
    for (Object d : details) {
      if (d instanceof JsonObject o && RETRY_INFO.equals(o.getValue("@type"))
          && o.getValue("retryDelay") instanceof String delay) {
        return seconds(delay.endsWith("s") ? delay.substring(0, delay.length() - 1) : delay);
      }
    }
    return null;
  }

  private static Duration headerDelay(String retryAfter) {
    return retryAfter == null ? null : seconds(retryAfter.trim());
  }

  private static Duration seconds(String text) {
    try {
      BigDecimal s = new BigDecimal(text.trim());
      return s.signum() < 0 ? null : Duration.ofMillis(s.movePointRight(3).longValue());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}

package dev.sluice.plugins.bedrock;

import dev.sluice.api.Durations;
import dev.sluice.api.GatewayError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Locale;

/**
 * Bedrock's errors as {@link GatewayError}s. One table serves both the HTTP answers ({@code x-amzn-ErrorType:
 * ThrottlingException}, body {@code {"message": ...}}) and the exception frames of a stream
 * ({@code :exception-type: throttlingException}): the type decides the kind, the status is the fallback.
 *
 * <p>{@code ServiceUnavailableException} is an answer from Bedrock, so it is {@code UPSTREAM_5XX} with status
 * 503, as the provider contract (TCK) requires of every answered 5xx; {@code UNAVAILABLE} is kept for an upstream
 * that cannot serve at all yet ({@code ModelNotReadyException}) or cannot be reached. Both kinds are retryable.
 */
final class BedrockErrors {
  private BedrockErrors() {}

  /** A non-2xx answer. {@code errorType} is the {@code x-amzn-ErrorType} header, possibly null. */
  static GatewayError fromHttp(String provider, int status, String errorType, Buffer body, Duration retryAfter) {
    JsonObject json = parse(body);
    String type = typeName(errorType != null ? errorType : json == null ? null : json.getString("__type"));
    String message = message(json, body, status);
    return map(provider + " (Bedrock) answered " + status + (type == null ? "" : " " + type) + ": " + message,
        type, status, message, retryAfter);
  }

  /** A non-2xx {@code exchange} whose body is {@code body}. */
  static GatewayError fromHttp(String provider, Upstream.Exchange exchange, Buffer body) {
    return fromHttp(provider, exchange.response().statusCode(), exchange.response().getHeader("x-amzn-ErrorType"),
        body, Durations.retryAfter(null, exchange.response().getHeader("Retry-After")));
  }

  /** An exception frame of a ConverseStream response. */
  static GatewayError fromStream(String provider, String exceptionType, byte[] payload) {
    Buffer body = Buffer.buffer(payload);
    String message = message(parse(body), body, 0);
    String type = typeName(exceptionType);
    return map(provider + " (Bedrock) failed mid-stream with " + type + ": " + message, type, 0, message, null);
  }

  private static GatewayError map(String said, String type, int status, String message, Duration retryAfter) {
    String t = type == null ? "" : type.toLowerCase(Locale.ROOT);
    switch (t) {
      case "throttlingexception":
      case "toomanyrequestsexception":
        return GatewayError.rateLimited(said, retryAfter);
      case "validationexception":
        return tooLong(message) ? GatewayError.contextWindow(said) : GatewayError.upstreamBadRequest(400, said, null);
      case "accessdeniedexception":
      case "unrecognizedclientexception":
      case "invalidsignatureexception":
      case "expiredtokenexception":
      case "resourcenotfoundexception":
        return GatewayError.upstreamRejected(status == 0 ? rejectStatus(t) : status, said);
      case "modelnotreadyexception":
        return GatewayError.unavailable(said, null);
      case "modeltimeoutexception":
        return GatewayError.timeout(said);
      case "serviceunavailableexception":
      case "serviceunavailable":
        return GatewayError.upstream5xx(status == 0 ? 503 : status, said);
      case "internalserverexception":
      case "modelerrorexception":
      case "modelstreamerrorexception":
        return GatewayError.upstream5xx(status == 0 ? 500 : status, said);
      default:
        return byStatus(said, status, message, retryAfter);
    }
  }

  private static GatewayError byStatus(String said, int status, String message, Duration retryAfter) {
    if (status == 429) return GatewayError.rateLimited(said, retryAfter);
    if (status == 400 || status == 413) {
      return tooLong(message) ? GatewayError.contextWindow(said) : GatewayError.upstreamBadRequest(400, said, null);
    }
    if (status == 401 || status == 403 || status == 404) return GatewayError.upstreamRejected(status, said);
    if (status == 408) return GatewayError.timeout(said);
    if (status >= 500 || status == 424) return GatewayError.upstream5xx(status, said);
    if (status == 0) return GatewayError.protocol(said);
    return GatewayError.upstreamBadRequest(status, said, null);
  }

  private static int rejectStatus(String type) {
    return type.equals("resourcenotfoundexception") ? 404 : 403;
  }

  /** Bedrock's words for an input over the model's context window. */
  static boolean tooLong(String message) {
    String m = message.toLowerCase(Locale.ROOT);
    return m.contains("too long") || m.contains("too many tokens") || m.contains("too many input tokens")
        || m.contains("context window") || m.contains("context length") || m.contains("maximum context");
  }

  /** {@code ValidationException:http://internal.amazon.com/coral/...} and {@code aws#ValidationException} → the name. */
  private static String typeName(String raw) {
    if (raw == null || raw.isBlank()) return null;
    String t = raw.strip();
    int colon = t.indexOf(':');
    if (colon >= 0) t = t.substring(0, colon);
    int hash = t.lastIndexOf('#');
    if (hash >= 0) t = t.substring(hash + 1);
    return t.isEmpty() ? null : t;
  }

  private static JsonObject parse(Buffer body) {
    if (body == null || body.length() == 0) return null;
    try {
      return new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  private static String message(JsonObject json, Buffer body, int status) {
    if (json != null) {
      for (String key : new String[] {"message", "Message"}) {
        if (json.getValue(key) instanceof String s && !s.isBlank()) return s;
      }
    }
    String text = body == null ? "" : body.toString().strip();
    if (text.isEmpty()) return status == 0 ? "no message" : "HTTP " + status;
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }
}

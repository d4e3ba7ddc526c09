package dev.sluice.wire.openai;

import dev.sluice.api.GatewayError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Locale;

/** OpenAI-shaped errors: what the ingress answers, and what an OpenAI-compatible upstream's error means. */
public final class OpenAiErrors {
  private OpenAiErrors() {}

  /** {@code {"error":{"message","type","code","param"}}}. */
  public static JsonObject encode(GatewayError e) {
    return new JsonObject().put("error", new JsonObject().put("message", e.getMessage())
        .put("type", e.kind().type()).put("code", e.code()).put("param", e.param()));
  }

  /**
   * The kind of an upstream's non-2xx answer, from its status and OpenAI-style body. {@code upstream} names
   * the provider in the message, so the client learns which deployment failed and why.
   */
  public static GatewayError decode(int status, Buffer body, String upstream, Duration retryAfter) {
    String message = null;
    String code = null;
    String type = null;
    String param = null;
    try {
      JsonObject o = body == null || body.length() == 0 ? null : new JsonObject(body);
      Object error = o == null ? null : o.getValue("error");
      if (error instanceof JsonObject e) {
        message = e.getValue("message") instanceof String s ? s : null;
        code = e.getValue("code") == null ? null : String.valueOf(e.getValue("code"));
        type = e.getValue("type") instanceof String s ? s : null;
        param = e.getValue("param") instanceof String s ? s : null;
      } else if (error instanceof String s) {
        message = s;
      } else if (o != null && o.getValue("message") instanceof String s) {
        message = s;
      }
    } catch (DecodeException | ClassCastException ignored) {
      // not JSON: the status alone decides
    }
    if (message == null) {
      String text = body == null ? "" : body.toString().strip();
      message = text.isEmpty() ? "HTTP " + status : (text.length() > 300 ? text.substring(0, 300) + "..." : text);
    }
    String said = upstream + " answered " + status + ": " + message;
    String hint = (code == null ? "" : code) + " " + (type == null ? "" : type) + " " + message;
    hint = hint.toLowerCase(Locale.ROOT);
    if (status == 429) {
      if (hint.contains("insufficient_quota")) return GatewayError.upstreamRejected(status, said);
      return GatewayError.rateLimited(said, retryAfter);
    }
    if (status == 400 || status == 413 || status == 422) {
      if (hint.contains("context_length_exceeded") || hint.contains("maximum context length")
          || hint.contains("context window") || hint.contains("too many tokens")) {
        return GatewayError.contextWindow(said);
      }
      if (hint.contains("content_filter") || hint.contains("content_policy") || hint.contains("content management policy")) {
        return GatewayError.contentFilter(said);
      }
      return GatewayError.upstreamBadRequest(status == 413 ? 400 : status, said, param);
    }
    if (status == 401 || status == 403 || status == 404) return GatewayError.upstreamRejected(status, said);
    if (status == 408) return GatewayError.timeout(said);
    if (status >= 500) return GatewayError.upstream5xx(status, said);
    return GatewayError.upstreamBadRequest(status, said, param);
  }
}

package dev.sluice.plugins.anthropic;

import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.model.Choice;
import dev.sluice.api.model.FinishReason;
import dev.sluice.api.model.ToolCall;
import dev.sluice.api.model.Usage;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/** Canonical response and errors → Anthropic's JSON, for the {@code /v1/messages} ingress. */
final class IngressEncoder {
  private IngressEncoder() {}

  static JsonObject response(ChatResponse response) {
    Choice choice = response.choices().isEmpty() ? null : response.choices().get(0);
    JsonArray content = new JsonArray();
    if (choice != null) {
      String text = choice.message().text();
      if (!text.isEmpty()) content.add(new JsonObject().put("type", "text").put("text", text));
      for (ToolCall call : choice.message().toolCalls()) {
        content.add(new JsonObject().put("type", "tool_use").put("id", toolUseId(call.id())).put("name", call.name())
            .put("input", input(call.arguments())));
      }
    }
    return new JsonObject().put("id", messageId(response.id())).put("type", "message").put("role", "assistant")
        .put("model", response.model()).put("content", content)
        .put("stop_reason", stopReason(choice == null ? null : choice.finishReason()))
        .put("stop_sequence", null).put("usage", usage(response.usage()));
  }

  /** {@code {"type":"error","error":{"type","message"}}}, the type chosen the way Anthropic would. */
  static JsonObject error(GatewayError e) {
    return new JsonObject().put("type", "error").put("error", new JsonObject().put("type", errorType(e))
        .put("message", e.getMessage()));
  }

  static String errorType(GatewayError e) {
    switch (e.kind()) {
      case BAD_REQUEST:
      case CONTEXT_WINDOW:
      case CONTENT_FILTER:
        return "invalid_request_error";
      case AUTH:
        return "authentication_error";
      case PERMISSION:
        return "permission_error";
      case NOT_FOUND:
        return "not_found_error";
      case PAYLOAD_TOO_LARGE:
        return "request_too_large";
      case RATE_LIMITED:
      case BUDGET_EXCEEDED:
        return "rate_limit_error";
      case UNAVAILABLE:
        return "overloaded_error";
      case UPSTREAM_5XX:
        return e.upstreamStatus() == Errors.OVERLOADED ? "overloaded_error" : "api_error";
      case TIMEOUT:
        return "timeout_error";
      default:
        return "api_error";
    }
  }

  static String stopReason(String finishReason) {
    if (finishReason == null) return "end_turn";
    switch (finishReason) {
      case FinishReason.LENGTH:
        return "max_tokens";
      case FinishReason.TOOL_CALLS:
        return "tool_use";
      case FinishReason.CONTENT_FILTER:
        return "refusal";
      default:
        return "end_turn";
    }
  }

  /** Anthropic counts {@code input_tokens} without the prompt cache; canonical prompt tokens include it. */
  static JsonObject usage(Usage u) {
    Usage usage = u == null ? Usage.ZERO : u;
    int uncached = Math.max(0, usage.promptTokens() - usage.cachedTokens() - usage.cacheWriteTokens());
    return new JsonObject().put("input_tokens", uncached)
        .put("cache_creation_input_tokens", usage.cacheWriteTokens())
        .put("cache_read_input_tokens", usage.cachedTokens())
        .put("output_tokens", usage.completionTokens());
  }

  static String messageId(String id) {
    if (id == null || id.isEmpty()) return "msg_" + UUID.randomUUID().toString().replace("-", "");
    return id.startsWith("msg_") ? id : "msg_" + id;
  }

  /** Some providers give calls no id; Anthropic clients echo it back in tool_result, so one is made up. */
  static String toolUseId(String id) {
    return id == null || id.isEmpty() ? "toolu_" + UUID.randomUUID().toString().replace("-", "") : id;
  }

  /** Tool arguments as Anthropic's {@code input} object; text that is not a JSON object is kept under "_raw". */
  static JsonObject input(String arguments) {
    if (arguments == null || arguments.isBlank()) return new JsonObject();
    try {
      return new JsonObject(arguments);
    } catch (DecodeException | ClassCastException e) {
      return new JsonObject().put("_raw", arguments);
    }
  }
}

package dev.sluice.api.model;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A chat request in Sluice's canonical form: OpenAI Chat Completions' semantics, whatever wire it came in on.
 *
 * @param includeUsage the client asked for a final usage chunk ({@code stream_options.include_usage})
 * @param extra fields the canonical form does not model; OpenAI-compatible upstreams receive them as they came,
 *     other providers ignore them (treat as read-only)
 * @param cacheBreakpoints where the gateway asks for the prompt prefix to be cached, in prompt order (empty:
 *     nowhere); providers that need explicit markers translate them within their limits, others ignore them
 */
public record ChatRequest(String model, List<Message> messages, boolean stream, boolean includeUsage,
                          Integer maxTokens, Double temperature, Double topP, Integer n, List<String> stop,
                          Long seed, String user, List<Tool> tools, ToolChoice toolChoice,
                          Boolean parallelToolCalls, ResponseFormat responseFormat, JsonObject extra,
                          List<CacheBreakpoint> cacheBreakpoints) {
  public ChatRequest {
    if (messages == null || messages.isEmpty()) throw new IllegalArgumentException("a chat request needs messages");
    messages = List.copyOf(messages);
    stop = stop == null ? List.of() : List.copyOf(stop);
    tools = tools == null ? List.of() : List.copyOf(tools);
    extra = extra == null ? new JsonObject() : extra;
    cacheBreakpoints = cacheBreakpoints == null ? List.of() : List.copyOf(cacheBreakpoints);
  }

  /** A request without cache breakpoints. */
  public ChatRequest(String model, List<Message> messages, boolean stream, boolean includeUsage, Integer maxTokens,
                     Double temperature, Double topP, Integer n, List<String> stop, Long seed, String user,
                     List<Tool> tools, ToolChoice toolChoice, Boolean parallelToolCalls, ResponseFormat responseFormat,
                     JsonObject extra) {
    this(model, messages, stream, includeUsage, maxTokens, temperature, topP, n, stop, seed, user, tools, toolChoice,
        parallelToolCalls, responseFormat, extra, List.of());
  }

  /** A request with only a model and messages. */
  public static ChatRequest of(String model, List<Message> messages) {
    return new ChatRequest(model, messages, false, false, null, null, null, null, null, null, null, null, null,
        null, null, null);
  }

  public ChatRequest withModel(String newModel) {
    return new ChatRequest(newModel, messages, stream, includeUsage, maxTokens, temperature, topP, n, stop, seed,
        user, tools, toolChoice, parallelToolCalls, responseFormat, extra,
        cacheBreakpoints);
  }

  public ChatRequest withStream(boolean newStream, boolean newIncludeUsage) {
    return new ChatRequest(model, messages, newStream, newIncludeUsage, maxTokens, temperature, topP, n, stop, seed,
        user, tools, toolChoice, parallelToolCalls, responseFormat, extra,
        cacheBreakpoints);
  }

  /** The same request with other messages; cache breakpoints (indexes into the old messages) are dropped. */
  public ChatRequest withMessages(List<Message> newMessages) {
    return new ChatRequest(model, newMessages, stream, includeUsage, maxTokens, temperature, topP, n, stop, seed,
        user, tools, toolChoice, parallelToolCalls, responseFormat, extra, List.of());
  }

  public ChatRequest withTools(List<Tool> newTools, ToolChoice newToolChoice) {
    return new ChatRequest(model, messages, stream, includeUsage, maxTokens, temperature, topP, n, stop, seed,
        user, newTools, newToolChoice, parallelToolCalls, responseFormat, extra, cacheBreakpoints);
  }

  public ChatRequest withMaxTokens(Integer newMaxTokens) {
    return new ChatRequest(model, messages, stream, includeUsage, newMaxTokens, temperature, topP, n, stop, seed,
        user, tools, toolChoice, parallelToolCalls, responseFormat, extra,
        cacheBreakpoints);
  }

  /** The same request with {@code breakpoints} (indexes into this request's messages) as its cache hints. */
  public ChatRequest withCacheBreakpoints(List<CacheBreakpoint> breakpoints) {
    return new ChatRequest(model, messages, stream, includeUsage, maxTokens, temperature, topP, n, stop, seed,
        user, tools, toolChoice, parallelToolCalls, responseFormat, extra, breakpoints);
  }

  public boolean hasImages() {
    for (Message m : messages) {
      if (m.hasImages()) return true;
    }
    return false;
  }

  public int choiceCount() {
    return n == null ? 1 : n;
  }
}

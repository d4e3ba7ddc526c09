package dev.sluice.api.model;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A chat request in Sluice's canonical form: OpenAI Chat Completions' semantics, whatever wire it came in on.
 * Make one with {@link #builder()} and change one with {@link #toBuilder()} or a {@code withX} method, never with
 * the constructor: a field added later then breaks no plugin.
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
  /** Checks the fields (messages, no null in a list) and names a bad one with its value. */
  public ChatRequest {
    if (messages == null || messages.isEmpty()) {
      throw new IllegalArgumentException("ChatRequest.messages was " + messages + ": a chat request needs a message");
    }
    messages = copy("messages", messages);
    stop = copy("stop", stop);
    tools = copy("tools", tools);
    extra = extra == null ? new JsonObject() : extra;
    cacheBreakpoints = copy("cacheBreakpoints", cacheBreakpoints);
  }

  /** An immutable copy of {@code list} (empty for null); a null element is named, e.g. {@code messages[2]}. */
  private static <T> List<T> copy(String field, List<T> list) {
    if (list == null) return List.of();
    int i = 0;
    for (T item : list) {
      if (item == null) throw new IllegalArgumentException("ChatRequest." + field + "[" + i + "] was null in " + list);
      i++;
    }
    return List.copyOf(list);
  }

  /** A request with only a model and messages. */
  public static ChatRequest of(String model, List<Message> messages) {
    return builder().model(model).messages(messages).build();
  }

  /** A builder with nothing set; {@link Builder#build()} needs the messages at least. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this request's fields, to build a changed copy. */
  public Builder toBuilder() {
    return new Builder().model(model).messages(messages).stream(stream).includeUsage(includeUsage)
        .maxTokens(maxTokens).temperature(temperature).topP(topP).n(n).stop(stop).seed(seed).user(user).tools(tools)
        .toolChoice(toolChoice).parallelToolCalls(parallelToolCalls).responseFormat(responseFormat).extra(extra)
        .cacheBreakpoints(cacheBreakpoints);
  }

  public ChatRequest withModel(String newModel) {
    return toBuilder().model(newModel).build();
  }

  public ChatRequest withStream(boolean newStream, boolean newIncludeUsage) {
    return toBuilder().stream(newStream).includeUsage(newIncludeUsage).build();
  }

  /** The same request with other messages; cache breakpoints (indexes into the old messages) are dropped. */
  public ChatRequest withMessages(List<Message> newMessages) {
    return toBuilder().messages(newMessages).cacheBreakpoints(List.of()).build();
  }

  public ChatRequest withTools(List<Tool> newTools, ToolChoice newToolChoice) {
    return toBuilder().tools(newTools).toolChoice(newToolChoice).build();
  }

  public ChatRequest withMaxTokens(Integer newMaxTokens) {
    return toBuilder().maxTokens(newMaxTokens).build();
  }

  /** The same request with {@code breakpoints} (indexes into this request's messages) as its cache hints. */
  public ChatRequest withCacheBreakpoints(List<CacheBreakpoint> breakpoints) {
    return toBuilder().cacheBreakpoints(breakpoints).build();
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

  /**
   * Sets a {@link ChatRequest}'s fields by name. A field left unset is absent: null, false, or empty for a list
   * (empty {@code extra}). {@link #build()} checks them all and names a bad one.
   */
  public static final class Builder {
    private String model;
    private List<Message> messages;
    private boolean stream;
    private boolean includeUsage;
    private Integer maxTokens;
    private Double temperature;
    private Double topP;
    private Integer n;
    private List<String> stop;
    private Long seed;
    private String user;
    private List<Tool> tools;
    private ToolChoice toolChoice;
    private Boolean parallelToolCalls;
    private ResponseFormat responseFormat;
    private JsonObject extra;
    private List<CacheBreakpoint> cacheBreakpoints;

    private Builder() {}

    public Builder model(String model) {
      this.model = model;
      return this;
    }

    public Builder messages(List<Message> messages) {
      this.messages = messages;
      return this;
    }

    public Builder stream(boolean stream) {
      this.stream = stream;
      return this;
    }

    public Builder includeUsage(boolean includeUsage) {
      this.includeUsage = includeUsage;
      return this;
    }

    public Builder maxTokens(Integer maxTokens) {
      this.maxTokens = maxTokens;
      return this;
    }

    public Builder temperature(Double temperature) {
      this.temperature = temperature;
      return this;
    }

    public Builder topP(Double topP) {
      this.topP = topP;
      return this;
    }

    public Builder n(Integer n) {
      this.n = n;
      return this;
    }

    public Builder stop(List<String> stop) {
      this.stop = stop;
      return this;
    }

    public Builder seed(Long seed) {
      this.seed = seed;
      return this;
    }

    public Builder user(String user) {
      this.user = user;
      return this;
    }

    public Builder tools(List<Tool> tools) {
      this.tools = tools;
      return this;
    }

    public Builder toolChoice(ToolChoice toolChoice) {
      this.toolChoice = toolChoice;
      return this;
    }

    public Builder parallelToolCalls(Boolean parallelToolCalls) {
      this.parallelToolCalls = parallelToolCalls;
      return this;
    }

    public Builder responseFormat(ResponseFormat responseFormat) {
      this.responseFormat = responseFormat;
      return this;
    }

    public Builder extra(JsonObject extra) {
      this.extra = extra;
      return this;
    }

    public Builder cacheBreakpoints(List<CacheBreakpoint> cacheBreakpoints) {
      this.cacheBreakpoints = cacheBreakpoints;
      return this;
    }

    /** The request; throws {@link IllegalArgumentException} naming a bad field and its value. */
    public ChatRequest build() {
      return new ChatRequest(model, messages, stream, includeUsage, maxTokens, temperature, topP, n, stop, seed, user,
          tools, toolChoice, parallelToolCalls, responseFormat, extra, cacheBreakpoints);
    }
  }
}

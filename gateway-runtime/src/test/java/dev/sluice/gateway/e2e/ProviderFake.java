package dev.sluice.gateway.e2e;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * One provider plugin's own fake upstream (from that plugin's test-jar), scripted the same way whatever the
 * provider, so one end-to-end test runs against every provider. Answers apply to every following request until
 * changed; faults apply to the next stream only.
 */
interface ProviderFake {

  /** Token counts in the canonical (OpenAI) convention: prompt includes cached, completion includes reasoning. */
  record Counts(int prompt, int completion, int cached, int reasoning) {
    int total() {
      return prompt + completion;
    }
  }

  /** The provider's entry in config.yaml, as a flow map with this id. */
  String providerEntry(String id);

  /**
   * Answers computed from each request, so concurrent requests get different answers: text that ends with the
   * last user message's text ({@code "You said: <text>"} or {@code "Echo: <text>"}).
   */
  void echo();

  /** Answers {@code text}, with the fake's default usage. */
  void answerText(String text);

  /** Answers a single tool call; the id is the provider's own when its protocol has ids. */
  void answerToolCall(String id, String name, JsonObject arguments);

  /**
   * Answers {@code text} with usage in the provider's own terms that includes cache reads (and writes, and
   * thinking tokens, where the provider reports them); returns the counts the client must see.
   */
  Counts answerTextWithUsage(String text);

  /** The next stream sends a few events, the first text among them, then fails upstream. */
  void failNextStreamAfterStart();

  /** The next stream carries bytes that break the provider's protocol after its headers. */
  void malformNextStream();

  /** The tool result (call id, where the protocol has ids, and text) the last upstream request carried. */
  ToolResult lastToolResult();

  record ToolResult(String callId, String name, String text) {}

  Future<Void> close();
}

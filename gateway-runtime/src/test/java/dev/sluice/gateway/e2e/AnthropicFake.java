package dev.sluice.gateway.e2e;

import dev.sluice.plugins.anthropic.FakeAnthropic;
import dev.sluice.plugins.anthropic.FakeAnthropic.Fault;
import dev.sluice.plugins.anthropic.FakeAnthropic.Reply;
import dev.sluice.tck.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The anthropic plugin's {@link FakeAnthropic}: Messages API JSON and SSE, a thinking block first in streams. */
final class AnthropicFake implements ProviderFake {
  private final FakeAnthropic fake;

  private AnthropicFake(FakeAnthropic fake) {
    this.fake = fake;
  }

  static AnthropicFake start(Vertx vertx) {
    return new AnthropicFake(Await.result(FakeAnthropic.start(vertx)));
  }

  @Override
  public String providerEntry(String id) {
    return "{id: " + id + ", type: anthropic, base_url: \"" + fake.baseUrl() + "\", api_key: sk-ant-fake}";
  }

  @Override
  public void echo() {
    fake.reply = null; // FakeAnswers: "You said: <last user text>"
  }

  @Override
  public void answerText(String text) {
    fake.reply = Reply.text(text);
  }

  @Override
  public void answerToolCall(String id, String name, JsonObject arguments) {
    fake.reply = new Reply(new JsonArray().add(new JsonObject().put("type", "tool_use").put("id", id)
        .put("name", name).put("input", arguments)), "tool_use", Reply.defaultUsage());
  }

  @Override
  public Counts answerTextWithUsage(String text) {
    // Anthropic's input_tokens excludes the cache: 40 uncached + 30 written + 200 read. No thinking count exists.
    JsonObject usage = new JsonObject().put("input_tokens", 40).put("cache_creation_input_tokens", 30)
        .put("cache_read_input_tokens", 200).put("output_tokens", 17);
    fake.reply = new Reply(new JsonArray().add(new JsonObject().put("type", "text").put("text", text)), "end_turn",
        usage);
    return new Counts(270, 17, 200, 0);
  }

  @Override
  public void failNextStreamAfterStart() {
    // message_start, ping, the thinking block (4 events), text block start, two text deltas: then an error event.
    fake.enqueue(Fault.errorEvent(9, "overloaded_error", "Overloaded"));
  }

  @Override
  public void malformNextStream() {
    fake.enqueue(Fault.of(Fault.Kind.MALFORMED, 0));
  }

  @Override
  public ToolResult lastToolResult() {
    JsonArray messages = fake.last().body().getJsonArray("messages");
    JsonArray blocks = messages.getJsonObject(messages.size() - 1).getJsonArray("content");
    for (Object b : blocks) {
      JsonObject block = (JsonObject) b;
      if ("tool_result".equals(block.getString("type"))) {
        Object content = block.getValue("content");
        String text = content instanceof String s ? s
            : ((JsonArray) content).getJsonObject(0).getString("text");
        return new ToolResult(block.getString("tool_use_id"), null, text);
      }
    }
    throw new AssertionError("no tool_result in " + messages.encode());
  }

  @Override
  public Future<Void> close() {
    return fake.close();
  }
}

package dev.sluice.gateway.e2e;

import dev.sluice.plugins.bedrock.FakeBedrock;
import dev.sluice.tck.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Function;
import software.amazon.awssdk.eventstream.Message;

/**
 * The bedrock plugin's {@link FakeBedrock}: Converse JSON and ConverseStream binary event streams, every request's
 * SigV4 signature verified. It runs on the unshaded AWS libraries while the plugin, loaded by PF4J, uses its own
 * relocated copies.
 */
final class BedrockFake implements ProviderFake {
  private final FakeBedrock fake;
  private volatile Function<FakeBedrock.Recorded, JsonObject> answers;

  private BedrockFake(FakeBedrock fake) {
    this.fake = fake;
  }

  static BedrockFake start(Vertx vertx) {
    return new BedrockFake(Await.result(new FakeBedrock().start(vertx)));
  }

  @Override
  public String providerEntry(String id) {
    return "{id: " + id + ", type: bedrock, endpoint: \"" + fake.endpoint() + "\", region: " + FakeBedrock.REGION
        + ", access_key_id: " + FakeBedrock.KEY_ID + ", secret_access_key: \"" + FakeBedrock.SECRET + "\"}";
  }

  private void answer(Function<FakeBedrock.Recorded, JsonObject> answers) {
    this.answers = answers;
    fake.model(answers);
  }

  @Override
  public void answerText(String text) {
    answer(r -> FakeBedrock.answer(text, "end_turn"));
  }

  @Override
  public void answerToolCall(String id, String name, JsonObject arguments) {
    answer(r -> FakeBedrock.answer(new JsonArray().add(FakeBedrock.toolUse(id, name, arguments)), "tool_use",
        FakeBedrock.usage(20, 6, 0, 0)));
  }

  @Override
  public Counts answerTextWithUsage(String text) {
    // Bedrock's inputTokens exclude the cache: 40 uncached + 30 written + 200 read. Converse reports no thinking count.
    answer(r -> FakeBedrock.answer(new JsonArray().add(new JsonObject().put("text", text)), "end_turn",
        FakeBedrock.usage(40, 17, 200, 30)));
    return new Counts(270, 17, 200, 0);
  }

  /**
   * Answers as the plugin-api test kit's OpenAI upstream does: {@code Tool result: <text>} after a tool result, a
   * call of the first tool with every required property set to "Paris" when tools are on, else
   * {@code Echo: <last user text>}; usage 12 uncached + 3 written + 4 read input tokens, 5 output.
   */
  @Override
  public void echo() {
    answer(r -> {
      JsonArray messages = r.body().getJsonArray("messages");
      JsonArray blocks = messages.getJsonObject(messages.size() - 1).getJsonArray("content");
      StringBuilder user = new StringBuilder();
      String result = null;
      for (Object b : blocks) {
        JsonObject block = (JsonObject) b;
        if (block.containsKey("text")) user.append(block.getString("text"));
        if (block.containsKey("toolResult")) result = resultText(block.getJsonObject("toolResult"));
      }
      JsonObject usage = FakeBedrock.usage(12, 5, 4, 3);
      JsonObject tools = r.body().getJsonObject("toolConfig");
      if (result == null && tools != null) {
        JsonObject spec = tools.getJsonArray("tools").getJsonObject(0).getJsonObject("toolSpec");
        JsonObject input = new JsonObject();
        spec.getJsonObject("inputSchema").getJsonObject("json").getJsonArray("required", new JsonArray())
            .forEach(name -> input.put((String) name, "Paris"));
        return FakeBedrock.answer(new JsonArray().add(FakeBedrock.toolUse("tooluse_e2e" + fake.requests().size(),
            spec.getString("name"), input)), "tool_use", usage);
      }
      String text = result != null ? "Tool result: " + result : "Echo: " + user;
      return FakeBedrock.answer(new JsonArray().add(new JsonObject().put("text", text)), "end_turn", usage);
    });
  }

  @Override
  public void failNextStreamAfterStart() {
    // messageStart and three text deltas, then an exception frame, as Bedrock reports a failure mid-stream.
    fake.reply(new FakeBedrock.Dynamic(r -> {
      List<Message> frames = new java.util.ArrayList<>(FakeBedrock.streamOf(answers.apply(r)).subList(0, 4));
      frames.add(FakeBedrock.exception("internalServerException", "The model failed mid-answer."));
      return new FakeBedrock.Stream(frames, -1, FakeBedrock.Ending.END);
    }));
  }

  @Override
  public void malformNextStream() {
    // The third frame's payload no longer matches its CRC.
    fake.reply(new FakeBedrock.Dynamic(r -> new FakeBedrock.Stream(FakeBedrock.streamOf(answers.apply(r)), 2,
        FakeBedrock.Ending.END)));
  }

  @Override
  public ToolResult lastToolResult() {
    JsonArray messages = fake.last().body().getJsonArray("messages");
    for (Object b : messages.getJsonObject(messages.size() - 1).getJsonArray("content")) {
      JsonObject result = ((JsonObject) b).getJsonObject("toolResult");
      if (result != null) return new ToolResult(result.getString("toolUseId"), null, resultText(result));
    }
    throw new AssertionError("no toolResult in " + messages.encode());
  }

  private static String resultText(JsonObject toolResult) {
    StringBuilder text = new StringBuilder();
    for (Object c : toolResult.getJsonArray("content")) {
      JsonObject part = (JsonObject) c;
      if (part.containsKey("text")) text.append(part.getString("text"));
      if (part.containsKey("json")) text.append(part.getValue("json"));
    }
    return text.toString();
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture(); // its server closes with the upstreams' Vert.x instance
  }
}

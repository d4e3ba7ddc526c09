package dev.sluice.plugins.bedrock;

import dev.sluice.tck.UpstreamFaults;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/**
 * {@link UpstreamFaults} over {@link FakeBedrock}, in Bedrock's own terms, with the deterministic model the
 * contract expects: the answer repeats the last user text; with tools and a user message last it calls the
 * named (or first) tool with every required property; after a tool result it answers with the result.
 */
final class BedrockUpstreamFaults implements UpstreamFaults {
  private final FakeBedrock fake;
  private final List<Runnable> waiters = new ArrayList<>();
  private volatile int cachedTokens;

  BedrockUpstreamFaults(FakeBedrock fake) {
    this.fake = fake;
    fake.model(this::answer);
    fake.onChange(this::recheck);
  }

  private JsonObject answer(FakeBedrock.Recorded request) {
    JsonArray turns = request.body().getJsonArray("messages");
    JsonObject last = turns.getJsonObject(turns.size() - 1);
    JsonArray blocks = last.getJsonArray("content");
    StringBuilder userText = new StringBuilder();
    String toolResult = null;
    for (int i = 0; i < blocks.size(); i++) {
      JsonObject block = blocks.getJsonObject(i);
      if (block.containsKey("text")) userText.append(block.getString("text"));
      if (block.containsKey("toolResult")) {
        toolResult = block.getJsonObject("toolResult").getJsonArray("content").getJsonObject(0).getString("text");
      }
    }
    JsonObject usage = FakeBedrock.usage(10 + userText.length() / 4, 9, cachedTokens, 0);
    JsonObject toolConfig = request.body().getJsonObject("toolConfig");
    if (toolResult == null && toolConfig != null) {
      JsonObject spec = pickTool(toolConfig);
      JsonObject input = new JsonObject();
      JsonArray required = spec.getJsonObject("inputSchema").getJsonObject("json").getJsonArray("required");
      if (required != null) required.forEach(name -> input.put((String) name, "Paris"));
      return FakeBedrock.answer(new JsonArray().add(FakeBedrock.toolUse("tooluse_" + fake.requests().size(),
          spec.getString("name"), input)), "tool_use", usage);
    }
    String text = toolResult != null ? "The tool said: " + toolResult : "You said: " + userText;
    return FakeBedrock.answer(new JsonArray().add(new JsonObject().put("text", text)), "end_turn", usage);
  }

  private static JsonObject pickTool(JsonObject toolConfig) {
    JsonArray tools = toolConfig.getJsonArray("tools");
    JsonObject named = toolConfig.getJsonObject("toolChoice").getJsonObject("tool");
    for (int i = 0; i < tools.size(); i++) {
      JsonObject spec = tools.getJsonObject(i).getJsonObject("toolSpec");
      if (named == null || named.getString("name").equals(spec.getString("name"))) return spec;
    }
    throw new IllegalStateException("no tool named " + named);
  }

  @Override
  public void failNext(int status) {
    Map<Integer, String> types = Map.of(400, "ValidationException", 401, "UnrecognizedClientException",
        403, "AccessDeniedException", 404, "ResourceNotFoundException", 408, "ModelTimeoutException",
        429, "ThrottlingException", 500, "InternalServerException", 503, "ServiceUnavailableException");
    fake.replyError(status, types.getOrDefault(status, "InternalServerException"), "Injected HTTP " + status);
  }

  @Override
  public void rateLimitNext(Duration retryAfter) {
    fake.reply(new FakeBedrock.Json(429, "ThrottlingException", new JsonObject().put("message",
        "Too many requests, please wait before trying again."), Map.of("Retry-After",
        String.valueOf(retryAfter.toSeconds()))));
  }

  @Override
  public void contextWindowNext() {
    fake.replyError(400, "ValidationException", "Input is too long for requested model.");
  }

  @Override
  public void hangNext() {
    fake.reply(new FakeBedrock.Hang());
  }

  @Override
  public void malformedNext() {
    fake.reply(new FakeBedrock.Dynamic(r -> {
      if (!r.path().endsWith("/converse-stream")) return new FakeBedrock.Raw(200, "{\"output\": {\"mess");
      List<Message> frames = new ArrayList<>(FakeBedrock.streamOf(answer(r)).subList(0, 2));
      Map<String, HeaderValue> headers = new HashMap<>(frames.get(1).getHeaders());
      frames.add(new Message(headers, "{not json".getBytes(StandardCharsets.UTF_8)));
      return new FakeBedrock.Stream(frames, -1, FakeBedrock.Ending.END);
    }));
  }

  @Override
  public void cutStreamAfter(int events) {
    fake.reply(new FakeBedrock.Dynamic(r ->
        new FakeBedrock.Stream(FakeBedrock.streamOf(answer(r)).subList(0, events), -1, FakeBedrock.Ending.CUT)));
  }

  @Override
  public void errorEventAfter(int events) {
    fake.reply(new FakeBedrock.Dynamic(r -> {
      List<Message> frames = new ArrayList<>(FakeBedrock.streamOf(answer(r)).subList(0, events));
      frames.add(FakeBedrock.exception("internalServerException", "Injected internal error"));
      return new FakeBedrock.Stream(frames, -1, FakeBedrock.Ending.END);
    }));
  }

  @Override
  public void truncateStreamNext() {
    fake.reply(new FakeBedrock.Dynamic(r -> {
      List<Message> frames = FakeBedrock.streamOf(answer(r));
      return new FakeBedrock.Stream(frames.subList(0, frames.size() - 2), -1, FakeBedrock.Ending.END);
    }));
  }

  @Override
  public void reportUsageDetails(int cachedTokens, int reasoningTokens) {
    this.cachedTokens = cachedTokens; // Bedrock reports no reasoning tokens
  }

  @Override
  public int imagesInLastRequest() {
    int images = 0;
    for (Object turn : fake.last().body().getJsonArray("messages")) {
      for (Object block : ((JsonObject) turn).getJsonArray("content")) {
        if (((JsonObject) block).containsKey("image")) images++;
      }
    }
    return images;
  }

  @Override
  public Future<Void> awaitRequests(int n) {
    return await(() -> fake.requests().size() >= n);
  }

  @Override
  public Future<Void> awaitDisconnects(int n) {
    return await(() -> fake.disconnects() >= n);
  }

  private Future<Void> await(java.util.function.BooleanSupplier condition) {
    Promise<Void> done = Promise.promise();
    Runnable check = () -> {
      if (condition.getAsBoolean()) done.tryComplete();
    };
    synchronized (waiters) {
      waiters.add(check);
    }
    check.run();
    return done.future();
  }

  private void recheck() {
    List<Runnable> copy;
    synchronized (waiters) {
      copy = new ArrayList<>(waiters);
    }
    copy.forEach(Runnable::run);
  }
}

package dev.sluice.plugins.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.model.CacheBreakpoint;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.Tool;
import dev.sluice.api.model.Usage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gateway's cache breakpoints reach Bedrock Converse as cachePoint blocks, within Bedrock's limits. */
class CachePointsTest extends BedrockTestSupport {
  private static final String SONNET = "us.anthropic.claude-3-7-sonnet-20250219-v1:0";
  private static final JsonObject POINT = new JsonObject().put("cachePoint", new JsonObject().put("type", "default"));
  private static final Tool LOOKUP = new Tool("lookup", "Looks up", new JsonObject().put("type", "object"), null);

  private static List<Message> conversation() {
    return List.of(Message.system("Policy."), Message.user("First?"), Message.assistant("First answer."),
        Message.user("Second?"));
  }

  @Test
  void breakpointsBecomeCachePointsAfterToolsSystemAndMarkedTurns() {
    fake.replyJson(FakeBedrock.answer(new JsonArray().add(new JsonObject().put("text", "ok")), "end_turn",
        FakeBedrock.usage(100, 5, 1500, 20)));
    ChatRequest r = ChatRequest.of(SONNET, conversation()).withTools(List.of(LOOKUP), null)
        .withCacheBreakpoints(List.of(CacheBreakpoint.afterTools(1100), CacheBreakpoint.afterMessage(0, 1500),
            CacheBreakpoint.afterMessage(1, 1600), CacheBreakpoint.afterMessage(3, 1700)));
    ChatResponse response = await(provider.chat(r, call()));
    JsonObject body = fake.last().body();
    JsonArray tools = body.getJsonObject("toolConfig").getJsonArray("tools");
    assertThat(tools.getValue(tools.size() - 1)).isEqualTo(POINT);
    assertThat(body.getJsonArray("system")).isEqualTo(new JsonArray().add(new JsonObject().put("text", "Policy."))
        .add(POINT));
    JsonArray messages = body.getJsonArray("messages");
    assertThat(messages.getJsonObject(0).getJsonArray("content")).isEqualTo(new JsonArray()
        .add(new JsonObject().put("text", "First?")).add(POINT));
    assertThat(messages.getJsonObject(2).getJsonArray("content")).isEqualTo(new JsonArray()
        .add(new JsonObject().put("text", "Second?")).add(POINT));
    assertThat(points(body)).isEqualTo(4);
    assertThat(response.usage()).isEqualTo(new Usage(1620, 5, 1625, 1500, 20, 0));
  }

  @Test
  void neverMoreThanFourNorBelowTheMinimumAndNoToolPointForNova() {
    List<CacheBreakpoint> many = new ArrayList<>();
    many.add(CacheBreakpoint.afterTools(1100));
    for (int i = 0; i < 4; i++) many.add(CacheBreakpoint.afterMessage(i, 1200 + i));
    await(provider.chat(ChatRequest.of(SONNET, conversation()).withTools(List.of(LOOKUP), null)
        .withCacheBreakpoints(many), call()));
    assertThat(points(fake.last().body())).isEqualTo(CachePoints.MAX_CHECKPOINTS);

    await(provider.chat(ChatRequest.of(MODEL, conversation()).withCacheBreakpoints(List.of(
        CacheBreakpoint.afterMessage(0, 1500), CacheBreakpoint.afterMessage(3, 2500))), call()));
    assertThat(points(fake.last().body())).as("Claude 3 Haiku needs 2048 tokens").isEqualTo(1);

    await(provider.chat(ChatRequest.of("amazon.nova-pro-v1:0", conversation()).withTools(List.of(LOOKUP), null)
        .withCacheBreakpoints(List.of(CacheBreakpoint.afterTools(1500), CacheBreakpoint.afterMessage(0, 1600))),
        call()));
    JsonObject nova = fake.last().body();
    assertThat(points(nova)).isEqualTo(1);
    assertThat(points(nova.getJsonObject("toolConfig"))).isZero();
  }

  private static int points(Object node) {
    int n = 0;
    if (node instanceof JsonObject o) {
      if (o.containsKey("cachePoint")) n++;
      for (String k : o.fieldNames()) n += points(o.getValue(k));
    } else if (node instanceof JsonArray a) {
      for (Object v : a) n += points(v);
    }
    return n;
  }
}

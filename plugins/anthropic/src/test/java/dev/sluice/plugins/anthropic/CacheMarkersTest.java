package dev.sluice.plugins.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.CallContext;
import dev.sluice.api.PluginContext;
import dev.sluice.api.Provider;
import dev.sluice.api.ProviderSettings;
import dev.sluice.api.model.CacheBreakpoint;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.Tool;
import dev.sluice.api.model.ToolCall;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Timeout;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The gateway's cache breakpoints reach Anthropic as cache_control markers, within Anthropic's limits. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CacheMarkersTest {
  private static final JsonObject EPHEMERAL = new JsonObject().put("type", "ephemeral");
  private static final Tool WEATHER = new Tool("get_weather", "Weather", new JsonObject().put("type", "object"), null);
  private FakeAnthropic fake;
  private Provider provider;

  @BeforeEach
  void setUp(Vertx vertx) {
    fake = Await.result(FakeAnthropic.start(vertx));
    PluginContext context = () -> vertx;
    provider = new AnthropicProviderFactory().create(new ProviderSettings("providers[0]", "claude", "anthropic",
        new JsonObject().put("id", "claude").put("type", "anthropic").put("api_key", "sk-ant-test")
            .put("base_url", fake.baseUrl())), context);
  }

  @AfterEach
  void tearDown() {
    Await.result(provider.close());
    Await.result(fake.close());
  }

  private JsonObject send(ChatRequest r) {
    Await.result(provider.chat(r, CallContext.create("req-1")));
    return fake.last().body();
  }

  private static List<Message> conversation() {
    return List.of(Message.system("Policy."), Message.user("Weather?"),
        Message.assistantToolCalls(List.of(new ToolCall("toolu_1", "get_weather", "{}"))),
        Message.toolResult("toolu_1", "Sunny"), Message.assistant("It is sunny."), Message.user("And tomorrow?"));
  }

  @Test
  void breakpointsBecomeCacheControlOnToolsSystemAndTheMarkedTurns() {
    ChatRequest r = ChatRequest.of("claude-sonnet-4-5", conversation()).withTools(List.of(WEATHER), null)
        .withCacheBreakpoints(List.of(CacheBreakpoint.afterTools(1100), CacheBreakpoint.afterMessage(0, 1500),
            CacheBreakpoint.afterMessage(3, 2000), CacheBreakpoint.afterMessage(5, 2600)));
    JsonObject body = send(r);
    assertThat(body.getJsonArray("tools").getJsonObject(0).getJsonObject("cache_control")).isEqualTo(EPHEMERAL);
    assertThat(body.getJsonArray("system").getJsonObject(0).getJsonObject("cache_control")).isEqualTo(EPHEMERAL);
    JsonArray turns = body.getJsonArray("messages");
    // messages[3], the tool result, is the tool_result block of the second user turn
    JsonObject toolResult = turns.getJsonObject(2).getJsonArray("content").getJsonObject(0);
    assertThat(toolResult.getString("type")).isEqualTo("tool_result");
    assertThat(toolResult.getJsonObject("cache_control")).isEqualTo(EPHEMERAL);
    JsonArray last = turns.getJsonObject(turns.size() - 1).getJsonArray("content");
    assertThat(last.getJsonObject(last.size() - 1).getJsonObject("cache_control")).isEqualTo(EPHEMERAL);
    assertThat(markers(body)).isEqualTo(4);
  }

  @Test
  void neverMoreThanFourNorBelowTheModelsMinimumPrefix() {
    List<CacheBreakpoint> many = new ArrayList<>();
    many.add(CacheBreakpoint.afterTools(1100));
    for (int i = 0; i < 6; i++) many.add(CacheBreakpoint.afterMessage(i, 1200 + 100 * i));
    JsonObject body = send(ChatRequest.of("claude-sonnet-4-5", conversation()).withTools(List.of(WEATHER), null)
        .withCacheBreakpoints(many));
    assertThat(markers(body)).isEqualTo(CacheMarkers.MAX_BREAKPOINTS);
    // The longest prefixes are kept: the tools' marker (the shortest) is the one dropped, and two more.
    assertThat(body.getJsonArray("tools").getJsonObject(0).containsKey("cache_control")).isFalse();

    JsonObject haiku = send(ChatRequest.of("claude-3-5-haiku-latest", conversation())
        .withCacheBreakpoints(List.of(CacheBreakpoint.afterMessage(0, 1500), CacheBreakpoint.afterMessage(5, 2100))));
    assertThat(markers(haiku)).isEqualTo(1);
    assertThat(haiku.getJsonArray("system").getJsonObject(0).containsKey("cache_control")).isFalse();

    JsonObject none = send(ChatRequest.of("claude-sonnet-4-5", conversation()));
    assertThat(markers(none)).isZero();
  }

  /** cache_control markers anywhere in the body. */
  private static int markers(Object node) {
    int n = 0;
    if (node instanceof JsonObject o) {
      if (o.containsKey("cache_control")) n++;
      for (String k : o.fieldNames()) n += markers(o.getValue(k));
    } else if (node instanceof JsonArray a) {
      for (Object v : a) n += markers(v);
    }
    return n;
  }
}

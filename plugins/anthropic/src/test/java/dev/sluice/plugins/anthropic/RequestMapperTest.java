package dev.sluice.plugins.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.ConfigError;
import dev.sluice.api.GatewayError;
import dev.sluice.api.ProviderSettings;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ContentPart;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.ResponseFormat;
import dev.sluice.api.model.Role;
import dev.sluice.api.model.Tool;
import dev.sluice.api.model.ToolCall;
import dev.sluice.api.model.ToolChoice;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Canonical → Anthropic request mapping and settings validation, without a network. */
class RequestMapperTest {
  private static final Tool WEATHER = new Tool("get_weather", null, null, null);
  private final RequestMapper mapper = new RequestMapper(settings(new JsonObject()));

  private static AnthropicSettings settings(JsonObject extra) {
    return AnthropicSettings.from(new ProviderSettings("providers[3]", "claude", "anthropic",
        new JsonObject().put("api_key", "sk-ant-x").mergeIn(extra)));
  }

  private JsonObject map(ChatRequest r) {
    return mapper.map(r, false).body();
  }

  private static JsonObject text(String t) {
    return new JsonObject().put("type", "text").put("text", t);
  }

  private static JsonObject turn(String role, JsonObject... blocks) {
    return new JsonObject().put("role", role).put("content", new JsonArray(List.of((Object[]) blocks)));
  }

  @Test
  void systemAndDeveloperMessagesAreLiftedWherever() {
    JsonObject body = map(ChatRequest.of("claude-3-haiku", List.of(Message.system("Rule one."),
        Message.user("Hi"), Message.of(Role.DEVELOPER, "Rule two."), Message.assistant("Hello"))));
    assertThat(body.getJsonArray("system")).isEqualTo(new JsonArray().add(text("Rule one.")).add(text("Rule two.")));
    assertThat(body.getJsonArray("messages")).isEqualTo(new JsonArray()
        .add(turn("user", text("Hi"))).add(turn("assistant", text("Hello"))));
  }

  @Test
  void alternationIsRepaired() {
    JsonObject body = map(ChatRequest.of("m", List.of(
        Message.assistant("I start."),
        Message.user("One."), Message.user("Two."),
        Message.assistant(""),
        Message.assistantToolCalls(List.of(new ToolCall("call_1", "get_weather", "{\"city\":\"Rome\"}"),
            new ToolCall("call_2", "get_weather", ""))),
        Message.toolResult("call_1", "Sunny"), Message.toolResult("call_2", "Rain"),
        Message.user("Thanks."))));
    assertThat(body.getJsonArray("messages")).isEqualTo(new JsonArray()
        .add(turn("user", text(Conversation.OPENING_PLACEHOLDER)))
        .add(turn("assistant", text("I start.")))
        .add(turn("user", text("One."), text("Two.")))
        .add(turn("assistant",
            new JsonObject().put("type", "tool_use").put("id", "call_1").put("name", "get_weather")
                .put("input", new JsonObject().put("city", "Rome")),
            new JsonObject().put("type", "tool_use").put("id", "call_2").put("name", "get_weather")
                .put("input", new JsonObject())))
        .add(turn("user",
            new JsonObject().put("type", "tool_result").put("tool_use_id", "call_1").put("content", "Sunny"),
            new JsonObject().put("type", "tool_result").put("tool_use_id", "call_2").put("content", "Rain"),
            text("Thanks."))));
  }

  @Test
  void toolResultsGoBeforeTextInAMergedUserTurn() {
    JsonObject body = map(ChatRequest.of("m", List.of(Message.user("Go"),
        Message.assistantToolCalls(List.of(new ToolCall("c1", "f", "{}"))),
        Message.user("Also this."), Message.toolResult("c1", "done"))));
    JsonArray last = body.getJsonArray("messages").getJsonObject(2).getJsonArray("content");
    assertThat(last.getJsonObject(0).getString("type")).isEqualTo("tool_result");
    assertThat(last.getJsonObject(1)).isEqualTo(text("Also this."));
  }

  @Test
  void toolsAndToolChoiceMap() {
    ChatRequest base = ChatRequest.of("m", List.of(Message.user("Hi")));
    JsonObject body = map(base.withTools(List.of(WEATHER), ToolChoice.REQUIRED));
    assertThat(body.getJsonArray("tools").getJsonObject(0)).isEqualTo(new JsonObject().put("name", "get_weather")
        .put("input_schema", new JsonObject().put("type", "object").put("properties", new JsonObject())));
    assertThat(body.getJsonObject("tool_choice")).isEqualTo(new JsonObject().put("type", "any"));
    assertThat(map(base.withTools(List.of(WEATHER), ToolChoice.NONE)).getJsonObject("tool_choice"))
        .isEqualTo(new JsonObject().put("type", "none"));
    assertThat(map(base.withTools(List.of(WEATHER), ToolChoice.function("get_weather"))).getJsonObject("tool_choice"))
        .isEqualTo(new JsonObject().put("type", "tool").put("name", "get_weather"));
    assertThat(map(base.withTools(List.of(WEATHER), null)).containsKey("tool_choice")).isFalse();
    ChatRequest serial = ChatRequest.builder().model("m").messages(base.messages()).tools(List.of(WEATHER))
        .parallelToolCalls(false).build();
    assertThat(map(serial).getJsonObject("tool_choice")).isEqualTo(new JsonObject().put("type", "auto")
        .put("disable_parallel_tool_use", true));
    assertThat(map(base.withTools(List.of(), ToolChoice.AUTO)).containsKey("tool_choice")).isFalse();
  }

  @Test
  void jsonObjectModeAddsASystemInstruction() {
    ChatRequest r = ChatRequest.builder().model("m").messages(List.of(Message.user("List three colours")))
        .responseFormat(ResponseFormat.JSON_OBJECT).build();
    JsonObject body = map(r);
    assertThat(body.getJsonArray("system")).containsExactly(text(JsonMode.OBJECT_INSTRUCTION));
    assertThat(body.containsKey("tools")).isFalse();
  }

  @Test
  void jsonSchemaWithToolsOffersTheAnswerToolAlongside() {
    JsonObject schema = new JsonObject().put("type", "object");
    ChatRequest r = ChatRequest.builder().model("m").messages(List.of(Message.user("Hi")))
        .tools(List.of(new Tool("get_weather", null, null, null)))
        .responseFormat(new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, "get_weather", schema, null)).build();
    WireRequest wire = mapper.map(r, false);
    assertThat(wire.jsonTool()).isEqualTo("sluice_get_weather");
    assertThat(wire.body().getJsonArray("tools")).hasSize(2);
    assertThat(wire.body().getJsonObject("tool_choice")).isEqualTo(new JsonObject().put("type", "auto"));
  }

  @Test
  void unmappableRequestsFailNamingTheField() {
    ChatRequest two = ChatRequest.builder().model("m").messages(List.of(Message.user("Hi"))).n(2).build();
    assertThat(param(two)).isEqualTo("n");
    ChatRequest hot = ChatRequest.builder().model("m").messages(List.of(Message.user("Hi"))).temperature(1.5).build();
    assertThat(param(hot)).isEqualTo("temperature");
    ChatRequest badArgs = ChatRequest.of("m", List.of(Message.user("Hi"),
        Message.assistantToolCalls(List.of(new ToolCall("c", "f", "{not json"))), Message.toolResult("c", "x")));
    assertThat(param(badArgs)).isEqualTo("messages[1].tool_calls[0].function.arguments");
    ChatRequest audio = ChatRequest.of("m", List.of(new Message(Role.USER, List.of(new ContentPart.Audio("AAAA",
        "wav")), null, null, null)));
    assertThat(param(audio)).isEqualTo("messages[0].content[0]");
    assertThat(param(ChatRequest.of("m", List.of(Message.system("only system"))))).isEqualTo("messages");
  }

  private String param(ChatRequest r) {
    try {
      map(r);
    } catch (GatewayError e) {
      assertThat(e.kind()).isEqualTo(GatewayError.Kind.BAD_REQUEST);
      return e.param();
    }
    throw new AssertionError("expected a bad request");
  }

  @Test
  void settingsHaveDefaultsAndNameBadValues() {
    AnthropicSettings s = settings(new JsonObject());
    assertThat(s.baseUrl()).isEqualTo("https://api.anthropic.com");
    assertThat(s.anthropicVersion()).isEqualTo("2023-06-01");
    assertThat(s.maxConnections()).isEqualTo(64);
    assertThat(s.toString()).doesNotContain("sk-ant-x");

    assertThatThrownBy(() -> AnthropicSettings.from(new ProviderSettings("providers[3]", "c", "anthropic",
        new JsonObject()))).isInstanceOf(ConfigError.class).hasMessageContaining("providers[3].api_key");
    assertThatThrownBy(() -> settings(new JsonObject().put("api_base", "x")))
        .isInstanceOf(ConfigError.class).hasMessageContaining("providers[3].api_base").hasMessageContaining("base_url");
    assertThatThrownBy(() -> settings(new JsonObject().put("max_connections", 0)))
        .hasMessageContaining("providers[3].max_connections").hasMessageContaining("0");
    assertThatThrownBy(() -> settings(new JsonObject().put("base_url", "https://api.anthropic.com/v1")))
        .hasMessageContaining("providers[3].base_url").hasMessageContaining("without /v1");
    assertThatThrownBy(() -> settings(new JsonObject().put("connect_timeout", 5)))
        .hasMessageContaining("providers[3].connect_timeout");
    assertThatThrownBy(() -> settings(new JsonObject().put("beta", new JsonArray().add("a,b"))))
        .hasMessageContaining("providers[3].beta[0]");
    assertThatThrownBy(() -> settings(new JsonObject().put("headers", new JsonObject().put("X-Api-Key", "k"))))
        .hasMessageContaining("providers[3].headers.X-Api-Key").hasMessageNotContaining("'k'");
  }

  @Test
  void modelLimitsMatchFamiliesByPrefix() {
    assertThat(ModelLimits.maxOutputTokens("claude-opus-4-1-20250805")).isEqualTo(32_000);
    assertThat(ModelLimits.maxOutputTokens("claude-opus-4-5")).isEqualTo(64_000);
    assertThat(ModelLimits.maxOutputTokens("us.anthropic.claude-3-5-sonnet-20241022-v2:0")).isEqualTo(8192);
    assertThat(ModelLimits.maxOutputTokens("claude-instant-1.2")).isEqualTo(ModelLimits.FALLBACK);
  }
}

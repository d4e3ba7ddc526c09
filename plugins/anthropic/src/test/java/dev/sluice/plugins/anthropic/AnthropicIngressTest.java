package dev.sluice.plugins.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.GatewayError;
import dev.sluice.api.IngressFormat;
import dev.sluice.api.ProviderSettings;
import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.ChatChunk.Delta;
import dev.sluice.api.model.ChatChunk.ToolCallDelta;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.model.Choice;
import dev.sluice.api.model.ContentPart;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.Role;
import dev.sluice.api.model.ToolCall;
import dev.sluice.api.model.ToolChoice;
import dev.sluice.api.model.Usage;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The /v1/messages codec: Anthropic requests in, Anthropic messages, events and errors out. */
class AnthropicIngressTest {
  private final AnthropicIngress ingress = new AnthropicIngress();

  private ChatRequest decode(String json) {
    return ingress.decodeRequest(new JsonObject(json), MultiMap.caseInsensitiveMultiMap());
  }

  @Test
  void decodesEveryBlockType() {
    ChatRequest r = decode("""
        {"model":"claude-sonnet-4-5","max_tokens":512,"stream":true,"temperature":0.3,"top_p":0.8,"top_k":5,
         "stop_sequences":["###"],"metadata":{"user_id":"u-7"},
         "system":[{"type":"text","text":"You are terse.","cache_control":{"type":"ephemeral"}}],
         "tools":[{"name":"get_weather","description":"Weather","input_schema":{"type":"object"}}],
         "tool_choice":{"type":"any","disable_parallel_tool_use":true},
         "messages":[
           {"role":"user","content":[{"type":"text","text":"Compare"},
             {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBO"}},
             {"type":"image","source":{"type":"url","url":"https://example.com/a.png"}},
             {"type":"document","source":{"type":"text","media_type":"text/plain","data":"doc"}}]},
           {"role":"assistant","content":[{"type":"thinking","thinking":"hm","signature":"sig"},
             {"type":"text","text":"Checking."},
             {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Rome"}}]},
           {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"Sunny"},
             {"type":"tool_result","tool_use_id":"toolu_2","is_error":true,
              "content":[{"type":"text","text":"boom"}]},
             {"type":"text","text":"And tomorrow?"}]},
           {"role":"assistant","content":"Plain string."}]}""");

    assertThat(r.model()).isEqualTo("claude-sonnet-4-5");
    assertThat(r.maxTokens()).isEqualTo(512);
    assertThat(r.stream()).isTrue();
    assertThat(r.includeUsage()).isTrue();
    assertThat(r.temperature()).isEqualTo(0.3);
    assertThat(r.topP()).isEqualTo(0.8);
    assertThat(r.stop()).containsExactly("###");
    assertThat(r.user()).isEqualTo("u-7");
    assertThat(r.tools()).hasSize(1);
    assertThat(r.tools().get(0).parameters()).isEqualTo(new JsonObject().put("type", "object"));
    assertThat(r.toolChoice()).isEqualTo(ToolChoice.REQUIRED);
    assertThat(r.parallelToolCalls()).isFalse();
    assertThat(r.extra()).isEmpty();

    List<Message> m = r.messages();
    assertThat(m).extracting(Message::role).containsExactly(Role.SYSTEM, Role.USER, Role.ASSISTANT, Role.TOOL,
        Role.TOOL, Role.USER, Role.ASSISTANT);
    assertThat(m.get(0).text()).isEqualTo("You are terse.");
    assertThat(m.get(1).content()).hasSize(4);
    assertThat(m.get(1).content().get(1)).isEqualTo(new ContentPart.Image("data:image/png;base64,iVBO", null));
    assertThat(m.get(1).content().get(2)).isEqualTo(new ContentPart.Image("https://example.com/a.png", null));
    assertThat(m.get(1).content().get(3)).isInstanceOf(ContentPart.Other.class);
    assertThat(m.get(2).text()).isEqualTo("Checking.");
    assertThat(m.get(2).toolCalls()).containsExactly(new ToolCall("toolu_1", "get_weather", "{\"city\":\"Rome\"}"));
    assertThat(m.get(3).toolCallId()).isEqualTo("toolu_1");
    assertThat(m.get(3).text()).isEqualTo("Sunny");
    assertThat(m.get(4).toolCallId()).isEqualTo("toolu_2");
    assertThat(m.get(4).text()).isEqualTo("boom");
    assertThat(m.get(5).text()).isEqualTo("And tomorrow?");
    assertThat(m.get(6).text()).isEqualTo("Plain string.");
  }

  @Test
  void aDecodedRequestMapsBackToTheSameAnthropicConversation() {
    String messages = """
        [{"role":"user","content":[{"type":"text","text":"Weather?"}]},
         {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"w","input":{"c":"Rome"}}]},
         {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"Sunny"},
           {"type":"text","text":"Thanks"}]}]""";
    ChatRequest r = decode("{\"model\":\"m\",\"max_tokens\":10,\"system\":\"Be nice.\",\"messages\":" + messages + "}");
    AnthropicSettings settings = AnthropicSettings.from(new ProviderSettings("providers[0]", "a",
        "anthropic", new JsonObject().put("api_key", "k")));
    JsonObject body = new RequestMapper(settings).map(r, false).body();
    assertThat(body.getJsonArray("messages")).isEqualTo(new JsonArray(messages));
    assertThat(body.getJsonArray("system")).isEqualTo(new JsonArray("[{\"type\":\"text\",\"text\":\"Be nice.\"}]"));
  }

  @Test
  void aClientsOwnCacheControlMarkersSurviveTheRoundTrip() {
    String policy = "Policy text. ".repeat(600);
    String body = new JsonObject().put("model", "claude-sonnet-4-5").put("max_tokens", 10)
        .put("tools", new JsonArray().add(new JsonObject().put("name", "w").put("input_schema", new JsonObject()
            .put("type", "object")).put("cache_control", new JsonObject().put("type", "ephemeral"))))
        .put("system", new JsonArray().add(new JsonObject().put("type", "text").put("text", policy)
            .put("cache_control", new JsonObject().put("type", "ephemeral"))))
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", new JsonArray()
            .add(new JsonObject().put("type", "text").put("text", "Hi").put("cache_control",
                new JsonObject().put("type", "ephemeral"))))))
        .encode();
    ChatRequest r = decode(body);
    assertThat(r.cacheBreakpoints()).extracting(dev.sluice.api.model.CacheBreakpoint::afterMessage)
        .containsExactly(dev.sluice.api.model.CacheBreakpoint.TOOLS, 0, 1);
    AnthropicSettings settings = AnthropicSettings.from(new ProviderSettings("providers[0]", "a",
        "anthropic", new JsonObject().put("api_key", "k")));
    JsonObject wire = new RequestMapper(settings).map(r, false).body();
    JsonObject ephemeral = new JsonObject().put("type", "ephemeral");
    assertThat(wire.getJsonArray("system").getJsonObject(0).getJsonObject("cache_control")).isEqualTo(ephemeral);
    assertThat(wire.getJsonArray("messages").getJsonObject(0).getJsonArray("content").getJsonObject(0)
        .getJsonObject("cache_control")).isEqualTo(ephemeral);
    // The tools alone are under Anthropic's 1024-token minimum: that marker would be ignored, so it is not sent.
    assertThat(wire.getJsonArray("tools").getJsonObject(0).containsKey("cache_control")).isFalse();
    assertThat(decode("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
        .cacheBreakpoints()).isEmpty();
  }

  @Test
  void validationErrorsNameTheField() {
    assertThat(badParam("{\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")).isEqualTo("model");
    assertThat(badParam("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")).isEqualTo("max_tokens");
    assertThat(badParam("{\"model\":\"m\",\"max_tokens\":1,\"messages\":[]}")).isEqualTo("messages");
    assertThat(badParam("{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]}"))
        .isEqualTo("messages[0].role");
    assertThat(badParam("{\"model\":\"m\",\"max_tokens\":1,\"temperature\":1.5,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")).isEqualTo("temperature");
    assertThat(badParam("{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":"
        + "[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"video\"}]}]}")).isEqualTo("messages[0].content[1].type");
    assertThat(badParam("{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
        + "\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}]}")).isEqualTo("tools[0].type");
    assertThat(badParam("{\"model\":\"m\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
        + "\"tool_choice\":{\"type\":\"sometimes\"}}")).isEqualTo("tool_choice.type");
    assertThat(badParam("{\"model\":\"m\",\"max_tokens\":\"many\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"))
        .isEqualTo("max_tokens");
  }

  private String badParam(String json) {
    try {
      decode(json);
    } catch (GatewayError e) {
      assertThat(e.kind()).isEqualTo(GatewayError.Kind.BAD_REQUEST);
      assertThat(e.getMessage()).isNotBlank();
      return e.param();
    }
    throw new AssertionError("expected a 400 for " + json);
  }

  @Test
  void encodesAResponseAsAnAnthropicMessage() {
    Message message = new Message(Role.ASSISTANT, List.of(ContentPart.text("Let me check.")), null,
        List.of(new ToolCall("call_1", "get_weather", "{\"city\":\"Rome\"}"), new ToolCall(null, "noop", "")), null);
    ChatResponse response = new ChatResponse("chatcmpl-9", 1, "gpt-4o", List.of(new Choice(0, message, "tool_calls",
        null)), new Usage(120, 30, 150, 100, 0, 0), null);

    JsonObject o = new JsonObject(ingress.encodeResponse(response, null));

    assertThat(o.getString("id")).isEqualTo("msg_chatcmpl-9");
    assertThat(o.getString("type")).isEqualTo("message");
    assertThat(o.getString("role")).isEqualTo("assistant");
    assertThat(o.getString("model")).isEqualTo("gpt-4o");
    assertThat(o.getString("stop_reason")).isEqualTo("tool_use");
    assertThat(o.containsKey("stop_sequence")).isTrue();
    JsonArray content = o.getJsonArray("content");
    assertThat(content.getJsonObject(0)).isEqualTo(new JsonObject().put("type", "text").put("text", "Let me check."));
    assertThat(content.getJsonObject(1)).isEqualTo(new JsonObject().put("type", "tool_use").put("id", "call_1")
        .put("name", "get_weather").put("input", new JsonObject().put("city", "Rome")));
    assertThat(content.getJsonObject(2).getString("id")).startsWith("toolu_");
    assertThat(content.getJsonObject(2).getJsonObject("input")).isEqualTo(new JsonObject());
    assertThat(o.getJsonObject("usage")).isEqualTo(new JsonObject().put("input_tokens", 20)
        .put("cache_creation_input_tokens", 0).put("cache_read_input_tokens", 100).put("output_tokens", 30));
  }

  @Test
  void streamsTextAsTheExactAnthropicEventSequence() {
    IngressFormat.StreamEncoder encoder = ingress.streamEncoder(decode(
        "{\"model\":\"claude-x\",\"max_tokens\":5,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"));
    StringBuilder sse = new StringBuilder();
    sse.append(encoder.encode(chunk(new Delta(0, Role.ASSISTANT, "", null, null, null))));
    sse.append(encoder.encode(chunk(Delta.text(0, "Hel"))));
    sse.append(encoder.encode(chunk(Delta.text(0, "lo"))));
    sse.append(encoder.encode(chunk(Delta.finish(0, "stop"))));
    sse.append(encoder.encode(new ChatChunk("abc", 1, "gpt-4o", List.of(), new Usage(10, 2, 12, 4, 1, 0), null)));
    sse.append(encoder.end());

    List<String[]> events = parse(sse.toString());
    assertThat(events).extracting(e -> e[0]).containsExactly("message_start", "content_block_start",
        "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop");
    for (String[] e : events) assertThat(new JsonObject(e[1]).getString("type")).isEqualTo(e[0]);
    JsonObject start = new JsonObject(events.get(0)[1]).getJsonObject("message");
    assertThat(start.getString("id")).isEqualTo("msg_abc");
    assertThat(start.getString("model")).isEqualTo("gpt-4o");
    assertThat(start.getJsonArray("content")).isEmpty();
    assertThat(start.containsKey("stop_reason")).isTrue();
    assertThat(new JsonObject(events.get(1)[1])).isEqualTo(new JsonObject("{\"type\":\"content_block_start\","
        + "\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
    assertThat(new JsonObject(events.get(2)[1])).isEqualTo(new JsonObject("{\"type\":\"content_block_delta\","
        + "\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hel\"}}"));
    assertThat(new JsonObject(events.get(4)[1])).isEqualTo(new JsonObject("{\"type\":\"content_block_stop\",\"index\":0}"));
    assertThat(new JsonObject(events.get(5)[1])).isEqualTo(new JsonObject("{\"type\":\"message_delta\","
        + "\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"input_tokens\":5,"
        + "\"cache_creation_input_tokens\":1,\"cache_read_input_tokens\":4,\"output_tokens\":2}}"));
    assertThat(events.get(6)[1]).isEqualTo("{\"type\":\"message_stop\"}");
    assertThat(sse.toString()).startsWith("event: message_start\ndata: {\"type\":\"message_start\",")
        .endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
  }

  @Test
  void streamsEachToolCallAsItsOwnToolUseBlock() {
    IngressFormat.StreamEncoder encoder = ingress.streamEncoder(decode(
        "{\"model\":\"m\",\"max_tokens\":5,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"));
    StringBuilder sse = new StringBuilder();
    sse.append(encoder.encode(chunk(Delta.text(0, "Checking."))));
    sse.append(encoder.encode(chunk(tools(new ToolCallDelta(0, "call_a", "get_weather", "")))));
    sse.append(encoder.encode(chunk(tools(new ToolCallDelta(0, null, null, "{\"city\":")))));
    sse.append(encoder.encode(chunk(tools(new ToolCallDelta(0, null, null, "\"Rome\"}")))));
    sse.append(encoder.encode(chunk(tools(new ToolCallDelta(1, "call_b", "get_time", "{}")))));
    sse.append(encoder.encode(chunk(Delta.finish(0, "tool_calls"))));
    sse.append(encoder.end());

    List<String[]> events = parse(sse.toString());
    assertThat(events).extracting(e -> e[0]).containsExactly("message_start",
        "content_block_start", "content_block_delta", "content_block_stop",
        "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
        "content_block_start", "content_block_delta", "content_block_stop",
        "message_delta", "message_stop");
    assertThat(new JsonObject(events.get(4)[1])).isEqualTo(new JsonObject("{\"type\":\"content_block_start\","
        + "\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"call_a\",\"name\":\"get_weather\","
        + "\"input\":{}}}"));
    assertThat(new JsonObject(events.get(5)[1])).isEqualTo(new JsonObject("{\"type\":\"content_block_delta\","
        + "\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\":\"}}"));
    assertThat(new JsonObject(events.get(8)[1]).getInteger("index")).isEqualTo(2);
    assertThat(new JsonObject(events.get(11)[1]).getJsonObject("delta").getString("stop_reason")).isEqualTo("tool_use");
  }

  @Test
  void anEmptyStreamStillFormsAMessage() {
    IngressFormat.StreamEncoder encoder = ingress.streamEncoder(decode(
        "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"));
    assertThat(parse(encoder.end().toString())).extracting(e -> e[0])
        .containsExactly("message_start", "message_delta", "message_stop");
  }

  @Test
  void errorsUseAnthropicShapeAndTypes() {
    JsonObject body = new JsonObject(ingress.encodeError(GatewayError.badParam("max_tokens", "'max_tokens' is required")));
    assertThat(body).isEqualTo(new JsonObject().put("type", "error").put("error", new JsonObject()
        .put("type", "invalid_request_error").put("message", "'max_tokens' is required")));
    assertThat(type(GatewayError.auth("no key"))).isEqualTo("authentication_error");
    assertThat(type(GatewayError.permission("no"))).isEqualTo("permission_error");
    assertThat(type(GatewayError.modelNotFound("no"))).isEqualTo("not_found_error");
    assertThat(type(GatewayError.payloadTooLarge(10))).isEqualTo("request_too_large");
    assertThat(type(GatewayError.rateLimited("slow", null))).isEqualTo("rate_limit_error");
    assertThat(type(GatewayError.contextWindow("long"))).isEqualTo("invalid_request_error");
    assertThat(type(GatewayError.upstream5xx(529, "busy"))).isEqualTo("overloaded_error");
    assertThat(type(GatewayError.upstream5xx(500, "oops"))).isEqualTo("api_error");
    assertThat(type(GatewayError.unavailable("down", null))).isEqualTo("overloaded_error");
    assertThat(type(GatewayError.timeout("slow"))).isEqualTo("timeout_error");
    assertThat(type(GatewayError.internal("bug", null))).isEqualTo("api_error");

    String event = ingress.streamEncoder(decode("{\"model\":\"m\",\"max_tokens\":5,\"messages\":"
        + "[{\"role\":\"user\",\"content\":\"Hi\"}]}")).error(GatewayError.upstream5xx(529, "Overloaded")).toString();
    assertThat(event).isEqualTo("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
        + "\"message\":\"Overloaded\"}}\n\n");
  }

  private String type(GatewayError e) {
    return new JsonObject(ingress.encodeError(e)).getJsonObject("error").getString("type");
  }

  private static Delta tools(ToolCallDelta d) {
    return new Delta(0, null, null, List.of(d), null, null);
  }

  private static ChatChunk chunk(Delta d) {
    return new ChatChunk("abc", 1, "gpt-4o", List.of(d), null, null);
  }

  /** {event, data} pairs; asserts the framing is exactly "event: X\ndata: Y\n\n". */
  private static List<String[]> parse(String sse) {
    List<String[]> out = new ArrayList<>();
    for (String frame : sse.split("\n\n")) {
      String[] lines = frame.split("\n");
      assertThat(lines).hasSize(2);
      assertThat(lines[0]).startsWith("event: ");
      assertThat(lines[1]).startsWith("data: ");
      out.add(new String[] {lines[0].substring(7), lines[1].substring(6)});
    }
    return out;
  }
}

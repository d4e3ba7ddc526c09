package dev.sluice.plugins.anthropic;

import dev.sluice.api.IngressFormat;
import dev.sluice.api.ProviderSettings;
import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.tck.IngressFormatContractTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /v1/messages} against the ingress kit, read back with the provider's own Anthropic decoders. */
class AnthropicIngressContractTest extends IngressFormatContractTest {
  private static final AnthropicSettings SETTINGS = AnthropicSettings.from(new ProviderSettings("providers[0]", "a",
      "anthropic", new JsonObject().put("api_key", "k")));

  @Override
  protected IngressFormat format() {
    return new AnthropicIngress();
  }

  @Override
  protected JsonObject minimalBody(String model, String userText, boolean stream) {
    JsonObject body = new JsonObject().put("model", model).put("max_tokens", 256).put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", userText)));
    return stream ? body.put("stream", true) : body;
  }

  @Override
  protected List<JsonObject> sampleBodies() {
    return List.of(new JsonObject("""
        {"model":"claude-sonnet-4-5","max_tokens":512,"temperature":0.3,"top_p":0.8,"stop_sequences":["###"],
         "metadata":{"user_id":"u-7"},"system":[{"type":"text","text":"You are terse."}],
         "tools":[{"name":"get_weather","description":"Weather","input_schema":{"type":"object",
           "properties":{"city":{"type":"string"}}}}],
         "tool_choice":{"type":"tool","name":"get_weather"},
         "messages":[
           {"role":"user","content":[{"type":"text","text":"Compare"},
             {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBO"}},
             {"type":"image","source":{"type":"url","url":"https://example.com/a.png"}}]},
           {"role":"assistant","content":[{"type":"text","text":"Checking."},
             {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Rome"}}]},
           {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"Sunny"},
             {"type":"text","text":"And tomorrow?"}]}]}"""),
        new JsonObject("""
        {"model":"m","max_tokens":10,"system":"Be nice.","stream":true,"tool_choice":{"type":"auto"},
         "tools":[{"name":"w","input_schema":{"type":"object"}}],
         "messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"},
           {"role":"user","content":"Bye"}]}"""));
  }

  @Override
  protected Map<String, JsonObject> malformedBodies() {
    Map<String, JsonObject> out = new LinkedHashMap<>();
    out.put("model", minimalBody("m", "x", false).put("model", ""));
    out.put("max_tokens", minimalBody("m", "x", false).put("max_tokens", 0));
    out.put("messages", minimalBody("m", "x", false).put("messages", new JsonArray()));
    out.put("temperature", minimalBody("m", "x", false).put("temperature", 1.5));
    out.put("messages[0].role", minimalBody("m", "x", false).put("messages", new JsonArray()
        .add(new JsonObject().put("role", "system").put("content", "x"))));
    out.put("messages[0].content[0].type", minimalBody("m", "x", false).put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", new JsonArray()
            .add(new JsonObject().put("type", "hologram"))))));
    out.put("tools[0].input_schema", minimalBody("m", "x", false).put("tools", new JsonArray()
        .add(new JsonObject().put("name", "t"))));
    out.put("tool_choice.type", minimalBody("m", "x", false).put("tool_choice", new JsonObject().put("type", "maybe")));
    return out;
  }

  @Override
  protected ChatResponse readResponse(Buffer body) {
    return ResponseMapper.map(body, null);
  }

  @Override
  protected List<ChatChunk> readStream(Buffer events) {
    List<ChatChunk> out = new ArrayList<>();
    StreamDecoder decoder = new StreamDecoder("client", null, true);
    decoder.decode(events, out::add);
    decoder.finish(out::add);
    return out;
  }

  @Override
  protected JsonObject reencode(ChatRequest request) {
    JsonObject body = new RequestMapper(SETTINGS).map(request, request.stream()).body();
    return body;
  }

  @Override
  protected boolean isEndMarker(String data) {
    return false; // Anthropic ends with a message_stop event, JSON like every other
  }
}

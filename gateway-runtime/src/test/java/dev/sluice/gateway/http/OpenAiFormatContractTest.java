package dev.sluice.gateway.http;

import dev.sluice.api.IngressFormat;
import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.wire.SseParser;
import dev.sluice.tck.IngressFormatContractTest;
import dev.sluice.wire.openai.OpenAiChunkReader;
import dev.sluice.wire.openai.OpenAiRequests;
import dev.sluice.wire.openai.OpenAiResponses;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /v1/chat/completions} against the ingress kit, read back as an OpenAI SDK reads it. */
class OpenAiFormatContractTest extends IngressFormatContractTest {

  @Override
  protected IngressFormat format() {
    return OpenAiFormat.INSTANCE;
  }

  /** The runtime's request memo reuses a decoding of the same body bytes, whatever the headers. */
  @Override
  protected boolean decodesBodyAlone() {
    return true;
  }

  @Override
  protected JsonObject minimalBody(String model, String userText, boolean stream) {
    JsonObject body = new JsonObject().put("model", model).put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", userText)));
    return stream ? body.put("stream", true).put("stream_options", new JsonObject().put("include_usage", true)) : body;
  }

  @Override
  protected List<JsonObject> sampleBodies() {
    return List.of(new JsonObject("""
        {"model":"gpt-4o","max_tokens":512,"temperature":0.3,"top_p":0.8,"stop":["###"],"n":1,"seed":7,
         "user":"u-7","parallel_tool_calls":false,"response_format":{"type":"json_object"},
         "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather",
           "parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}],
         "tool_choice":{"type":"function","function":{"name":"get_weather"}},
         "messages":[
           {"role":"system","content":"You are terse."},
           {"role":"user","content":[{"type":"text","text":"Compare"},
             {"type":"image_url","image_url":{"url":"https://example.com/a.png","detail":"low"}}]},
           {"role":"assistant","content":"Checking.","tool_calls":[{"id":"call_1","type":"function",
             "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Rome\\"}"}}]},
           {"role":"tool","tool_call_id":"call_1","content":"Sunny"},
           {"role":"user","content":"And tomorrow?"}]}"""),
        new JsonObject("""
        {"model":"m","stream":true,"logit_bias":{"50256":-100},"tool_choice":"auto",
         "tools":[{"type":"function","function":{"name":"w","parameters":{"type":"object"}}}],
         "messages":[{"role":"developer","content":"Be nice."},{"role":"user","content":"Hi"}]}"""));
  }

  @Override
  protected Map<String, JsonObject> malformedBodies() {
    Map<String, JsonObject> out = new LinkedHashMap<>();
    out.put("model", minimalBody("m", "x", false).put("model", 42));
    out.put("messages", minimalBody("m", "x", false).put("messages", new JsonArray()));
    out.put("messages[0].role", minimalBody("m", "x", false).put("messages", new JsonArray()
        .add(new JsonObject().put("role", "narrator").put("content", "x"))));
    out.put("temperature", minimalBody("m", "x", false).put("temperature", "hot"));
    out.put("max_tokens", minimalBody("m", "x", false).put("max_tokens", -1));
    out.put("tools[0].function", minimalBody("m", "x", false).put("tools", new JsonArray()
        .add(new JsonObject().put("type", "function"))));
    return out;
  }

  @Override
  protected ChatResponse readResponse(Buffer body) {
    return OpenAiResponses.decode(new JsonObject(body));
  }

  @Override
  protected List<ChatChunk> readStream(Buffer events) {
    List<ChatChunk> out = new ArrayList<>();
    OpenAiChunkReader reader = new OpenAiChunkReader("client");
    new SseParser(e -> {
      if (!e.data().equals("[DONE]")) out.add(reader.read(e.data()));
    }).feed(events);
    return out;
  }

  @Override
  protected JsonObject reencode(ChatRequest request) {
    return OpenAiRequests.encodeChat(request, "max_tokens");
  }
}

package dev.sluice.plugins.gemini;

import static dev.sluice.plugins.gemini.Harness.await;
import static dev.sluice.plugins.gemini.Harness.call;
import static dev.sluice.plugins.gemini.Harness.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.GatewayError;
import dev.sluice.api.Provider;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.model.ContentPart;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.ResponseFormat;
import dev.sluice.api.model.Role;
import dev.sluice.api.model.Tool;
import dev.sluice.api.model.ToolCall;
import dev.sluice.api.model.ToolChoice;
import dev.sluice.api.model.Usage;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class GeminiChatTest {
  private FakeGemini fake;
  private Provider provider;

  @BeforeEach
  void start(Vertx vertx) {
    fake = await(FakeGemini.start(vertx));
    provider = Harness.gemini(vertx, fake);
  }

  @AfterEach
  void stop() {
    await(provider.close());
    await(fake.close());
  }

  private static ChatRequest ask(String text) {
    return ChatRequest.of("gemini-2.5-flash", List.of(Message.user(text)));
  }

  @Test
  void plainChatCallsGenerateContentWithTheApiKeyHeader() {
    ChatResponse response = await(provider.chat(ask("Hi"), call()));

    assertThat(response.choices()).hasSize(1);
    assertThat(response.choices().get(0).message().text()).isEqualTo("Hello from Gemini!");
    assertThat(response.choices().get(0).message().role()).isEqualTo(Role.ASSISTANT);
    assertThat(response.choices().get(0).finishReason()).isEqualTo("stop");
    assertThat(response.model()).isEqualTo("gemini-2.5-flash-001");
    assertThat(response.id()).isEqualTo("chatcmpl-resp-123");
    assertThat(response.usage()).isEqualTo(new Usage(11, 5, 16, 0, 0, 0));
    FakeGemini.Recorded sent = fake.last();
    assertThat(sent.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
    assertThat(sent.headers().get("x-goog-api-key")).isEqualTo("test-key");
    assertThat(sent.headers().get("authorization")).isNull();
    assertThat(sent.body()).isEqualTo(new JsonObject().put("contents", new JsonArray().add(new JsonObject()
        .put("role", "user").put("parts", new JsonArray().add(new JsonObject().put("text", "Hi"))))));
  }

  @Test
  void systemAndDeveloperMessagesBecomeTheSystemInstructionAndSameRoleTurnsMerge() {
    ChatRequest request = ChatRequest.of("models/gemini-2.5-flash", List.of(
        Message.system("Be brief."), Message.user("One"), Message.of(Role.DEVELOPER, "Use French."),
        Message.user("Two"), Message.assistant("Un"), Message.assistant("Deux"), Message.user("Three")));

    await(provider.chat(request, call()));

    JsonObject body = fake.last().body();
    assertThat(fake.last().path()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
    assertThat(body.getJsonObject("systemInstruction")).isEqualTo(new JsonObject().put("parts", new JsonArray()
        .add(new JsonObject().put("text", "Be brief.")).add(new JsonObject().put("text", "Use French."))));
    JsonArray contents = body.getJsonArray("contents");
    assertThat(contents).hasSize(3);
    assertThat(contents.getJsonObject(0).getString("role")).isEqualTo("user");
    assertThat(contents.getJsonObject(0).getJsonArray("parts")).hasSize(2);
    assertThat(contents.getJsonObject(1).getString("role")).isEqualTo("model");
    assertThat(contents.getJsonObject(1).getJsonArray("parts").getJsonObject(1).getString("text")).isEqualTo("Deux");
    assertThat(contents.getJsonObject(2).getString("role")).isEqualTo("user");
  }

  @Test
  void imagesBecomeInlineDataOrFileData() {
    Message m = new Message(Role.USER, List.of(ContentPart.text("What is this?"),
        new ContentPart.Image("data:image/png;base64,iVBORw0KGgo=", null),
        new ContentPart.Image("https://example.com/cat.webp?size=big", "high")), null, null, null);

    await(provider.chat(ChatRequest.of("gemini-2.5-flash", List.of(m)), call()));

    JsonArray parts = fake.last().body().getJsonArray("contents").getJsonObject(0).getJsonArray("parts");
    assertThat(parts.getJsonObject(1)).isEqualTo(new JsonObject().put("inlineData",
        new JsonObject().put("mimeType", "image/png").put("data", "iVBORw0KGgo=")));
    assertThat(parts.getJsonObject(2)).isEqualTo(new JsonObject().put("fileData",
        new JsonObject().put("mimeType", "image/webp").put("fileUri", "https://example.com/cat.webp?size=big")));
  }

  @Test
  void generationSettingsAreMapped() {
    ChatRequest request = ChatRequest.builder().model("gemini-2.5-flash").messages(List.of(Message.user("x")))
        .maxTokens(100).temperature(0.2).topP(0.9).n(2).stop(List.of("END")).seed(42L).user("u1")
        .responseFormat(ResponseFormat.JSON_OBJECT).build();

    await(provider.chat(request, call()));

    assertThat(fake.last().body().getJsonObject("generationConfig")).isEqualTo(new JsonObject()
        .put("maxOutputTokens", 100).put("temperature", 0.2).put("topP", 0.9)
        .put("stopSequences", new JsonArray().add("END")).put("candidateCount", 2).put("seed", 42)
        .put("responseMimeType", "application/json"));
  }

  @Test
  void jsonSchemaBecomesAGeminiResponseSchema() {
    JsonObject schema = new JsonObject("""
        {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","additionalProperties":false,
         "properties":{"city":{"type":"string","description":"name"},"rank":{"type":["integer","null"]},
                       "tags":{"type":"array","items":{"$ref":"#/$defs/tag"}}},
         "required":["city","rank","ghost"],
         "$defs":{"tag":{"type":"string","enum":["a","b"]}}}""");
    ChatRequest request = ChatRequest.builder().model("gemini-2.5-flash").messages(List.of(Message.user("x")))
        .responseFormat(new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, "city", schema, true)).build();

    await(provider.chat(request, call()));

    JsonObject config = fake.last().body().getJsonObject("generationConfig");
    assertThat(config.getString("responseMimeType")).isEqualTo("application/json");
    assertThat(config.getJsonObject("responseSchema")).isEqualTo(new JsonObject("""
        {"type":"OBJECT","properties":{
           "city":{"type":"STRING","description":"name"},
           "rank":{"type":"INTEGER","nullable":true},
           "tags":{"type":"ARRAY","items":{"type":"STRING","enum":["a","b"]}}},
         "required":["city","rank"]}"""));
  }

  @Test
  void toolsAndToolChoiceModes() {
    Tool weather = new Tool("get_weather", "Weather for a city", new JsonObject("""
        {"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}"""),
        true);
    Tool now = new Tool("now", null, new JsonObject().put("type", "object").put("properties", new JsonObject()), null);
    ChatRequest base = ask("Weather?").withTools(List.of(weather, now), null);

    await(provider.chat(base, call()));
    JsonObject body = fake.last().body();
    assertThat(body.getJsonArray("tools")).isEqualTo(new JsonArray().add(new JsonObject().put("functionDeclarations",
        new JsonArray().add(new JsonObject("""
            {"name":"get_weather","description":"Weather for a city","parameters":
              {"type":"OBJECT","properties":{"city":{"type":"STRING"}},"required":["city"]}}"""))
            .add(new JsonObject().put("name", "now")))));
    assertThat(body.containsKey("toolConfig")).isFalse();

    assertThat(modeFor(base.withTools(base.tools(), ToolChoice.AUTO))).isEqualTo(new JsonObject().put("mode", "AUTO"));
    assertThat(modeFor(base.withTools(base.tools(), ToolChoice.NONE))).isEqualTo(new JsonObject().put("mode", "NONE"));
    assertThat(modeFor(base.withTools(base.tools(), ToolChoice.REQUIRED))).isEqualTo(new JsonObject().put("mode", "ANY"));
    assertThat(modeFor(base.withTools(base.tools(), ToolChoice.function("now")))).isEqualTo(new JsonObject()
        .put("mode", "ANY").put("allowedFunctionNames", new JsonArray().add("now")));
  }

  private JsonObject modeFor(ChatRequest request) {
    await(provider.chat(request, call()));
    return fake.last().body().getJsonObject("toolConfig").getJsonObject("functionCallingConfig");
  }

  @Test
  void functionCallsComeBackAsToolCallsWithStableIds() {
    fake.answer(FakeGemini.response(FakeGemini.candidate(0, "STOP",
        new JsonObject().put("text", "Checking."),
        FakeGemini.call("get_weather", new JsonObject().put("city", "Paris")),
        FakeGemini.call("get_weather", new JsonObject().put("city", "Oslo"))), FakeGemini.usage(20, 10, 0, 0)));

    ChatResponse response = await(provider.chat(ask("Weather in Paris and Oslo?"), call()));

    Message message = response.choices().get(0).message();
    assertThat(response.choices().get(0).finishReason()).isEqualTo("tool_calls");
    assertThat(message.text()).isEqualTo("Checking.");
    assertThat(message.toolCalls()).containsExactly(
        new ToolCall("call_0", "get_weather", "{\"city\":\"Paris\"}"),
        new ToolCall("call_1", "get_weather", "{\"city\":\"Oslo\"}"));
  }

  @Test
  void toolResultsBecomeFunctionResponsesNamedByTheirCall() {
    ChatRequest request = ChatRequest.of("gemini-2.5-flash", List.of(
        Message.user("Weather in Paris and the time?"),
        Message.assistantToolCalls(List.of(new ToolCall("call_0", "get_weather", "{\"city\":\"Paris\"}"),
            new ToolCall("call_1", "now", ""))),
        Message.toolResult("call_0", "{\"temp\":21}"),
        Message.toolResult("call_1", "12:00"),
        Message.user("Thanks")));

    await(provider.chat(request, call()));

    JsonArray contents = fake.last().body().getJsonArray("contents");
    assertThat(contents).hasSize(3);
    assertThat(contents.getJsonObject(1)).isEqualTo(new JsonObject("""
        {"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}}},
                                 {"functionCall":{"name":"now","args":{}}}]}"""));
    assertThat(contents.getJsonObject(2)).isEqualTo(new JsonObject("""
        {"role":"user","parts":[{"functionResponse":{"name":"get_weather","response":{"temp":21}}},
                                {"functionResponse":{"name":"now","response":{"result":"12:00"}}},
                                {"text":"Thanks"}]}"""));
  }

  @Test
  void thoughtSignaturesTravelInTheToolCallIdAndGoBack() {
    fake.answer(FakeGemini.response(FakeGemini.candidate(0, "STOP",
        FakeGemini.call("now", new JsonObject()).put("thoughtSignature", "c2lnbmF0dXJlIQ==")),
        FakeGemini.usage(5, 3, 0, 0)));
    ToolCall call = await(provider.chat(ask("time?"), call())).choices().get(0).message().toolCalls().get(0);
    assertThat(call.id()).matches("[A-Za-z0-9_-]+").startsWith("call_0");

    await(provider.chat(ChatRequest.of("gemini-2.5-flash", List.of(Message.user("time?"),
        Message.assistantToolCalls(List.of(call)), Message.toolResult(call.id(), "noon"))), call()));

    JsonObject part = fake.last().body().getJsonArray("contents").getJsonObject(1).getJsonArray("parts").getJsonObject(0);
    assertThat(part.getString("thoughtSignature")).isEqualTo("c2lnbmF0dXJlIQ==");
  }

  @Test
  void aToolResultForAnUnknownCallIsABadRequest() {
    GatewayError e = failure(provider.chat(ChatRequest.of("gemini-2.5-flash", List.of(Message.user("x"),
        Message.toolResult("call_9", "1"))), call()));
    assertThat(e.kind()).isEqualTo(GatewayError.Kind.BAD_REQUEST);
    assertThat(e.param()).isEqualTo("messages[1].tool_call_id");
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  void usageCountsCachedAndThinkingTokensTheCanonicalWay() {
    fake.answer(FakeGemini.response(FakeGemini.candidate(0, "MAX_TOKENS", new JsonObject().put("text", "Long")),
        FakeGemini.usage(1000, 50, 800, 200)));

    ChatResponse response = await(provider.chat(ask("x"), call()));

    assertThat(response.choices().get(0).finishReason()).isEqualTo("length");
    assertThat(response.usage()).isEqualTo(new Usage(1000, 250, 1250, 800, 0, 200));
  }

  @Test
  void severalCandidatesBecomeSeveralChoices() {
    fake.answer(new JsonObject().put("candidates", new JsonArray()
        .add(FakeGemini.candidate(0, "STOP", new JsonObject().put("text", "A")))
        .add(FakeGemini.candidate(1, "STOP", new JsonObject().put("text", "B")))));

    ChatResponse response = await(provider.chat(ask("x"), call()));

    assertThat(response.choices()).extracting(c -> c.index() + c.message().text()).containsExactly("0A", "1B");
    assertThat(response.usage()).isNull();
    assertThat(response.model()).isEqualTo("gemini-2.5-flash");
  }
}

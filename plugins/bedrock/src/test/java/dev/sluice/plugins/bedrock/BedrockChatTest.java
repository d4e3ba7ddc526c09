package dev.sluice.plugins.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.model.ContentPart;
import dev.sluice.api.model.FinishReason;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.ResponseFormat;
import dev.sluice.api.model.Role;
import dev.sluice.api.model.Tool;
import dev.sluice.api.model.ToolCall;
import dev.sluice.api.model.ToolChoice;
import dev.sluice.api.model.Usage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class BedrockChatTest extends BedrockTestSupport {

  @Test
  void plainChatIsSignedAndMapped() {
    ChatRequest request = ChatRequest.builder().model(MODEL).messages(List.of(Message.user("Hi"))).maxTokens(100)
        .temperature(0.5).topP(0.9).stop(List.of("END")).seed(7L).user("u1").build();
    ChatResponse response = await(provider.chat(request, call()));

    FakeBedrock.Recorded sent = fake.last();
    assertThat(sent.signatureProblem()).isNull();
    assertThat(sent.path()).isEqualTo("/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse");
    assertThat(sent.headers().get("Content-Type")).isEqualTo("application/json");
    assertThat(sent.headers().get("X-Amz-Security-Token")).isNull();
    assertThat(sent.body()).isEqualTo(new JsonObject()
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user")
            .put("content", new JsonArray().add(new JsonObject().put("text", "Hi")))))
        .put("inferenceConfig", new JsonObject().put("maxTokens", 100).put("temperature", 0.5).put("topP", 0.9)
            .put("stopSequences", new JsonArray().add("END"))));

    assertThat(response.id()).isEqualTo("bedrock-req-1");
    assertThat(response.model()).isEqualTo(MODEL);
    assertThat(answerOf(response).text()).isEqualTo("Hello from Bedrock");
    assertThat(response.choices().get(0).finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(response.usage()).isEqualTo(Usage.of(12, 5));
  }

  @Test
  void inferenceProfileIdIsOnePathSegmentAndSignedAsSent() {
    String profile = "us.anthropic.claude-3-5-sonnet-20241022-v2:0";
    await(provider.chat(ChatRequest.of(profile, List.of(Message.user("Hi"))), call()));
    assertThat(fake.last().path()).isEqualTo("/model/us.anthropic.claude-3-5-sonnet-20241022-v2%3A0/converse");
    assertThat(fake.last().signatureProblem()).isNull();

    String arn = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123";
    await(provider.chat(ChatRequest.of(arn, List.of(Message.user("Hi"))), call()));
    assertThat(fake.last().path()).isEqualTo(
        "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aapplication-inference-profile%2Fabc123/converse");
    assertThat(fake.last().signatureProblem()).isNull();
  }

  @Test
  void sessionTokenIsSentAndSigned() {
    fake.expectSessionToken("token-123");
    provider = provider(new JsonObject().put("access_key_id", FakeBedrock.KEY_ID)
        .put("secret_access_key", FakeBedrock.SECRET).put("session_token", "token-123").put("region", "us-east-1"));
    await(provider.chat(ChatRequest.of(MODEL, List.of(Message.user("Hi"))), call()));
    assertThat(fake.last().headers().get("X-Amz-Security-Token")).isEqualTo("token-123");
    assertThat(fake.last().signatureProblem()).isNull();
  }

  @Test
  void wrongSecretIsRejectedByTheFake() {
    provider = provider(new JsonObject().put("access_key_id", FakeBedrock.KEY_ID).put("secret_access_key", "nope"));
    GatewayError e = failure(provider.chat(ChatRequest.of(MODEL, List.of(Message.user("Hi"))), call()));
    assertThat(e.kind()).isEqualTo(GatewayError.Kind.UPSTREAM_REJECTED);
    assertThat(e.getMessage()).contains("InvalidSignatureException", "signature mismatch");
  }

  @Test
  void systemMessagesAndAlternationAreRepaired() {
    List<Message> messages = List.of(
        Message.system("Be brief."),
        Message.user("Weather in Paris?"),
        Message.user("And Rome?"),
        Message.assistantToolCalls(List.of(new ToolCall("t1", "weather", "{\"city\":\"Paris\"}"),
            new ToolCall("t2", "weather", "{\"city\":\"Rome\"}"))),
        Message.toolResult("t1", "18C"),
        Message.toolResult("t2", "25C"),
        new Message(Role.DEVELOPER, List.of(ContentPart.text("Use Celsius.")), null, null, null),
        Message.user("Thanks"),
        Message.assistant(""),
        Message.assistant("You're welcome"));
    await(provider.chat(ChatRequest.of(MODEL, messages), call()));

    JsonObject body = fake.last().body();
    assertThat(body.getJsonArray("system")).isEqualTo(new JsonArray()
        .add(new JsonObject().put("text", "Be brief.")).add(new JsonObject().put("text", "Use Celsius.")));
    JsonArray turns = body.getJsonArray("messages");
    assertThat(turns).hasSize(4);
    assertThat(turns.getJsonObject(0)).isEqualTo(new JsonObject().put("role", "user").put("content", new JsonArray()
        .add(new JsonObject().put("text", "Weather in Paris?")).add(new JsonObject().put("text", "And Rome?"))));
    assertThat(turns.getJsonObject(1)).isEqualTo(new JsonObject().put("role", "assistant").put("content",
        new JsonArray().add(FakeBedrock.toolUse("t1", "weather", new JsonObject().put("city", "Paris")))
            .add(FakeBedrock.toolUse("t2", "weather", new JsonObject().put("city", "Rome")))));
    assertThat(turns.getJsonObject(2)).isEqualTo(new JsonObject().put("role", "user").put("content", new JsonArray()
        .add(toolResult("t1", "18C")).add(toolResult("t2", "25C")).add(new JsonObject().put("text", "Thanks"))));
    assertThat(turns.getJsonObject(3)).isEqualTo(new JsonObject().put("role", "assistant").put("content",
        new JsonArray().add(new JsonObject().put("text", "You're welcome"))));
  }

  private static JsonObject toolResult(String id, String text) {
    return new JsonObject().put("toolResult", new JsonObject().put("toolUseId", id)
        .put("content", new JsonArray().add(new JsonObject().put("text", text))));
  }

  @Test
  void dataUrlImagesBecomeBytesAndLinksAreRefused() {
    Message withImage = new Message(Role.USER, List.of(ContentPart.text("What is this?"),
        new ContentPart.Image("data:image/png;base64,iVBORw0KGgo=", null)), null, null, null);
    await(provider.chat(ChatRequest.of(MODEL, List.of(withImage)), call()));
    assertThat(fake.last().body().getJsonArray("messages").getJsonObject(0).getJsonArray("content").getJsonObject(1))
        .isEqualTo(new JsonObject().put("image", new JsonObject().put("format", "png")
            .put("source", new JsonObject().put("bytes", "iVBORw0KGgo="))));

    int before = fake.requests().size();
    Message withLink = new Message(Role.USER, List.of(new ContentPart.Image("https://example.com/cat.png", null)),
        null, null, null);
    GatewayError e = failure(provider.chat(ChatRequest.of(MODEL, List.of(withLink)), call()));
    assertThat(e.kind()).isEqualTo(GatewayError.Kind.BAD_REQUEST);
    assertThat(e.param()).isEqualTo("messages[0].content[0].image_url");
    assertThat(e.getMessage()).contains("data:image/png;base64");
    assertThat(fake.requests()).hasSize(before);
  }

  private static final Tool WEATHER = new Tool("weather", "Current weather",
      new JsonObject().put("type", "object").put("properties", new JsonObject()
          .put("city", new JsonObject().put("type", "string"))), null);

  @Test
  void toolsAndToolChoiceAreSent() {
    ChatRequest base = ChatRequest.of(MODEL, List.of(Message.user("Weather?")));
    JsonObject spec = new JsonObject().put("toolSpec", new JsonObject().put("name", "weather")
        .put("description", "Current weather").put("inputSchema", new JsonObject().put("json", WEATHER.parameters())));

    await(provider.chat(base.withTools(List.of(WEATHER), null), call()));
    assertThat(fake.last().body().getJsonObject("toolConfig")).isEqualTo(new JsonObject()
        .put("tools", new JsonArray().add(spec)).put("toolChoice", new JsonObject().put("auto", new JsonObject())));

    await(provider.chat(base.withTools(List.of(WEATHER), ToolChoice.REQUIRED), call()));
    assertThat(fake.last().body().getJsonObject("toolConfig").getJsonObject("toolChoice"))
        .isEqualTo(new JsonObject().put("any", new JsonObject()));

    await(provider.chat(base.withTools(List.of(WEATHER), ToolChoice.function("weather")), call()));
    assertThat(fake.last().body().getJsonObject("toolConfig").getJsonObject("toolChoice"))
        .isEqualTo(new JsonObject().put("tool", new JsonObject().put("name", "weather")));

    await(provider.chat(base.withTools(List.of(WEATHER), ToolChoice.NONE), call()));
    assertThat(fake.last().body().containsKey("toolConfig")).isFalse();
  }

  @Test
  void toolUseComesBackAsToolCalls() {
    fake.replyJson(FakeBedrock.answer(new JsonArray().add(new JsonObject().put("text", "Let me check."))
        .add(FakeBedrock.toolUse("tooluse_1", "weather", new JsonObject().put("city", "Paris"))), "tool_use",
        FakeBedrock.usage(30, 20, 0, 0)));
    ChatResponse response = await(provider.chat(ChatRequest.of(MODEL, List.of(Message.user("Weather?")))
        .withTools(List.of(WEATHER), null), call()));
    assertThat(answerOf(response).text()).isEqualTo("Let me check.");
    assertThat(answerOf(response).toolCalls()).containsExactly(
        new ToolCall("tooluse_1", "weather", "{\"city\":\"Paris\"}"));
    assertThat(response.choices().get(0).finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
  }

  @Test
  void jsonModeForcesTheJsonToolAndReturnsItsInputAsText() {
    JsonObject schema = new JsonObject().put("type", "object").put("properties",
        new JsonObject().put("answer", new JsonObject().put("type", "string")));
    ChatRequest request = ChatRequest.builder().model(MODEL).messages(List.of(Message.user("Answer in JSON")))
        .responseFormat(new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, "a", schema, true)).build();
    fake.replyJson(FakeBedrock.answer(new JsonArray().add(FakeBedrock.toolUse("tooluse_j", "json_response",
        new JsonObject().put("answer", "42"))), "tool_use", FakeBedrock.usage(10, 8, 0, 0)));
    ChatResponse response = await(provider.chat(request, call()));

    JsonObject toolConfig = fake.last().body().getJsonObject("toolConfig");
    assertThat(toolConfig.getJsonArray("tools").getJsonObject(0).getJsonObject("toolSpec").getJsonObject("inputSchema"))
        .isEqualTo(new JsonObject().put("json", schema));
    assertThat(toolConfig.getJsonObject("toolChoice"))
        .isEqualTo(new JsonObject().put("tool", new JsonObject().put("name", "json_response")));
    assertThat(new JsonObject(answerOf(response).text())).isEqualTo(new JsonObject().put("answer", "42"));
    assertThat(answerOf(response).toolCalls()).isEmpty();
    assertThat(response.choices().get(0).finishReason()).isEqualTo(FinishReason.STOP);
  }

  @Test
  void cacheReadsAndWritesCountAsPromptTokens() {
    fake.replyJson(FakeBedrock.answer(new JsonArray().add(new JsonObject().put("text", "ok")), "max_tokens",
        FakeBedrock.usage(100, 50, 2000, 300)));
    ChatResponse response = await(provider.chat(ChatRequest.of(MODEL, List.of(Message.user("Hi"))), call()));
    assertThat(response.usage()).isEqualTo(new Usage(2400, 50, 2450, 2000, 300, 0));
    assertThat(response.choices().get(0).finishReason()).isEqualTo(FinishReason.LENGTH);
  }

  @Test
  void stopReasonsMapToCanonicalFinishReasons() {
    assertThat(ConverseResponses.finishReason("end_turn")).isEqualTo(FinishReason.STOP);
    assertThat(ConverseResponses.finishReason("stop_sequence")).isEqualTo(FinishReason.STOP);
    assertThat(ConverseResponses.finishReason("max_tokens")).isEqualTo(FinishReason.LENGTH);
    assertThat(ConverseResponses.finishReason("tool_use")).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(ConverseResponses.finishReason("guardrail_intervened")).isEqualTo(FinishReason.CONTENT_FILTER);
    assertThat(ConverseResponses.finishReason("content_filtered")).isEqualTo(FinishReason.CONTENT_FILTER);
  }

  @Test
  void moreThanOneChoiceIsRefused() {
    ChatRequest request = ChatRequest.builder().model(MODEL).messages(List.of(Message.user("Hi"))).n(2).build();
    GatewayError e = failure(provider.chat(request, call()));
    assertThat(e.param()).isEqualTo("n");
  }
}

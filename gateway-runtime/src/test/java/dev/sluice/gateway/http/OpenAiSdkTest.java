package dev.sluice.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import dev.sluice.gateway.TestGateway;
import dev.sluice.gateway.TestUpstream;
import dev.sluice.testkit.FakeOpenAiUpstream;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The official OpenAI Java SDK as the client, through the openai plugin to a fake upstream and through demo. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenAiSdkTest {
  private TestUpstream upstreamServer;
  private FakeOpenAiUpstream upstream;
  private TestGateway gateway;
  private OpenAIClient client;

  @BeforeAll
  void start() {
    upstreamServer = TestUpstream.start();
    upstream = upstreamServer.fake();
    gateway = TestGateway.start("""
        providers:
          - {id: fake, type: openai, base_url: "%s", api_key: sk-upstream-key}
          - {id: sim, type: demo, first_token: 20ms, tokens_per_second: 0, latency: 10ms}
        models:
          - {name: via-openai, deployments: [{provider: fake, model: gpt-upstream}]}
          - {name: via-demo, deployments: [{provider: sim, model: demo-1}]}
        """.formatted(upstream.baseUrl()));
    client = OpenAIOkHttpClient.builder().baseUrl(gateway.openAiBaseUrl()).apiKey(TestGateway.MASTER_KEY)
        .maxRetries(0).build();
  }

  @AfterAll
  void stop() {
    client.close();
    gateway.close();
    upstreamServer.close();
  }

  static Stream<String> models() {
    return Stream.of("via-openai", "via-demo");
  }

  @ParameterizedTest
  @MethodSource("models")
  void plainChat(String model) {
    ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model(model).addSystemMessage("Be brief.").addUserMessage("What is a sluice gate?").build());
    String text = completion.choices().get(0).message().content().orElseThrow();
    assertThat(text).isNotBlank();
    assertThat(completion.usage()).hasValueSatisfying(u -> {
      assertThat(u.promptTokens()).isPositive();
      assertThat(u.completionTokens()).isPositive();
      assertThat(u.totalTokens()).isEqualTo(u.promptTokens() + u.completionTokens());
    });
    if (model.equals("via-openai")) {
      JsonObject forwarded = upstream.lastRequest().body();
      assertThat(forwarded.getString("model")).isEqualTo("gpt-upstream");
      assertThat(forwarded.getJsonArray("messages")).hasSize(2);
      assertThat(upstream.lastRequest().header("authorization")).isEqualTo("Bearer sk-upstream-key");
    }
  }

  @ParameterizedTest
  @MethodSource("models")
  void streamingAssemblesDeltasAndReportsUsage(String model) {
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model(model)
        .addUserMessage("Tell me about rivers and canals.")
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
    StringBuilder text = new StringBuilder();
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
      stream.stream().forEach(chunk -> {
        chunks.add(chunk);
        chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append));
      });
    }
    assertThat(chunks.size()).isGreaterThan(2);
    assertThat(text.toString()).isNotBlank();
    ChatCompletionChunk last = chunks.get(chunks.size() - 1);
    assertThat(last.usage()).hasValueSatisfying(u -> assertThat(u.completionTokens()).isPositive());
    assertThat(chunks).anySatisfy(c -> assertThat(c.choices()).anySatisfy(ch ->
        assertThat(ch.finishReason()).isPresent()));
    String nonStreamed = client.chat().completions().create(ChatCompletionCreateParams.builder().model(model)
        .addUserMessage("Tell me about rivers and canals.").build()).choices().get(0).message().content().orElseThrow();
    assertThat(text.toString()).isEqualTo(nonStreamed);
  }

  @ParameterizedTest
  @MethodSource("models")
  void streamingWithoutIncludeUsageHidesTheUsageChunk(String model) {
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
        ChatCompletionCreateParams.builder().model(model).addUserMessage("Hello there").build())) {
      stream.stream().forEach(chunks::add);
    }
    assertThat(chunks).isNotEmpty().allSatisfy(c -> assertThat(c.usage()).isEmpty());
  }

  @ParameterizedTest
  @MethodSource("models")
  void toolCallRoundTrip(String model) {
    ChatCompletionFunctionTool weather = ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder()
        .name("get_weather").description("Current weather in a city")
        .parameters(FunctionParameters.builder()
            .putAdditionalProperty("type", JsonValue.from("object"))
            .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
            .putAdditionalProperty("required", JsonValue.from(List.of("city")))
            .build()).build()).build();
    ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder().model(model)
        .addUserMessage("What's the weather in Paris?").addTool(weather);
    ChatCompletion first = client.chat().completions().create(params.build());
    var message = first.choices().get(0).message();
    assertThat(first.choices().get(0).finishReason().asString()).isEqualTo("tool_calls");
    ChatCompletionMessageFunctionToolCall call = message.toolCalls().orElseThrow().get(0).asFunction();
    assertThat(call.function().name()).isEqualTo("get_weather");
    assertThat(call.id()).isNotBlank();
    assertThat(new JsonObject(call.function().arguments()).getValue("city") != null
        || model.equals("via-openai")).isTrue();

    ChatCompletion second = client.chat().completions().create(params.addMessage(message.toParam())
        .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("18C and sunny").build())
        .build());
    assertThat(second.choices().get(0).message().content()).hasValueSatisfying(t -> assertThat(t).isNotBlank());
    assertThat(second.choices().get(0).message().toolCalls().orElse(List.of())).isEmpty();
    if (model.equals("via-openai")) {
      JsonObject forwarded = upstream.lastRequest().body();
      JsonObject toolMessage = forwarded.getJsonArray("messages").getJsonObject(2);
      assertThat(toolMessage.getString("role")).isEqualTo("tool");
      assertThat(toolMessage.getString("tool_call_id")).isEqualTo(call.id());
      assertThat(forwarded.getJsonArray("tools").getJsonObject(0).getJsonObject("function").getString("name"))
          .isEqualTo("get_weather");
    }
  }

  @ParameterizedTest
  @MethodSource("models")
  void embeddings(String model) {
    CreateEmbeddingResponse response = client.embeddings().create(EmbeddingCreateParams.builder().model(model)
        .inputOfArrayOfStrings(List.of("first text", "second text")).build());
    assertThat(response.data()).hasSize(2);
    assertThat(response.data().get(0).embedding()).isNotEmpty();
    assertThat(response.data().get(1).index()).isEqualTo(1);
    assertThat(response.model()).isEqualTo(model);
  }

  @ParameterizedTest
  @MethodSource("models")
  void modelListingAndLookup(String model) {
    List<String> ids = new ArrayList<>();
    client.models().list().autoPager().forEach(m -> ids.add(m.id()));
    assertThat(ids).containsExactlyInAnyOrder("via-openai", "via-demo");
    Model one = client.models().retrieve(model);
    assertThat(one.id()).isEqualTo(model);
    assertThat(Optional.ofNullable(one.ownedBy())).hasValue("sluice");
  }
}

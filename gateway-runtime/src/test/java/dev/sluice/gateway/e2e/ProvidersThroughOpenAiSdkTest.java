package dev.sluice.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.SseException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.completions.CompletionUsage;
import dev.sluice.gateway.TestGateway;
import dev.sluice.tck.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The official OpenAI Java SDK against a real gateway that loaded the anthropic, gemini and bedrock plugins from
 * their packaged jars, each provider backed by its plugin's own fake upstream: plain chat, streaming, tool-call
 * round trips, exact usage (cache reads, reasoning), late stream failures and malformed upstream bytes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProvidersThroughOpenAiSdkTest {
  private static final String TEXT = "A sluice is a water channel controlled at its head by a movable gate.";
  private final Map<String, ProviderFake> fakes = new LinkedHashMap<>();
  private Vertx upstreams;
  private TestGateway gateway;
  private OpenAIClient client;
  private HttpClient http;

  @BeforeAll
  void start() {
    upstreams = Vertx.vertx();
    fakes.put("anthropic", AnthropicFake.start(upstreams));
    fakes.put("gemini", GeminiFake.start(upstreams));
    fakes.put("bedrock", BedrockFake.start(upstreams));
    StringBuilder yaml = new StringBuilder("providers:\n");
    fakes.forEach((name, fake) -> yaml.append("  - ").append(fake.providerEntry(name + "-upstream")).append('\n'));
    yaml.append("models:\n");
    fakes.forEach((name, fake) -> yaml.append("  - {name: via-").append(name).append(", deployments: [{provider: ")
        .append(name).append("-upstream, model: \"").append(name).append("-model-1\"}]}\n"));
    // One attempt: these tests look at how a single upstream failure reaches the client, not at retries.
    yaml.append("routing: {retries: {attempts: 1}}\n");
    gateway = TestGateway.start(yaml.toString());
    assertThat(gateway.gateway().plugins().failures()).isEmpty();
    client = OpenAIOkHttpClient.builder().baseUrl(gateway.openAiBaseUrl()).apiKey(TestGateway.MASTER_KEY)
        .maxRetries(0).timeout(Duration.ofSeconds(20)).build();
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  void stop() {
    if (client != null) client.close();
    if (gateway != null) gateway.close();
    fakes.values().forEach(f -> Await.result(f.close()));
    Await.result(upstreams.close());
  }

  Stream<String> providers() {
    return fakes.keySet().stream();
  }

  private static ChatCompletionCreateParams.Builder ask(String provider, String question) {
    return ChatCompletionCreateParams.builder().model("via-" + provider).addUserMessage(question);
  }

  @ParameterizedTest
  @MethodSource("providers")
  void thePluginIsLoadedFromItsJarOnlyNotFromTheTestClasspath(String provider) {
    // The fake's test-jar is on the classpath; the plugin's main classes must not be.
    assertThatThrownBy(() -> Class.forName("dev.sluice.plugins." + provider + "."
        + Character.toUpperCase(provider.charAt(0)) + provider.substring(1) + "Plugin"))
        .isInstanceOf(ClassNotFoundException.class);
    assertThat(gateway.gateway().plugins().providerFactories()).containsKey(provider);
  }

  @ParameterizedTest
  @MethodSource("providers")
  void plainChat(String provider) {
    fakes.get(provider).answerText(TEXT);
    ChatCompletion completion = client.chat().completions().create(ask(provider, "What is a sluice?")
        .addSystemMessage("Answer in one sentence.").build());
    assertThat(completion.model()).as("the model the upstream says answered").isNotBlank();
    ChatCompletion.Choice choice = completion.choices().get(0);
    assertThat(choice.message().content()).hasValue(TEXT);
    assertThat(choice.finishReason().asString()).isEqualTo("stop");
    CompletionUsage usage = completion.usage().orElseThrow();
    assertThat(usage.promptTokens()).isPositive();
    assertThat(usage.completionTokens()).isPositive();
    assertThat(usage.totalTokens()).isEqualTo(usage.promptTokens() + usage.completionTokens());
  }

  @ParameterizedTest
  @MethodSource("providers")
  void streamingAssemblesTheDeltasAndEndsWithUsage(String provider) {
    fakes.get(provider).answerText(TEXT);
    List<ChatCompletionChunk> chunks = stream(ask(provider, "What is a sluice?").streamOptions(
        ChatCompletionStreamOptions.builder().includeUsage(true).build()).build());
    assertThat(chunks.size()).as("the text arrives in several deltas").isGreaterThan(3);
    StringBuilder text = new StringBuilder();
    List<String> finishes = new ArrayList<>();
    for (ChatCompletionChunk c : chunks) {
      assertThat(c.id()).isEqualTo(chunks.get(0).id());
      c.choices().forEach(ch -> {
        ch.delta().content().ifPresent(text::append);
        ch.finishReason().ifPresent(f -> finishes.add(f.asString()));
      });
    }
    assertThat(text.toString()).isEqualTo(TEXT);
    assertThat(finishes).containsExactly("stop");
    ChatCompletionChunk last = chunks.get(chunks.size() - 1);
    assertThat(last.choices()).isEmpty();
    assertThat(last.usage()).hasValueSatisfying(u -> {
      assertThat(u.promptTokens()).isPositive();
      assertThat(u.completionTokens()).isPositive();
    });
    assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy(c -> assertThat(c.usage()).isEmpty());
  }

  @ParameterizedTest
  @MethodSource("providers")
  void toolCallRoundTrip(String provider) {
    ProviderFake fake = fakes.get(provider);
    fake.answerToolCall(upstreamCallId(provider), "get_weather", new JsonObject().put("city", "Paris"));
    ChatCompletionCreateParams.Builder params = ask(provider, "What's the weather in Paris?").addTool(weatherTool());
    ChatCompletion first = client.chat().completions().create(params.build());
    assertThat(first.choices().get(0).finishReason().asString()).isEqualTo("tool_calls");
    ChatCompletionMessage message = first.choices().get(0).message();
    assertThat(message.toolCalls().orElseThrow()).hasSize(1);
    ChatCompletionMessageFunctionToolCall call = message.toolCalls().get().get(0).asFunction();
    assertThat(call.id()).isNotBlank();
    assertThat(call.function().name()).isEqualTo("get_weather");
    assertThat(new JsonObject(call.function().arguments())).isEqualTo(new JsonObject().put("city", "Paris"));

    fake.answerText("It is 18C and sunny in Paris.");
    ChatCompletion second = client.chat().completions().create(params.addMessage(message.toParam())
        .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("18C and sunny").build())
        .build());
    assertThat(second.choices().get(0).message().content()).hasValue("It is 18C and sunny in Paris.");
    assertThat(second.choices().get(0).message().toolCalls().orElse(List.of())).isEmpty();
    // The result reached the upstream in its own protocol, tied to the call the upstream made.
    ProviderFake.ToolResult forwarded = fake.lastToolResult();
    assertThat(forwarded.text()).contains("18C and sunny");
    if (forwarded.callId() != null) assertThat(forwarded.callId()).isEqualTo(upstreamCallId(provider));
    if (forwarded.name() != null) assertThat(forwarded.name()).isEqualTo("get_weather");
  }

  @ParameterizedTest
  @MethodSource("providers")
  void streamedToolCallAssemblesNameAndArguments(String provider) {
    JsonObject arguments = new JsonObject().put("city", "Paris").put("unit", "celsius");
    fakes.get(provider).answerToolCall(upstreamCallId(provider), "get_weather", arguments);
    List<ChatCompletionChunk> chunks = stream(ask(provider, "Weather in Paris?").addTool(weatherTool()).build());
    Map<Long, String[]> calls = new LinkedHashMap<>();
    List<String> finishes = new ArrayList<>();
    for (ChatCompletionChunk c : chunks) {
      for (ChatCompletionChunk.Choice ch : c.choices()) {
        ch.finishReason().ifPresent(f -> finishes.add(f.asString()));
        for (ChatCompletionChunk.Choice.Delta.ToolCall t : ch.delta().toolCalls().orElse(List.of())) {
          String[] call = calls.computeIfAbsent(t.index(), i -> new String[] {null, null, ""});
          t.id().ifPresent(id -> call[0] = id);
          t.function().flatMap(ChatCompletionChunk.Choice.Delta.ToolCall.Function::name).ifPresent(n -> call[1] = n);
          t.function().flatMap(ChatCompletionChunk.Choice.Delta.ToolCall.Function::arguments)
              .ifPresent(a -> call[2] += a);
        }
      }
    }
    assertThat(calls).hasSize(1);
    String[] call = calls.values().iterator().next();
    assertThat(call[0]).isNotBlank();
    assertThat(call[1]).isEqualTo("get_weather");
    assertThat(new JsonObject(call[2])).isEqualTo(arguments);
    assertThat(finishes).containsExactly("tool_calls");
  }

  @ParameterizedTest
  @MethodSource("providers")
  void usageMapsInputOutputCachedAndReasoningTokensExactly(String provider) {
    ProviderFake.Counts expected = fakes.get(provider).answerTextWithUsage(TEXT);
    CompletionUsage plain = client.chat().completions().create(ask(provider, "Cached?").build()).usage().orElseThrow();
    assertUsage(plain, expected);
    List<ChatCompletionChunk> chunks = stream(ask(provider, "Cached?").streamOptions(
        ChatCompletionStreamOptions.builder().includeUsage(true).build()).build());
    assertUsage(chunks.get(chunks.size() - 1).usage().orElseThrow(), expected);
  }

  private static void assertUsage(CompletionUsage u, ProviderFake.Counts expected) {
    assertThat(u.promptTokens()).as("prompt_tokens").isEqualTo(expected.prompt());
    assertThat(u.completionTokens()).as("completion_tokens").isEqualTo(expected.completion());
    assertThat(u.totalTokens()).as("total_tokens").isEqualTo(expected.total());
    assertThat(u.promptTokensDetails().orElseThrow().cachedTokens()).as("prompt_tokens_details.cached_tokens")
        .hasValue((long) expected.cached());
    assertThat(u.completionTokensDetails().orElseThrow().reasoningTokens())
        .as("completion_tokens_details.reasoning_tokens").hasValue((long) expected.reasoning());
  }

  @ParameterizedTest
  @MethodSource("providers")
  void upstreamFailureAfterTheStreamStartedIsAnOpenAiErrorEvent(String provider) {
    ProviderFake fake = fakes.get(provider);
    fake.answerText(TEXT);
    fake.failNextStreamAfterStart();
    HttpResponse<String> r = post(streamBody(provider));
    assertThat(r.statusCode()).isEqualTo(200);
    List<Sse> events = Sse.parse(r.body());
    Sse last = events.get(events.size() - 1);
    JsonObject error = last.json().getJsonObject("error");
    assertThat(error).as(r.body()).isNotNull();
    assertThat(error.getString("type")).isEqualTo("api_error");
    assertThat(error.getString("message")).isNotBlank();
    assertThat(events).noneMatch(e -> e.data().equals("[DONE]"));
    assertThat(Sse.openAiText(events)).as("text sent before the failure").isNotEmpty();
    assertThat(TEXT).startsWith(Sse.openAiText(events));

    // The SDK sees it as its own stream error, not as a silently short answer.
    fake.failNextStreamAfterStart();
    assertThatThrownBy(() -> stream(ask(provider, "What is a sluice?").build())).isInstanceOf(SseException.class);
  }

  @ParameterizedTest
  @MethodSource("providers")
  void malformedUpstreamBytesFailOneStreamAndLeakIntoNoOther(String provider) throws Exception {
    ProviderFake fake = fakes.get(provider);
    fake.echo();
    fake.malformNextStream();
    int n = 8;
    List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(http.sendAsync(request(streamBody(provider, "Question number " + i)), HttpResponse.BodyHandlers.ofString()));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    int failed = 0;
    for (int i = 0; i < n; i++) {
      HttpResponse<String> r = all.get(i).get();
      if (r.statusCode() != 200) {
        // Broken before any content: the held stream answers with a plain error, in OpenAI's shape.
        failed++;
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(new JsonObject(r.body()).getJsonObject("error").getString("code")).isEqualTo("upstream_protocol_error");
        continue;
      }
      List<Sse> events = Sse.parse(r.body());
      String text = Sse.openAiText(events);
      Sse last = events.get(events.size() - 1);
      if (last.data().equals("[DONE]")) {
        assertThat(text).as("an intact stream answers its own question").endsWith(": Question number " + i);
        assertThat(r.body()).doesNotContain("\"error\"");
      } else {
        failed++;
        JsonObject error = last.json().getJsonObject("error");
        assertThat(error.getString("code")).as(r.body()).isEqualTo("upstream_protocol_error");
        assertThat(text).doesNotContain("Question number " + (i + 1) % n);
      }
    }
    assertThat(failed).isEqualTo(1);
    // The gateway and its upstream connections still serve.
    assertThat(client.chat().completions().create(ask(provider, "Still there?").build()).choices().get(0).message()
        .content()).hasValueSatisfying(t -> assertThat(t).endsWith("Still there?"));
  }

  // ---- helpers ----

  private List<ChatCompletionChunk> stream(ChatCompletionCreateParams params) {
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
      stream.stream().forEach(chunks::add);
    }
    return chunks;
  }

  private static String upstreamCallId(String provider) {
    return switch (provider) {
      case "anthropic" -> "toolu_01E2eWeather";
      case "bedrock" -> "tooluse_e2eWeather01";
      default -> "call_e2e_weather";
    };
  }

  private static ChatCompletionFunctionTool weatherTool() {
    return ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder()
        .name("get_weather").description("Current weather in a city")
        .parameters(FunctionParameters.builder()
            .putAdditionalProperty("type", JsonValue.from("object"))
            .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"),
                "unit", Map.of("type", "string", "enum", List.of("celsius", "fahrenheit")))))
            .putAdditionalProperty("required", JsonValue.from(List.of("city")))
            .build()).build()).build();
  }

  private static String streamBody(String provider) {
    return streamBody(provider, "What is a sluice?");
  }

  private static String streamBody(String provider, String question) {
    return new JsonObject().put("model", "via-" + provider).put("stream", true)
        .put("messages", new io.vertx.core.json.JsonArray().add(new JsonObject().put("role", "user")
            .put("content", question))).encode();
  }

  private HttpRequest request(String body) {
    return HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/chat/completions"))
        .header("authorization", "Bearer " + TestGateway.MASTER_KEY).header("content-type", "application/json")
        .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private HttpResponse<String> post(String body) {
    try {
      return http.send(request(body), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}

package dev.sluice.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.SseException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.anthropic.models.messages.Usage;
import dev.sluice.gateway.TestGateway;
import dev.sluice.tck.Await;
import dev.sluice.testkit.FakeFault;
import dev.sluice.testkit.FakeOpenAiUpstream;
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
 * The official Anthropic Java SDK against {@code POST /v1/messages} (the anthropic plugin's ingress format) of a
 * real gateway, answered by providers that do not speak Anthropic: an OpenAI-compatible upstream and Bedrock.
 * Every answer (text, tool_use, stop reason, usage, a late failure) is checked as the SDK types it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AnthropicSdkTest {
  private final Map<String, Backend> backends = new LinkedHashMap<>();
  private Vertx upstreams;
  private TestGateway gateway;
  private AnthropicClient client;

  /** An upstream behind the gateway, answering deterministically: Echo, a tool call, Tool result. */
  interface Backend {
    String providerEntry(String id);

    /** The next stream sends some text, then fails upstream. */
    void failNextStreamAfterStart();

    /** The next stream carries bytes that break the upstream's protocol after its headers. */
    void malformNextStream();

    /** Checks the usage the client saw against what the upstream reported. */
    void assertUsage(Usage usage);

    io.vertx.core.Future<Void> close();
  }

  @BeforeAll
  void start() {
    upstreams = Vertx.vertx();
    backends.put("openai", new OpenAiBackend(Await.result(FakeOpenAiUpstream.start(upstreams))));
    backends.put("bedrock", new BedrockBackend(BedrockFake.start(upstreams)));
    StringBuilder yaml = new StringBuilder("providers:\n");
    backends.forEach((name, b) -> yaml.append("  - ").append(b.providerEntry(name + "-upstream")).append('\n'));
    yaml.append("models:\n");
    backends.forEach((name, b) -> yaml.append("  - {name: via-").append(name).append(", deployments: [{provider: ")
        .append(name).append("-upstream, model: \"").append(name).append("-model-1\"}]}\n"));
    // One attempt: these tests look at how a single upstream failure reaches the client, not at retries.
    yaml.append("routing: {retries: {attempts: 1}}\n");
    gateway = TestGateway.start(yaml.toString());
    // The Anthropic SDK appends /v1/messages to its base URL and sends the key as x-api-key.
    client = AnthropicOkHttpClient.builder().baseUrl(gateway.url()).apiKey(TestGateway.MASTER_KEY).maxRetries(0)
        .timeout(Duration.ofSeconds(20)).build();
  }

  @AfterAll
  void stop() {
    if (client != null) client.close();
    if (gateway != null) gateway.close();
    backends.values().forEach(b -> Await.result(b.close()));
    Await.result(upstreams.close());
  }

  Stream<String> backends() {
    return backends.keySet().stream();
  }

  private static MessageCreateParams.Builder ask(String backend, String question) {
    return MessageCreateParams.builder().model("via-" + backend).maxTokens(256).addUserMessage(question);
  }

  @ParameterizedTest
  @MethodSource("backends")
  void plainMessage(String backend) {
    Message message = client.messages().create(ask(backend, "What is a sluice?").system("Be brief.").build());
    assertThat(message.id()).isNotBlank();
    assertThat(message.content()).hasSize(1);
    assertThat(message.content().get(0).isText()).isTrue();
    assertThat(message.content().get(0).asText().text()).isEqualTo("Echo: What is a sluice?");
    assertThat(message.stopReason()).hasValue(StopReason.END_TURN);
    backends.get(backend).assertUsage(message.usage());
  }

  @ParameterizedTest
  @MethodSource("backends")
  void streamedMessageAccumulatesToTheSameMessage(String backend) {
    List<RawMessageStreamEvent> events = new ArrayList<>();
    MessageAccumulator accumulator = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(
        ask(backend, "Tell me about canals and locks.").build())) {
      stream.stream().forEach(e -> events.add(accumulator.accumulate(e)));
    }
    assertThat(events.get(0).isMessageStart()).isTrue();
    assertThat(events.get(events.size() - 1).isMessageStop()).isTrue();
    assertThat(events.stream().filter(RawMessageStreamEvent::isContentBlockDelta).count())
        .as("the text arrives in several deltas").isGreaterThan(1);
    Message message = accumulator.message();
    assertThat(message.content()).hasSize(1);
    assertThat(message.content().get(0).asText().text()).isEqualTo("Echo: Tell me about canals and locks.");
    assertThat(message.stopReason()).hasValue(StopReason.END_TURN);
    backends.get(backend).assertUsage(message.usage());
  }

  @ParameterizedTest
  @MethodSource("backends")
  void toolUseRoundTrip(String backend) {
    MessageCreateParams.Builder params = ask(backend, "What's the weather in Paris?").addTool(weatherTool());
    Message first = client.messages().create(params.build());
    assertThat(first.stopReason()).hasValue(StopReason.TOOL_USE);
    ToolUseBlock use = first.content().stream().filter(ContentBlock::isToolUse).map(ContentBlock::asToolUse)
        .findFirst().orElseThrow();
    assertThat(use.id()).isNotBlank();
    assertThat(use.name()).isEqualTo("get_weather");
    Map<String, Object> input = input(use);
    assertThat(input).containsOnlyKeys("city");
    assertThat(input.get("city")).isInstanceOf(String.class);

    Message second = client.messages().create(params.addMessage(first).addUserMessageOfContentBlockParams(List.of(
        ContentBlockParam.ofToolResult(ToolResultBlockParam.builder().toolUseId(use.id()).content("18C and sunny")
            .build()))).build());
    assertThat(second.stopReason()).hasValue(StopReason.END_TURN);
    assertThat(second.content()).hasSize(1);
    assertThat(second.content().get(0).asText().text()).isEqualTo("Tool result: 18C and sunny");
  }

  @ParameterizedTest
  @MethodSource("backends")
  void streamedToolUseAccumulatesItsInput(String backend) {
    MessageAccumulator accumulator = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(
        ask(backend, "What's the weather in Paris?").addTool(weatherTool()).build())) {
      stream.stream().forEach(accumulator::accumulate);
    }
    Message message = accumulator.message();
    assertThat(message.stopReason()).hasValue(StopReason.TOOL_USE);
    ToolUseBlock use = message.content().stream().filter(ContentBlock::isToolUse).map(ContentBlock::asToolUse)
        .findFirst().orElseThrow();
    assertThat(use.id()).isNotBlank();
    assertThat(use.name()).isEqualTo("get_weather");
    assertThat(input(use)).containsOnlyKeys("city");
  }

  @ParameterizedTest
  @MethodSource("backends")
  void upstreamFailureAfterTheStreamStartedIsAnAnthropicErrorEvent(String backend) {
    backends.get(backend).failNextStreamAfterStart();
    StringBuilder text = new StringBuilder();
    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(
        ask(backend, "Tell me about canals and locks.").build())) {
      assertThatThrownBy(() -> stream.stream().forEach(e -> e.contentBlockDelta()
          .flatMap(d -> d.delta().text()).ifPresent(t -> text.append(t.text()))))
          .isInstanceOfSatisfying(SseException.class, e -> {
            assertThat(e.apiMessage()).hasValueSatisfying(m -> assertThat(m).isNotBlank());
            assertThat(e.body().toString()).contains("api_error");
          });
    }
    assertThat(text.toString()).as("text sent before the failure").isNotEmpty();
    assertThat("Echo: Tell me about canals and locks.").startsWith(text.toString());

    // Raw bytes: a well-formed Anthropic error event is the last thing sent, after no message_stop.
    backends.get(backend).failNextStreamAfterStart();
    var r = gateway.post("/v1/messages", new JsonObject().put("model", "via-" + backend).put("max_tokens", 64)
        .put("stream", true).put("messages", new io.vertx.core.json.JsonArray().add(new JsonObject()
            .put("role", "user").put("content", "Tell me about canals and locks."))).encode());
    List<Sse> events = Sse.parse(r.body());
    Sse last = events.get(events.size() - 1);
    assertThat(last.event()).isEqualTo("error");
    assertThat(last.json().getString("type")).isEqualTo("error");
    assertThat(last.json().getJsonObject("error").getString("type")).isEqualTo("api_error");
    assertThat(events).noneMatch(e -> "message_stop".equals(e.event()));
  }

  @ParameterizedTest
  @MethodSource("backends")
  void malformedUpstreamBytesFailOneAnthropicStreamAndLeakIntoNoOther(String backend) throws Exception {
    backends.get(backend).malformNextStream();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String body = new JsonObject().put("model", "via-" + backend).put("max_tokens", 64).put("stream", true)
          .put("messages", new io.vertx.core.json.JsonArray().add(new JsonObject().put("role", "user")
              .put("content", "Question number " + i))).encode();
      all.add(http.sendAsync(HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/messages"))
          .header("x-api-key", TestGateway.MASTER_KEY).header("content-type", "application/json")
          .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    int failed = 0;
    for (int i = 0; i < all.size(); i++) {
      HttpResponse<String> r = all.get(i).get();
      if (r.statusCode() != 200) {
        // Broken before any content: the held stream answers with a plain error, in Anthropic's shape.
        failed++;
        assertThat(r.statusCode()).isEqualTo(502);
        JsonObject body = new JsonObject(r.body());
        assertThat(body.getString("type")).isEqualTo("error");
        assertThat(body.getJsonObject("error").getString("type")).isEqualTo("api_error");
        continue;
      }
      List<Sse> events = Sse.parse(r.body());
      StringBuilder text = new StringBuilder();
      for (Sse e : events) {
        if ("content_block_delta".equals(e.event())) text.append(e.json().getJsonObject("delta").getString("text"));
      }
      Sse last = events.get(events.size() - 1);
      if ("error".equals(last.event())) {
        failed++;
        assertThat(last.json().getJsonObject("error").getString("type")).isEqualTo("api_error");
        assertThat("Echo: Question number " + i).startsWith(text.toString());
      } else {
        assertThat(last.event()).isEqualTo("message_stop");
        assertThat(text.toString()).as("an intact stream answers its own question").isEqualTo("Echo: Question number " + i);
      }
    }
    assertThat(failed).isEqualTo(1);
    assertThat(client.messages().create(ask(backend, "Still there?").build()).content().get(0).asText().text())
        .isEqualTo("Echo: Still there?");
  }

  // ---- helpers ----

  @SuppressWarnings("unchecked")
  private static Map<String, Object> input(ToolUseBlock use) {
    return use._input().convert(Map.class);
  }

  private static Tool weatherTool() {
    return Tool.builder().name("get_weather").description("Current weather in a city")
        .inputSchema(Tool.InputSchema.builder().properties(Tool.InputSchema.Properties.builder()
            .putAdditionalProperty("city", JsonValue.from(Map.of("type", "string"))).build())
            .required(List.of("city")).build()).build();
  }

  /** The bedrock plugin's fake, answering like the OpenAI one, with exact cache reads and writes. */
  private static final class BedrockBackend implements Backend {
    private final BedrockFake fake;

    BedrockBackend(BedrockFake fake) {
      this.fake = fake;
      fake.echo();
    }

    @Override
    public String providerEntry(String id) {
      return fake.providerEntry(id);
    }

    @Override
    public void failNextStreamAfterStart() {
      fake.failNextStreamAfterStart();
    }

    @Override
    public void malformNextStream() {
      fake.malformNextStream();
    }

    @Override
    public void assertUsage(Usage usage) {
      assertThat(usage.inputTokens()).isEqualTo(12);
      assertThat(usage.cacheCreationInputTokens()).hasValue(3L);
      assertThat(usage.cacheReadInputTokens()).hasValue(4L);
      assertThat(usage.outputTokens()).isEqualTo(5);
    }

    @Override
    public io.vertx.core.Future<Void> close() {
      return fake.close();
    }
  }

  /** The plugin-api test kit's OpenAI upstream, reached with provider type openai. */
  private static final class OpenAiBackend implements Backend {
    private static final int CACHED = 3;
    private final FakeOpenAiUpstream fake;

    OpenAiBackend(FakeOpenAiUpstream fake) {
      this.fake = fake.usageDetails(CACHED, 0);
    }

    @Override
    public String providerEntry(String id) {
      return "{id: " + id + ", type: openai, base_url: \"" + fake.baseUrl() + "\", api_key: sk-upstream}";
    }

    @Override
    public void failNextStreamAfterStart() {
      fake.enqueue(FakeFault.errorEventAfter(2));
    }

    @Override
    public void malformNextStream() {
      fake.enqueue(FakeFault.malformed());
    }

    @Override
    public void assertUsage(Usage usage) {
      // OpenAI's prompt_tokens include the cached ones; Anthropic's input_tokens do not.
      assertThat(usage.cacheReadInputTokens()).hasValue((long) CACHED);
      assertThat(usage.cacheCreationInputTokens()).hasValue(0L);
      assertThat(usage.inputTokens()).isPositive();
      assertThat(usage.outputTokens()).isPositive();
    }

    @Override
    public io.vertx.core.Future<Void> close() {
      return fake.close();
    }
  }
}

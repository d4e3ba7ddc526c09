package dev.sluice.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.api.CallContext;
import dev.sluice.api.GatewayError;
import dev.sluice.api.GatewayError.Kind;
import dev.sluice.api.Provider;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ContentPart;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.Role;
import dev.sluice.api.model.Tool;
import dev.sluice.api.model.ToolCall;
import dev.sluice.api.model.Usage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract every provider plugin passes, run against the plugin's own fake upstream over loopback.
 *
 * <h2>Use</h2>
 * <ol>
 *   <li>Add {@code sluice-plugin-api} with {@code <type>test-jar</type>} in test scope (the plugins parent does).</li>
 *   <li>Write a fake of your upstream (a Vert.x HTTP server on 127.0.0.1) that answers deterministically, as
 *       {@code dev.sluice.testkit.FakeOpenAiUpstream} does: the answer text contains the last user message's
 *       text; with tools and a user message last (and tools not disabled) it calls the named or first tool with
 *       a JSON object holding every required property of its schema; after a tool result it answers text that
 *       contains the result. It reports usage, and the injected faults of {@link UpstreamFaults}.</li>
 *   <li>Extend this class: {@link #startProvider} starts the fake on the given Vert.x and builds your provider
 *       against it (through your {@code ProviderFactory}, so settings are exercised too); {@link #upstream}
 *       returns the fake's {@link UpstreamFaults}. Override {@link #supportsImages},
 *       {@link #reportsCachedTokens} or {@link #reportsReasoningTokens} when your upstream lacks them.</li>
 *   <li>Run {@code ./mvnw -f plugins/<name>/pom.xml verify}; add your provider's own tests beside it.</li>
 * </ol>
 *
 * <pre>{@code
 * class MyProviderContractTest extends ProviderContractTest {
 *   private MyFake fake;
 *   protected Future<Provider> startProvider(Vertx vertx) {
 *     return MyFake.start(vertx).map(f -> {
 *       fake = f;
 *       return new MyFactory().create(settings(f.baseUrl()), () -> vertx);
 *     });
 *   }
 *   protected UpstreamFaults upstream() { return fake.faults(); }
 * }
 * }</pre>
 *
 * <p>Each test also fails when an exception escapes to Vert.x instead of reaching the caller.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
public abstract class ProviderContractTest {
  /** A 1x1 PNG. */
  protected static final String TINY_PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlE"
      + "QVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
  private static final long PROMPT_MS = 2_000;
  private static final long SETTLE_MS = 200;

  private final List<Throwable> escaped = Collections.synchronizedList(new ArrayList<>());
  protected Provider provider;
  protected Vertx vertx;

  /** Starts the fake upstream on {@code vertx} and builds the provider under test against it. */
  protected abstract Future<Provider> startProvider(Vertx vertx);

  /** The fake upstream started by {@link #startProvider}. */
  protected abstract UpstreamFaults upstream();

  /** The upstream model name requests carry. */
  protected String model() {
    return "tck-model";
  }

  protected boolean supportsImages() {
    return true;
  }

  protected boolean reportsCachedTokens() {
    return true;
  }

  protected boolean reportsReasoningTokens() {
    return true;
  }

  @BeforeEach
  final void startContract(Vertx vertx, VertxTestContext ctx) {
    this.vertx = vertx;
    vertx.exceptionHandler(escaped::add);
    startProvider(vertx).onComplete(ctx.succeeding(p -> {
      provider = p;
      ctx.completeNow();
    }));
  }

  @AfterEach
  final void stopContract(VertxTestContext ctx) {
    ctx.verify(() -> assertThat(escaped).as("exceptions that escaped to Vert.x").isEmpty());
    provider.close().onComplete(ctx.succeedingThenComplete());
  }

  protected ChatRequest ask(String text) {
    return ChatRequest.of(model(), List.of(Message.system("Answer briefly."), Message.user(text)));
  }

  protected static CallContext call() {
    return CallContext.create("tck-" + System.nanoTime());
  }

  // ---- answers ----

  @Test
  void chatAnswersTheLastUserMessage(VertxTestContext ctx) {
    provider.chat(ask("What is the capital of France?"), call()).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertThat(r.choices()).hasSize(1);
      assertThat(r.choices().get(0).message().role()).isEqualTo(Role.ASSISTANT);
      assertThat(r.choices().get(0).message().text()).contains("What is the capital of France?");
      assertThat(r.choices().get(0).finishReason()).isEqualTo("stop");
      assertThat(r.usage()).isNotNull();
      assertThat(r.usage().promptTokens()).isPositive();
      assertThat(r.usage().completionTokens()).isPositive();
      ctx.completeNow();
    })));
  }

  @Test
  void streamAssemblesToTheChatAnswerAndEndsOnce(VertxTestContext ctx) {
    ChatRequest request = ask("Tell me a short story about a lighthouse");
    provider.chat(request, call()).compose(whole -> streamed(request.withStream(true, true)).map(s -> {
      ctx.verify(() -> {
        assertThat(s.failure()).isNull();
        assertThat(s.chunks().size()).as("chunks").isGreaterThan(1);
        assertThat(s.text()).isEqualTo(whole.choices().get(0).message().text());
        assertThat(s.finishReason()).isEqualTo("stop");
        assertThat(s.usage()).as("usage chunk").isNotNull();
        assertThat(s.usage().promptTokens()).isEqualTo(whole.usage().promptTokens());
      });
      return s;
    })).compose(this::settled).onComplete(ctx.succeeding(s -> ctx.verify(() -> {
      assertThat(s.ends()).isEqualTo(1);
      assertThat(s.failures()).isZero();
      ctx.completeNow();
    })));
  }

  @Test
  void toolCallRoundTrip(VertxTestContext ctx) {
    ChatRequest first = withWeatherTool(ask("What is the weather in Paris?"));
    provider.chat(first, call()).compose(r -> {
      ctx.verify(() -> {
        assertThat(r.choices().get(0).finishReason()).isEqualTo("tool_calls");
        List<ToolCall> calls = r.choices().get(0).message().toolCalls();
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).name()).isEqualTo("get_weather");
        assertThat(calls.get(0).id()).isNotBlank();
        assertThat(new JsonObject(calls.get(0).arguments()).getValue("city")).isInstanceOf(String.class);
      });
      List<ToolCall> calls = r.choices().get(0).message().toolCalls();
      List<Message> messages = new ArrayList<>(first.messages());
      messages.add(Message.assistantToolCalls(calls));
      messages.add(Message.toolResult(calls.get(0).id(), "sunny, 21 degrees"));
      return provider.chat(first.withMessages(messages), call());
    }).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertThat(r.choices().get(0).message().text()).contains("sunny, 21 degrees");
      assertThat(r.choices().get(0).message().toolCalls()).isEmpty();
      ctx.completeNow();
    })));
  }

  @Test
  void streamedToolCallAssemblesToTheSameCall(VertxTestContext ctx) {
    ChatRequest request = withWeatherTool(ask("What is the weather in Paris?"));
    provider.chat(request, call()).compose(whole -> streamed(request.withStream(true, false)).map(s -> {
      ToolCall expected = whole.choices().get(0).message().toolCalls().get(0);
      ctx.verify(() -> {
        assertThat(s.failure()).isNull();
        assertThat(s.finishReason()).isEqualTo("tool_calls");
        assertThat(s.toolCalls()).hasSize(1);
        assertThat(s.toolCalls().get(0).name()).isEqualTo(expected.name());
        assertThat(s.toolCalls().get(0).id()).isNotBlank();
        assertThat(new JsonObject(s.toolCalls().get(0).arguments())).isEqualTo(new JsonObject(expected.arguments()));
      });
      return s;
    })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void imageInputReachesTheUpstream(VertxTestContext ctx) {
    assumeTrue(supportsImages(), "the provider declares no image input");
    Message user = new Message(Role.USER, List.of(ContentPart.text("Describe this picture"),
        new ContentPart.Image(TINY_PNG, null)), null, null, null);
    provider.chat(ChatRequest.of(model(), List.of(user)), call()).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertThat(r.choices().get(0).message().text()).contains("Describe this picture");
      assertThat(upstream().imagesInLastRequest()).isEqualTo(1);
      ctx.completeNow();
    })));
  }

  @Test
  void usageIsMappedInChatAndStream(VertxTestContext ctx) {
    upstream().reportUsageDetails(4, 3);
    ChatRequest request = ask("Count the tokens of this sentence, please");
    provider.chat(request, call()).compose(r -> streamed(request.withStream(true, true)).map(s -> {
      ctx.verify(() -> {
        assertUsage(r.usage());
        assertUsage(s.usage());
        assertThat(s.usage()).isEqualTo(r.usage());
      });
      return s;
    })).onComplete(ctx.succeedingThenComplete());
  }

  private void assertUsage(Usage u) {
    assertThat(u).isNotNull();
    assertThat(u.totalTokens()).isEqualTo(u.promptTokens() + u.completionTokens());
    if (reportsCachedTokens()) assertThat(u.cachedTokens()).isEqualTo(4);
    if (reportsReasoningTokens()) assertThat(u.reasoningTokens()).isEqualTo(3);
    assertThat(u.promptTokens()).isGreaterThanOrEqualTo(u.cachedTokens() + u.cacheWriteTokens());
    assertThat(u.completionTokens()).isGreaterThanOrEqualTo(u.reasoningTokens());
  }

  // ---- errors ----

  @Test
  void rateLimitIsRetryableWithRetryAfter(VertxTestContext ctx) {
    upstream().rateLimitNext(Duration.ofSeconds(2));
    failsWith(provider.chat(ask("hi"), call()), Kind.RATE_LIMITED, ctx, e -> {
      assertThat(e.retryable()).isTrue();
      assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(2));
    });
  }

  @Test
  void serverErrorsAreUpstream5xx(VertxTestContext ctx) {
    upstream().failNext(500);
    failsWithKind(provider.chat(ask("hi"), call()), Kind.UPSTREAM_5XX).compose(v -> {
      upstream().failNext(503);
      return failsWithKind(provider.chat(ask("hi"), call()), Kind.UPSTREAM_5XX);
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void rejectedCredentialsAreUpstreamRejected(VertxTestContext ctx) {
    upstream().failNext(401);
    failsWith(provider.chat(ask("hi"), call()), Kind.UPSTREAM_REJECTED, ctx, e -> assertThat(e.retryable()).isFalse());
  }

  @Test
  void contextWindowOverflowIsContextWindow(VertxTestContext ctx) {
    upstream().contextWindowNext();
    failsWith(provider.chat(ask("a very long prompt"), call()), Kind.CONTEXT_WINDOW, ctx, e -> { });
  }

  @Test
  void errorBeforeAStreamStartsFailsTheStreamFuture(VertxTestContext ctx) {
    upstream().failNext(500);
    failsWith(provider.stream(ask("hi").withStream(true, false), call()), Kind.UPSTREAM_5XX, ctx, e -> { });
  }

  @Test
  void malformedAnswerIsAProtocolError(VertxTestContext ctx) {
    upstream().malformedNext();
    failsWith(provider.chat(ask("hi"), call()), Kind.UPSTREAM_PROTOCOL, ctx, e -> { });
  }

  // ---- failures of a started stream: the exception handler, once ----

  @Test
  void malformedStreamEventFailsTheStreamOnce(VertxTestContext ctx) {
    upstream().malformedNext();
    streamFailsOnce(ctx, e -> assertThat(e.kind()).isEqualTo(Kind.UPSTREAM_PROTOCOL));
  }

  @Test
  void cutStreamFailsTheStreamOnce(VertxTestContext ctx) {
    upstream().cutStreamAfter(2);
    streamFailsOnce(ctx, e -> assertThat(e.retryable()).as(e.toString()).isTrue());
  }

  @Test
  void errorEventFailsTheStreamOnce(VertxTestContext ctx) {
    upstream().errorEventAfter(2);
    streamFailsOnce(ctx, e -> assertThat(e.kind()).as(e.toString()).isEqualTo(Kind.UPSTREAM_5XX));
  }

  @Test
  void truncatedStreamFailsTheStreamOnce(VertxTestContext ctx) {
    upstream().truncateStreamNext();
    streamFailsOnce(ctx, e -> assertThat(e.kind()).isEqualTo(Kind.UPSTREAM_PROTOCOL));
  }

  private void streamFailsOnce(VertxTestContext ctx, java.util.function.Consumer<GatewayError> check) {
    streamed(ask("Tell me a long story").withStream(true, true)).compose(this::settled)
        .onComplete(ctx.succeeding(s -> ctx.verify(() -> {
          assertThat(s.failure()).isInstanceOf(GatewayError.class);
          check.accept((GatewayError) s.failure());
          assertThat(s.failures()).as("exception handler calls").isEqualTo(1);
          assertThat(s.ends()).as("end handler calls").isZero();
          ctx.completeNow();
        })));
  }

  // ---- cancellation ----

  @Test
  void cancellingAHangingChatFailsPromptlyAndDisconnects(VertxTestContext ctx) {
    upstream().hangNext();
    CallContext call = call();
    cancelsPromptly(provider.chat(ask("hi"), call), call, ctx);
  }

  @Test
  void cancellingAHangingStreamFailsPromptlyAndDisconnects(VertxTestContext ctx) {
    upstream().hangNext();
    CallContext call = call();
    cancelsPromptly(provider.stream(ask("hi").withStream(true, false), call), call, ctx);
  }

  private void cancelsPromptly(Future<?> pending, CallContext call, VertxTestContext ctx) {
    GatewayError reason = GatewayError.cancelled("the client went away");
    upstream().awaitRequests(1).compose(v -> {
      long start = System.nanoTime();
      call.cancel(reason);
      return pending.transform(ar -> {
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        ctx.verify(() -> {
          assertThat(ar.failed()).as("the call should fail once cancelled").isTrue();
          assertThat(ar.cause()).isInstanceOf(GatewayError.class);
          assertThat(((GatewayError) ar.cause()).kind()).isEqualTo(Kind.CANCELLED);
          assertThat(ms).as("ms from cancel to failure").isLessThan(PROMPT_MS);
        });
        return upstream().awaitDisconnects(1);
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  // ---- helpers ----

  /**
   * Streams {@code request} and collects it, from an event loop as the gateway does: a stream's handlers belong
   * to the thread its upstream answers on, and attaching them from the test's own thread would race with it.
   */
  protected Future<StreamCapture> streamed(ChatRequest request) {
    Promise<StreamCapture> collected = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v ->
        provider.stream(request, call()).compose(StreamCapture::collect).onComplete(collected));
    return collected.future();
  }

  /** {@code capture} once late handler calls would have arrived. */
  private Future<StreamCapture> settled(StreamCapture capture) {
    Promise<StreamCapture> later = Promise.promise();
    vertx.setTimer(SETTLE_MS, id -> later.complete(capture));
    return later.future();
  }

  private static ChatRequest withWeatherTool(ChatRequest request) {
    JsonObject schema = new JsonObject().put("type", "object")
        .put("properties", new JsonObject().put("city", new JsonObject().put("type", "string")))
        .put("required", new JsonArray().add("city"));
    return request.withTools(List.of(new Tool("get_weather", "Current weather in a city", schema, null)), null);
  }

  private static Future<Void> failsWithKind(Future<?> future, Kind kind) {
    return future.transform(ar -> {
      if (ar.succeeded()) return Future.failedFuture(new AssertionError("expected " + kind + ", got a success"));
      if (ar.cause() instanceof GatewayError e && e.kind() == kind) return Future.succeededFuture();
      return Future.failedFuture(new AssertionError("expected " + kind + ", got " + ar.cause(), ar.cause()));
    });
  }

  private static void failsWith(Future<?> future, Kind kind, VertxTestContext ctx,
                                java.util.function.Consumer<GatewayError> more) {
    future.onComplete(ar -> ctx.verify(() -> {
      assertThat(ar.failed()).as("expected " + kind + " but the call succeeded").isTrue();
      assertThat(ar.cause()).isInstanceOf(GatewayError.class);
      GatewayError e = (GatewayError) ar.cause();
      assertThat(e.kind()).as(e.toString()).isEqualTo(kind);
      more.accept(e);
      ctx.completeNow();
    }));
  }
}

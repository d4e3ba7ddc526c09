package dev.sluice.plugins.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.sluice.api.CallContext;
import dev.sluice.api.ChatStream;
import dev.sluice.api.GatewayError;
import dev.sluice.api.Provider;
import dev.sluice.api.ProviderSettings;
import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.Usage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Test helpers: providers against the fake, bounded waits (on the test thread, never an event loop), streams. */
final class Harness {
  static final long WAIT_SECONDS = 5;

  private Harness() {}

  static Provider gemini(Vertx vertx, FakeGemini fake) {
    return gemini(vertx, fake.baseUrl());
  }

  static Provider gemini(Vertx vertx, String baseUrl) {
    return new GeminiProviderFactory().create(settings("gemini", new JsonObject().put("api_key", "test-key")
        .put("base_url", baseUrl + "/v1beta")), () -> vertx);
  }

  static Provider vertex(Vertx vertx, FakeGemini fake) {
    return new VertexProviderFactory().create(settings("vertex", new JsonObject().put("project", "my-proj")
        .put("location", "europe-west4").put("access_token", "ya29.token")
        .put("base_url", fake.baseUrl() + "/v1")), () -> vertx);
  }

  static ProviderSettings settings(String type, JsonObject values) {
    return new ProviderSettings("providers[3]", "g1", type, values.copy().put("type", type));
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("expected success, got " + e.getCause(), e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("no answer within " + WAIT_SECONDS + "s", e);
    }
  }

  static GatewayError failure(Future<?> future) {
    try {
      Object value = future.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
      return fail("expected a failure, got " + value);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(GatewayError.class);
      return (GatewayError) e.getCause();
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("no answer within " + WAIT_SECONDS + "s", e);
    }
  }

  static CallContext call() {
    return CallContext.create("req-1");
  }

  /** Every chunk of a stream, or its failure. Handlers are set on the stream's own event loop. */
  static Future<List<ChatChunk>> collect(Provider provider, ChatRequest request, CallContext call) {
    return provider.stream(request, call).compose(Harness::collect);
  }

  static Future<List<ChatChunk>> collect(ChatStream stream) {
    Promise<List<ChatChunk>> done = Promise.promise();
    List<ChatChunk> chunks = new ArrayList<>();
    stream.exceptionHandler(done::tryFail).endHandler(v -> done.tryComplete(chunks)).handler(chunks::add);
    return done.future();
  }

  /** A stream put back together: per choice its text, tool calls and finish reason; and the usage. */
  record Assembled(Map<Integer, String> text, Map<Integer, List<String>> calls, Map<Integer, String> finish,
                   Usage usage) {}

  static Assembled assemble(List<ChatChunk> chunks) {
    Map<Integer, StringBuilder> text = new TreeMap<>();
    Map<Integer, List<String>> calls = new TreeMap<>();
    Map<Integer, String> finish = new TreeMap<>();
    Usage usage = null;
    for (ChatChunk chunk : chunks) {
      if (chunk.usage() != null) usage = chunk.usage();
      for (ChatChunk.Delta d : chunk.choices()) {
        if (d.content() != null) text.computeIfAbsent(d.index(), i -> new StringBuilder()).append(d.content());
        for (ChatChunk.ToolCallDelta t : d.toolCalls()) {
          calls.computeIfAbsent(d.index(), i -> new ArrayList<>())
              .add(t.index() + ":" + t.id() + ":" + t.name() + ":" + t.arguments());
        }
        if (d.finishReason() != null) finish.put(d.index(), d.finishReason());
      }
    }
    Map<Integer, String> joined = new TreeMap<>();
    text.forEach((i, sb) -> joined.put(i, sb.toString()));
    return new Assembled(joined, calls, finish, usage);
  }
}

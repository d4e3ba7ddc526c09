package dev.sluice.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ContentPart;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.ResponseFormat;
import dev.sluice.api.model.Role;
import dev.sluice.api.model.Tool;
import dev.sluice.api.model.ToolCall;
import dev.sluice.api.model.ToolChoice;
import dev.sluice.api.routing.DifficultyEstimator;
import dev.sluice.api.routing.EstimatorContext;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link DifficultyEstimator} passes, as its javadoc states it: a difficulty from 0 to 1
 * for any chat request, the same one for the same request, the request left as it was, never a thrown
 * exception (a failure is a failed future), little time on the event loop and an answer within the runtime's
 * bound, one instance on several event loops at once.
 *
 * <p>Extend it and return your estimator from {@link #createEstimator}. The context's {@code embed} is a
 * deterministic stand-in for the runtime's sentence embedding (384 dimensions, unit length, computed on the
 * worker pool); override {@link #embed} to use a real one.
 */
public abstract class DifficultyEstimatorContractTest {
  /** How long the runtime waits for an estimate before routing the request as hard as can be. */
  protected static final long RUNTIME_BOUND_MS = 10_000;
  /** The most an estimator may hold an event loop for one request of about 200,000 characters. */
  protected static final long EVENT_LOOP_MS = 250;

  protected Vertx vertx;

  /** A fresh estimator, as the runtime would get it from the plugin. */
  protected abstract DifficultyEstimator createEstimator();

  /** The embedding the context answers: a deterministic unit vector of 384 floats, made on the worker pool. */
  protected Future<float[]> embed(String text) {
    return vertx.executeBlocking(() -> {
      float[] v = new float[384];
      long h = 1125899906842597L;
      for (int i = 0; i < text.length(); i++) {
        h = 31 * h + text.charAt(i);
        v[(int) Math.floorMod(h, 384L)] += 1;
      }
      double norm = 0;
      for (float x : v) norm += x * x;
      if (norm == 0) v[0] = 1;
      else for (int i = 0; i < v.length; i++) v[i] = (float) (v[i] / Math.sqrt(norm));
      return v;
    });
  }

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stopVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private EstimatorContext context() {
    return context(this::embed);
  }

  private EstimatorContext context(java.util.function.Function<String, Future<float[]>> embedder) {
    return new EstimatorContext() {
      @Override
      public Vertx vertx() {
        return vertx;
      }

      @Override
      public Future<float[]> embed(String text) {
        return embedder.apply(text);
      }
    };
  }

  /** Requests of every shape the runtime routes: short, huge, empty text, images only, tools, deep, odd roles. */
  protected static Map<String, ChatRequest> requests() {
    Map<String, ChatRequest> out = new LinkedHashMap<>();
    out.put("a short question", ChatRequest.of("auto", List.of(Message.user("What is the capital of France?"))));
    out.put("a multi-step problem", ChatRequest.of("auto", List.of(Message.user("A tank holds 240 liters and fills "
        + "at 12 liters per minute while a drain removes 5; after 8 minutes the drain closes. First compute the "
        + "water after 8 minutes, then how many more minutes it takes to fill, and explain each step."))));
    out.put("about 200,000 characters", ChatRequest.of("auto", List.of(Message.user(
        "Summarize this log line by line, 42 = x^2 + 3; def f(x): return x * 2\n".repeat(2_900)))));
    out.put("empty text", ChatRequest.of("auto", List.of(Message.user(""))));
    out.put("blank text", ChatRequest.of("auto", List.of(Message.user(" \n\t "))));
    out.put("non-Latin text", ChatRequest.of("auto", List.of(Message.user("日本の首都はどこですか？ 🚀 Ωμέγα"))));
    out.put("an image without text", ChatRequest.of("auto", List.of(new Message(Role.USER,
        List.of(new ContentPart.Image("data:image/png;base64,iVBORw0KGgo=", "low")), null, null, null))));
    out.put("a system prompt only", ChatRequest.of("auto", List.of(Message.system("You are terse."))));
    out.put("an assistant turn last", ChatRequest.of("auto", List.of(Message.user("Hi"), Message.assistant("Hello"))));
    out.put("a tool result last", ChatRequest.of("auto", List.of(Message.user("Weather in Paris?"),
        Message.assistantToolCalls(List.of(new ToolCall("call_1", "weather", "{\"city\":\"Paris\"}"))),
        Message.toolResult("call_1", "{\"celsius\":21}"))));
    List<Message> deep = new ArrayList<>();
    deep.add(Message.system("You are a careful assistant. ".repeat(200)));
    for (int i = 0; i < 60; i++) {
      deep.add(Message.user("question " + i));
      deep.add(Message.assistant("answer " + i));
    }
    deep.add(Message.user("And now?"));
    Tool tool = new Tool("lookup", "finds a fact", new JsonObject().put("type", "object")
        .put("properties", new JsonObject().put("q", new JsonObject().put("type", "string"))), null);
    List<Tool> tools = new ArrayList<>();
    for (int i = 0; i < 40; i++) tools.add(new Tool("tool_" + i, "tool " + i, new JsonObject().put("type", "object"), null));
    out.put("a deep conversation with tools", ChatRequest.builder().model("auto").messages(deep).stream(true)
        .includeUsage(true).maxTokens(4096).temperature(0.2).topP(0.9).n(1).stop(List.of("END")).seed(7L).user("u-1")
        .tools(tools).toolChoice(ToolChoice.REQUIRED).parallelToolCalls(false)
        .responseFormat(ResponseFormat.JSON_OBJECT)
        .extra(new JsonObject().put("metadata", new JsonObject().put("k", "v"))).build());
    out.put("one tool", ChatRequest.of("auto", List.of(Message.user("Look it up"))).withTools(List.of(tool),
        ToolChoice.function("lookup")));
    return out;
  }

  private static double await(Future<Double> f, String what) {
    try {
      Double d = f.toCompletionStage().toCompletableFuture().get(RUNTIME_BOUND_MS, TimeUnit.MILLISECONDS);
      assertThat(d).as("the difficulty of %s", what).isNotNull();
      return d;
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no difficulty for " + what + " within the runtime's " + RUNTIME_BOUND_MS + " ms");
    } catch (Exception e) {
      throw new AssertionError("the difficulty of " + what + " failed", e);
    }
  }

  /** Calls the estimator on an event loop, as the runtime does, and reports how long it held the loop. */
  private Future<Double> onEventLoop(DifficultyEstimator estimator, ChatRequest request, EstimatorContext context,
                                     AtomicLong heldNanos) {
    Context loop = vertx.getOrCreateContext();
    Promise<Double> answer = Promise.promise();
    loop.runOnContext(v -> {
      long start = System.nanoTime();
      Future<Double> f;
      try {
        f = estimator.difficulty(request, context);
      } catch (Throwable t) {
        answer.fail(new AssertionError("difficulty() threw instead of answering a failed future", t));
        return;
      } finally {
        heldNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
      }
      if (f == null) answer.fail(new AssertionError("difficulty() answered null instead of a future"));
      else f.onComplete(answer);
    });
    return answer.future();
  }

  @Test
  void idIsLowerCaseAndStable() {
    DifficultyEstimator estimator = createEstimator();
    assertThat(estimator.id()).matches("[a-z0-9][a-z0-9-]*").isEqualTo(estimator.id())
        .isEqualTo(createEstimator().id());
  }

  @Test
  void everyRequestGetsADifficultyFromZeroToOneWithoutHoldingTheEventLoop() {
    DifficultyEstimator estimator = createEstimator();
    // Once, unmeasured: a model's weights load on first use, as the JIT warms up.
    await(estimator.difficulty(requests().get("a short question"), context()), "a short question");
    for (Map.Entry<String, ChatRequest> e : requests().entrySet()) {
      AtomicLong held = new AtomicLong();
      double d = await(onEventLoop(estimator, e.getValue(), context(), held), e.getKey());
      assertThat(d).as("the difficulty of %s", e.getKey()).isBetween(0.0, 1.0);
      assertThat(TimeUnit.NANOSECONDS.toMillis(held.get())).as("ms the estimator held the event loop for %s",
          e.getKey()).isLessThan(EVENT_LOOP_MS);
    }
  }

  @Test
  void theSameRequestGetsTheSameDifficulty() {
    // Identical requests route alike, and a fresh instance (another node, a reload) agrees with this one.
    DifficultyEstimator estimator = createEstimator();
    DifficultyEstimator other = createEstimator();
    for (Map.Entry<String, ChatRequest> e : requests().entrySet()) {
      double first = await(estimator.difficulty(e.getValue(), context()), e.getKey());
      assertThat(await(estimator.difficulty(e.getValue(), context()), e.getKey())).as(e.getKey()).isEqualTo(first);
      assertThat(await(other.difficulty(e.getValue(), context()), e.getKey())).as(e.getKey()).isEqualTo(first);
    }
  }

  @Test
  void theRequestIsLeftAsItWas() {
    DifficultyEstimator estimator = createEstimator();
    Map<String, ChatRequest> twins = requests();
    for (Map.Entry<String, ChatRequest> e : requests().entrySet()) {
      await(estimator.difficulty(e.getValue(), context()), e.getKey());
      assertThat(e.getValue()).as("%s after difficulty()", e.getKey()).isEqualTo(twins.get(e.getKey()));
    }
  }

  @Test
  void aFailedEmbeddingIsAFailedFutureOrAnAnswerNeverAThrow() {
    DifficultyEstimator estimator = createEstimator();
    EstimatorContext broken = context(text -> Future.failedFuture(new IllegalStateException("embedding model gone")));
    for (Map.Entry<String, ChatRequest> e : requests().entrySet()) {
      AtomicReference<Object> outcome = new AtomicReference<>();
      CompletableFuture<Void> done = new CompletableFuture<>();
      onEventLoop(estimator, e.getValue(), broken, new AtomicLong()).onComplete(ar -> {
        outcome.set(ar.succeeded() ? ar.result() : ar.cause());
        done.complete(null);
      });
      try {
        done.get(RUNTIME_BOUND_MS, TimeUnit.MILLISECONDS);
      } catch (Exception x) {
        throw new AssertionError("no outcome for " + e.getKey() + " when embedding fails", x);
      }
      Object o = outcome.get();
      if (o instanceof Double d) {
        assertThat(d).as("the difficulty of %s without embeddings", e.getKey()).isBetween(0.0, 1.0);
      } else {
        assertThat(o).as("the outcome for %s when embedding fails", e.getKey()).isInstanceOf(Throwable.class)
            .isNotInstanceOf(AssertionError.class);
      }
    }
  }

  @Test
  void anEmbeddingThatAnswersLaterIsWaitedFor() {
    // The runtime's embedding answers on the worker pool some time later: the estimate must follow it.
    DifficultyEstimator estimator = createEstimator();
    EstimatorContext late = context(text -> {
      Promise<float[]> p = Promise.promise();
      vertx.setTimer(50, id -> embed(text).onComplete(p));
      return p.future();
    });
    ChatRequest request = requests().get("a multi-step problem");
    double now = await(estimator.difficulty(request, context()), "a multi-step problem");
    assertThat(await(onEventLoop(estimator, request, late, new AtomicLong()), "a multi-step problem, embedded late"))
        .isEqualTo(now);
  }

  @Test
  void oneInstanceServesSeveralEventLoopsAtOnce() {
    DifficultyEstimator estimator = createEstimator();
    Map<String, Double> alone = new LinkedHashMap<>();
    for (Map.Entry<String, ChatRequest> e : requests().entrySet()) {
      alone.put(e.getKey(), await(estimator.difficulty(e.getValue(), context()), e.getKey()));
    }
    List<Future<Double>> together = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int round = 0; round < 4; round++) {
      for (Map.Entry<String, ChatRequest> e : requests().entrySet()) {
        // Each runOnContext from the test thread lands on the next event loop of the pool.
        Context loop = vertx.getOrCreateContext();
        Promise<Double> p = Promise.promise();
        loop.runOnContext(v -> estimator.difficulty(e.getValue(), context()).onComplete(p));
        together.add(p.future());
        names.add(e.getKey());
      }
    }
    for (int i = 0; i < together.size(); i++) {
      assertThat(await(together.get(i), names.get(i))).as(names.get(i)).isEqualTo(alone.get(names.get(i)));
    }
  }
}

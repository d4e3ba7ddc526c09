package dev.sluice.plugins.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.CallContext;
import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.EmbeddingRequest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Pacing and cancellation, on real timers with generous bounds. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 15, timeUnit = TimeUnit.SECONDS)
class DemoTimingTest {
  static final ChatRequest QUESTION = DemoChatTest.QUESTION;
  static final GatewayError GONE = GatewayError.cancelled("the client went away");

  @Test
  void chatArrivesAfterTheLatency(Vertx vertx, VertxTestContext ctx) {
    DemoProvider provider = Demo.provider(vertx, new JsonObject().put("latency", "200ms"));
    long start = System.nanoTime();
    provider.chat(QUESTION, Demo.call()).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertThat(millisSince(start)).isBetween(190L, 3_000L);
      ctx.completeNow();
    })));
  }

  @Test
  void firstChunkArrivesAfterFirstTokenThenAtTheTokenRate(Vertx vertx, VertxTestContext ctx) {
    DemoProvider provider = Demo.provider(vertx, new JsonObject().put("first_token", "200ms")
        .put("tokens_per_second", 300));
    long start = System.nanoTime();
    long[] firstAt = {-1};
    vertx.runOnContext(v -> provider.stream(QUESTION.withStream(true, false), Demo.call())
        .onComplete(ctx.succeeding(stream -> {
          List<ChatChunk> chunks = new ArrayList<>();
          stream.handler(c -> {
            if (chunks.isEmpty()) firstAt[0] = millisSince(start);
            chunks.add(c);
          });
          stream.endHandler(end -> ctx.verify(() -> {
            long total = millisSince(start);
            assertThat(firstAt[0]).isBetween(190L, 3_000L);
            // 3 tokens a chunk at 300 tokens/s: a chunk every 10ms after the first
            long paced = (chunks.size() - 1) * 10L;
            assertThat(total - firstAt[0]).isGreaterThanOrEqualTo(paced * 8 / 10).isLessThan(paced * 5 + 3_000);
            ctx.completeNow();
          }));
        })));
  }

  @Test
  void cancellingAPendingChatFailsItWithTheReason(Vertx vertx, VertxTestContext ctx) {
    DemoProvider provider = Demo.provider(vertx, new JsonObject().put("latency", "5s"));
    CallContext call = Demo.call();
    long start = System.nanoTime();
    provider.chat(QUESTION, call).onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertThat(e).isSameAs(GONE);
      assertThat(millisSince(start)).isLessThan(2_000L);
      ctx.completeNow();
    })));
    vertx.setTimer(50, id -> call.cancel(GONE));
  }

  @Test
  void cancellingAPendingEmbeddingFailsIt(Vertx vertx, VertxTestContext ctx) {
    DemoProvider provider = Demo.provider(vertx, new JsonObject().put("latency", "5s"));
    CallContext call = Demo.call();
    provider.embed(new EmbeddingRequest("e", List.of("some text"), null, null, null), call)
        .onComplete(ctx.failing(e -> ctx.verify(() -> {
          assertThat(e).isSameAs(GONE);
          ctx.completeNow();
        })));
    vertx.setTimer(50, id -> call.cancel(GONE));
  }

  @Test
  void aCancelledCallFailsAtOnce(Vertx vertx, VertxTestContext ctx) {
    CallContext call = Demo.call();
    call.cancel(GONE);
    DemoProvider provider = Demo.provider(vertx);
    provider.chat(QUESTION, call).onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertThat(e).isSameAs(GONE);
      provider.stream(QUESTION, call).onComplete(ctx.failing(e2 -> ctx.verify(() -> {
        assertThat(e2).isSameAs(GONE);
        ctx.completeNow();
      })));
    })));
  }

  @Test
  void cancellingAStreamStopsIt(Vertx vertx, VertxTestContext ctx) {
    DemoProvider provider = Demo.provider(vertx, new JsonObject().put("tokens_per_second", 30));
    CallContext call = Demo.call();
    List<ChatChunk> chunks = new ArrayList<>();
    AtomicBoolean ended = new AtomicBoolean();
    vertx.runOnContext(v -> provider.stream(QUESTION.withStream(true, true), call)
        .onComplete(ctx.succeeding(stream -> {
          stream.endHandler(end -> ended.set(true));
          stream.handler(c -> {
            chunks.add(c);
            if (chunks.size() == 2) call.cancel(GONE);
          });
          vertx.setTimer(600, id -> ctx.verify(() -> {
            assertThat(chunks).hasSize(2);
            assertThat(ended).isFalse();
            ctx.completeNow();
          }));
        })));
  }

  private static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }
}

package dev.sluice.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.model.Choice;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.Usage;
import dev.sluice.gateway.TestGateway;
import dev.sluice.gateway.config.CacheConfig;
import dev.sluice.gateway.cache.CacheDirectives;
import dev.sluice.gateway.identity.Principal;
import dev.sluice.gateway.time.Clock;
import dev.sluice.tck.Await;
import dev.sluice.wire.openai.OpenAiResponses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What makes a hit cheap: decoded entries kept by the stored bytes' identity, keys kept by the request's identity,
 * and one embedding per miss.
 */
class HitPathTest {
  private static final ChatResponse ANSWER = new ChatResponse("id-1", 7, "m", List.of(new Choice(0,
      Message.assistant("forty-two"), "stop", null)), Usage.of(3, 2), null);

  @Test
  void theSameStoredBytesDecodeOnceAndEqualBytesFromElsewhereDecodeAgain() {
    DecodedEntries decoded = new DecodedEntries(16);
    Buffer stored = new CacheEntry(ANSWER, 1).encode();
    CacheEntry first = decoded.of(stored);
    assertThat(decoded.of(stored)).isSameAs(first);
    assertThat(decoded.of(stored.copy())).isNotSameAs(first).satisfies(e -> assertThat(e.response()).isEqualTo(ANSWER));
    assertThat(decoded.of(Buffer.buffer("not an entry"))).isNull();
  }

  @Test
  void theKeptOpenAiBodyIsTheEncodingOfTheResponseComputedOnce() {
    CacheEntry entry = new CacheEntry(ANSWER, 1);
    assertThat(entry.openAiBody()).isEqualTo(OpenAiResponses.encode(ANSWER).toBuffer());
    assertThat(entry.openAiBody()).isSameAs(entry.openAiBody());
  }

  private static ChatCache memoryCache(Vertx vertx) {
    CacheConfig d = CacheConfig.DISABLED;
    return new ChatCache(vertx, new CacheConfig(new CacheConfig.Exact(true, "memory",
        java.time.Duration.ofHours(1), 1 << 20, "global"), d.semantic()), new MemoryBackend(1 << 20,
        Clock.SYSTEM::nanos), null, Clock.SYSTEM);
  }

  /**
   * A repeated body decodes to the very same request, which the ingress hands on with what the cache worked out
   * for it before ({@link KnownRequest}); a reload that resolves the model to another group must key it again.
   */
  @Test
  void theSameRequestInstanceIsKeyedAgainWhenItsGroupChanges() {
    Vertx vertx = Vertx.vertx();
    try {
      ChatCache cache = memoryCache(vertx);
      ChatRequest request = ChatRequest.of("m", List.of(Message.user("What is forty-two?")));
      KnownRequest known = new KnownRequest();
      AtomicInteger upstream = new AtomicInteger();
      java.util.function.BiFunction<ChatRequest, String, String> ask = (r, group) -> {
        return CacheSteps.ask(cache, r, group, Principal.MASTER, CacheDirectives.NONE, r == request ? known : null,
            () -> {
              upstream.incrementAndGet();
              return Future.succeededFuture(ANSWER);
            }).status();
      };
      assertThat(ask.apply(request, "group-a")).isEqualTo("MISS");
      assertThat(ask.apply(request, "group-a")).isEqualTo("HIT");
      assertThat(ask.apply(ChatRequest.of("m", List.of(Message.user("What is forty-two?"))), "group-a"))
          .as("an equal request decoded anew has the same key").isEqualTo("HIT");
      assertThat(ask.apply(request, "group-b")).as("the group is part of the key").isEqualTo("MISS");
      assertThat(ask.apply(request, "group-b")).isEqualTo("HIT");
      assertThat(ask.apply(request, "group-a")).isEqualTo("HIT");
      assertThat(upstream).hasValue(2);
      ChatRequest rewritten = ChatRequest.of("m", List.of(Message.user("What is forty-three?")));
      // As after a shape step that rewrote the remembered request:
      String status = CacheSteps.ask(cache, rewritten, "group-a", Principal.MASTER, CacheDirectives.NONE, known,
          () -> Future.succeededFuture(ANSWER)).status();
      assertThat(status).as("the rewritten request has a key of its own").isEqualTo("MISS");
    } finally {
      TestGateway.await(vertx.close());
    }
  }

  /**
   * The entry a remembered request was last answered from is used only while the backend still holds those very
   * bytes: after a flush the request misses, and after a store replaced the entry it gets the new answer.
   */
  /** A remembered request must not keep alive an answer the backend let go: the memo's bound is not the cache's. */
  @Test
  void aRememberedAnswerIsHeldWeakly() throws InterruptedException {
    KnownRequest known = new KnownRequest();
    Buffer bytes = new CacheEntry(ANSWER, 1).encode();
    CacheEntry entry = CacheEntry.decode(bytes);
    known.entry(bytes, entry);
    assertThat(known.entry(bytes)).isSameAs(entry);
    java.lang.ref.WeakReference<CacheEntry> probe = new java.lang.ref.WeakReference<>(entry);
    entry = null;
    bytes = null;
    Await.until("the collector clears the entry", () -> {
      System.gc();
      return probe.get() == null;
    });
    assertThat(probe.get()).as("collected once only the note held it").isNull();
    java.lang.ref.Reference.reachabilityFence(known);
  }

  @Test
  void aRememberedEntryNeverOutlivesTheBackendsOwn() {
    Vertx vertx = Vertx.vertx();
    try {
      ChatCache cache = memoryCache(vertx);
      ChatRequest request = ChatRequest.of("m", List.of(Message.user("What is forty-two?")));
      KnownRequest known = new KnownRequest();
      ChatResponse newer = new ChatResponse("id-2", 8, "m", List.of(new Choice(0,
          Message.assistant("still forty-two"), "stop", null)), Usage.of(3, 3), null);
      List<String> statuses = new java.util.ArrayList<>();
      java.util.function.BiFunction<String, ChatResponse, ChatResponse> ask = (cacheControl, upstream) -> {
        CacheSteps.Asked got = CacheSteps.ask(cache, request, "g", Principal.MASTER,
            CacheDirectives.parse(cacheControl, null), known, () -> Future.succeededFuture(upstream));
        statuses.add(got.status());
        return got.response();
      };
      ask.apply(null, ANSWER);
      assertThat(ask.apply(null, newer)).isEqualTo(ANSWER);
      TestGateway.await(cache.flush(null));
      assertThat(ask.apply(null, newer)).as("flushed: the upstream answers").isEqualTo(newer);
      assertThat(ask.apply(null, ANSWER)).as("the entry stored after the flush").isEqualTo(newer);
      ask.apply("no-cache", ANSWER);  // skips the lookup and stores, replacing the entry
      assertThat(ask.apply(null, newer)).as("the replacing entry, not the remembered one").isEqualTo(ANSWER);
      assertThat(statuses).containsExactly("MISS", "HIT", "MISS", "HIT", "BYPASS", "HIT");
    } finally {
      TestGateway.await(vertx.close());
    }
  }

  @Test
  void aMissEmbedsItsTextOnceForTheLookupAndTheStore() {
    Vertx vertx = Vertx.vertx();
    try {
      AtomicInteger calls = new AtomicInteger();
      TextEmbedder counting = text -> {
        calls.incrementAndGet();
        return Future.succeededFuture(new float[] {1, 0, 0});
      };
      SemanticCache cache = new SemanticCache(vertx, counting, PrecisionGuard.tuned(), 10, Clock.SYSTEM);
      TestGateway.await(cache.store("team:a", "ctx", "first question", new CacheEntry(ANSWER, 1),
          java.time.Duration.ofHours(1)));
      assertThat(calls).hasValue(1);
      assertThat(TestGateway.await(cache.lookUp("team:a", "ctx", "second question", 0.5, null))).isNull();
      TestGateway.await(cache.store("team:a", "ctx", "second question", new CacheEntry(ANSWER, 1),
          java.time.Duration.ofHours(1)));
      assertThat(calls).hasValue(2);
    } finally {
      TestGateway.await(vertx.close());
    }
  }
}

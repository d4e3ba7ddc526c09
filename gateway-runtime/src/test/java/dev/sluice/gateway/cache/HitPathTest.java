package dev.sluice.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.model.Choice;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.Usage;
import dev.sluice.api.wire.OpenAiResponses;
import dev.sluice.gateway.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What makes a hit cheap: decoded entries kept by the stored bytes' identity, and one embedding per miss. */
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

  @Test
  void aMissEmbedsItsTextOnceForTheLookupAndTheStore() {
    Vertx vertx = Vertx.vertx();
    try {
      AtomicInteger calls = new AtomicInteger();
      TextEmbedder counting = text -> {
        calls.incrementAndGet();
        return Future.succeededFuture(new float[] {1, 0, 0});
      };
      SemanticCache cache = new SemanticCache(vertx, counting, PrecisionGuard.tuned(), 10);
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

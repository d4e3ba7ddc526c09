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
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The semantic layer with the real local model: context must match, the guard rejects swapped terms. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SemanticCacheTest {
  private Vertx vertx;
  private LocalEmbedder embedder;

  @BeforeAll
  void start() {
    vertx = Vertx.vertx();
    embedder = LocalEmbedder.quantizedMiniLm(vertx);
  }

  @AfterAll
  void stop() {
    TestGateway.await(vertx.close());
  }

  private ChatCache cache(boolean guard) {
    CacheConfig d = CacheConfig.DISABLED;
    CacheConfig config = new CacheConfig(d.exact(), new CacheConfig.Semantic(true, 0.85, Duration.ofHours(1),
        "local", guard, 1000, "team"));
    return new ChatCache(vertx, config, null,
        new SemanticCache(vertx, embedder, guard ? PrecisionGuard.tuned() : null, 1000, Clock.SYSTEM), Clock.SYSTEM);
  }

  private String ask(ChatCache cache, String system, String question, Double threshold) {
    List<Message> messages = new ArrayList<>();
    if (system != null) messages.add(Message.system(system));
    messages.add(Message.user(question));
    return CacheSteps.ask(cache, ChatRequest.of("m", messages), "m", Principal.MASTER,
        new CacheDirectives(false, false, null, threshold), null, () -> Future.succeededFuture(
        new ChatResponse("id", 1, "m", List.of(new Choice(0, Message.assistant("answer to " + question), "stop",
            null)), Usage.of(3, 3), null))).status();
  }

  /**
   * Stores are asynchronous (embedding on a worker, and the first one loads the model): wait until the entry is
   * searchable, for up to 30 s on a loaded machine.
   */
  private void settle(ChatCache cache) {
    Await.until("the semantic entry is stored", Duration.ofSeconds(30),
        () -> TestGateway.await(cache.stats()).getJsonObject("semantic").getInteger("entries") > 0);
  }

  @Test
  void aRephrasedQuestionInTheSameContextIsASemanticHit() throws InterruptedException {
    ChatCache cache = cache(true);
    assertThat(ask(cache, "Be brief.", "How do I convert Celsius to Fahrenheit?", null)).isEqualTo("MISS");
    settle(cache);
    assertThat(ask(cache, "Be brief.", "how do I convert celsius to fahrenheit", null)).isEqualTo("SEMANTIC_HIT");
  }

  @Test
  void aDifferentSystemPromptIsAMiss() throws InterruptedException {
    ChatCache cache = cache(true);
    ask(cache, "Be brief.", "How do I convert Celsius to Fahrenheit?", null);
    settle(cache);
    assertThat(ask(cache, "Answer in French.", "How do I convert Celsius to Fahrenheit?", null)).isEqualTo("MISS");
    assertThat(ask(cache, null, "How do I convert Celsius to Fahrenheit?", null)).isEqualTo("MISS");
  }

  @Test
  void theGuardRejectsSwappedKeyTermsThatTheThresholdAccepts() throws InterruptedException {
    ChatCache unguarded = cache(false);
    ask(unguarded, null, "Convert Celsius to Fahrenheit", null);
    settle(unguarded);
    assertThat(ask(unguarded, null, "Convert Fahrenheit to Celsius", null)).isEqualTo("SEMANTIC_HIT");
    ChatCache guarded = cache(true);
    ask(guarded, null, "Convert Celsius to Fahrenheit", null);
    settle(guarded);
    assertThat(ask(guarded, null, "Convert Fahrenheit to Celsius", null)).isEqualTo("MISS");
  }

  @Test
  void theRequestThresholdOverridesTheConfiguredOne() throws InterruptedException {
    ChatCache cache = cache(false);
    ask(cache, null, "What is the capital of France?", null);
    settle(cache);
    assertThat(ask(cache, null, "What's the capital city of France?", 1.0)).isEqualTo("MISS");
    assertThat(ask(cache, null, "What's the capital city of France?", 0.5)).isEqualTo("SEMANTIC_HIT");
  }
}

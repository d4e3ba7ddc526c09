package dev.sluice.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.gateway.TestGateway;
import dev.sluice.gateway.pricing.TokenCounter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The semantic cache embeds at most its cap of tokens: a short text whole, a long one as its head and tail. */
class CappedEmbedderTest {
  static Vertx vertx;
  final List<String> embedded = new CopyOnWriteArrayList<>();
  final TextEmbedder recording = text -> {
    embedded.add(text);
    return Future.succeededFuture(new float[] {1, 0});
  };

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    TestGateway.await(vertx.close());
  }

  private static String words(int n, long seed) {
    Random r = new Random(seed);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) b.append(' ').append(Integer.toString(r.nextInt(1 << 20), 36));
    return b.toString();
  }

  @Test
  void aShortTextIsEmbeddedWhole() {
    String text = "How do canal locks raise a boat?";
    TestGateway.await(new CappedEmbedder(vertx, recording, 64).embed(text));
    assertThat(embedded).containsExactly(text);
  }

  @Test
  void aLongTextIsEmbeddedAsItsHeadAndTailWithinTheCap() {
    String text = "Here is our travel policy:" + words(20_000, 1) + " So, may I fly business class to Tokyo?";
    TestGateway.await(new CappedEmbedder(vertx, recording, 64).embed(text));
    String sent = embedded.get(0);
    assertThat(TokenCounter.count(sent)).isLessThanOrEqualTo(64);
    assertThat(sent).startsWith("Here is our travel policy:").endsWith("So, may I fly business class to Tokyo?");
  }

  @Test
  void theCapIsAValidatedConfigKey() {
    String base = """
        providers: [{id: up, type: demo}]
        models: [{name: m, deployments: [{provider: up}]}]
        cache: {semantic: {enabled: true, max_embed_tokens: %s}}
        """;
    assertThat(TestGateway.config(base.formatted("64")).cache().semantic().maxEmbedTokens()).isEqualTo(64);
    assertThat(TestGateway.config(base.formatted("null")).cache().semantic().maxEmbedTokens()).isEqualTo(512);
    for (String bad : new String[] {"4", "100000", "many"}) {
      assertThatThrownBy(() -> TestGateway.config(base.formatted(bad))).hasMessageContaining(
          "cache.semantic.max_embed_tokens").hasMessageContaining(bad);
    }
  }

  @Test
  void tenMegabytesAreCutBeforeTheTokenizerReadsThem() {
    String text = "x".repeat(10 * 1024 * 1024);
    TestGateway.await(new CappedEmbedder(vertx, recording, 512).embed(text));
    assertThat(TokenCounter.count(embedded.get(0))).isLessThanOrEqualTo(512);
    assertThat(embedded.get(0).length()).isLessThanOrEqualTo(2 * 512 * CappedEmbedder.CHARS_PER_TOKEN + 1);
  }
}

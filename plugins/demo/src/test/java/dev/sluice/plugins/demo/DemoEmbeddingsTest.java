package dev.sluice.plugins.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.api.GatewayError;
import dev.sluice.api.model.EmbeddingRequest;
import dev.sluice.api.model.EmbeddingResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class DemoEmbeddingsTest {
  static final String CAT = "The cat sat on the warm windowsill in the sun.";
  static final String CATS = "Cats like to sit on a warm windowsill in the sun.";
  static final String TAXES = "Quarterly tax filings are due before the end of the fiscal period.";

  @Test
  void similarTextsAreCloserThanUnrelatedOnes(Vertx vertx, VertxTestContext ctx) {
    EmbeddingRequest request = new EmbeddingRequest("demo-embed", List.of(CAT, CATS, TAXES, CAT), null, null, null);
    Demo.provider(vertx).embed(request, Demo.call()).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      List<float[]> v = r.vectors();
      assertThat(v).hasSize(4);
      assertThat(v.get(0)).hasSize(DemoSettings.DEFAULT_EMBEDDING_DIMENSIONS);
      assertThat(cosine(v.get(0), v.get(0))).isCloseTo(1.0, within(1e-5));
      assertThat(v.get(3)).isEqualTo(v.get(0));
      double similar = cosine(v.get(0), v.get(1));
      double unrelated = cosine(v.get(0), v.get(2));
      assertThat(similar).isGreaterThan(0.4).isGreaterThan(unrelated + 0.3);
      int tokens = Tokens.count(CAT) * 2 + Tokens.count(CATS) + Tokens.count(TAXES);
      assertThat(r.usage().promptTokens()).isEqualTo(tokens);
      assertThat(r.usage().totalTokens()).isEqualTo(tokens);
      assertThat(r.model()).isEqualTo("demo-embed");
      ctx.completeNow();
    })));
  }

  @Test
  void dimensionsFollowTheRequestThenTheSetting(Vertx vertx, VertxTestContext ctx) {
    DemoProvider provider = Demo.provider(vertx, new JsonObject().put("embedding_dimensions", 64));
    Future.all(provider.embed(new EmbeddingRequest("e", List.of(CAT), null, null, null), Demo.call()),
            provider.embed(new EmbeddingRequest("e", List.of(CAT), 16, null, null), Demo.call()),
            provider.embed(new EmbeddingRequest("e", List.of(CAT), 0, null, null), Demo.call())
                .map(r -> (Object) r).recover(Future::succeededFuture),
            provider.embed(new EmbeddingRequest("e", List.of(CAT, ""), null, null, null), Demo.call())
                .map(r -> (Object) r).recover(Future::succeededFuture))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertThat(((EmbeddingResponse) all.resultAt(0)).vectors().get(0)).hasSize(64);
          assertThat(((EmbeddingResponse) all.resultAt(1)).vectors().get(0)).hasSize(16);
          assertThat(((GatewayError) all.resultAt(2)).param()).isEqualTo("dimensions");
          assertThat(((GatewayError) all.resultAt(3)).param()).isEqualTo("input[1]");
          ctx.completeNow();
        })));
  }

  @Test
  void seedChangesTheVectors() {
    assertThat(Embeddings.vector(CAT, 32, 1)).isNotEqualTo(Embeddings.vector(CAT, 32, 2));
    assertThat(Embeddings.vector(CAT, 32, 1)).isEqualTo(Embeddings.vector(CAT, 32, 1));
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }
}

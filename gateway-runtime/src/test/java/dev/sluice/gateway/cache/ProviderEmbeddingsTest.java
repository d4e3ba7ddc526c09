package dev.sluice.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.TestGateway;
import dev.sluice.tck.Await;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** {@code cache.semantic.embeddings: <model>}: the vectors come from a served model, through the router. */
class ProviderEmbeddingsTest {
  private static final String ASK = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\","
      + "\"content\":\"How do canal locks raise a boat?\"}]}";

  @Test
  void aSemanticHitWithVectorsFromAServedEmbeddingsModel() throws InterruptedException {
    try (TestGateway gateway = TestGateway.start("""
        providers: [{id: sim, type: demo, latency: 0ms}]
        models:
          - {name: m, deployments: [{provider: sim}]}
          - {name: emb, deployments: [{provider: sim, model: demo-embed}]}
        cache:
          exact: {enabled: false}
          semantic: {enabled: true, embeddings: emb, threshold: 0.9}
        """)) {
      HttpResponse<String> first = gateway.post("/v1/chat/completions", ASK);
      assertThat(first.headers().firstValue("x-sluice-cache")).as(first.body()).hasValue("MISS");
      Await.until("the semantic entry is stored", () -> entries(gateway) > 0);
      assertThat(entries(gateway)).isEqualTo(1);
      HttpResponse<String> second = gateway.post("/v1/chat/completions", ASK);
      assertThat(second.headers().firstValue("x-sluice-cache")).as(second.body()).hasValue("SEMANTIC_HIT");
      assertThat(new JsonObject(second.body()).getJsonArray("choices").getJsonObject(0).getJsonObject("message")
          .getString("content")).isEqualTo(new JsonObject(first.body()).getJsonArray("choices").getJsonObject(0)
          .getJsonObject("message").getString("content"));
    }
  }

  private static int entries(TestGateway gateway) {
    HttpResponse<String> stats = gateway.get("/admin/cache");
    assertThat(stats.statusCode()).as(stats.body()).isEqualTo(200);
    return new JsonObject(stats.body()).getJsonObject("semantic").getInteger("entries");
  }
}

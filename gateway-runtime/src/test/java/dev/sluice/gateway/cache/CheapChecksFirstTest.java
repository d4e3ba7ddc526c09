package dev.sluice.gateway.cache;

import dev.sluice.tck.Await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.TestGateway;
import dev.sluice.gateway.TestUpstream;
import dev.sluice.gateway.pricing.TokenCounter;
import dev.sluice.testkit.RecordedRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Cheap checks run before dear ones: a turn no deployment can take is refused before the semantic cache embeds
 * it (the embedder's calls are counted at the upstream), and what is embedded is capped at
 * {@code cache.semantic.max_embed_tokens}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CheapChecksFirstTest {
  private TestUpstream upstream;
  private TestGateway gateway;

  @BeforeAll
  void start() throws InterruptedException {
    upstream = TestUpstream.start();
    gateway = TestGateway.start("""
        providers: [{id: up, type: openai, base_url: "%s", api_key: x}]
        models:
          - {name: m, capabilities: {context_window: 2000}, deployments: [{provider: up, model: chat-model}]}
          - {name: emb, deployments: [{provider: up, model: embed-model}]}
        cache:
          exact: {enabled: false}
          semantic: {enabled: true, embeddings: emb, threshold: 0.99, max_embed_tokens: 32}
        """.formatted(upstream.fake().baseUrl()));
    // One stored entry, so later turns in the same context are looked up (embedded) semantically.
    assertThat(ask("How do canal locks raise a boat?").statusCode()).isEqualTo(200);
    Await.until("the first entry stored", () -> entries() > 0);
    assertThat(entries()).isEqualTo(1);
  }

  @AfterAll
  void stop() {
    gateway.close();
    upstream.close();
  }

  private HttpResponse<String> ask(String turn) {
    return gateway.post("/v1/chat/completions", new JsonObject().put("model", "m").put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", turn))).encode());
  }

  private int entries() {
    return new JsonObject(gateway.get("/admin/cache").body()).getJsonObject("semantic").getInteger("entries");
  }

  private List<RecordedRequest> embeddings() {
    return upstream.fake().requests().stream().filter(r -> r.path().endsWith("/embeddings")).toList();
  }

  @Test
  void aTurnNoDeploymentCanTakeIsRefusedWithoutEmbeddingIt() {
    int before = embeddings().size();
    int chats = upstream.fake().requestCount() - before;
    HttpResponse<String> r = ask("lock ".repeat(12_000)); // about 15,000 tokens against a window of 2,000
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(new JsonObject(r.body()).getJsonObject("error").getString("code")).isEqualTo("context_length_exceeded");
    assertThat(embeddings()).hasSize(before);
    assertThat(upstream.fake().requestCount() - embeddings().size()).isEqualTo(chats);
  }

  @Test
  void aLongTurnThatFitsIsEmbeddedAsItsCappedHeadAndTail() {
    int before = embeddings().size();
    String turn = "Our canal handbook says:" + " the gates open slowly and water flows in".repeat(100)
        + " So how high can one lock raise a boat?";
    assertThat(ask(turn).statusCode()).isEqualTo(200);
    RecordedRequest lookup = embeddings().get(before);
    Object input = lookup.body().getValue("input");
    String embedded = input instanceof JsonArray a ? a.getString(0) : (String) input;
    assertThat(TokenCounter.count(embedded)).isLessThanOrEqualTo(32);
    assertThat(embedded).startsWith("Our canal handbook says:").endsWith("So how high can one lock raise a boat?");
  }
}

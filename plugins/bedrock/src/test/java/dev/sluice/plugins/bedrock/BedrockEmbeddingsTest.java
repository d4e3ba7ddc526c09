package dev.sluice.plugins.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.Embedder;
import dev.sluice.api.GatewayError;
import dev.sluice.api.model.EmbeddingRequest;
import dev.sluice.api.model.EmbeddingResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BedrockEmbeddingsTest extends BedrockTestSupport {

  private Embedder embedder() {
    return (Embedder) provider;
  }

  @Test
  void titanEmbedsOneInputPerCallInOrder() {
    // The fake answers each text with a vector derived from it, so order is checkable whatever finishes first.
    fake.model(r -> new JsonObject()
        .put("embedding", new JsonArray().add(r.body().getString("inputText").length()).add(0.5))
        .put("inputTextTokenCount", r.body().getString("inputText").length()));
    EmbeddingRequest request = new EmbeddingRequest("amazon.titan-embed-text-v2:0", List.of("a", "bbb", "cc"), 256,
        null, null);
    EmbeddingResponse response = await(embedder().embed(request, call()));

    assertThat(fake.requests()).hasSize(3).allSatisfy(r -> {
      assertThat(r.path()).isEqualTo("/model/amazon.titan-embed-text-v2%3A0/invoke");
      assertThat(r.signatureProblem()).isNull();
      assertThat(r.body().getInteger("dimensions")).isEqualTo(256);
    });
    assertThat(response.vectors()).extracting(v -> v[0]).containsExactly(1f, 3f, 2f);
    assertThat(response.vectors().get(0)).containsExactly(1f, 0.5f);
    assertThat(response.usage().promptTokens()).isEqualTo(6);
    assertThat(response.model()).isEqualTo("amazon.titan-embed-text-v2:0");
  }

  @Test
  void cohereEmbedsInOneCall() {
    fake.reply(new FakeBedrock.Json(200, null, new JsonObject().put("embeddings", new JsonArray()
        .add(new JsonArray().add(0.1).add(0.2)).add(new JsonArray().add(0.3).add(0.4))),
        Map.of("X-Amzn-Bedrock-Input-Token-Count", "7")));
    EmbeddingResponse response = await(embedder().embed(new EmbeddingRequest("cohere.embed-english-v3",
        List.of("first", "second"), null, null, null), call()));

    assertThat(fake.last().path()).isEqualTo("/model/cohere.embed-english-v3/invoke");
    assertThat(fake.last().body()).isEqualTo(new JsonObject().put("texts", new JsonArray().add("first").add("second"))
        .put("input_type", "search_document"));
    assertThat(response.vectors()).hasSize(2);
    assertThat(response.vectors().get(1)).containsExactly(0.3f, 0.4f);
    assertThat(response.usage().promptTokens()).isEqualTo(7);
  }

  @Test
  void otherModelsAreRefused() {
    GatewayError e = failure(embedder().embed(new EmbeddingRequest("meta.llama3-8b-instruct-v1:0", List.of("x"),
        null, null, null), call()));
    assertThat(e.param()).isEqualTo("model");
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  void embeddingErrorsMapLikeChatErrors() {
    fake.replyError(429, "ThrottlingException", "slow down");
    GatewayError e = failure(embedder().embed(new EmbeddingRequest("amazon.titan-embed-text-v2:0", List.of("x"),
        null, null, null), call()));
    assertThat(e.kind()).isEqualTo(GatewayError.Kind.RATE_LIMITED);
  }
}

package dev.sluice.plugins.gemini;

import static dev.sluice.plugins.gemini.Harness.await;
import static dev.sluice.plugins.gemini.Harness.call;
import static dev.sluice.plugins.gemini.Harness.collect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.Embedder;
import dev.sluice.api.Provider;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.model.EmbeddingRequest;
import dev.sluice.api.model.EmbeddingResponse;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.Usage;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class VertexAndEmbeddingsTest {
  private static final ChatRequest ASK = ChatRequest.of("gemini-2.5-pro", List.of(Message.user("Hi")));
  private FakeGemini fake;
  private Provider gemini;
  private Provider vertex;

  @BeforeEach
  void start(Vertx vertx) {
    fake = await(FakeGemini.start(vertx));
    gemini = Harness.gemini(vertx, fake);
    vertex = Harness.vertex(vertx, fake);
  }

  @AfterEach
  void stop() {
    await(gemini.close());
    await(vertex.close());
    await(fake.close());
  }

  @Test
  void vertexCallsThePublisherModelPathWithABearerToken() {
    ChatResponse response = await(vertex.chat(ASK, call()));

    assertThat(response.choices().get(0).message().text()).isEqualTo("Hello from Gemini!");
    FakeGemini.Recorded sent = fake.last();
    assertThat(sent.path()).isEqualTo(
        "/v1/projects/my-proj/locations/europe-west4/publishers/google/models/gemini-2.5-pro:generateContent");
    assertThat(sent.headers().get("authorization")).isEqualTo("Bearer ya29.token");
    assertThat(sent.headers().get("x-goog-api-key")).isNull();
  }

  @Test
  void vertexStreamsFromStreamGenerateContent() {
    List<?> chunks = await(collect(vertex, ASK.withStream(true, true), call()));

    assertThat(chunks).isNotEmpty();
    assertThat(fake.last().path()).endsWith("/publishers/google/models/gemini-2.5-pro:streamGenerateContent");
    assertThat(fake.last().query()).isEqualTo("alt=sse");
  }

  @Test
  void vertexDefaultsToTheRegionalHost() {
    assertThat(VertexProviderFactory.defaultBaseUrl("us-central1"))
        .isEqualTo("https://us-central1-aiplatform.googleapis.com/v1");
    assertThat(VertexProviderFactory.defaultBaseUrl("global")).isEqualTo("https://aiplatform.googleapis.com/v1");
  }

  @Test
  void googleAiEmbedsThroughBatchEmbedContentsInOrder() {
    EmbeddingRequest request = new EmbeddingRequest("gemini-embedding-001", List.of("one", "three"), 256, null, null);

    EmbeddingResponse response = await(((Embedder) gemini).embed(request, call()));

    assertThat(response.vectors()).hasSize(2);
    assertThat(response.vectors().get(0)).containsExactly(3f, 0.5f, -0.25f);
    assertThat(response.vectors().get(1)).containsExactly(5f, 0.5f, -0.25f);
    assertThat(response.usage()).isNull();
    FakeGemini.Recorded sent = fake.last();
    assertThat(sent.path()).isEqualTo("/v1beta/models/gemini-embedding-001:batchEmbedContents");
    assertThat(sent.body().getJsonArray("requests").getJsonObject(1)).isEqualTo(new JsonObject()
        .put("model", "models/gemini-embedding-001")
        .put("content", new JsonObject().put("parts", new JsonArray().add(new JsonObject().put("text", "three"))))
        .put("outputDimensionality", 256));
  }

  @Test
  void vertexEmbedsThroughPredictWithTokenCounts() {
    EmbeddingRequest request = new EmbeddingRequest("text-embedding-005", List.of("a b c", "d"), null, null, null);

    EmbeddingResponse response = await(((Embedder) vertex).embed(request, call()));

    assertThat(response.vectors()).extracting(v -> v[0]).containsExactly(5f, 1f);
    assertThat(response.usage()).isEqualTo(new Usage(4, 0, 4, 0, 0, 0));
    FakeGemini.Recorded sent = fake.last();
    assertThat(sent.path()).isEqualTo(
        "/v1/projects/my-proj/locations/europe-west4/publishers/google/models/text-embedding-005:predict");
    assertThat(sent.body()).isEqualTo(new JsonObject().put("instances", new JsonArray()
        .add(new JsonObject().put("content", "a b c")).add(new JsonObject().put("content", "d"))));
  }
}

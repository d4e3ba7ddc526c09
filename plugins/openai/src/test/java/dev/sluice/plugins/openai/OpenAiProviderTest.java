package dev.sluice.plugins.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.CallContext;
import dev.sluice.api.Embedder;
import dev.sluice.api.GatewayError;
import dev.sluice.api.GatewayError.Kind;
import dev.sluice.api.Provider;
import dev.sluice.api.ProviderSettings;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.EmbeddingRequest;
import dev.sluice.api.model.Message;
import dev.sluice.tck.StreamCapture;
import dev.sluice.testkit.FakeFault;
import dev.sluice.testkit.FakeOpenAiUpstream;
import dev.sluice.testkit.RecordedRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the contract kit does not cover: the exact request sent, Azure's URL shape, embeddings, each status. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class OpenAiProviderTest {
  private Vertx vertx;
  private FakeOpenAiUpstream fake;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    this.vertx = vertx;
    FakeOpenAiUpstream.start(vertx).onComplete(ctx.succeeding(f -> {
      fake = f;
      ctx.completeNow();
    }));
  }

  private Provider openai(JsonObject values) {
    return new OpenAiProviderFactory().create(new ProviderSettings("providers[0]", "local", "openai",
        values.copy().put("base_url", fake.baseUrl())), () -> vertx);
  }

  private Provider azure(JsonObject values) {
    return new AzureProviderFactory().create(new ProviderSettings("providers[1]", "azure-east", "azure",
        values.copy().put("base_url", fake.rootUrl())), () -> vertx);
  }

  private static ChatRequest ask(String text) {
    return ChatRequest.of("gpt-4o", List.of(Message.user(text)));
  }

  private static CallContext call() {
    return CallContext.create("t-" + System.nanoTime());
  }

  @Test
  void sendsHeadersSettingsAndUnknownFieldsAsGiven(VertxTestContext ctx) {
    Provider p = openai(new JsonObject().put("api_key", "sk-1").put("organization", "org-1").put("project", "proj-1")
        .put("headers", new JsonObject().put("X-Team", "search")));
    JsonObject extra = new JsonObject().put("logit_bias", new JsonObject().put("50256", -100))
        .put("service_tier", "flex");
    ChatRequest request = ChatRequest.builder().model("gpt-4o").messages(List.of(Message.user("hi"))).stream(true)
        .includeUsage(true).maxTokens(50).temperature(0.2).seed(7L).user("end-user").extra(extra).build();
    p.chat(request, call()).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertThat(r.choices().get(0).message().text()).isEqualTo("Echo: hi");
      RecordedRequest sent = fake.lastRequest();
      assertThat(sent.path()).isEqualTo("/v1/chat/completions");
      assertThat(sent.header("authorization")).isEqualTo("Bearer sk-1");
      assertThat(sent.header("openai-organization")).isEqualTo("org-1");
      assertThat(sent.header("openai-project")).isEqualTo("proj-1");
      assertThat(sent.header("x-team")).isEqualTo("search");
      assertThat(sent.header("content-type")).isEqualTo("application/json");
      JsonObject body = sent.body();
      assertThat(body.getJsonObject("logit_bias")).isEqualTo(extra.getJsonObject("logit_bias"));
      assertThat(body.getString("service_tier")).isEqualTo("flex");
      assertThat(body.getInteger("max_tokens")).isEqualTo(50);
      assertThat(body.containsKey("max_completion_tokens")).isFalse();
      assertThat(body.containsKey("stream")).as("chat() never asks for a stream").isFalse();
      assertThat(body.getLong("seed")).isEqualTo(7L);
      assertThat(body.getString("user")).isEqualTo("end-user");
      ctx.completeNow();
    })));
  }

  @Test
  void azureUsesTheDeploymentUrlApiKeyAndApiVersion(VertxTestContext ctx) {
    Provider p = azure(new JsonObject().put("api_key", "az-key").put("api_version", "2025-04-01-preview"));
    p.chat(ask("hello azure").withModel("prod 4o").withMaxTokens(20), call()).compose(r -> {
      ctx.verify(() -> {
        RecordedRequest sent = fake.lastRequest();
        assertThat(sent.path()).isEqualTo("/openai/deployments/prod%204o/chat/completions");
        assertThat(sent.queryParam("api-version")).isEqualTo("2025-04-01-preview");
        assertThat(sent.header("api-key")).isEqualTo("az-key");
        assertThat(sent.header("authorization")).isNull();
        assertThat(sent.body().getInteger("max_completion_tokens")).isEqualTo(20);
        assertThat(r.model()).isEqualTo("prod 4o");
      });
      return ((Embedder) p).embed(new EmbeddingRequest("embed-dep", List.of("a"), null, null, null), call());
    }).onComplete(ctx.succeeding(e -> ctx.verify(() -> {
      assertThat(fake.lastRequest().path()).isEqualTo("/openai/deployments/embed-dep/embeddings");
      assertThat(fake.lastRequest().queryParam("api-version")).isEqualTo("2025-04-01-preview");
      assertThat(e.vectors()).hasSize(1);
      ctx.completeNow();
    })));
  }

  @Test
  void embedsDeterministically(VertxTestContext ctx) {
    Embedder p = (Embedder) openai(new JsonObject());
    EmbeddingRequest request = new EmbeddingRequest("text-embedding-3-small", List.of("alpha", "beta", "alpha"), 8,
        null, null);
    p.embed(request, call()).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertThat(r.vectors()).hasSize(3);
      assertThat(r.vectors().get(0)).hasSize(8).isEqualTo(r.vectors().get(2));
      assertThat(r.vectors().get(0)).isNotEqualTo(r.vectors().get(1));
      assertThat(r.usage().promptTokens()).isPositive();
      assertThat(fake.lastRequest().body().getString("encoding_format")).isEqualTo("float");
      assertThat(fake.lastRequest().path()).isEqualTo("/v1/embeddings");
      ctx.completeNow();
    })));
  }

  @Test
  void eachErrorStatusBecomesItsKind(VertxTestContext ctx) {
    Provider p = openai(new JsonObject());
    Future<Void> all = expect(p, FakeFault.status(400), e -> {
      assertThat(e.kind()).isEqualTo(Kind.BAD_REQUEST);
      assertThat(e.status()).isEqualTo(400);
    }).compose(v -> expect(p, FakeFault.status(401), e -> assertThat(e.kind()).isEqualTo(Kind.UPSTREAM_REJECTED)))
        .compose(v -> expect(p, FakeFault.status(404), e -> assertThat(e.kind()).isEqualTo(Kind.UPSTREAM_REJECTED)))
        .compose(v -> expect(p, FakeFault.contextWindow().withStatus(413),
            e -> assertThat(e.kind()).isEqualTo(Kind.CONTEXT_WINDOW)))
        .compose(v -> expect(p, FakeFault.status(429).withRetryAfterMs("1500"), e -> {
          assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
          assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(1500));
        }))
        .compose(v -> expect(p, FakeFault.status(429).withError("insufficient_quota", "insufficient_quota",
            "You exceeded your current quota"), e -> assertThat(e.kind()).isEqualTo(Kind.UPSTREAM_REJECTED)))
        .compose(v -> expect(p, FakeFault.status(500), e -> {
          assertThat(e.kind()).isEqualTo(Kind.UPSTREAM_5XX);
          assertThat(e.upstreamStatus()).isEqualTo(500);
          assertThat(e.getMessage()).contains("provider 'local'").contains("500");
        }))
        .compose(v -> expect(p, FakeFault.status(503), e -> assertThat(e.kind()).isEqualTo(Kind.UPSTREAM_5XX)));
    all.onComplete(ctx.succeedingThenComplete());
  }

  private Future<Void> expect(Provider p, FakeFault fault, Consumer<GatewayError> check) {
    fake.enqueue(fault);
    return p.chat(ask("x"), call()).transform(ar -> {
      if (ar.succeeded()) return Future.failedFuture(new AssertionError(fault + " should fail the call"));
      try {
        assertThat(ar.cause()).isInstanceOf(GatewayError.class);
        check.accept((GatewayError) ar.cause());
        return Future.succeededFuture();
      } catch (AssertionError e) {
        return Future.failedFuture(e);
      }
    });
  }

  @Test
  void anUnreachableUpstreamIsUnavailable(VertxTestContext ctx) {
    Provider p = openai(new JsonObject());
    fake.close().compose(v -> p.chat(ask("anyone?"), call())).onComplete(ctx.failing(e -> ctx.verify(() -> {
      assertThat(e).isInstanceOf(GatewayError.class);
      assertThat(((GatewayError) e).kind()).isEqualTo(Kind.UNAVAILABLE);
      assertThat(e.getMessage()).contains("could not be reached").contains(String.valueOf(fake.port()));
      ctx.completeNow();
    })));
  }

  @Test
  void cancellingAStartedStreamStopsTheUpstreamQuietly(VertxTestContext ctx) {
    fake.chunkGap(50);
    Provider p = openai(new JsonObject());
    CallContext call = call();
    List<String> terminal = new ArrayList<>();
    p.stream(ask("a long answer, please").withStream(true, false), call).onComplete(ctx.succeeding(stream -> {
      stream.exceptionHandler(t -> terminal.add("exception " + t));
      stream.endHandler(v -> terminal.add("end"));
      stream.handler(chunk -> call.cancel(GatewayError.cancelled("client left")));
    }));
    fake.awaitDisconnects(1).compose(v -> later(200)).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      assertThat(terminal).as("handlers after cancel").isEmpty();
      assertThat(fake.disconnects()).isEqualTo(1);
      ctx.completeNow();
    })));
  }

  @Test
  void holdsHundredsOfConcurrentStreamsOverHttp1AndOneOverHttp2(VertxTestContext ctx) {
    fake.chunkGap(20);
    Provider http1 = openai(new JsonObject());
    List<Future<StreamCapture>> all = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      all.add(http1.stream(ask("stream " + i).withStream(true, true), call()).compose(StreamCapture::collect));
    }
    Provider http2 = openai(new JsonObject().put("http2", true));
    all.add(http2.stream(ask("over h2c").withStream(true, true), call()).compose(StreamCapture::collect));
    Future.all(all).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      for (int i = 0; i < all.size(); i++) {
        StreamCapture s = all.get(i).result();
        assertThat(s.failure()).isNull();
        assertThat(s.text()).isEqualTo(i < 250 ? "Echo: stream " + i : "Echo: over h2c");
        assertThat(s.usage()).isNotNull();
      }
      ctx.completeNow();
    })));
  }

  private Future<Void> later(long ms) {
    Promise<Void> p = Promise.promise();
    vertx.setTimer(ms, id -> p.complete());
    return p.future();
  }
}

package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class FakeOpenAiUpstreamTest {
  private FakeOpenAiUpstream fake;
  private HttpClient client;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    client = vertx.createHttpClient();
    FakeOpenAiUpstream.start(vertx).onComplete(ctx.succeeding(f -> {
      fake = f;
      ctx.completeNow();
    }));
  }

  private Future<HttpClientResponse> post(String path, JsonObject body, String... headers) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
        .setPort(fake.port()).setURI(path);
    for (int i = 0; i < headers.length; i += 2) options.addHeader(headers[i], headers[i + 1]);
    return client.request(options).compose(r -> r.send(body.toBuffer()));
  }

  private static JsonObject chat(String text) {
    return new JsonObject().put("model", "gpt-4o").put("messages",
        new JsonArray().add(new JsonObject().put("role", "user").put("content", text)));
  }

  @Test
  void answersChatWithEchoAndUsage(VertxTestContext ctx) {
    fake.usageDetails(2, 3);
    post("/v1/chat/completions", chat("hello")).compose(r -> r.body().map(b -> {
      assertThat(r.statusCode()).isEqualTo(200);
      return b.toJsonObject();
    })).onComplete(ctx.succeeding(o -> ctx.verify(() -> {
      assertThat(o.getString("object")).isEqualTo("chat.completion");
      JsonObject choice = o.getJsonArray("choices").getJsonObject(0);
      assertThat(choice.getJsonObject("message").getString("content")).isEqualTo("Echo: hello");
      assertThat(choice.getString("finish_reason")).isEqualTo("stop");
      JsonObject usage = o.getJsonObject("usage");
      assertThat(usage.getJsonObject("prompt_tokens_details").getInteger("cached_tokens")).isEqualTo(2);
      assertThat(usage.getJsonObject("completion_tokens_details").getInteger("reasoning_tokens")).isEqualTo(3);
      assertThat(usage.getInteger("total_tokens"))
          .isEqualTo(usage.getInteger("prompt_tokens") + usage.getInteger("completion_tokens"));
      assertThat(fake.lastRequest().body().getString("model")).isEqualTo("gpt-4o");
      ctx.completeNow();
    })));
  }

  @Test
  void streamsDeltasUsageAndDone(VertxTestContext ctx) {
    JsonObject body = chat("streaming please").put("stream", true)
        .put("stream_options", new JsonObject().put("include_usage", true));
    post("/v1/chat/completions", body).compose(HttpClientResponse::body).onComplete(ctx.succeeding(b -> ctx.verify(() -> {
      List<String> data = new ArrayList<>();
      for (String event : b.toString().split("\n\n")) {
        assertThat(event).startsWith("data: ");
        data.add(event.substring(6));
      }
      assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
      JsonObject first = new JsonObject(data.get(0));
      assertThat(first.getJsonArray("choices").getJsonObject(0).getJsonObject("delta").getString("role"))
          .isEqualTo("assistant");
      StringBuilder text = new StringBuilder();
      for (String d : data.subList(0, data.size() - 2)) {
        JsonObject delta = new JsonObject(d).getJsonArray("choices").getJsonObject(0).getJsonObject("delta");
        if (delta.getString("content") != null) text.append(delta.getString("content"));
      }
      assertThat(text.toString()).isEqualTo("Echo: streaming please");
      assertThat(data.size()).isGreaterThan(5);
      JsonObject usage = new JsonObject(data.get(data.size() - 2));
      assertThat(usage.getJsonArray("choices")).isEmpty();
      assertThat(usage.getJsonObject("usage").getInteger("prompt_tokens")).isPositive();
      ctx.completeNow();
    })));
  }

  @Test
  void callsTheNamedToolWithRequiredArguments(VertxTestContext ctx) {
    JsonObject params = new JsonObject().put("type", "object")
        .put("properties", new JsonObject().put("city", new JsonObject().put("type", "string"))
            .put("unit", new JsonObject().put("enum", new JsonArray().add("celsius").add("fahrenheit"))))
        .put("required", new JsonArray().add("city").add("unit"));
    JsonObject body = chat("weather?").put("tools", new JsonArray()
        .add(new JsonObject().put("type", "function").put("function", new JsonObject().put("name", "other")))
        .add(new JsonObject().put("type", "function").put("function", new JsonObject().put("name", "get_weather")
            .put("parameters", params))))
        .put("tool_choice", new JsonObject().put("type", "function")
            .put("function", new JsonObject().put("name", "get_weather")));
    post("/v1/chat/completions", body).compose(r -> r.body()).onComplete(ctx.succeeding(b -> ctx.verify(() -> {
      JsonObject choice = b.toJsonObject().getJsonArray("choices").getJsonObject(0);
      assertThat(choice.getString("finish_reason")).isEqualTo("tool_calls");
      JsonObject call = choice.getJsonObject("message").getJsonArray("tool_calls").getJsonObject(0);
      assertThat(call.getString("type")).isEqualTo("function");
      assertThat(call.getJsonObject("function").getString("name")).isEqualTo("get_weather");
      assertThat(new JsonObject(call.getJsonObject("function").getString("arguments")))
          .isEqualTo(new JsonObject().put("city", "test").put("unit", "celsius"));
      ctx.completeNow();
    })));
  }

  @Test
  void servesAzurePathsAndHeaderFaults(VertxTestContext ctx) {
    post("/openai/deployments/prod-4o/chat/completions?api-version=2024-10-21", chat("hi"), "api-key", "k")
        .compose(r -> r.body().map(b -> b.toJsonObject().getString("model")))
        .compose(model -> {
          ctx.verify(() -> {
            assertThat(model).isEqualTo("prod-4o");
            assertThat(fake.lastRequest().header("api-key")).isEqualTo("k");
            assertThat(fake.lastRequest().queryParam("api-version")).isEqualTo("2024-10-21");
          });
          return post("/v1/chat/completions", chat("x"), "x-fake-fault", "status=429;retry_after=7");
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertThat(r.statusCode()).isEqualTo(429);
          assertThat(r.getHeader("retry-after")).isEqualTo("7");
          ctx.completeNow();
        })));
  }

  @Test
  void countsClientsThatGiveUp(Vertx vertx, VertxTestContext ctx) {
    fake.hangNext();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
        .setPort(fake.port()).setURI("/v1/chat/completions");
    client.request(options).onComplete(ctx.succeeding(req -> {
      req.send(chat("wait").toBuffer());
      fake.awaitRequests(1).onComplete(ctx.succeeding(v -> {
        req.reset();
        fake.awaitDisconnects(1).onComplete(ctx.succeeding(d -> ctx.verify(() -> {
          assertThat(fake.disconnects()).isEqualTo(1);
          ctx.completeNow();
        })));
      }));
    }));
  }

  @Test
  void cutsTheConnectionMidStream(VertxTestContext ctx) {
    fake.enqueue(FakeFault.resetAfter(2));
    post("/v1/chat/completions", chat("cut me").put("stream", true)).onComplete(ctx.succeeding(r -> {
      Buffer got = Buffer.buffer();
      r.handler(got::appendBuffer);
      r.exceptionHandler(e -> ctx.verify(() -> {
        assertThat(got.toString().split("\n\n")).hasSize(2);
        assertThat(fake.disconnects()).isZero();
        ctx.completeNow();
      }));
      r.endHandler(v -> ctx.failNow("the stream should break, not end"));
    }));
  }
}

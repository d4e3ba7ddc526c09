package dev.sluice.gateway.http;

import dev.sluice.gateway.http.body.JsonBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.TestGateway;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Large bodies decode on a worker, small ones on the event loop; every body is held to a nesting depth. */
class DecodingTest {

  @Test
  void aLargeBodyDecodesOnAWorkerAndASmallOneOnTheEventLoop() {
    Vertx vertx = Vertx.vertx();
    try {
      Context loop = vertx.getOrCreateContext();
      for (int size : new int[] {100, Decoding.INLINE_BYTES + 1}) {
        Promise<String[]> seen = Promise.promise();
        loop.runOnContext(v -> Decoding.decode(Buffer.buffer(new byte[size]), () -> Thread.currentThread().getName())
            .onComplete(ar -> seen.complete(new String[] {ar.result(), Thread.currentThread().getName()})));
        String[] threads = TestGateway.await(seen.future());
        assertThat(threads[0]).as("decoded on").contains(size > Decoding.INLINE_BYTES ? "worker" : "eventloop");
        assertThat(threads[1]).as("answered on").contains("eventloop");
      }
    } finally {
      TestGateway.await(vertx.close());
    }
  }

  @Test
  void aBodyOf100000ContentPartsIsAnsweredAndBodiesNestedTooDeepAre400() {
    try (TestGateway gateway = TestGateway.start("max_body_size: 16MB, ", """
        providers: [{id: sim, type: demo, latency: 0ms, first_token: 0ms}]
        models: [{name: d, deployments: [{provider: sim}]}]
        """)) {
      StringBuilder parts = new StringBuilder();
      for (int i = 0; i < 100_000; i++) parts.append(i == 0 ? "" : ",").append("{\"type\":\"text\",\"text\":\"p\"}");
      HttpResponse<String> big = gateway.post("/v1/chat/completions",
          "{\"model\":\"d\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":[" + parts + "]}]}");
      assertThat(big.statusCode()).as(big.body()).isLessThan(500);
      String deep = "[".repeat(JsonBody.MAX_DEPTH + 1) + "]".repeat(JsonBody.MAX_DEPTH + 1);
      for (String path : new String[] {"/v1/chat/completions", "/v1/embeddings"}) {
        HttpResponse<String> r = gateway.post(path, "{\"model\":\"d\",\"input\":" + deep + ",\"messages\":" + deep + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(new JsonObject(r.body()).getJsonObject("error").getString("message")).contains("deeper than 128");
      }
      HttpResponse<String> anthropic = gateway.post("/v1/messages", "{\"model\":\"d\",\"messages\":" + deep + "}");
      assertThat(anthropic.statusCode()).isEqualTo(400);
      assertThat(new JsonObject(anthropic.body()).getString("type")).isEqualTo("error");
    }
  }
}

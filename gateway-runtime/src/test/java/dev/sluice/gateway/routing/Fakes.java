package dev.sluice.gateway.routing;

import dev.sluice.gateway.TestGateway;
import dev.sluice.testkit.FakeOpenAiUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** A few fake upstreams on one Vert.x instance, for routing tests. */
final class Fakes implements AutoCloseable {
  final Vertx vertx = Vertx.vertx();
  final List<FakeOpenAiUpstream> all = new ArrayList<>();

  FakeOpenAiUpstream start() {
    FakeOpenAiUpstream f = TestGateway.await(FakeOpenAiUpstream.start(vertx));
    all.add(f);
    return f;
  }

  static String provider(String id, FakeOpenAiUpstream f) {
    return "  - {id: " + id + ", type: openai, base_url: \"" + f.baseUrl() + "\", api_key: sk-x}\n";
  }

  static String chat(String model, boolean stream) {
    return chat(model, stream, "hi");
  }

  static String chat(String model, boolean stream, String text) {
    return new JsonObject().put("model", model).put("stream", stream)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", text))).encode();
  }

  @Override
  public void close() {
    for (FakeOpenAiUpstream f : all) TestGateway.await(f.close());
    TestGateway.await(vertx.close());
  }
}

package dev.sluice.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.TestGateway;
import dev.sluice.testkit.FakeOpenAiUpstream;
import dev.sluice.testkit.FakeUpstreamOptions;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code x-sluice-overhead-ms} is Sluice's own time: the upstream's wait is not in it, for JSON answers and for
 * streams (until their first content), however the route step hands its result back.
 */
class OverheadHeaderTest {
  private static final long UPSTREAM_MS = 600;
  static Vertx vertx;
  static FakeOpenAiUpstream slow;
  static FakeOpenAiUpstream slowFirstChunk;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    slow = TestGateway.await(FakeOpenAiUpstream.start(vertx, new FakeUpstreamOptions().latencyMs(UPSTREAM_MS)));
    slowFirstChunk = TestGateway.await(FakeOpenAiUpstream.start(vertx,
        new FakeUpstreamOptions().firstChunkDelayMs(UPSTREAM_MS)));
  }

  @AfterAll
  static void stop() {
    TestGateway.await(vertx.close());
  }

  private static double header(HttpResponse<String> r, String name) {
    String v = r.headers().firstValue(name).orElseThrow();
    return Double.parseDouble(v.startsWith("sluice;dur=") ? v.substring(11) : v);
  }

  private static void assertUpstreamIsNotOverhead(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    double total = header(r, "server-timing");
    double overhead = header(r, "x-sluice-overhead-ms");
    assertThat(total).as("the answer waited for the upstream").isGreaterThanOrEqualTo(UPSTREAM_MS * 0.9);
    assertThat(overhead).as("overhead %s of %s ms", overhead, total).isLessThanOrEqualTo(total - UPSTREAM_MS * 0.9);
  }

  @Test
  void theUpstreamsWaitIsNotOverhead() {
    String yaml = """
        providers:
          - {id: slow, type: openai, base_url: "%s", api_key: sk-x}
          - {id: late, type: openai, base_url: "%s", api_key: sk-x}
        models:
          - {name: m, deployments: [{provider: slow, model: m-1}]}
          - {name: s, deployments: [{provider: late, model: s-1}]}
        """.formatted(slow.baseUrl(), slowFirstChunk.baseUrl());
    try (TestGateway g = TestGateway.start(yaml)) {
      assertUpstreamIsNotOverhead(g.post("/v1/chat/completions",
          "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
      assertUpstreamIsNotOverhead(g.post("/v1/chat/completions",
          "{\"model\":\"s\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    }
  }
}

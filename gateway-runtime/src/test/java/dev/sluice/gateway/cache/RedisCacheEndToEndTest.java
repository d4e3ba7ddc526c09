package dev.sluice.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.gateway.TestGateway;
import dev.sluice.gateway.TestUpstream;
import dev.sluice.testkit.FakeOpenAiUpstream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The exact cache on the Redis plugin, loaded from target/plugins like any plugin: two gateways sharing one
 * Redis answer each other's requests. Needs the Redis on 127.0.0.1:6379 (the plugin's own contract test
 * starts an embedded one when there is none).
 */
class RedisCacheEndToEndTest {

  private static boolean redisListening() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", 6379), 300);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void twoGatewaysShareEntriesThroughRedis() {
    assumeTrue(redisListening(), "no Redis on 127.0.0.1:6379");
    TestUpstream upstreamServer = TestUpstream.start();
    FakeOpenAiUpstream upstream = upstreamServer.fake();
    String yaml = """
        storage: {redis: "redis://127.0.0.1:6379/0"}
        providers:
          - {id: fake, type: openai, base_url: "%s", api_key: sk-upstream-key}
        models:
          - {name: m, deployments: [{provider: fake, model: gpt-upstream}]}
        cache:
          exact: {enabled: true, backend: redis, ttl: 5m}
        """.formatted(upstream.baseUrl());
    try (TestGateway a = TestGateway.start(yaml); TestGateway b = TestGateway.start(yaml)) {
      String q = ExactCacheTest.fresh();
      HttpResponse<String> first = a.post(ExactCacheTest.CHAT, ExactCacheTest.body(q, false));
      assertThat(ExactCacheTest.cache(first)).as(first.body()).isEqualTo("MISS");
      HttpResponse<String> second = b.post(ExactCacheTest.CHAT, ExactCacheTest.body(q, true));
      assertThat(ExactCacheTest.cache(second)).isEqualTo("HIT");
      assertThat(ExactCacheTest.streamText(second)).isEqualTo(ExactCacheTest.text(first));
      assertThat(upstream.requestCount()).isEqualTo(1);
      HttpResponse<String> flushed = TestGateway.send(HttpRequest.newBuilder(URI.create(a.url()
          + "/admin/cache?scope=key:master")).header("authorization", "Bearer " + TestGateway.MASTER_KEY)
          .DELETE().build());
      assertThat(flushed.statusCode()).as(flushed.body()).isEqualTo(200);
      assertThat(ExactCacheTest.cache(b.post(ExactCacheTest.CHAT, ExactCacheTest.body(q, false)))).isEqualTo("MISS");
    } finally {
      upstreamServer.close();
    }
  }
}

package dev.sluice.gateway.routing;

import static dev.sluice.gateway.routing.Fakes.chat;
import static dev.sluice.gateway.routing.Fakes.provider;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.TestGateway;
import dev.sluice.testkit.FakeOpenAiUpstream;
import java.net.http.HttpResponse;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A request's routing decisions are made once: the plan step matches the rules, and admission (the budget's
 * price), shaping (its levers), the cache (its group), accounting (the baselines) and routing all read that plan.
 * Counted on the rules themselves, through the real gateway, for every kind of request.
 */
class RulesMatchedOnceTest {
  private static final String CHAT = "/v1/chat/completions";

  private static String config(FakeOpenAiUpstream cheap, FakeOpenAiUpstream dear) {
    return "providers:\n" + provider("cheap", cheap) + provider("dear", dear) + """
        models:
          - {name: small, tier: economy, price: {input: 0.15, output: 0.60},
             deployments: [{provider: cheap, model: small-model}]}
          - {name: big, tier: premium, price: {input: 2.50, output: 10.00},
             deployments: [{provider: dear, model: big-model}]}
          - {name: emb, deployments: [{provider: cheap, model: emb-model}]}
        routing:
          rules:
            - {when: {team: nobody}, route: big}
            - {when: {tokens: {gt: 100000}}, route: big}
            - {when: {model: auto}, strategy: cheapest-capable, candidates: [small, big]}
            - {when: {metadata: {feature: compress}}, compression: {}}
        cache: {exact: {enabled: true, backend: memory}}
        """;
  }

  /** The rule matches {@code request} made, and its status. */
  private static long matchesOf(TestGateway g, Supplier<HttpResponse<String>> request) {
    Router router = g.gateway().router();
    long before = router.ruleMatches();
    HttpResponse<String> r = request.get();
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return router.ruleMatches() - before;
  }

  @Test
  void everyKindOfRequestMatchesTheRulesExactlyOnce() {
    try (Fakes fakes = new Fakes()) {
      FakeOpenAiUpstream cheap = fakes.start();
      FakeOpenAiUpstream dear = fakes.start();
      try (TestGateway g = TestGateway.start(config(cheap, dear))) {
        assertThat(matchesOf(g, () -> g.post(CHAT, chat("small", false, "a JSON chat")))).as("chat").isEqualTo(1);
        assertThat(matchesOf(g, () -> g.post(CHAT, chat("small", false, "a JSON chat")))).as("a cache hit")
            .isEqualTo(1);
        assertThat(matchesOf(g, () -> g.post(CHAT, chat("small", true, "a stream")))).as("stream").isEqualTo(1);
        assertThat(matchesOf(g, () -> g.post(CHAT, chat("auto", false, "What is the capital of France?"))))
            .as("cheapest-capable auto").isEqualTo(1);
        assertThat(matchesOf(g, () -> g.post(CHAT, chat("auto", true, "And of Italy?"))))
            .as("cheapest-capable auto, streamed").isEqualTo(1);
        assertThat(matchesOf(g, () -> g.post("/v1/embeddings",
            "{\"model\":\"emb\",\"input\":[\"embed me\"]}"))).as("embeddings").isEqualTo(1);
        assertThat(matchesOf(g, () -> TestGateway.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(g.url() + CHAT)).header("authorization", "Bearer " + TestGateway.MASTER_KEY)
            .header("content-type", "application/json").header("x-sluice-metadata", "{\"feature\":\"compress\"}")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(chat("small", false, "{ \"shaped\" :  1 }")))
            .build()))).as("a shaped chat").isEqualTo(1);
      }
    }
  }

  @Test
  void aMalformedMetadataHeaderIsStillA400() {
    try (Fakes fakes = new Fakes()) {
      FakeOpenAiUpstream cheap = fakes.start();
      FakeOpenAiUpstream dear = fakes.start();
      try (TestGateway g = TestGateway.start(config(cheap, dear))) {
        HttpResponse<String> r = TestGateway.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(g.url() + CHAT)).header("authorization", "Bearer " + TestGateway.MASTER_KEY)
            .header("content-type", "application/json").header("x-sluice-metadata", "not json")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(chat("small", false))).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("x-sluice-metadata");
        assertThat(cheap.requestCount() + dear.requestCount()).isZero();
      }
    }
  }
}

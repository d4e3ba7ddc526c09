package dev.sluice.gateway.routing;

import static dev.sluice.gateway.routing.Fakes.chat;
import static dev.sluice.gateway.routing.Fakes.provider;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.TestGateway;
import dev.sluice.gateway.time.ManualClock;
import dev.sluice.tck.Await;
import dev.sluice.testkit.FakeFault;
import dev.sluice.testkit.FakeOpenAiUpstream;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Strategies, retries, breakers and fallbacks against real loopback fakes. */
class RoutingTest {
  private static final String CHAT = "/v1/chat/completions";

  @Test
  void weightedSplitFollowsTheWeights() throws Exception {
    try (Fakes fakes = new Fakes()) {
      FakeOpenAiUpstream a = fakes.start();
      FakeOpenAiUpstream b = fakes.start();
      try (TestGateway g = TestGateway.start("providers:\n" + provider("a", a) + provider("b", b) + """
          models:
            - {name: m, deployments: [{provider: a, model: x, weight: 3}, {provider: b, model: x, weight: 1}]}
          """)) {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<CompletableFuture<Integer>> all = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
          all.add(CompletableFuture.supplyAsync(() -> g.post(CHAT, chat("m", false)).statusCode(), pool));
        }
        for (CompletableFuture<Integer> f : all) assertThat(f.get()).isEqualTo(200);
        pool.shutdown();
        assertThat(a.requestCount() + b.requestCount()).isEqualTo(400);
        assertThat(a.requestCount()).isBetween(255, 345); // 300 expected; about 5 standard deviations
      }
    }
  }

  @Test
  void leastLatencyPrefersTheFastDeployment() {
    try (Fakes fakes = new Fakes()) {
      FakeOpenAiUpstream fast = fakes.start();
      FakeOpenAiUpstream slow = fakes.start().latency(120);
      try (TestGateway g = TestGateway.start("providers:\n" + provider("fast", fast) + provider("slow", slow) + """
          models:
            - {name: m, deployments: [{provider: fast, model: x}, {provider: slow, model: x}]}
          routing: {strategy: least-latency}
          """)) {
        // Learn both (a cold first connection may look slow; averages fade until measured again).
        for (int i = 0; i < 30; i++) assertThat(g.post(CHAT, chat("m", false)).statusCode()).isEqualTo(200);
        fast.reset();
        slow.reset().latency(120);
        for (int i = 0; i < 40; i++) assertThat(g.post(CHAT, chat("m", false)).statusCode()).isEqualTo(200);
        assertThat(fast.requestCount()).isGreaterThanOrEqualTo(34);
        assertThat(slow.requestCount()).isLessThanOrEqualTo(6);
      }
    }
  }

  @Test
  void retryAfterIsHonouredAndAttemptsAreReported() {
    try (Fakes fakes = new Fakes()) {
      FakeOpenAiUpstream a = fakes.start();
      try (TestGateway g = TestGateway.start("providers:\n" + provider("a", a) + """
          models:
            - {name: m, deployments: [{provider: a, model: x}]}
          routing: {retries: {attempts: 3, backoff: 10ms}}
          """)) {
        a.enqueue(FakeFault.rateLimited(Duration.ofMillis(700)));
        long start = System.nanoTime();
        HttpResponse<String> r = g.post(CHAT, chat("m", false));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-sluice-attempts")).hasValue("2");
        assertThat(ms).isBetween(650L, 5000L);
        assertThat(a.requestCount()).isEqualTo(2);
        // A 5xx is retried after a short backoff; a 400 is never retried.
        a.failNext(2, 503);
        assertThat(g.post(CHAT, chat("m", false)).headers().firstValue("x-sluice-attempts")).hasValue("3");
        a.enqueue(FakeFault.status(400));
        HttpResponse<String> bad = g.post(CHAT, chat("m", false));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.headers().firstValue("x-sluice-attempts")).hasValue("1");
      }
    }
  }

  @Test
  void noRetryStartsOnceTheClockIsPastTheTotalTimeout() {
    ManualClock clock = new ManualClock();
    try (Fakes fakes = new Fakes()) {
      FakeOpenAiUpstream a = fakes.start();
      try (TestGateway g = TestGateway.start("providers:\n" + provider("a", a) + """
          models:
            - {name: m, deployments: [{provider: a, model: x}]}
          routing: {retries: {attempts: 3, backoff: 10ms}, timeouts: {total: 60s}}
          """, clock)) {
        a.enqueue(FakeFault.status(503).withLatency(500));
        CompletableFuture<HttpResponse<String>> answer = CompletableFuture.supplyAsync(() -> g.post(CHAT,
            chat("m", false)));
        Await.result(a.awaitRequests(1)); // the attempt is under way: its deadline was set on the clock
        clock.advance(Duration.ofSeconds(61));
        HttpResponse<String> r = answer.join();
        assertThat(r.statusCode()).as(r.body()).isNotEqualTo(200);
        assertThat(r.headers().firstValue("x-sluice-attempts")).as("past routing.timeouts.total: no retry")
            .hasValue("1");
        assertThat(a.requestCount()).isEqualTo(1);
        // The same failure within the deadline is retried.
        a.enqueue(FakeFault.status(503));
        HttpResponse<String> retried = g.post(CHAT, chat("m", false));
        assertThat(retried.statusCode()).isEqualTo(200);
        assertThat(retried.headers().firstValue("x-sluice-attempts")).hasValue("2");
      }
    }
  }

  @Test
  void breakerOpensAfterFailuresAndRecoversThroughAHalfOpenProbe() {
    ManualClock clock = new ManualClock();
    try (Fakes fakes = new Fakes()) {
      FakeOpenAiUpstream bad = fakes.start();
      FakeOpenAiUpstream good = fakes.start();
      try (TestGateway g = TestGateway.start("providers:\n" + provider("bad", bad) + provider("good", good) + """
          models:
            - {name: m, deployments: [{provider: bad, model: x, weight: 100}, {provider: good, model: x, weight: 1}]}
          routing:
            retries: {attempts: 2, backoff: 5ms}
            breaker: {failure_ratio: 0.5, min_requests: 4, window: 10s, open_for: 600ms}
          """, clock)) {
        bad.failNext(1000, 500);
        for (int i = 0; i < 12; i++) assertThat(g.post(CHAT, chat("m", false)).statusCode()).isEqualTo(200);
        int badSeen = bad.requestCount();
        assertThat(badSeen).isBetween(4, 6);
        JsonObject state = deployment(g, "bad");
        assertThat(state.getString("breaker")).isEqualTo("OPEN");
        assertThat(state.getLong("breaker_opens")).isEqualTo(1);
        for (int i = 0; i < 5; i++) g.post(CHAT, chat("m", false));
        assertThat(bad.requestCount()).isEqualTo(badSeen); // open: no traffic
        bad.reset(); // healthy again
        clock.advance(Duration.ofMillis(599));
        assertThat(deployment(g, "bad").getString("breaker")).as("1 ms before open_for ends").isEqualTo("OPEN");
        assertThat(g.post(CHAT, chat("m", false)).statusCode()).isEqualTo(200);
        assertThat(bad.requestCount()).as("still open: no traffic").isZero();
        clock.advance(Duration.ofMillis(1));
        assertThat(deployment(g, "bad").getString("breaker")).isEqualTo("HALF_OPEN");
        for (int i = 0; i < 10; i++) assertThat(g.post(CHAT, chat("m", false)).statusCode()).isEqualTo(200);
        assertThat(deployment(g, "bad").getString("breaker")).isEqualTo("CLOSED");
        assertThat(bad.requestCount()).isGreaterThanOrEqualTo(5);
      }
    }
  }

  static JsonObject deployment(TestGateway g, String provider) {
    HttpResponse<String> r = g.get("/admin/models");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    for (Object m : new JsonObject(r.body()).getJsonArray("models")) {
      for (Object d : ((JsonObject) m).getJsonArray("deployments")) {
        if (((JsonObject) d).getString("provider").equals(provider)) return (JsonObject) d;
      }
    }
    throw new AssertionError("no deployment of " + provider + " in " + r.body());
  }

  @Test
  void contextWindowFailuresFallBackToTheLargerContextGroup() {
    try (Fakes fakes = new Fakes()) {
      FakeOpenAiUpstream small = fakes.start();
      FakeOpenAiUpstream large = fakes.start();
      try (TestGateway g = TestGateway.start("providers:\n" + provider("small", small) + provider("large", large) + """
          models:
            - {name: m, capabilities: {context_window: 2000}, deployments: [{provider: small, model: x}]}
            - {name: big, aliases: [m-long], capabilities: {context_window: 200000}, deployments: [{provider: large, model: y}]}
          routing:
            fallbacks:
              - {from: "*", on: [context_window_exceeded], to: [big]}
          """)) {
        // The upstream says the prompt is too long.
        small.enqueue(FakeFault.contextWindow());
        HttpResponse<String> r = g.post(CHAT, chat("m", false));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-sluice-provider")).hasValue("large");
        assertThat(r.headers().firstValue("x-sluice-model")).hasValue("y");
        assertThat(r.headers().firstValue("x-sluice-attempts")).hasValue("2");
        // The capability filter knows before asking: the small deployment is never called.
        small.reset();
        HttpResponse<String> longPrompt = g.post(CHAT, chat("m", false, "word ".repeat(3000)));
        assertThat(longPrompt.statusCode()).isEqualTo(200);
        assertThat(longPrompt.headers().firstValue("x-sluice-provider")).hasValue("large");
        assertThat(small.requestCount()).isZero();
        // An alias reaches its group.
        assertThat(g.post(CHAT, chat("m-long", false)).headers().firstValue("x-sluice-provider")).hasValue("large");
      }
    }
  }

  @Test
  void rulesRouteByTokensHeadersAndMetadata() {
    try (Fakes fakes = new Fakes()) {
      FakeOpenAiUpstream a = fakes.start();
      FakeOpenAiUpstream b = fakes.start();
      try (TestGateway g = TestGateway.start("providers:\n" + provider("a", a) + provider("b", b) + """
          models:
            - {name: m, deployments: [{provider: a, model: x}]}
            - {name: long-context, deployments: [{provider: b, model: y}]}
          routing:
            rules:
              - {when: {tokens: {gt: 500}}, route: long-context}
              - {when: {metadata: {feature: search}, model: m}, route: long-context}
              - {when: {headers: {x-tier: {in: [gold, platinum]}}}, route: long-context}
          """)) {
        assertThat(answeredBy(g.post(CHAT, chat("m", false)))).isEqualTo("a");
        assertThat(answeredBy(g.post(CHAT, chat("m", false, "word ".repeat(1000))))).isEqualTo("b");
        assertThat(answeredBy(TestGateway.send(withHeader("x-sluice-metadata", "{\"feature\":\"search\"}", g)))).isEqualTo("b");
        assertThat(answeredBy(TestGateway.send(withHeader("x-tier", "gold", g)))).isEqualTo("b");
        assertThat(answeredBy(TestGateway.send(withHeader("x-tier", "bronze", g)))).isEqualTo("a");
      }
    }
  }

  private static java.net.http.HttpRequest withHeader(String name, String value, TestGateway g) {
    return java.net.http.HttpRequest.newBuilder(java.net.URI.create(g.url() + CHAT))
        .header("authorization", "Bearer " + TestGateway.MASTER_KEY).header("content-type", "application/json")
        .header(name, value).POST(java.net.http.HttpRequest.BodyPublishers.ofString(chat("m", false))).build();
  }

  private static String answeredBy(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.headers().firstValue("x-sluice-provider").orElseThrow();
  }
}

package dev.sluice.gateway.governance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.TestGateway;
import dev.sluice.gateway.time.ManualClock;
import dev.sluice.testkit.FakeOpenAiUpstream;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Governance tells time by the gateway's clock: a rate-limit window, a budget period and a key's expiry end
 * when the clock says so. The test moves the clock; nothing waits.
 */
class GovernanceClockTest {
  private static final String CHAT = "{\"model\":\"%s\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  @TempDir
  static Path data;
  static FakeOpenAiUpstream upstream;
  static io.vertx.core.Vertx upstreamVertx;
  static TestGateway gateway;
  static final ManualClock clock = new ManualClock();

  @BeforeAll
  static void start() {
    String db = TestPostgres.freshDatabase("govclock");
    upstreamVertx = io.vertx.core.Vertx.vertx();
    upstream = TestGateway.await(FakeOpenAiUpstream.start(upstreamVertx));
    gateway = TestGateway.start("""
        storage: {postgres: "%s", data_dir: "%s"}
        providers: [{id: up, type: openai, base_url: "%s", api_key: x}]
        models:
          - {name: m, price: {input: 1.0, output: 2.0}, deployments: [{provider: up, model: other-model}]}
        """.formatted(db, data, upstream.baseUrl()), clock);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) gateway.close();
    if (upstreamVertx != null) TestGateway.await(upstreamVertx.close());
  }

  static HttpResponse<String> chat(String key) {
    return TestGateway.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/chat/completions"))
        .header("authorization", "Bearer " + key).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(CHAT.formatted("m"))).build());
  }

  static String createKey(String json) {
    HttpResponse<String> r = gateway.post("/admin/keys", json);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return new JsonObject(r.body()).getString("key");
  }

  @Test
  void aRateLimitWindowEndsWhenTheClockPassesIt() {
    String key = createKey("{\"name\":\"rpm\",\"limits\":{\"rpm\":3}}");
    for (int i = 0; i < 3; i++) assertThat(chat(key).statusCode()).isEqualTo(200);
    HttpResponse<String> refused = chat(key);
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.body()).contains("rate_limit_exceeded");
    clock.advance(Duration.ofSeconds(30));
    assertThat(chat(key).statusCode()).as("30 s into the minute").isEqualTo(429);
    clock.advance(Duration.ofSeconds(31));
    assertThat(chat(key).statusCode()).as("a new minute").isEqualTo(200);
  }

  @Test
  void aDailyBudgetStartsAgainOnTheNextDay() {
    String key = createKey("{\"name\":\"daily\",\"budget\":{\"usd\":0.0002,\"period\":\"daily\"}}");
    HttpResponse<String> last = null;
    for (int i = 0; i < 40 && (last == null || last.statusCode() == 200); i++) last = chat(key);
    assertThat(last.statusCode()).as("the day's budget runs out").isEqualTo(429);
    assertThat(last.body()).contains("budget_exceeded");
    clock.advance(Duration.ofDays(1));
    HttpResponse<String> tomorrow = chat(key);
    assertThat(tomorrow.statusCode()).as(tomorrow.body()).isEqualTo(200);
  }

  @Test
  void aKeyExpiresWhenTheClockReachesItsExpiry() {
    Instant at = Instant.ofEpochMilli(clock.millis()).plus(Duration.ofHours(1));
    String key = createKey("{\"name\":\"soon\",\"expires_at\":\"" + at + "\"}");
    assertThat(chat(key).statusCode()).isEqualTo(200);
    clock.advance(Duration.ofHours(2));
    HttpResponse<String> late = chat(key);
    assertThat(late.statusCode()).isEqualTo(401);
    assertThat(late.body()).contains("expired at");
  }
}

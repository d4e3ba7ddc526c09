package dev.sluice.gateway.governance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.TestGateway;
import dev.sluice.gateway.TestUpstream;
import dev.sluice.tck.Await;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exact cache with real virtual keys: under the default scope a team's answer is never served to another
 * team, and a hit is billed as a hit (no cost, the replaced call's price recorded as saving).
 */
class CachedTenantsTest {
  private static final String RED_1 = "sk-red-team-key-000000001";
  private static final String RED_2 = "sk-red-team-key-000000002";
  private static final String BLUE = "sk-blue-team-key-00000001";
  @TempDir
  static Path data;
  static String db;
  static TestUpstream upstream;
  static TestGateway gateway;

  @BeforeAll
  static void start() {
    db = TestPostgres.freshDatabase("cachedtenants");
    upstream = TestUpstream.start();
    gateway = TestGateway.start("""
        storage: {postgres: "%s", data_dir: "%s", journal: {flush_interval: 100ms}}
        providers: [{id: up, type: openai, base_url: "%s", api_key: x}]
        models:
          - {name: m, price: {input: 2.0, output: 8.0}, deployments: [{provider: up, model: gpt-upstream}]}
        cache:
          exact: {enabled: true, backend: memory, ttl: 1h}
        keys:
          - {key: %s, name: red-1, team: red}
          - {key: %s, name: red-2, team: red}
          - {key: %s, name: blue, team: blue}
        """.formatted(db, data, upstream.fake().baseUrl(), RED_1, RED_2, BLUE));
  }

  @AfterAll
  static void stop() {
    if (gateway != null) gateway.close();
    if (upstream != null) upstream.close();
  }

  private static HttpResponse<String> ask(String key, String question, String requestId) {
    return TestGateway.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/chat/completions"))
        .header("authorization", "Bearer " + key).header("content-type", "application/json")
        .header("x-request-id", requestId)
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\""
            + question + "\"}]}")).build());
  }

  private static String cache(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.headers().firstValue("x-sluice-cache").orElse("none");
  }

  @Test
  void aTeamsAnswerIsSharedWithinTheTeamAndNeverWithAnother() {
    String q = "isolation " + UUID.randomUUID();
    int before = upstream.fake().requestCount();
    assertThat(cache(ask(RED_1, q, "iso-1-" + q.hashCode()))).isEqualTo("MISS");
    assertThat(cache(ask(RED_2, q, "iso-2-" + q.hashCode()))).isEqualTo("HIT");
    assertThat(cache(ask(BLUE, q, "iso-3-" + q.hashCode()))).isEqualTo("MISS");
    assertThat(upstream.fake().requestCount() - before).isEqualTo(2);
  }

  @Test
  void aHitCostsNothingAndRecordsWhatItSaved() {
    String q = "saving " + UUID.randomUUID();
    String paid = "paid-" + UUID.randomUUID();
    String free = "free-" + UUID.randomUUID();
    HttpResponse<String> miss = ask(RED_1, q, paid);
    assertThat(cache(miss)).isEqualTo("MISS");
    double cost = Double.parseDouble(miss.headers().firstValue("x-sluice-cost-usd").orElseThrow());
    assertThat(cost).isPositive();
    HttpResponse<String> hit = ask(RED_2, q, free);
    assertThat(cache(hit)).isEqualTo("HIT");
    assertThat(Double.parseDouble(hit.headers().firstValue("x-sluice-cost-usd").orElseThrow())).isZero();

    String hitRecord = "SELECT count(*) FROM spend WHERE request_id = '" + free + "' AND cost_usd = 0"
        + " AND cache = 'HIT' AND abs(saving_usd - " + cost + ") < 0.000001 AND NOT unpriced";
    String paidRecord = "SELECT count(*) FROM spend WHERE request_id = '" + paid + "' AND cost_usd > 0"
        + " AND saving_usd = 0 AND cache = 'MISS'";
    Await.until("both spend records are stored",
        () -> TestPostgres.count(db, hitRecord) >= 1 && TestPostgres.count(db, paidRecord) >= 1);
    assertThat(TestPostgres.count(db, hitRecord)).isEqualTo(1);
    assertThat(TestPostgres.count(db, paidRecord)).isEqualTo(1);
  }
}

package dev.sluice.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.TestGateway;
import dev.sluice.gateway.governance.TestPostgres;
import dev.sluice.tck.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /admin/savings} after mixed traffic through the real gateway (exact cache hits, a routing rule to a
 * cheaper model, compaction and compression, provider prompt caching on the demo provider), checked against the
 * spend records in PostgreSQL: every record and the report add up exactly.
 */
class SavingsReportTest {
  private static final String[] LEVERS = {"exact_cache", "semantic_cache", "routing", "compaction_compression",
      "provider_caching"};
  private static final String[] COLUMNS = {"saving_exact_cache_usd", "saving_semantic_cache_usd",
      "saving_routing_usd", "saving_shaping_usd", "saving_provider_cache_usd"};
  @TempDir
  static Path data;
  static String db;
  static TestGateway gateway;
  static String redKey;
  static int sent;

  @BeforeAll
  static void start() {
    db = TestPostgres.freshDatabase("savings");
    gateway = TestGateway.start("""
        storage: {postgres: "%s", data_dir: "%s", journal: {flush_interval: 100ms}}
        providers: [{id: demo, type: demo, latency: 0s, first_token: 0s, tokens_per_second: 0}]
        models:
          - {name: premium, tier: premium, price: {input: 3.0, output: 15.0, cached_input: 0.3, cache_write: 3.75},
             deployments: [{provider: demo, model: premium-sim}]}
          - {name: cheap, tier: economy, price: {input: 0.25, output: 1.25, cached_input: 0.025, cache_write: 0.3},
             deployments: [{provider: demo, model: cheap-sim}]}
        routing:
          rules:
            - {when: {metadata: {lever: route}}, route: cheap}
            - {when: {model: auto}, strategy: cheapest-capable, candidates: [cheap, premium], quality: 0}
            - when: {metadata: {lever: shape}}
              compression: {}
              compaction: {max_tokens: 3000, keep_recent_turns: 1, summarize_with: cheap}
              prompt_cache: {}
        cache: {exact: {enabled: true}}
        """.formatted(db, data));
    HttpResponse<String> key = TestGateway.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/admin/keys"))
        .header("authorization", "Bearer " + TestGateway.MASTER_KEY).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"red\",\"team\":\"red\"}")).build());
    assertThat(key.statusCode()).as(key.body()).isEqualTo(201);
    redKey = new JsonObject(key.body()).getString("key");
    traffic();
  }

  @AfterAll
  static void stop() {
    if (gateway != null) gateway.close();
  }

  static HttpResponse<String> chat(String key, String lever, JsonObject body) {
    HttpResponse<String> r = TestGateway.send(HttpRequest.newBuilder(URI.create(gateway.url()
            + "/v1/chat/completions")).header("authorization", "Bearer " + key)
        .header("content-type", "application/json")
        .header("x-sluice-metadata", new JsonObject().put("lever", lever).encode())
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    sent++;
    return r;
  }

  static JsonObject msg(String role, String content) {
    return new JsonObject().put("role", role).put("content", content);
  }

  static void traffic() {
    JsonObject repeated = new JsonObject().put("model", "premium").put("max_tokens", 60).put("messages",
        new JsonArray().add(msg("user", "What is a sluice gate used for?")));
    for (int i = 0; i < 3; i++) chat(TestGateway.MASTER_KEY, "none", repeated);
    for (int i = 0; i < 2; i++) {
      chat(redKey, "route", new JsonObject().put("model", "premium").put("max_tokens", 80).put("messages",
          new JsonArray().add(msg("user", "Name a river in Europe, variant " + i))));
    }
    chat(TestGateway.MASTER_KEY, "none", new JsonObject().put("model", "auto").put("max_tokens", 50).put("messages",
        new JsonArray().add(msg("user", "Which is bigger, 7 or 9?"))));
    String policy = "Support policy: be precise, cite order numbers, escalate refunds over 100 dollars. ".repeat(200);
    String history = " The customer described the parcel, the courier, the invoice and the delivery window at length."
        .repeat(10);
    JsonArray conversation = new JsonArray().add(msg("system", policy));
    for (int turn = 0; turn < 4; turn++) {
      conversation.add(msg("user", "Turn " + turn + ":" + history + "   \n\n\n\n  Any update?   "));
      HttpResponse<String> r = chat(TestGateway.MASTER_KEY, "shape", new JsonObject().put("model", "premium")
          .put("max_tokens", 120).put("messages", conversation));
      String answer = new JsonObject(r.body()).getJsonArray("choices").getJsonObject(0).getJsonObject("message")
          .getString("content");
      conversation.add(msg("assistant", answer));
    }
    Await.until("the journal flushed every record", () -> TestPostgres.count(db, "SELECT count(*) FROM spend") >= sent);
    assertThat(TestPostgres.count(db, "SELECT count(*) FROM spend")).isEqualTo(sent);
  }

  static JsonObject report(String key, String query) {
    HttpResponse<String> r = TestGateway.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/admin/savings"
        + query)).header("authorization", "Bearer " + key).GET().build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  static long nanos(double usd) {
    return Math.round(usd * 1e9);
  }

  @Test
  void everySpendRecordAddsUpExactly() {
    String levers = String.join(" + ", COLUMNS);
    assertThat(TestPostgres.count(db, "SELECT count(*) FROM spend WHERE baseline_usd IS NULL")).isZero();
    assertThat(TestPostgres.count(db, "SELECT count(*) FROM spend WHERE cost_usd + " + levers
        + " <> baseline_usd")).isZero();
  }

  @Test
  void modelAutoIsMeasuredAgainstTheDearestCandidate() {
    assertThat(TestPostgres.count(db, "SELECT count(*) FROM spend WHERE model = 'auto' AND routed_group = 'cheap'"))
        .isEqualTo(1);
    // baseline = the same usage at premium's prices ($3 / $15), actual at cheap's ($0.25 / $1.25)
    assertThat(TestPostgres.count(db, "SELECT count(*) FROM spend WHERE model = 'auto' AND baseline_usd = "
        + "(prompt_tokens * 3.0 + completion_tokens * 15.0) / 1e6 AND cost_usd = "
        + "(prompt_tokens * 0.25 + completion_tokens * 1.25) / 1e6 AND saving_routing_usd > 0")).isEqualTo(1);
  }

  @Test
  void theReportIsTheSumOfTheRecordsAndEveryLeverShowsUp() {
    JsonObject all = report(TestGateway.MASTER_KEY, "");
    assertThat(all.getLong("requests")).isEqualTo(sent);
    assertThat(all.getLong("unpriced_requests")).isZero();
    long baseline = nanos(all.getDouble("baseline_usd"));
    long actual = nanos(all.getDouble("actual_usd"));
    assertThat(baseline).isEqualTo(TestPostgres.count(db, "SELECT (sum(baseline_usd) * 1e9)::bigint FROM spend"));
    assertThat(actual).isEqualTo(TestPostgres.count(db, "SELECT (sum(cost_usd) * 1e9)::bigint FROM spend"));
    long levers = 0;
    for (int i = 0; i < LEVERS.length; i++) {
      long lever = nanos(all.getJsonObject("levers").getJsonObject(LEVERS[i]).getDouble("saved_usd"));
      assertThat(lever).as(LEVERS[i]).isEqualTo(TestPostgres.count(db, "SELECT (sum(" + COLUMNS[i]
          + ") * 1e9)::bigint FROM spend"));
      levers += lever;
    }
    assertThat(actual + levers).isEqualTo(baseline);
    assertThat(nanos(all.getDouble("saved_usd"))).isEqualTo(baseline - actual);
    JsonObject l = all.getJsonObject("levers");
    assertThat(l.getJsonObject("exact_cache").getDouble("saved_usd")).isPositive();
    assertThat(l.getJsonObject("routing").getDouble("saved_usd")).isPositive();
    assertThat(l.getJsonObject("compaction_compression").getDouble("saved_usd")).isPositive();
    assertThat(l.getJsonObject("provider_caching").getDouble("saved_usd")).isPositive();
    assertThat(l.getJsonObject("semantic_cache").getDouble("saved_usd")).isZero();
    assertThat(all.getLong("tokens_saved")).isPositive();
    assertThat(TestPostgres.count(db, "SELECT count(*) FROM spend WHERE cache = 'HIT'")).isEqualTo(2);
    // The summaries compaction asked the cheap model for are paid by the requests that needed them.
    assertThat(TestPostgres.count(db, "SELECT count(*) FROM spend WHERE saving_shaping_usd <> 0")).isPositive();
  }

  @Test
  void aTeamAndAPeriodNarrowTheReport() {
    JsonObject red = report(TestGateway.MASTER_KEY, "?team=red");
    assertThat(red.getLong("requests")).isEqualTo(2);
    assertThat(red.getJsonObject("levers").getJsonObject("routing").getDouble("saved_usd")).isPositive();
    assertThat(red.getJsonObject("levers").getJsonObject("exact_cache").getDouble("saved_usd")).isZero();
    JsonObject past = report(TestGateway.MASTER_KEY, "?since=2020-01-01&until=2020-01-31");
    assertThat(past.getLong("requests")).isZero();
    assertThat(past.getDouble("saved_fraction")).isZero();
    HttpResponse<String> bad = TestGateway.send(HttpRequest.newBuilder(URI.create(gateway.url()
        + "/admin/savings?since=yesterday")).header("authorization", "Bearer " + TestGateway.MASTER_KEY).GET().build());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(bad.body()).getJsonObject("error").getString("param")).isEqualTo("since");
    HttpResponse<String> denied = TestGateway.send(HttpRequest.newBuilder(URI.create(gateway.url()
        + "/admin/savings")).header("authorization", "Bearer " + redKey).GET().build());
    assertThat(denied.statusCode()).isEqualTo(403);
  }

  @Test
  void aTeamAdminSeesOnlyItsOwnTeam() {
    HttpResponse<String> created = TestGateway.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/admin/keys"))
        .header("authorization", "Bearer " + TestGateway.MASTER_KEY).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"red-admin\",\"team\":\"red\",\"role\":\"team_admin\"}"))
        .build());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String teamAdmin = new JsonObject(created.body()).getString("key");
    JsonObject own = report(teamAdmin, "");
    assertThat(own.getString("team")).isEqualTo("red");
    assertThat(own.getLong("requests")).isEqualTo(2);
    HttpResponse<String> other = TestGateway.send(HttpRequest.newBuilder(URI.create(gateway.url()
        + "/admin/savings?team=blue")).header("authorization", "Bearer " + teamAdmin).GET().build());
    assertThat(other.statusCode()).isEqualTo(403);
  }
}

package dev.sluice.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.TestGateway;
import dev.sluice.gateway.governance.TestPostgres;
import dev.sluice.tck.Await;
import dev.sluice.testkit.FakeOpenAiUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin endpoints the dashboard reads, against real PostgreSQL with real traffic through the gateway: the
 * request log (filters, keyset paging, bodies, team scope, retention), hourly spend by provider, cache hit rate
 * and savings, latency percentiles and error rates per deployment, and team budgets.
 */
class DashboardApiTest {
  private static final String CHAT = "{\"model\":\"%s\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\","
      + "\"content\":\"%s\"}]}";
  @TempDir
  static Path data;
  static String db;
  static Vertx upstreamVertx;
  static FakeOpenAiUpstream upstream;
  static TestGateway gateway;
  static String red;
  static String blue;
  static String blueAdmin;

  @BeforeAll
  static void start() {
    db = TestPostgres.freshDatabase("dash");
    upstreamVertx = Vertx.vertx();
    upstream = TestGateway.await(FakeOpenAiUpstream.start(upstreamVertx));
    gateway = TestGateway.start("""
        storage: {postgres: "%s", data_dir: "%s", journal: {flush_interval: 100ms}}
        providers:
          - {id: up, type: openai, base_url: "%s", api_key: x}
          - {id: dead, type: openai, base_url: "http://127.0.0.1:1/v1", api_key: x}
        models:
          - {name: priced, price: {input: 1.0, output: 2.0}, deployments: [{provider: up, model: priced-1}]}
          - {name: broken, price: {input: 1.0, output: 2.0}, deployments: [{provider: dead, model: gone-1}]}
        routing: {retries: {attempts: 1, backoff: 10ms}}
        cache: {exact: {enabled: true, backend: memory, ttl: 1h, scope: team}}
        observability: {request_log: {bodies: true, retention: 30d, max_body_size: 4KB}}
        """.formatted(db, data, upstream.baseUrl()));
    red = key("{\"name\":\"red-app\",\"team\":\"red\"}");
    blue = key("{\"name\":\"blue-app\",\"team\":\"blue\"}");
    blueAdmin = key("{\"name\":\"blue-admin\",\"team\":\"blue\",\"role\":\"team_admin\"}");
    for (int i = 0; i < 3; i++) assertThat(chat(red, "priced", "red question " + i).statusCode()).isEqualTo(200);
    assertThat(chat(red, "priced", "red question 0").headers().firstValue("x-sluice-cache")).contains("HIT");
    assertThat(chat(blue, "priced", "blue question").statusCode()).isEqualTo(200);
    assertThat(chat(blue, "broken", "blue broken").statusCode()).isGreaterThanOrEqualTo(500);
    // Refusals reach the request log (not spend): a budget too small for any request, a model the key may not use.
    String green = key("{\"name\":\"green-app\",\"team\":\"green\",\"models\":[\"priced\"],"
        + "\"budget\":{\"usd\":0.00001,\"period\":\"daily\"}}");
    assertThat(chat(green, "priced", "green question").statusCode()).isEqualTo(429);
    assertThat(chat(green, "broken", "green broken").statusCode()).isEqualTo(403);
    awaitStored(8, 6);
  }

  /** Waits (bounded) until the flusher has moved {@code n} records to PostgreSQL. */
  static void awaitStored(long logged, long spent) {
    Await.until(logged + " request_log rows are stored", () -> {
      TestGateway.await(gateway.gateway().governance().flusher().flush());
      return TestPostgres.count(db, "SELECT count(*) FROM request_log") >= logged;
    });
    assertThat(TestPostgres.count(db, "SELECT count(*) FROM request_log")).isEqualTo(logged);
    assertThat(TestPostgres.count(db, "SELECT count(*) FROM spend")).isEqualTo(spent);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) gateway.close();
    if (upstreamVertx != null) TestGateway.await(upstreamVertx.close());
  }

  static String key(String body) {
    HttpResponse<String> r = call("POST", "/admin/keys", TestGateway.MASTER_KEY, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return new JsonObject(r.body()).getString("key");
  }

  static HttpResponse<String> chat(String key, String model, String text) {
    return call("POST", "/v1/chat/completions", key, CHAT.formatted(model, text));
  }

  static HttpResponse<String> call(String method, String path, String key, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.url() + path))
        .header("authorization", "Bearer " + key).header("content-type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return TestGateway.send(b.build());
  }

  static JsonObject get(String path, String key) {
    HttpResponse<String> r = call("GET", path, key, null);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  @Test
  void theRequestLogListsNewestFirstWithMetadataAndPagesByCursor() {
    JsonArray all = get("/admin/requests?team=red", TestGateway.MASTER_KEY).getJsonArray("data");
    assertThat(all).hasSize(4);
    JsonObject newest = all.getJsonObject(0);
    assertThat(newest.getString("cache")).isEqualTo("HIT");
    assertThat(newest.getDouble("saving_usd")).isPositive();
    assertThat(newest.getInteger("attempts")).isZero();
    JsonObject miss = all.getJsonObject(1);
    assertThat(miss.getString("team")).isEqualTo("red");
    assertThat(miss.getString("key_prefix")).isNotBlank();
    assertThat(red).startsWith(miss.getString("key_prefix"));
    assertThat(miss.getString("model")).isEqualTo("priced");
    assertThat(miss.getString("group")).isEqualTo("priced");
    assertThat(miss.getString("provider")).isEqualTo("up");
    assertThat(miss.getString("deployment")).isEqualTo("priced-1");
    assertThat(miss.getInteger("status")).isEqualTo(200);
    assertThat(miss.getInteger("attempts")).isEqualTo(1);
    assertThat(miss.getInteger("prompt_tokens")).isPositive();
    assertThat(miss.getDouble("cost_usd")).isPositive();
    assertThat(miss.getDouble("upstream_ms")).isPositive();
    assertThat(miss.getDouble("ttfb_ms")).isPositive();
    assertThat(miss.getDouble("latency_ms")).isGreaterThanOrEqualTo(miss.getDouble("upstream_ms"));
    for (int i = 1; i < all.size(); i++) {
      assertThat(all.getJsonObject(i - 1).getString("at")).isGreaterThanOrEqualTo(all.getJsonObject(i).getString("at"));
    }

    JsonObject first = get("/admin/requests?team=red&limit=3", TestGateway.MASTER_KEY);
    assertThat(first.getJsonArray("data")).hasSize(3);
    JsonObject second = get("/admin/requests?team=red&limit=3&cursor=" + first.getString("next_cursor"),
        TestGateway.MASTER_KEY);
    assertThat(second.getJsonArray("data")).hasSize(1);
    assertThat(second.getString("next_cursor")).isNull();
    assertThat(second.getJsonArray("data").getJsonObject(0).getString("id")).isEqualTo(all.getJsonObject(3).getString("id"));
  }

  @Test
  void filtersNarrowTheLog() {
    assertThat(get("/admin/requests?status=error&team=blue", TestGateway.MASTER_KEY).getJsonArray("data")).singleElement()
        .satisfies(o -> {
          JsonObject r = (JsonObject) o;
          assertThat(r.getString("team")).isEqualTo("blue");
          assertThat(r.getString("error_type")).isNotBlank();
          assertThat(r.getInteger("status")).isGreaterThanOrEqualTo(500);
          assertThat(r.getString("deployment")).isEqualTo("gone-1");
        });
    assertThat(get("/admin/requests?cache=HIT", TestGateway.MASTER_KEY).getJsonArray("data")).hasSize(1);
    assertThat(get("/admin/requests?model=broken", TestGateway.MASTER_KEY).getJsonArray("data")).hasSize(2);
    assertThat(get("/admin/requests?status=error", TestGateway.MASTER_KEY).getJsonArray("data")).hasSize(3);
    assertThat(get("/admin/requests?deployment=up/priced-1", TestGateway.MASTER_KEY).getJsonArray("data")).hasSize(4);
    assertThat(get("/admin/requests?since=2000-01-01&until=2000-01-02", TestGateway.MASTER_KEY).getJsonArray("data"))
        .isEmpty();
    assertThat(call("GET", "/admin/requests?status=abc", TestGateway.MASTER_KEY, null).statusCode()).isEqualTo(400);
    assertThat(call("GET", "/admin/requests?limit=0", TestGateway.MASTER_KEY, null).statusCode()).isEqualTo(400);
    assertThat(call("GET", "/admin/requests?cursor=garbage", TestGateway.MASTER_KEY, null).body()).contains("cursor");
    assertThat(call("GET", "/admin/requests?since=yesterday", TestGateway.MASTER_KEY, null).statusCode()).isEqualTo(400);
  }

  @Test
  void refusedRequestsAreLoggedWithTheirReasonButCostNothing() {
    JsonArray refused = get("/admin/requests?team=green", TestGateway.MASTER_KEY).getJsonArray("data");
    assertThat(refused).hasSize(2);
    JsonObject forbidden = refused.getJsonObject(0);
    assertThat(forbidden.getInteger("status")).isEqualTo(403);
    assertThat(forbidden.getString("model")).isEqualTo("broken");
    JsonObject overBudget = refused.getJsonObject(1);
    assertThat(overBudget.getInteger("status")).isEqualTo(429);
    assertThat(overBudget.getString("error_type")).isEqualTo("budget_exceeded");
    assertThat(overBudget.getString("provider")).isNull();
    assertThat(overBudget.getInteger("attempts")).isZero();
    assertThat(overBudget.getDouble("cost_usd")).isZero();
    assertThat(get("/admin/requests?status=429", TestGateway.MASTER_KEY).getJsonArray("data")).hasSize(1);
    assertThat(TestPostgres.count(db, "SELECT count(*) FROM spend WHERE team = 'green'")).isZero();
  }

  @Test
  void bodiesAreStoredWhenEnabledAndShownInDetails() {
    JsonObject r = get("/admin/requests?team=red&limit=1&cache=MISS", TestGateway.MASTER_KEY).getJsonArray("data")
        .getJsonObject(0);
    assertThat(r.getBoolean("has_bodies")).isTrue();
    JsonObject full = get("/admin/requests/" + r.getString("id"), TestGateway.MASTER_KEY);
    assertThat(full.getString("request_body")).contains("red question");
    assertThat(full.getString("response_body")).isNotBlank();
    assertThat(call("GET", "/admin/requests/req_nope", TestGateway.MASTER_KEY, null).statusCode()).isEqualTo(404);
  }

  @Test
  void aTeamKeySeesOnlyItsTeam() {
    JsonArray mine = get("/admin/requests", blueAdmin).getJsonArray("data");
    assertThat(mine).hasSize(2).allSatisfy(o -> assertThat(((JsonObject) o).getString("team")).isEqualTo("blue"));
    assertThat(call("GET", "/admin/requests?team=red", blueAdmin, null).statusCode()).isEqualTo(403);
    String redId = get("/admin/requests?team=red&limit=1", TestGateway.MASTER_KEY).getJsonArray("data")
        .getJsonObject(0).getString("id");
    assertThat(call("GET", "/admin/requests/" + redId, blueAdmin, null).statusCode()).isEqualTo(404);
    JsonObject stats = get("/admin/stats", blueAdmin);
    assertThat(stats.getLong("requests")).isEqualTo(2);
    JsonObject spend = get("/admin/spend?group_by=team&bucket=hour", blueAdmin);
    assertThat(spend.getJsonObject("groups").fieldNames()).containsExactly("blue");
    JsonObject session = get("/admin/session", blueAdmin);
    assertThat(session.getString("team")).isEqualTo("blue");
    assertThat(session.getString("role")).isEqualTo("team_admin");
    assertThat(session.getJsonObject("request_log").getBoolean("bodies")).isTrue();
    assertThat(call("GET", "/admin/requests", blue, null).statusCode()).isEqualTo(403);
  }

  @Test
  void spendComesInHourlyBucketsByProviderModelAndTeam() {
    JsonObject byProvider = get("/admin/spend?group_by=provider&bucket=hour&since=24h", TestGateway.MASTER_KEY);
    assertThat(byProvider.getJsonArray("buckets").size()).isBetween(24, 25);
    JsonObject up = byProvider.getJsonObject("groups").getJsonObject("up");
    assertThat(up.getDouble("cost_usd")).isPositive();
    assertThat(up.getLong("requests")).isEqualTo(4); // the cache hit called no provider
    String lastBucket = byProvider.getJsonArray("buckets").getString(byProvider.getJsonArray("buckets").size() - 1);
    assertThat(up.getJsonArray("daily").getJsonObject(0).getString("bucket")).isEqualTo(lastBucket);
    JsonObject byTeam = get("/admin/spend?group_by=team&bucket=day", TestGateway.MASTER_KEY);
    assertThat(byTeam.getJsonObject("groups").fieldNames()).contains("red", "blue");
    assertThat(byTeam.getJsonObject("groups").getJsonObject("red").getJsonArray("daily").getJsonObject(0)
        .getString("bucket")).isNotBlank();
    assertThat(call("GET", "/admin/spend?bucket=minute", TestGateway.MASTER_KEY, null).statusCode()).isEqualTo(400);
    assertThat(call("GET", "/admin/spend?bucket=hour&since=60d", TestGateway.MASTER_KEY, null).statusCode())
        .isEqualTo(400);
  }

  @Test
  void statsReportCacheHitRateSavingsAndErrors() {
    JsonObject s = get("/admin/stats?since=1h", TestGateway.MASTER_KEY);
    assertThat(s.getLong("requests")).isEqualTo(6);
    assertThat(s.getLong("errors")).isEqualTo(1);
    assertThat(s.getDouble("error_rate")).isCloseTo(1 / 6.0, org.assertj.core.data.Offset.offset(1e-6));
    JsonObject cache = s.getJsonObject("cache");
    assertThat(cache.getLong("hits")).isEqualTo(1);
    assertThat(cache.getLong("misses")).isEqualTo(5);
    assertThat(cache.getDouble("hit_rate")).isCloseTo(1 / 6.0, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(s.getDouble("saved_usd")).isPositive();
    assertThat(s.getDouble("cost_usd")).isPositive();
  }

  @Test
  void deploymentsHavePercentilesErrorRatesAndLiveHealth() {
    JsonObject d = get("/admin/deployments?since=1h", TestGateway.MASTER_KEY);
    assertThat(d.getString("source")).isEqualTo("request_log");
    JsonObject up = find(d.getJsonArray("data"), "up/priced-1");
    assertThat(up.getLong("requests")).isEqualTo(4);
    assertThat(up.getDouble("error_rate")).isZero();
    JsonObject lat = up.getJsonObject("latency_ms");
    assertThat(lat.getDouble("p50")).isPositive();
    assertThat(lat.getDouble("p95")).isGreaterThanOrEqualTo(lat.getDouble("p50"));
    assertThat(lat.getDouble("p99")).isGreaterThanOrEqualTo(lat.getDouble("p95"));
    assertThat(up.getJsonObject("upstream_ms").getDouble("p50")).isPositive();
    assertThat(up.getJsonObject("health").getString("breaker")).isEqualTo("CLOSED");
    assertThat(up.getJsonArray("models")).containsExactly("priced");
    JsonObject dead = find(d.getJsonArray("data"), "dead/gone-1");
    assertThat(dead.getDouble("error_rate")).isEqualTo(1.0);
    assertThat(dead.getJsonObject("health")).isNotNull();
  }

  @Test
  void budgetsShowSpendInTheCurrentPeriod() {
    assertThat(call("POST", "/admin/teams", TestGateway.MASTER_KEY,
        "{\"id\":\"red\",\"budget\":{\"usd\":0.001,\"period\":\"monthly\"}}").statusCode()).isEqualTo(201);
    JsonArray teams = get("/admin/budgets", TestGateway.MASTER_KEY).getJsonArray("data");
    JsonObject redTeam = teams.stream().map(o -> (JsonObject) o).filter(t -> t.getString("id").equals("red"))
        .findFirst().orElseThrow();
    assertThat(redTeam.getDouble("spent_usd")).isPositive();
    assertThat(redTeam.getLong("requests")).isEqualTo(4);
    assertThat(redTeam.getDouble("used")).isCloseTo(redTeam.getDouble("spent_usd") / 0.001,
        org.assertj.core.data.Offset.offset(1e-6));
    JsonArray blueOnly = get("/admin/budgets", blueAdmin).getJsonArray("data");
    assertThat(blueOnly).singleElement().satisfies(o -> assertThat(((JsonObject) o).getString("id")).isEqualTo("blue"));
  }

  @Test
  void retentionDeletesOnlyRowsOlderThanTheRetention() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + db.substring(db.indexOf('@') + 1),
        "postgres", ""); Statement st = c.createStatement()) {
      st.execute("INSERT INTO request_log (request_id, at, key_id, model, status, prompt_tokens, completion_tokens, "
          + "cached_tokens, latency_ms) VALUES ('req_ancient', now() - interval '31 days', 'k', 'm', 200, 1, 1, 0, 1)");
    }
    long before = TestPostgres.count(db, "SELECT count(*) FROM request_log");
    long deleted = TestGateway.await(gateway.gateway().governance().retention().purge());
    // A periodic purge that started before the insert may have been joined: the next one sees the row.
    if (deleted == 0) deleted = TestGateway.await(gateway.gateway().governance().retention().purge());
    assertThat(deleted).isEqualTo(1);
    assertThat(TestPostgres.count(db, "SELECT count(*) FROM request_log WHERE request_id = 'req_ancient'")).isZero();
    assertThat(TestPostgres.count(db, "SELECT count(*) FROM request_log")).isEqualTo(before - 1);
  }

  private static JsonObject find(JsonArray rows, String key) {
    return rows.stream().map(o -> (JsonObject) o)
        .filter(r -> key.equals(r.getString("provider") + "/" + r.getString("deployment"))).findFirst()
        .orElseThrow(() -> new AssertionError(key + " not in " + rows.encode()));
  }
}

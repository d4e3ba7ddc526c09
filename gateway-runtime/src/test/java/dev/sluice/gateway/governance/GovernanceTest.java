package dev.sluice.gateway.governance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.TestGateway;
import dev.sluice.tck.Await;
import dev.sluice.testkit.FakeOpenAiUpstream;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys, roles, limits, budgets and spend against real PostgreSQL, through HTTP as clients see them. */
class GovernanceTest {
  private static final String CHAT = "{\"model\":\"%s\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  @TempDir
  static Path data;
  static String db;
  static FakeOpenAiUpstream upstream;
  static io.vertx.core.Vertx upstreamVertx;
  static TestGateway gateway;

  @BeforeAll
  static void start() {
    db = TestPostgres.freshDatabase("gov");
    upstreamVertx = io.vertx.core.Vertx.vertx();
    upstream = TestGateway.await(FakeOpenAiUpstream.start(upstreamVertx));
    gateway = TestGateway.start("""
        storage: {postgres: "%s", data_dir: "%s", journal: {flush_interval: 200ms}}
        providers: [{id: up, type: openai, base_url: "%s", api_key: x}]
        models:
          - {name: gpt-4o-mini, deployments: [{provider: up, model: gpt-4o-mini}]}
          - {name: other, price: {input: 1.0, output: 2.0}, deployments: [{provider: up, model: other-model}]}
        keys:
          - {key: sk-config-provisioned-key-0001, name: cfg, team: red, models: [gpt-4o-mini]}
        """.formatted(db, data, upstream.baseUrl()));
  }

  @AfterAll
  static void stop() {
    if (gateway != null) gateway.close();
    if (upstreamVertx != null) TestGateway.await(upstreamVertx.close());
  }

  static HttpResponse<String> call(String method, String path, String key, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.url() + path)).header("authorization", "Bearer " + key)
        .header("content-type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return TestGateway.send(b.build());
  }

  static JsonObject createKey(String asKey, String json) {
    HttpResponse<String> r = call("POST", "/admin/keys", asKey, json);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return new JsonObject(r.body());
  }

  @Test
  void aConfigKeyWorksOnlyForItsModelsAndListsOnlyThem() {
    String key = "sk-config-provisioned-key-0001";
    assertThat(call("POST", "/v1/chat/completions", key, CHAT.formatted("gpt-4o-mini")).statusCode()).isEqualTo(200);
    HttpResponse<String> denied = call("POST", "/v1/chat/completions", key, CHAT.formatted("other"));
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.body()).contains("permission_error").contains("may not use the model 'other'");
    HttpResponse<String> models = call("GET", "/v1/models", key, null);
    assertThat(models.body()).contains("gpt-4o-mini").doesNotContain("\"other\"");
  }

  @Test
  void costHeaderComesFromTheCatalogAndTheConfigOverride() {
    JsonObject k = createKey(TestGateway.MASTER_KEY, "{\"name\":\"cost\"}");
    HttpResponse<String> r = call("POST", "/v1/chat/completions", k.getString("key"), CHAT.formatted("other"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-sluice-cost-usd")).isPresent();
    assertThat(Double.parseDouble(r.headers().firstValue("x-sluice-cost-usd").get())).isGreaterThan(0);
  }

  @Test
  void expiredBlockedAndRotatedAwayKeysAreRefusedClearly() {
    JsonObject expired = createKey(TestGateway.MASTER_KEY, "{\"name\":\"old\",\"expires_at\":\"2020-01-01T00:00:00Z\"}");
    HttpResponse<String> r = call("POST", "/v1/chat/completions", expired.getString("key"), CHAT.formatted("gpt-4o-mini"));
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).contains("expired at 2020-01-01T00:00:00Z").doesNotContain(expired.getString("key"));

    JsonObject blocked = createKey(TestGateway.MASTER_KEY, "{\"name\":\"b\"}");
    assertThat(call("PATCH", "/admin/keys/" + blocked.getString("id"), TestGateway.MASTER_KEY, "{\"blocked\":true}")
        .statusCode()).isEqualTo(200);
    r = call("POST", "/v1/chat/completions", blocked.getString("key"), CHAT.formatted("gpt-4o-mini"));
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).contains("is blocked");

    JsonObject rotated = createKey(TestGateway.MASTER_KEY, "{\"name\":\"r\"}");
    HttpResponse<String> rot = call("POST", "/admin/keys/" + rotated.getString("id") + "/rotate", TestGateway.MASTER_KEY, "");
    assertThat(rot.statusCode()).as(rot.body()).isEqualTo(200);
    String fresh = new JsonObject(rot.body()).getString("key");
    r = call("POST", "/v1/chat/completions", rotated.getString("key"), CHAT.formatted("gpt-4o-mini"));
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).contains("was rotated");
    assertThat(call("POST", "/v1/chat/completions", fresh, CHAT.formatted("gpt-4o-mini")).statusCode()).isEqualTo(200);
  }

  @Test
  void rolesCannotReachBeyondTheirScope() {
    String teamAdmin = createKey(TestGateway.MASTER_KEY, "{\"name\":\"ta\",\"role\":\"team_admin\",\"team\":\"blue\"}")
        .getString("key");
    String viewer = createKey(TestGateway.MASTER_KEY, "{\"name\":\"v\",\"role\":\"viewer\"}").getString("key");
    String plain = createKey(TestGateway.MASTER_KEY, "{\"name\":\"p\",\"team\":\"green\"}").getString("key");
    JsonObject green = createKey(TestGateway.MASTER_KEY, "{\"name\":\"g\",\"team\":\"green\"}");

    assertThat(call("GET", "/admin/keys", plain, null).statusCode()).isEqualTo(403);
    assertThat(call("POST", "/admin/keys", viewer, "{\"name\":\"x\"}").statusCode()).isEqualTo(403);
    assertThat(call("GET", "/admin/keys", viewer, null).body()).contains(green.getString("id"));
    // A team admin makes keys in its own team only, and never admin keys; it cannot see other teams' keys.
    JsonObject mine = createKey(teamAdmin, "{\"name\":\"mine\"}");
    assertThat(mine.getString("team")).isEqualTo("blue");
    assertThat(call("POST", "/admin/keys", teamAdmin, "{\"name\":\"y\",\"team\":\"green\"}").statusCode()).isEqualTo(403);
    assertThat(call("POST", "/admin/keys", teamAdmin, "{\"name\":\"z\",\"role\":\"admin\"}").statusCode()).isEqualTo(403);
    assertThat(call("GET", "/admin/keys", teamAdmin, null).body()).doesNotContain(green.getString("id"));
    assertThat(call("GET", "/admin/keys/" + green.getString("id"), teamAdmin, null).statusCode()).isEqualTo(404);
    assertThat(call("PATCH", "/admin/keys/" + green.getString("id"), teamAdmin, "{\"blocked\":true}").statusCode())
        .isEqualTo(404);
    assertThat(call("POST", "/admin/teams", teamAdmin, "{\"id\":\"blue\"}").statusCode()).isEqualTo(403);
    // Validation names the field; the audit log records who did what.
    HttpResponse<String> bad = call("POST", "/admin/keys", TestGateway.MASTER_KEY, "{\"budget\":{\"usd\":-1}}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(bad.body()).getJsonObject("error").getString("param")).isEqualTo("budget.usd");
    assertThat(call("GET", "/admin/audit", TestGateway.MASTER_KEY, null).body()).contains("key.create")
        .contains(mine.getString("id"));
  }

  @Test
  void aLimitOfNRequestsPerMinuteAdmitsExactlyNUnder50ConcurrentClients() throws Exception {
    int limit = 37;
    String key = createKey(TestGateway.MASTER_KEY, "{\"name\":\"rpm\",\"limits\":{\"rpm\":" + limit + "}}")
        .getString("key");
    List<HttpResponse<String>> answers = hammer(key, 50, 3, "gpt-4o-mini");
    long ok = answers.stream().filter(r -> r.statusCode() == 200).count();
    assertThat(ok).isEqualTo(limit);
    HttpResponse<String> refused = answers.stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow();
    assertThat(refused.body()).contains("rate_limit_exceeded");
    assertThat(refused.headers().firstValue("retry-after")).isPresent();
    assertThat(refused.headers().firstValue("x-ratelimit-limit-requests")).hasValue(Integer.toString(limit));
    assertThat(refused.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("0");
  }

  @Test
  void aBudgetIsNeverExceededByMoreThanOneEstimateUnderConcurrency() throws Exception {
    // other: $1/M in, $2/M out; each answer costs a few micro-dollars, the estimate (max_tokens 20) a bit more.
    JsonObject k = createKey(TestGateway.MASTER_KEY, "{\"name\":\"budget\",\"budget\":{\"usd\":0.0005,\"period\":\"daily\"}}");
    List<HttpResponse<String>> answers = hammer(k.getString("key"), 50, 4, "other");
    double spent = answers.stream().filter(r -> r.statusCode() == 200)
        .mapToDouble(r -> Double.parseDouble(r.headers().firstValue("x-sluice-cost-usd").orElseThrow())).sum();
    assertThat(answers.stream().anyMatch(r -> r.statusCode() == 429 && r.body().contains("budget_exceeded"))).isTrue();
    double oneEstimate = (10 * 1.0 + 20 * 2.0) / 1e6;
    assertThat(spent).isLessThanOrEqualTo(0.0005 + oneEstimate);
    assertThat(spent).isGreaterThan(0.0005 / 2);
  }

  @Test
  void everyAnsweredRequestHasExactlyOneSpendRecordAndTheDailyTotalsAgree() throws Exception {
    JsonObject k = createKey(TestGateway.MASTER_KEY, "{\"name\":\"spend\",\"team\":\"spenders\"}");
    List<HttpResponse<String>> answers = hammer(k.getString("key"), 10, 3, "gpt-4o-mini");
    String where = " WHERE key_id = '" + k.getString("id") + "'";
    Await.until("the journal flushed every record", () -> TestPostgres.count(db, "SELECT count(*) FROM spend" + where)
        >= answers.size());
    assertThat(TestPostgres.count(db, "SELECT count(*) FROM spend" + where)).isEqualTo(answers.size());
    assertThat(TestPostgres.count(db, "SELECT coalesce(sum(requests), 0) FROM spend_daily" + where)).isEqualTo(answers.size());
    HttpResponse<String> report = call("GET", "/admin/spend?group_by=team", TestGateway.MASTER_KEY, null);
    assertThat(new JsonObject(report.body()).getJsonObject("groups").getJsonObject("spenders").getLong("requests"))
        .isEqualTo(answers.size());
  }

  static List<HttpResponse<String>> hammer(String key, int clients, int each, String model) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Callable<List<HttpResponse<String>>>> tasks = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        tasks.add(() -> {
          List<HttpResponse<String>> out = new ArrayList<>();
          for (int i = 0; i < each; i++) out.add(call("POST", "/v1/chat/completions", key, CHAT.formatted(model)));
          return out;
        });
      }
      List<HttpResponse<String>> all = new ArrayList<>();
      for (Future<List<HttpResponse<String>>> f : pool.invokeAll(tasks, 60, TimeUnit.SECONDS)) all.addAll(f.get());
      return all;
    } finally {
      pool.shutdownNow();
    }
  }
}

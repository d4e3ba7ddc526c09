package dev.sluice.gateway.governance;

import dev.sluice.tck.Await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.TestGateway;
import dev.sluice.gateway.config.ConfigException;
import dev.sluice.testkit.FakeOpenAiUpstream;
import io.vertx.core.Vertx;
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
 * A budget is exact: 0 refuses the first priced request, an amount of a few nano-dollars runs out after one tiny
 * request, and an amount that is negative, not a number or out of range is refused naming the field (admin API)
 * or the path and value (config.yaml). Through real PostgreSQL (the key's budget is stored and read back) and
 * the Hazelcast budget counters.
 */
class BudgetExactnessTest {
  // "hi" with max_tokens 1 is estimated at 1 prompt + 1 output token: 2 x 50 nano-dollars, the whole $0.0000001.
  private static final String TINY = "{\"model\":\"cheap\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  @TempDir
  static Path data;
  static Vertx upstreamVertx;
  static TestGateway gateway;
  static String yaml;
  static String db;

  @BeforeAll
  static void start() {
    db = TestPostgres.freshDatabase("budget");
    upstreamVertx = Vertx.vertx();
    FakeOpenAiUpstream upstream = TestGateway.await(FakeOpenAiUpstream.start(upstreamVertx));
    yaml = """
        storage: {postgres: "%s", data_dir: "%s", journal: {flush_interval: 200ms}}
        providers: [{id: up, type: openai, base_url: "%s", api_key: x}]
        models:
          - {name: cheap, price: {input: 0.05, output: 0.05}, deployments: [{provider: up, model: cheap-model}]}
        """.formatted(db, data, upstream.baseUrl());
    gateway = TestGateway.start(yaml);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) gateway.close();
    if (upstreamVertx != null) TestGateway.await(upstreamVertx.close());
  }

  private static HttpResponse<String> call(String method, String path, String key, String body) {
    return TestGateway.send(HttpRequest.newBuilder(URI.create(gateway.url() + path))
        .header("authorization", "Bearer " + key).header("content-type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private static JsonObject key(String budget) {
    HttpResponse<String> r = call("POST", "/admin/keys", TestGateway.MASTER_KEY,
        "{\"name\":\"k\",\"budget\":" + budget + "}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return new JsonObject(r.body());
  }

  private static void budgetExceeded(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
    assertThat(new JsonObject(r.body()).getJsonObject("error").getString("code")).isEqualTo("budget_exceeded");
  }

  @Test
  void aBudgetOfZeroRefusesTheFirstPricedRequest() {
    String k = key("{\"usd\":0,\"period\":\"daily\"}").getString("key");
    HttpResponse<String> r = call("POST", "/v1/chat/completions", k, TINY);
    budgetExceeded(r);
    assertThat(new JsonObject(r.body()).getJsonObject("error").getString("message")).contains("of $0 ");
    budgetExceeded(call("POST", "/v1/chat/completions", k, TINY));
  }

  @Test
  void aBudgetOfATenthOfAMicroDollarAdmitsOneTinyRequestThenRefuses() throws Exception {
    JsonObject created = key("{\"usd\":0.0000001,\"period\":\"daily\"}");
    // Stored in PostgreSQL and read back exactly.
    HttpResponse<String> shown = call("GET", "/admin/keys/" + created.getString("id"), TestGateway.MASTER_KEY, "");
    assertThat(new JsonObject(shown.body()).getJsonObject("budget").getDouble("usd")).isEqualTo(0.0000001);
    String k = created.getString("key");
    HttpResponse<String> first = call("POST", "/v1/chat/completions", k, TINY);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(Double.parseDouble(first.headers().firstValue("x-sluice-cost-usd").orElseThrow())).isGreaterThan(0);
    HttpResponse<String> second = call("POST", "/v1/chat/completions", k, TINY);
    budgetExceeded(second);
    assertThat(new JsonObject(second.body()).getJsonObject("error").getString("message")).contains("of $0.0000001 ");
    // A restart rebuilds the budget from PostgreSQL's spend, to the nano-dollar: still spent.
    String id = created.getString("id");
    Await.until("the key's spend row in PostgreSQL",
        () -> TestPostgres.count(db, "SELECT count(*) FROM spend WHERE key_id = '" + id + "'") >= 1);
    gateway.close();
    gateway = TestGateway.start(yaml);
    budgetExceeded(call("POST", "/v1/chat/completions", k, TINY));
  }

  @Test
  void aBadAmountIsRefusedNamingTheFieldOnTheAdminApi() {
    for (String usd : new String[] {"-1", "-0.000000001", "\"abc\"", "\"NaN\"", "1e300", "1000000000.5",
        "0.0000000001", "123456789.123456789", "null", "[1]"}) {
      for (String path : new String[] {"/admin/keys", "/admin/teams", "/admin/users"}) {
        String body = path.equals("/admin/keys") ? "{\"name\":\"bad\",\"budget\":{\"usd\":" + usd + "}}"
            : "{\"id\":\"bad-" + path.length() + "\",\"budget\":{\"usd\":" + usd + "}}";
        HttpResponse<String> r = call("POST", path, TestGateway.MASTER_KEY, body);
        assertThat(r.statusCode()).as(path + " usd " + usd + ": " + r.body()).isEqualTo(400);
        assertThat(new JsonObject(r.body()).getJsonObject("error").getString("param")).as(usd).isEqualTo("budget.usd");
      }
    }
    // The largest amount, and one at nano-dollar precision, are accepted as they are.
    assertThat(key("{\"usd\":1000000000}").getJsonObject("budget").getDouble("usd")).isEqualTo(1e9);
    assertThat(key("{\"usd\":12.345678912}").getJsonObject("budget").getDouble("usd")).isEqualTo(12.345678912);
  }

  @Test
  void aBadAmountInConfigNamesThePathAndTheValue() {
    String[][] cases = {{"-1", "-1"}, {"abc", "abc"}, {"NaN", "NaN"}, {"1.0e400", "budget.usd"}, {"1.0e12", "1.0E12"},
        {"0.0000000001", "1.0E-10"}};
    for (String[] c : cases) {
      String usd = c[0];
      String yaml = """
          providers: [{id: up, type: demo}]
          models: [{name: m, deployments: [{provider: up}]}]
          storage: {postgres: "postgres://postgres@127.0.0.1:5432/none", data_dir: "%s"}
          keys: [{key: sk-config-key-0123456789, budget: {usd: %s}}]
          """.formatted(data, usd);
      String message = "";
      try {
        TestGateway.config(yaml);
      } catch (ConfigException e) {
        message = e.getMessage();
      }
      assertThat(message).as(usd).contains("keys[0].budget.usd").contains(c[1]);
    }
  }
}

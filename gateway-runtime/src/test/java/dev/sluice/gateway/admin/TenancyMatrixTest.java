package dev.sluice.gateway.admin;

import dev.sluice.tck.Await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.Gateway;
import dev.sluice.gateway.TestGateway;
import dev.sluice.gateway.config.ConfigLoader;
import dev.sluice.gateway.governance.TestPostgres;
import dev.sluice.testkit.FakeOpenAiUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Role × admin route × own team / other team, through HTTP against real PostgreSQL. The routes are
 * {@link AdminRoutes#ALL}, the table the admin API dispatches by: a route with no probe here fails the test, so a
 * new route cannot ship without saying who may reach what. A write that is refused must leave its target as it was.
 */
class TenancyMatrixTest {
  enum Caller { MASTER, ADMIN, VIEWER, VIEWER_A, TEAM_ADMIN_A, USER_A }

  enum Target { OWN, OTHER }

  /** What a caller may reach, by the access the route table gives the route. */
  enum Rule {
    /** Team data: global roles reach both teams, team-scoped roles their own, user keys nothing. */
    TEAM_READ,
    /** Not team data (prices, the session): every admin role. */
    ANY_READ,
    GLOBAL_READ,
    TEAM_WRITE,
    ADMIN_ONLY;

    boolean reaches(Caller c, Target t) {
      boolean global = c == Caller.MASTER || c == Caller.ADMIN;
      return switch (this) {
        case TEAM_READ -> global || c == Caller.VIEWER
            || ((c == Caller.VIEWER_A || c == Caller.TEAM_ADMIN_A) && t == Target.OWN);
        case ANY_READ -> c != Caller.USER_A;
        case GLOBAL_READ -> global || c == Caller.VIEWER;
        case TEAM_WRITE -> global || (c == Caller.TEAM_ADMIN_A && t == Target.OWN);
        case ADMIN_ONLY -> global;
      };
    }
  }

  /** One route's probe: makes the request as the caller on the target, answers whether it reached the target. */
  record Probe(Rule rule, BiFunction<String, Target, Boolean> reach) {}

  @TempDir
  static Path dir;
  static Vertx vertx;
  static FakeOpenAiUpstream upstream;
  static Gateway gateway;
  static final Map<Caller, String> KEYS = new EnumMap<>(Caller.class);
  static final Map<Target, String> KEY_IDS = new EnumMap<>(Target.class);
  static final Map<Target, String> REQUEST_IDS = new EnumMap<>(Target.class);
  static final AtomicInteger SEQ = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    upstream = TestGateway.await(FakeOpenAiUpstream.start(vertx));
    Path config = dir.resolve("sluice.yaml");
    Files.writeString(config, """
        server: {port: 0, master_key: %s, event_loops: 1, drain_timeout: 5s}
        plugins: {dir: "%s"}
        storage: {postgres: "%s", data_dir: "%s", journal: {flush_interval: 100ms}}
        providers: [{id: up, type: openai, base_url: "%s", api_key: sk-upstream-secret-0000000000000}]
        models:
          - {name: ma, deployments: [{provider: up, model: model-a}]}
          - {name: mb, deployments: [{provider: up, model: model-b}]}
        cache: {exact: {enabled: true, backend: memory, ttl: 1h}}
        """.formatted(TestGateway.MASTER_KEY, TestGateway.pluginsDir(), TestPostgres.freshDatabase("tenancy"),
        dir.resolve("data"), upstream.baseUrl()));
    gateway = TestGateway.await(Gateway.start(vertx, ConfigLoader.load(config, System::getenv, TestGateway.root())));
    master("POST", "/admin/orgs", "{\"id\":\"org-a\"}", 201);
    master("POST", "/admin/orgs", "{\"id\":\"org-b\"}", 201);
    master("POST", "/admin/teams", "{\"id\":\"team-a\",\"org\":\"org-a\"}", 201);
    master("POST", "/admin/teams", "{\"id\":\"team-b\",\"org\":\"org-b\"}", 201);
    master("POST", "/admin/users", "{\"id\":\"user-a\",\"team\":\"team-a\",\"org\":\"org-a\"}", 201);
    master("POST", "/admin/users", "{\"id\":\"user-b\",\"team\":\"team-b\",\"org\":\"org-b\",\"budget\":{\"usd\":5}}", 201);
    KEYS.put(Caller.MASTER, TestGateway.MASTER_KEY);
    KEYS.put(Caller.ADMIN, newKey("{\"role\":\"admin\"}").getString("key"));
    KEYS.put(Caller.VIEWER, newKey("{\"role\":\"viewer\"}").getString("key"));
    KEYS.put(Caller.VIEWER_A, newKey("{\"role\":\"viewer\",\"team\":\"team-a\"}").getString("key"));
    KEYS.put(Caller.TEAM_ADMIN_A, newKey("{\"role\":\"team_admin\",\"team\":\"team-a\"}").getString("key"));
    KEYS.put(Caller.USER_A, newKey("{\"team\":\"team-a\"}").getString("key"));
    // Traffic of each team: 2 requests of team-a on model ma, 3 of team-b on model mb.
    for (Target t : Target.values()) {
      JsonObject k = newKey(team(t));
      KEY_IDS.put(t, k.getString("id"));
      for (int i = 0; i < (t == Target.OWN ? 2 : 3); i++) {
        String id = "req-" + t + "-" + i;
        REQUEST_IDS.put(t, id);
        HttpResponse<String> r = TestGateway.send(HttpRequest.newBuilder(URI.create(url("/v1/chat/completions")))
            .header("authorization", "Bearer " + k.getString("key")).header("x-request-id", id)
            .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + (t == Target.OWN ? "ma" : "mb")
                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi " + id + "\"}]}")).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      }
    }
    Await.until("5 requests in /admin/stats", () -> requests(master("GET", "/admin/stats", null, 200)) >= 5);
    assertThat(requests(master("GET", "/admin/stats", null, 200))).isEqualTo(5);
    Await.until("5 requests in /admin/requests",
        () -> master("GET", "/admin/requests", null, 200).getJsonArray("data").size() >= 5);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) TestGateway.await(gateway.stop());
    TestGateway.await(vertx.close());
  }

  static String url(String path) {
    return "http://127.0.0.1:" + gateway.port() + path;
  }

  static HttpResponse<String> call(String key, String method, String path, String body) {
    return TestGateway.send(HttpRequest.newBuilder(URI.create(url(path))).header("authorization", "Bearer " + key)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build());
  }

  static JsonObject master(String method, String path, String body, int status) {
    HttpResponse<String> r = call(TestGateway.MASTER_KEY, method, path, body);
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(status);
    return new JsonObject(r.body());
  }

  static JsonObject newKey(String json) {
    return master("POST", "/admin/keys", new JsonObject(json).put("name", "k" + SEQ.incrementAndGet()).encode(), 201);
  }

  static String teamOf(Target t) {
    return t == Target.OWN ? "team-a" : "team-b";
  }

  static String team(Target t) {
    return "{\"team\":\"" + teamOf(t) + "\"}";
  }

  static long requests(JsonObject stats) {
    return stats.getLong("requests", 0L);
  }

  /** 2xx: reached; 403 or 404: refused; anything else is a failure of the test. */
  static boolean reached(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.request().method() + " " + r.uri() + ": " + r.body())
        .isIn(200, 201, 403, 404);
    if (r.statusCode() >= 400) assertThat(new JsonObject(r.body()).getJsonObject("error")).isNotNull();
    return r.statusCode() < 300;
  }

  static boolean listed(HttpResponse<String> r, String what) {
    return reached(r) && r.body().contains(what);
  }

  /** A write on a fresh key of the target's team; when refused, the key must be as it was. */
  static Probe keyWrite(String method, String suffix, String body) {
    return new Probe(Rule.TEAM_WRITE, (key, t) -> {
      JsonObject k = newKey(team(t));
      String path = "/admin/keys/" + k.getString("id");
      boolean ok = reached(call(key, method, path + suffix, body));
      if (!ok) {
        JsonObject now = master("GET", path, null, 200);
        assertThat(now.getBoolean("blocked")).isFalse();
        assertThat(now.getString("prefix")).isEqualTo(k.getString("prefix"));
        assertThat(now.getString("org")).isNull();
      }
      return ok;
    });
  }

  static Map<String, Probe> probes() {
    Map<String, Probe> p = new LinkedHashMap<>();
    p.put("GET /admin/keys", new Probe(Rule.TEAM_READ, (key, t) ->
        listed(call(key, "GET", "/admin/keys", null), KEY_IDS.get(t))));
    p.put("POST /admin/keys", new Probe(Rule.TEAM_WRITE, (key, t) -> {
      // Billed to the target's team, org and user.
      String name = "made-" + SEQ.incrementAndGet();
      String ta = t == Target.OWN ? "a" : "b";
      boolean ok = reached(call(key, "POST", "/admin/keys", "{\"name\":\"" + name + "\",\"team\":\"team-" + ta
          + "\",\"org\":\"org-" + ta + "\",\"user\":\"user-" + ta + "\"}"));
      assertThat(master("GET", "/admin/keys", null, 200).encode().contains("\"" + name + "\"")).isEqualTo(ok);
      return ok;
    }));
    p.put("GET /admin/keys/{id}", new Probe(Rule.TEAM_READ, (key, t) ->
        reached(call(key, "GET", "/admin/keys/" + KEY_IDS.get(t), null))));
    p.put("PATCH /admin/keys/{id}", keyWrite("PATCH", "", "{\"blocked\":true}"));
    p.put("DELETE /admin/keys/{id}", keyWrite("DELETE", "", null));
    p.put("POST /admin/keys/{id}/rotate", keyWrite("POST", "/rotate", ""));
    p.put("GET /admin/teams", new Probe(Rule.TEAM_READ, (key, t) ->
        listed(call(key, "GET", "/admin/teams", null), "\"" + teamOf(t) + "\"")));
    p.put("POST /admin/teams", new Probe(Rule.ADMIN_ONLY, (key, t) -> {
      String ta = t == Target.OWN ? "a" : "b";
      return reached(call(key, "POST", "/admin/teams", "{\"id\":\"team-" + ta + "\",\"org\":\"org-" + ta + "\"}"));
    }));
    p.put("GET /admin/users", new Probe(Rule.TEAM_READ, (key, t) ->
        listed(call(key, "GET", "/admin/users", null), t == Target.OWN ? "\"user-a\"" : "\"user-b\"")));
    p.put("POST /admin/users", new Probe(Rule.TEAM_WRITE, (key, t) -> {
      String ta = t == Target.OWN ? "a" : "b";
      String user = "{\"id\":\"user-" + ta + "\",\"team\":\"team-" + ta + "\",\"org\":\"org-" + ta + "\""
          + (t == Target.OTHER ? ",\"budget\":{\"usd\":5}" : "") + "}";
      JsonObject before = userB();
      boolean ok = reached(call(key, "POST", "/admin/users", user));
      if (!ok) assertThat(userB()).isEqualTo(before);
      return ok;
    }));
    p.put("GET /admin/orgs", new Probe(Rule.TEAM_READ, (key, t) ->
        listed(call(key, "GET", "/admin/orgs", null), t == Target.OWN ? "\"org-a\"" : "\"org-b\"")));
    p.put("POST /admin/orgs", new Probe(Rule.ADMIN_ONLY, (key, t) ->
        reached(call(key, "POST", "/admin/orgs", "{\"id\":\"org-" + (t == Target.OWN ? "a" : "b") + "\"}"))));
    p.put("GET /admin/spend", new Probe(Rule.TEAM_READ, (key, t) -> {
      HttpResponse<String> r = call(key, "GET", "/admin/spend?group_by=team", null);
      return reached(r) && new JsonObject(r.body()).getJsonObject("groups").containsKey(teamOf(t));
    }));
    p.put("GET /admin/savings", new Probe(Rule.TEAM_READ, (key, t) ->
        reached(call(key, "GET", "/admin/savings?team=" + teamOf(t), null))));
    p.put("GET /admin/audit", new Probe(Rule.GLOBAL_READ, (key, t) -> reached(call(key, "GET", "/admin/audit", null))));
    p.put("GET /admin/prices", new Probe(Rule.ANY_READ, (key, t) -> reached(call(key, "GET", "/admin/prices", null))));
    p.put("GET /admin/session", new Probe(Rule.ANY_READ, (key, t) -> reached(call(key, "GET", "/admin/session", null))));
    p.put("GET /admin/requests", new Probe(Rule.TEAM_READ, (key, t) ->
        listed(call(key, "GET", "/admin/requests", null), REQUEST_IDS.get(t))));
    p.put("GET /admin/requests/{id}", new Probe(Rule.TEAM_READ, (key, t) ->
        reached(call(key, "GET", "/admin/requests/" + REQUEST_IDS.get(t), null))));
    p.put("GET /admin/stats", new Probe(Rule.TEAM_READ, (key, t) -> {
      HttpResponse<String> r = call(key, "GET", "/admin/stats", null);
      return reached(r) && requests(new JsonObject(r.body())) >= (t == Target.OWN ? 2 : 5);
    }));
    p.put("GET /admin/deployments", new Probe(Rule.TEAM_READ, (key, t) -> {
      HttpResponse<String> r = call(key, "GET", "/admin/deployments", null);
      if (!reached(r)) return false;
      for (Object o : new JsonObject(r.body()).getJsonArray("data", new JsonArray())) {
        JsonObject d = (JsonObject) o;
        if (d.getString("deployment").equals(t == Target.OWN ? "model-a" : "model-b")) return d.getLong("requests") > 0;
      }
      return false;
    }));
    p.put("GET /admin/budgets", new Probe(Rule.TEAM_READ, (key, t) ->
        listed(call(key, "GET", "/admin/budgets", null), "\"" + teamOf(t) + "\"")));
    p.put("GET /admin/cache", new Probe(Rule.ADMIN_ONLY, (key, t) -> reached(call(key, "GET", "/admin/cache", null))));
    p.put("DELETE /admin/cache", new Probe(Rule.ADMIN_ONLY, (key, t) ->
        reached(call(key, "DELETE", "/admin/cache?scope=team:" + teamOf(t), null))));
    p.put("GET /admin/models", new Probe(Rule.ADMIN_ONLY, (key, t) -> reached(call(key, "GET", "/admin/models", null))));
    p.put("POST /admin/config/reload", new Probe(Rule.ADMIN_ONLY, (key, t) ->
        reached(call(key, "POST", "/admin/config/reload", ""))));
    return p;
  }

  static JsonObject userB() {
    for (Object o : master("GET", "/admin/users", null, 200).getJsonArray("data")) {
      if (((JsonObject) o).getString("id").equals("user-b")) return (JsonObject) o;
    }
    throw new AssertionError("user-b is gone");
  }

  @Test
  void everyAdminRouteHasAnExpectationForEveryRoleOnBothTeams() {
    Map<String, Probe> probes = probes();
    TreeSet<String> routes = new TreeSet<>();
    for (AdminRoutes.Route r : AdminRoutes.ALL) routes.add(r.name());
    assertThat(new TreeSet<>(probes.keySet())).as("a probe for every admin route, and only those").isEqualTo(routes);
    List<String> wrong = new ArrayList<>();
    int cells = 0;
    for (Map.Entry<String, Probe> e : probes.entrySet()) {
      for (Caller c : Caller.values()) {
        for (Target t : Target.values()) {
          boolean expected = e.getValue().rule().reaches(c, t);
          boolean actual = e.getValue().reach().apply(KEYS.get(c), t);
          cells++;
          if (actual != expected) wrong.add(e.getKey() + " as " + c + " on " + t + ": " + (actual ? "reached" : "refused"));
        }
      }
    }
    assertThat(wrong).as("cells of the matrix that disagree").isEmpty();
    assertThat(cells).isEqualTo(routes.size() * Caller.values().length * Target.values().length);
  }

  @Test
  void theRuleOfEachRouteIsTheAccessTheRouteTableGivesIt() {
    Map<AdminRoutes.Access, Rule> rules = Map.of(AdminRoutes.Access.GLOBAL_READ, Rule.GLOBAL_READ,
        AdminRoutes.Access.TEAM_WRITE, Rule.TEAM_WRITE, AdminRoutes.Access.ADMIN, Rule.ADMIN_ONLY);
    Map<String, Probe> probes = probes();
    for (AdminRoutes.Route r : AdminRoutes.ALL) {
      Rule rule = probes.get(r.name()).rule();
      if (r.access() == AdminRoutes.Access.READ) assertThat(rule).isIn(Rule.TEAM_READ, Rule.ANY_READ);
      else assertThat(rule).as(r.name()).isEqualTo(rules.get(r.access()));
    }
  }

  @Test
  void aTeamAdminCannotPullAnotherTeamsUserIntoItsTeamNorBillAnotherTeam() {
    String ta = KEYS.get(Caller.TEAM_ADMIN_A);
    JsonObject before = userB();
    // The report: a user of team-b posted without a team, which the team_admin's team used to fill in.
    HttpResponse<String> r = call(ta, "POST", "/admin/users", "{\"id\":\"user-b\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
    assertThat(r.body()).contains("user user-b").contains("not in team team-a");
    assertThat(userB()).isEqualTo(before);
    assertThat(userB().getString("team")).isEqualTo("team-b");
    // Keys billed to another team's org, or to another team's user, in any field combination.
    assertThat(call(ta, "POST", "/admin/keys", "{\"name\":\"x1\",\"org\":\"org-b\"}").statusCode()).isEqualTo(403);
    assertThat(call(ta, "POST", "/admin/keys", "{\"name\":\"x2\",\"user\":\"user-b\"}").statusCode()).isEqualTo(403);
    JsonObject mine = new JsonObject(call(ta, "POST", "/admin/keys", "{\"name\":\"x3\"}").body());
    assertThat(mine.getString("team")).isEqualTo("team-a");
    String path = "/admin/keys/" + mine.getString("id");
    assertThat(call(ta, "PATCH", path, "{\"org\":\"org-b\"}").statusCode()).isEqualTo(403);
    assertThat(call(ta, "PATCH", path, "{\"user\":\"user-b\"}").statusCode()).isEqualTo(403);
    assertThat(call(ta, "PATCH", path, "{\"role\":\"admin\"}").statusCode()).isEqualTo(403);
    JsonObject now = master("GET", path, null, 200);
    assertThat(now.getString("org")).isNull();
    assertThat(now.getString("user")).isNull();
    // Its own team's org and users, and new users (made in its team), are its to use.
    assertThat(call(ta, "PATCH", path, "{\"org\":\"org-a\",\"user\":\"user-a\"}").statusCode()).isEqualTo(200);
    assertThat(call(ta, "POST", "/admin/users", "{\"id\":\"user-new-a\",\"budget\":{\"usd\":1}}").statusCode())
        .isEqualTo(201);
    assertThat(call(ta, "POST", "/admin/users", "{\"id\":\"user-c\",\"org\":\"org-b\"}").statusCode()).isEqualTo(403);
  }

  @Test
  void aKeyLimitedToSomeModelsCannotReadAnyOtherOneByItsId() {
    String limited = newKey("{\"models\":[\"ma\"]}").getString("key");
    assertThat(call(limited, "GET", "/v1/models/ma", null).statusCode()).isEqualTo(200);
    HttpResponse<String> other = call(limited, "GET", "/v1/models/mb", null);
    assertThat(other.statusCode()).isEqualTo(404);
    assertThat(other.body()).contains("model_not_found").doesNotContain("model-b");
    assertThat(call(limited, "GET", "/v1/models", null).body()).contains("\"ma\"").doesNotContain("\"mb\"");
    assertThat(call(TestGateway.MASTER_KEY, "GET", "/v1/models/mb", null).statusCode()).isEqualTo(200);
  }
}

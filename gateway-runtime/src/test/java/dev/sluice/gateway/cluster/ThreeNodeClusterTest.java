package dev.sluice.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.TestGateway;
import dev.sluice.gateway.TestUpstream;
import dev.sluice.gateway.governance.TestPostgres;
import dev.sluice.tck.Await;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three Sluice nodes, each a JVM of its own, clustered on loopback (a unique cluster name and ports per run,
 * TCP-IP only: no multicast, no auto-detection), one PostgreSQL database, one fake upstream. What one gateway
 * promises must hold for the three together: one rate limit, one budget, one key store, one cache; and the loss
 * of one node (SIGKILL) must lose no counter.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThreeNodeClusterTest {
  static final String MASTER = "sk-cluster-master-0123456789";
  static final String CHAT = "{\"model\":\"m\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"%s\"}]}";
  @TempDir
  static Path dir;
  static TestUpstream upstream;
  static List<ClusterMember> members = new ArrayList<>();
  static List<Path> configs = new ArrayList<>();
  /** Set by the tests that leave state for the late joiner to find. */
  static String semanticAsk;
  static String limitedKey;

  @BeforeAll
  static void startCluster() throws Exception {
    upstream = TestUpstream.start();
    String db = TestPostgres.freshDatabase("cluster");
    String name = "sluice-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    int[] hz = {ClusterMember.freePort(), ClusterMember.freePort(), ClusterMember.freePort()};
    StringBuilder list = new StringBuilder();
    for (int p : hz) list.append("<member>127.0.0.1:").append(p).append("</member>");
    for (int i = 0; i < 3; i++) {
      Path xml = dir.resolve("hazelcast-" + i + ".xml");
      Files.writeString(xml, hazelcastXml(name, hz[i], list.toString()));
      int port = ClusterMember.freePort();
      Path yaml = dir.resolve("node-" + i + ".yaml");
      Files.writeString(yaml, nodeConfig(port, db, dir.resolve("data-" + i), xml));
      configs.add(yaml);
      members.add(ClusterMember.launch("node-" + i, dir, yaml, port));
    }
    for (ClusterMember m : members) m.awaitListening(Duration.ofSeconds(120));
  }

  /** Loopback-only TCP-IP membership; min cluster size 3, so each node listens once all three formed one cluster. */
  static String hazelcastXml(String name, int port, String members) {
    return """
        <hazelcast xmlns="http://www.hazelcast.com/schema/config">
          <cluster-name>%s</cluster-name>
          <network>
            <port auto-increment="false">%d</port>
            <interfaces enabled="true"><interface>127.0.0.1</interface></interfaces>
            <join>
              <auto-detection enabled="false"/>
              <multicast enabled="false"/>
              <tcp-ip enabled="true"><member-list>%s</member-list></tcp-ip>
            </join>
          </network>
          <properties>
            <property name="hazelcast.initial.min.cluster.size">3</property>
            <property name="hazelcast.partition.count">71</property>
            <property name="hazelcast.wait.seconds.before.join">1</property>
            <property name="hazelcast.max.no.heartbeat.seconds">6</property>
            <property name="hazelcast.heartbeat.interval.seconds">1</property>
            <property name="hazelcast.merge.first.run.delay.seconds">5</property>
          </properties>
        </hazelcast>
        """.formatted(name, port, members);
  }

  static String nodeConfig(int port, String db, Path data, Path xml) {
    return """
        server: {port: %d, master_key: %s, event_loops: 1, drain_timeout: 2s}
        plugins: {dir: "%s"}
        storage: {postgres: "%s", data_dir: "%s"}
        governance: {key_refresh: 60s}
        cluster: {enabled: true, hazelcast: "%s"}
        providers:
          - {id: up, type: openai, base_url: "%s", api_key: sk-upstream}
          - {id: sim, type: demo, latency: 0ms}
        models:
          - {name: m, price: {input: 100, output: 100}, deployments: [{provider: up, model: gpt-4o-mini}]}
          - {name: emb, price: {input: 0, output: 0}, deployments: [{provider: sim, model: demo-embed}]}
        routing:
          watch: 0s
          retries: {attempts: 1}
          breaker: {min_requests: 2, failure_ratio: 0.5, window: 2s, open_for: 3s}
        cache:
          exact: {enabled: false}
          semantic: {enabled: true, embeddings: emb, threshold: 0.95, scope: global}
        """.formatted(port, MASTER, TestGateway.pluginsDir(), db, data, xml, upstream.fake().baseUrl());
  }

  @AfterAll
  static void stopCluster() throws Exception {
    for (ClusterMember m : members) m.close();
    if (upstream != null) upstream.close();
  }

  /** Creates a key through node 0's admin API; answers {id, key}. */
  static JsonObject createKey(String json) {
    HttpResponse<String> r = members.get(0).post("/admin/keys", MASTER, json);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return new JsonObject(r.body());
  }

  /** Waits (bounded) until {@code key} authenticates on every live node. */
  static void awaitKnownEverywhere(String key) {
    for (ClusterMember m : live()) {
      Await.until("the key is known on " + m.name, () -> m.get("/v1/models", key).statusCode() == 200);
    }
  }

  static List<ClusterMember> live() {
    return members.stream().filter(m -> m.process.isAlive()).toList();
  }

  /** Sends {@code n} chat requests at once, spread round-robin over {@code nodes}; answers the responses. */
  static List<HttpResponse<String>> spread(List<ClusterMember> nodes, String key, int n, String text) {
    List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(nodes.get(i % nodes.size()).postAsync("/v1/chat/completions", key, CHAT.formatted(text + " " + i))
          .exceptionally(e -> null));
    }
    return all.stream().map(CompletableFuture::join).toList();
  }

  static long ok(List<HttpResponse<String>> responses) {
    return responses.stream().filter(r -> r != null && r.statusCode() == 200).count();
  }

  @Test
  @Order(1)
  void aRateLimitOfNAdmitsExactlyNWhenTheLoadIsSpreadOverEveryNode() throws Exception {
    String key = createKey("{\"name\":\"rpm\",\"limits\":{\"rpm\":40}}").getString("key");
    awaitKnownEverywhere(key);
    long[] admitted = {ok(spread(members, key, 90, "rpm"))};
    assertThat(admitted[0]).isLessThanOrEqualTo(40);
    // A node may still hold an unused slice of the limit; idle slices go back at a report tick or two, and the
    // node that asks next can use them: the event waited for is the whole limit admitted.
    Await.until("the idle slices go back and are used", () -> {
      admitted[0] += ok(spread(members, key, 3, "rpm-late"));
      return admitted[0] >= 40;
    });
    assertThat(admitted[0]).isEqualTo(40);
    List<HttpResponse<String>> more = spread(members, key, 6, "rpm-over");
    assertThat(ok(more)).isZero();
    assertThat(more.get(0).statusCode()).isEqualTo(429);
    assertThat(more.get(0).body()).contains("rate_limit_exceeded");
  }

  @Test
  @Order(2)
  void aBudgetHoldsAcrossNodes() throws Exception {
    String key = createKey("{\"name\":\"budget\",\"budget\":{\"usd\":0.02,\"period\":\"daily\"}}").getString("key");
    awaitKnownEverywhere(key);
    double[] spent = {0};
    String[] refusal = {null};
    int[] round = {0};
    // A node keeps a remainder of its lease smaller than one request while it is busy; idle, it gives it back
    // at its second report tick, and the node that asks next can use it. The event waited for: what is left is
    // less than one request's reservation (20 output tokens + the prompt at $100 per 1M).
    Await.until("the budget is spent to within one request", Duration.ofSeconds(60), () -> {
      for (HttpResponse<String> r : spread(members, key, 9, "budget " + round[0]++)) {
        if (r != null && r.statusCode() != 200) refusal[0] = r.body();
        if (r != null && r.statusCode() == 200) {
          spent[0] += Double.parseDouble(r.headers().firstValue("x-sluice-cost-usd").orElseThrow());
        }
      }
      assertThat(spent[0]).as("never more than the budget").isLessThanOrEqualTo(0.02 + 1e-9);
      return spent[0] > 0.02 - 0.0035;
    });
    // One node alone could admit 0.02 worth; three nodes with budgets of their own would spend three times that.
    assertThat(spent[0]).as(refusal[0]).isLessThanOrEqualTo(0.02 + 1e-9);
    for (ClusterMember m : members) {
      HttpResponse<String> r = m.post("/v1/chat/completions", key, CHAT.formatted("budget-after"));
      assertThat(r.statusCode()).as(m.name + ": " + r.body()).isEqualTo(429);
      assertThat(r.body()).contains("budget_exceeded");
    }
  }

  @Test
  @Order(3)
  void aKeyBlockedOnOneNodeIsRefusedOnEveryNodeWithinASecond() throws Exception {
    JsonObject created = createKey("{\"name\":\"revoked\"}");
    String key = created.getString("key");
    awaitKnownEverywhere(key);
    HttpResponse<String> patched = members.get(1).patch("/admin/keys/" + created.getString("id"), MASTER,
        "{\"blocked\":true}");
    assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
    long blockedAt = System.nanoTime();
    for (ClusterMember m : members) {
      Await.until(m.name + " refuses the key", Duration.ofSeconds(3),
          () -> m.get("/v1/models", key).statusCode() == 401);
    }
    assertThat((System.nanoTime() - blockedAt) / 1_000_000).as("ms until every node refused the key")
        .isLessThan(1000);
  }

  @Test
  @Order(4)
  void aSemanticCacheEntryStoredThroughOneNodeIsHitThroughAnother() throws Exception {
    String ask = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"How does a canal lock raise a boat "
        + System.nanoTime() + "?\"}]}";
    semanticAsk = ask;
    HttpResponse<String> first = members.get(0).post("/v1/chat/completions", MASTER, ask);
    assertThat(first.headers().firstValue("x-sluice-cache")).as(first.body()).hasValue("MISS");
    for (ClusterMember other : List.of(members.get(1), members.get(2))) {
      int[] callsBefore = {0};
      HttpResponse<String> hit = Await.value("the entry reaches " + other.name, () -> {
        callsBefore[0] = upstream.fake().requestCount();
        HttpResponse<String> r = other.post("/v1/chat/completions", MASTER, ask);
        return r.headers().firstValue("x-sluice-cache").orElse("").equals("SEMANTIC_HIT") ? r : null;
      });
      assertThat(upstream.fake().requestCount()).as("a hit calls no upstream").isEqualTo(callsBefore[0]);
      assertThat(new JsonObject(hit.body()).getJsonArray("choices").getJsonObject(0).getJsonObject("message")
          .getString("content")).isEqualTo(new JsonObject(first.body()).getJsonArray("choices").getJsonObject(0)
          .getJsonObject("message").getString("content"));
    }
  }

  @Test
  @Order(5)
  void afterOneNodeIsKilledMidLoadTheOthersKeepServingAndNoCounterIsLost() throws Exception {
    String key = createKey("{\"name\":\"kill\",\"limits\":{\"rpm\":48}}").getString("key");
    limitedKey = key;
    awaitKnownEverywhere(key);
    long before = ok(spread(members, key, 18, "kill-before"));
    assertThat(before).isEqualTo(18);
    ClusterMember victim = members.get(2);
    List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
    for (int i = 0; i < 6; i++) inFlight.add(victim.postAsync("/v1/chat/completions", key, CHAT.formatted("mid " + i))
        .exceptionally(e -> null));
    victim.kill();
    long duringKill = inFlight.stream().map(CompletableFuture::join).filter(r -> r != null && r.statusCode() == 200)
        .count();
    List<ClusterMember> survivors = live();
    assertThat(survivors).hasSize(2);
    // The survivors serve until the window's limit is reached: every request of a round refused as over the limit
    // (not failed while the cluster takes over the dead member's partitions).
    long[] admittedAfter = {0};
    Await.until("the survivors reach the limit", Duration.ofSeconds(60), () -> {
      List<HttpResponse<String>> round = spread(survivors, key, 8, "kill-after");
      admittedAfter[0] += ok(round);
      return round.stream().allMatch(r -> r != null && r.statusCode() == 429
          && r.body().contains("rate_limit_exceeded"));
    });
    long after = admittedAfter[0];
    long total = before + duringKill + after;
    // Exact: the pools survived the loss of their owner (backups), so the survivors never admit past the limit...
    assertThat(total).isLessThanOrEqualTo(48);
    // ...and they kept serving; only the dead node's unused slice of the window (at most 48/16 + 1) stays counted
    // until the window ends.
    assertThat(after).isGreaterThan(0);
    assertThat(total).isGreaterThanOrEqualTo(48 - 48 / 16 - 6 - 1);
  }

  @Test
  @Order(6)
  void aConfigReloadOnOneNodeReachesEveryNodeWithinASecond() throws Exception {
    for (Path c : configs) {
      Files.writeString(c, Files.readString(c).replace("{name: m, price:", "{name: m, aliases: [m-reloaded], price:"));
    }
    List<ClusterMember> survivors = live();
    HttpResponse<String> reloaded = survivors.get(0).post("/admin/config/reload", MASTER, "");
    assertThat(reloaded.statusCode()).as(reloaded.body()).isEqualTo(200);
    long at = System.nanoTime();
    for (ClusterMember m : survivors) {
      Await.until(m.name + " serves the reloaded config", Duration.ofSeconds(3),
          () -> m.get("/v1/models/m-reloaded", MASTER).statusCode() == 200);
    }
    assertThat((System.nanoTime() - at) / 1_000_000).as("ms until every node reloaded").isLessThan(1000);
  }

  @Test
  @Order(7)
  void aBreakerThatOpensOnOneNodeOpensOnTheOthers() throws Exception {
    List<ClusterMember> survivors = live();
    upstream.fake().failNext(30, 500);
    String here = "";
    // Failures until the window's failure ratio reaches 0.5 (earlier tests' successes are still in the window).
    for (int i = 0; i < 30 && !here.contains("\"breaker\":\"OPEN\""); i++) {
      HttpResponse<String> failed = survivors.get(0).post("/v1/chat/completions", MASTER, CHAT.formatted("fail " + i));
      assertThat(failed.statusCode()).as(failed.body()).isEqualTo(502);
      here = survivors.get(0).get("/admin/models", MASTER).body();
    }
    upstream.fake().reset();
    assertThat(here).contains("\"breaker\":\"OPEN\"");
    Await.until("the other node, which saw no failure, opens its breaker",
        () -> survivors.get(1).get("/admin/models", MASTER).body().contains("\"breaker\":\"OPEN\""));
  }

  @Test
  @Order(8)
  void aNodeThatJoinsLateServesCorrectlyAtOnce() throws Exception {
    // The killed node comes back (same config and ports, as an orchestrator would restart it).
    ClusterMember back = ClusterMember.launch("node-2-restarted", dir, configs.get(2), members.get(2).port);
    members.set(2, back);
    back.awaitListening(Duration.ofSeconds(120));
    // Its first request on the killed node's key is refused: the window's counters live in the cluster.
    HttpResponse<String> limited = back.post("/v1/chat/completions", limitedKey, CHAT.formatted("late"));
    assertThat(limited.statusCode()).as(limited.body()).isEqualTo(429);
    // It loads the semantic cache entries stored before it existed (before any request reaches it)...
    Await.until("the late node loads the shared entries", () -> new JsonObject(back.get("/admin/cache", MASTER).body())
        .getJsonObject("semantic").getInteger("entries") > 0);
    // ...and answers from them: its very first request for that question is a hit.
    HttpResponse<String> hit = back.post("/v1/chat/completions", MASTER, semanticAsk);
    assertThat(hit.headers().firstValue("x-sluice-cache")).as(hit.body()).hasValue("SEMANTIC_HIT");
  }
}

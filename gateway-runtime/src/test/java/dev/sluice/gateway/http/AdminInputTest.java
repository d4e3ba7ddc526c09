package dev.sluice.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.TestGateway;
import dev.sluice.gateway.governance.TestPostgres;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admin input is held to its limits: bodies to 64 KB as they arrive, JSON to a nesting depth, query dates to a
 * range PostgreSQL holds; each break is a 4xx naming the problem.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminInputTest {
  private TestGateway gateway;

  @BeforeAll
  void start(@TempDir Path data) {
    gateway = TestGateway.start("""
        storage: {postgres: "%s", data_dir: "%s"}
        providers: [{id: sim, type: demo}]
        models: [{name: d, deployments: [{provider: sim}]}]
        """.formatted(TestPostgres.freshDatabase("adminbody"), data));
  }

  @AfterAll
  void stop() {
    gateway.close();
  }

  @Test
  void aChunkedAdminBodyPast64KbIsAnswered413BeforeItEnds() {
    try (RawHttp c = new RawHttp(gateway.gateway().port())) {
      c.send("POST /admin/keys HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestGateway.MASTER_KEY
          + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
      String chunk = "x".repeat(16 * 1024);
      c.send("1\r\n{\r\n");
      for (int i = 0; i < 5; i++) c.send(Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
      // The body never ends: only a limit enforced while reading can answer.
      RawHttp.Answer a = c.read(10_000);
      assertThat(a.status()).as(a.head()).isEqualTo(413);
      assertThat(new JsonObject(a.body()).getJsonObject("error").getString("code")).isEqualTo("request_too_large");
    }
  }

  @Test
  void anOutOfRangeSpendDateIs400NamingTheParameter() {
    for (String[] bad : new String[][] {{"from", "-999999999-01-01"}, {"to", "+999999999-12-31"}, {"from", "2025-13-45"}}) {
      var r = gateway.get("/admin/spend?" + bad[0] + "=" + bad[1]);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
      assertThat(new JsonObject(r.body()).getJsonObject("error").getString("param")).isEqualTo(bad[0]);
    }
    var savings = gateway.get("/admin/savings?since=%2B1000000-01-01T00:00:00Z");
    assertThat(savings.statusCode()).as(savings.body()).isEqualTo(400);
    var requests = gateway.get("/admin/requests?since=%2B1000000-01-01T00:00:00Z");
    assertThat(requests.statusCode()).as(requests.body()).isLessThan(500);
  }

  @Test
  void anAdminBodyNested900DeepIs400NamingTheNesting() {
    String metadata = "{\"a\":".repeat(900) + "1" + "}".repeat(900);
    // Bounded: before the limit, this request overflowed the stack of an event loop and was never answered.
    var r = TestGateway.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(gateway.url() + "/admin/keys"))
        .timeout(java.time.Duration.ofSeconds(20)).header("authorization", "Bearer " + TestGateway.MASTER_KEY)
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"deep\",\"metadata\":" + metadata + "}"))
        .build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(new JsonObject(r.body()).getJsonObject("error").getString("message")).contains("deeper than");
  }

  @Test
  void namesThatReachSpendRecordsAreBoundedOnAdminWrites() {
    String huge = "t".repeat(9_000);
    String[][] bad = {
        {"/admin/keys", "{\"name\":\"k\",\"team\":\"" + huge + "\"}", "team"},
        {"/admin/keys", "{\"name\":\"" + huge + "\"}", "name"},
        {"/admin/keys", "{\"name\":\"k\",\"user\":\"a\\u0000b\"}", "user"},
        {"/admin/keys", "{\"name\":\"k\",\"models\":[\"" + huge + "\"]}", "models"},
        {"/admin/users", "{\"id\":\"u1\",\"email\":\"" + huge + "\"}", "email"},
        {"/admin/teams", "{\"id\":\"t1\",\"org\":\"" + huge + "\"}", "org"}};
    for (String[] b : bad) {
      var r = gateway.post(b[0], b[1]);
      assertThat(r.statusCode()).as(b[2] + ": " + r.body()).isEqualTo(400);
      JsonObject error = new JsonObject(r.body()).getJsonObject("error");
      assertThat(error.getString("param")).as(r.body()).isEqualTo(b[2]);
      assertThat(error.getString("message")).hasSizeLessThan(1_000);
    }
    var fine = gateway.post("/admin/keys", "{\"name\":\"k\",\"team\":\"" + "t".repeat(256) + "\"}");
    assertThat(fine.statusCode()).as(fine.body()).isLessThan(300);
  }
}

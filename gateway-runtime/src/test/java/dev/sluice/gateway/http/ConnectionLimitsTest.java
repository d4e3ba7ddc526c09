package dev.sluice.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Connections held to server.header_timeout, body_timeout, idle_timeout and max_connections before anyone
 * authenticates: slowloris connections are closed while others are served, a trickled body is answered 408.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectionLimitsTest {
  private static final long HEADER_TIMEOUT_MS = 2000;
  private TestGateway gateway;
  private int port;

  @BeforeAll
  void start() {
    gateway = TestGateway.start("header_timeout: 2s, body_timeout: 1s, idle_timeout: 1s, max_connections: 400, ", """
        providers: [{id: sim, type: demo}]
        models: [{name: d, deployments: [{provider: sim}]}]
        """);
    port = gateway.gateway().port();
  }

  @AfterAll
  void stop() {
    gateway.close();
  }

  @Test
  void threeHundredSlowlorisConnectionsAreClosedWithinTheHeaderTimeoutWhileANormalRequestIsServed() {
    List<RawHttp> slow = new ArrayList<>();
    long[] openedAt = new long[300];
    try {
      for (int i = 0; i < 300; i++) {
        openedAt[i] = System.nanoTime();
        slow.add(new RawHttp(port).send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nX-Slow-" + i + ": 1\r\n"));
      }
      HttpResponse<String> normal = gateway.post("/v1/chat/completions",
          "{\"model\":\"d\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
      assertThat(normal.statusCode()).as(normal.body()).isEqualTo(200);
      long firstClosed = 0;
      for (int i = 0; i < slow.size(); i++) {
        // The timeout, plus the clock's tick and slack for a loaded machine (accepts lag).
        long left = HEADER_TIMEOUT_MS + 3000 - (System.nanoTime() - openedAt[i]) / 1_000_000;
        assertThat(slow.get(i).closedWithin((int) Math.max(1, left))).as("connection %d closed in time", i).isTrue();
        if (i == 0) firstClosed = (System.nanoTime() - openedAt[0]) / 1_000_000;
      }
      assertThat(firstClosed).as("not closed before the header timeout").isGreaterThanOrEqualTo(HEADER_TIMEOUT_MS - 100);
    } finally {
      slow.forEach(RawHttp::close);
    }
  }

  @Test
  void aBodyThatTricklesIsAnswered408InTheRoutesFormatAndClosed() {
    try (RawHttp c = new RawHttp(port)) {
      c.send("POST /v1/messages HTTP/1.1\r\nHost: x\r\nx-api-key: " + TestGateway.MASTER_KEY
          + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"model\":");
      RawHttp.Answer a = c.read(5000);
      assertThat(a.status()).as(a.head()).isEqualTo(408);
      JsonObject body = new JsonObject(a.body());
      assertThat(body.getString("type")).isEqualTo("error"); // Anthropic's shape on /v1/messages
      assertThat(body.getJsonObject("error").getString("message")).contains("server.body_timeout");
      assertThat(c.closedWithin(2000)).isTrue();
    }
  }

  @Test
  void anIdleKeptAliveConnectionIsClosedAfterTheIdleTimeout() {
    try (RawHttp c = new RawHttp(port)) {
      RawHttp.Answer a = c.send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n").read(5000);
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.closed()).isFalse();
      long answered = System.nanoTime();
      assertThat(c.closedWithin(3000)).isTrue();
      assertThat((System.nanoTime() - answered) / 1_000_000).isGreaterThanOrEqualTo(500);
    }
  }

  @Test
  void pastMaxConnectionsANewConnectionIsClosedAndAFreedPlaceServesAgain() {
    TestGateway small = TestGateway.start("max_connections: 3, ", """
        providers: [{id: sim, type: demo}]
        models: [{name: d, deployments: [{provider: sim}]}]
        """);
    List<RawHttp> held = new ArrayList<>();
    try {
      int p = small.gateway().port();
      for (int i = 0; i < 3; i++) {
        RawHttp c = new RawHttp(p);
        assertThat(c.send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n").read(5000).status()).isEqualTo(200);
        held.add(c);
      }
      try (RawHttp extra = new RawHttp(p)) {
        assertThat(extra.closedWithin(3000)).as("the fourth connection is closed at once").isTrue();
      }
      held.remove(0).close();
      RawHttp.Answer again = null;
      for (int i = 0; i < 50 && (again == null || again.status() != 200); i++) { // the close reaches the server
        try (RawHttp c = new RawHttp(p)) {
          again = c.send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n").read(2000);
        }
      }
      assertThat(again.status()).isEqualTo(200);
    } finally {
      held.forEach(RawHttp::close);
      small.close();
    }
  }
}

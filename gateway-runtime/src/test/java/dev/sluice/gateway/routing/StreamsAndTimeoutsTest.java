package dev.sluice.gateway.routing;

import static dev.sluice.gateway.routing.Fakes.chat;
import static dev.sluice.gateway.routing.Fakes.provider;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.TestGateway;
import dev.sluice.testkit.FakeFault;
import dev.sluice.testkit.FakeOpenAiUpstream;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Held streams (retry before content, error event after), and the first-token, idle and total timeouts. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamsAndTimeoutsTest {
  private static final String CHAT = "/v1/chat/completions";
  private Fakes fakes;
  private FakeOpenAiUpstream primary;
  private FakeOpenAiUpstream backup;
  private TestGateway g;

  @BeforeAll
  void start() {
    fakes = new Fakes();
    primary = fakes.start();
    backup = fakes.start();
    g = TestGateway.start("providers:\n" + provider("primary", primary) + provider("backup", backup) + """
        models:
          - {name: m, deployments: [{provider: primary, model: x}]}
          - {name: spare, deployments: [{provider: backup, model: y}]}
          - {name: solo, deployments: [{provider: primary, model: z}]}
        routing:
          retries: {attempts: 1}
          timeouts: {first_token: 400ms, idle: 300ms, total: 3s}
          breaker: {min_requests: 1000}
          fallbacks:
            - {from: m, to: [spare]}
          rules:
            - {when: {model: solo}, timeouts: {first_token: 2s, idle: 300ms, total: 3s}}
        """);
  }

  @BeforeEach
  void reset() {
    primary.reset();
    backup.reset();
  }

  @AfterAll
  void stop() {
    g.close();
    fakes.close();
  }

  @Test
  void anErrorBeforeTheFirstContentFallsBackEvenInAn200Stream() {
    primary.enqueue(FakeFault.errorEventAfter(0)); // HTTP 200, first event is an error
    HttpResponse<String> r = g.post(CHAT, chat("m", true));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).endsWith("data: [DONE]\n\n").doesNotContain("\"error\"");
    assertThat(r.headers().firstValue("x-sluice-provider")).hasValue("backup");
    assertThat(r.headers().firstValue("x-sluice-attempts")).hasValue("2");
    primary.enqueue(FakeFault.status(503));
    assertThat(g.post(CHAT, chat("m", true)).headers().firstValue("x-sluice-provider")).hasValue("backup");
    primary.enqueue(FakeFault.resetAfter(0));
    HttpResponse<String> reset = g.post(CHAT, chat("m", true));
    assertThat(reset.body()).endsWith("data: [DONE]\n\n");
    assertThat(reset.headers().firstValue("x-sluice-provider")).hasValue("backup");
  }

  @Test
  void aFailureAfterContentEndsTheStreamWithAnErrorEvent() {
    primary.enqueue(FakeFault.errorEventAfter(2));
    HttpResponse<String> r = g.post(CHAT, chat("m", true));
    assertThat(r.statusCode()).isEqualTo(200);
    String[] events = r.body().split("\n\n");
    assertThat(events[events.length - 1]).startsWith("data: {\"error\"");
    assertThat(r.body()).contains("\"content\"").doesNotContain("[DONE]");
    assertThat(backup.requestCount()).isZero();
  }

  @Test
  void firstTokenTimeoutCancelsTheUpstreamAndFallsBack() {
    primary.enqueue(FakeFault.hang());
    long start = System.nanoTime();
    HttpResponse<String> r = g.post(CHAT, chat("m", false));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-sluice-provider")).hasValue("backup");
    assertThat((System.nanoTime() - start) / 1_000_000).isBetween(350L, 2500L);
    TestGateway.await(primary.awaitDisconnects(1));
    // Streams too: headers but no first chunk in time.
    primary.enqueue(FakeFault.NONE.withFirstChunkDelay(2000));
    HttpResponse<String> s = g.post(CHAT, chat("m", true));
    assertThat(s.body()).endsWith("data: [DONE]\n\n");
    assertThat(s.headers().firstValue("x-sluice-provider")).hasValue("backup");
    TestGateway.await(primary.awaitDisconnects(2));
  }

  @Test
  void idleGapInAStreamEndsItWithATimeoutEventAndCancelsTheUpstream() {
    primary.chunkGap(700);
    HttpResponse<String> r = g.post(CHAT, chat("solo", true));
    assertThat(r.statusCode()).isEqualTo(200);
    String[] events = r.body().split("\n\n");
    JsonObject error = new JsonObject(events[events.length - 1].substring(6)).getJsonObject("error");
    assertThat(error.getString("message")).contains("routing.timeouts.idle");
    TestGateway.await(primary.awaitDisconnects(1));
  }

  @Test
  void totalTimeoutBoundsTheWholeRequest() {
    primary.chunkGap(250).streamChunks(40); // never idle for 300 ms, but 40 x 250 ms is over the 3 s total
    long start = System.nanoTime();
    HttpResponse<String> r = g.post(CHAT, chat("solo", true, "a long answer please, many words to stream out"));
    long ms = (System.nanoTime() - start) / 1_000_000;
    String[] events = r.body().split("\n\n");
    assertThat(events[events.length - 1]).contains("routing.timeouts.total");
    assertThat(ms).isBetween(2900L, 5000L);
    TestGateway.await(primary.awaitDisconnects(1));
  }
}

package dev.sluice.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.TestGateway;
import dev.sluice.gateway.TestUpstream;
import dev.sluice.gateway.time.ManualClock;
import dev.sluice.testkit.FakeFault;
import dev.sluice.testkit.FakeOpenAiUpstream;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The exact cache end to end, through the master key: hits never reach the upstream, every Cache-Control
 * directive, replay across JSON and streams, and no entry from an error or a cut stream.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExactCacheTest {
  static final String CHAT = "/v1/chat/completions";
  private TestUpstream upstreamServer;
  private FakeOpenAiUpstream upstream;
  private TestGateway gateway;
  /** Entry ages and time to live run on this clock: a test advances it instead of waiting. */
  private final ManualClock clock = new ManualClock();

  @BeforeAll
  void start() {
    upstreamServer = TestUpstream.start();
    upstream = upstreamServer.fake();
    gateway = TestGateway.start("""
        providers:
          - {id: fake, type: openai, base_url: "%s", api_key: sk-upstream-key}
        models:
          - {name: m, deployments: [{provider: fake, model: gpt-upstream}]}
        cache:
          exact: {enabled: true, backend: memory, ttl: 1h, max_size: 8MB}
        routing: {retries: {attempts: 1}}   # each upstream failure reaches the cache as it is
        """.formatted(upstream.baseUrl()), clock);
  }

  @BeforeEach
  void reset() {
    upstream.reset();
  }

  @AfterAll
  void stop() {
    gateway.close();
    upstreamServer.close();
  }

  /** A request body with a question nobody asked before (so tests do not share entries). */
  static String body(String question, boolean stream) {
    JsonObject b = new JsonObject().put("model", "m").put("stream", stream).put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", question)));
    if (stream) b.put("stream_options", new JsonObject().put("include_usage", true));
    return b.encode();
  }

  static String fresh() {
    return "What is " + UUID.randomUUID() + "?";
  }

  HttpResponse<String> post(String body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.url() + CHAT))
        .header("authorization", "Bearer " + TestGateway.MASTER_KEY).header("content-type", "application/json");
    for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    return TestGateway.send(b.POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  static String cache(HttpResponse<String> r) {
    return r.headers().firstValue("x-sluice-cache").orElse(null);
  }

  static String text(HttpResponse<String> r) {
    return new JsonObject(r.body()).getJsonArray("choices").getJsonObject(0).getJsonObject("message")
        .getString("content");
  }

  /** The text a stream carried, after checking it is well formed: data events, then [DONE]. */
  static String streamText(HttpResponse<String> r) {
    assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
    List<String> events = new ArrayList<>();
    for (String line : r.body().split("\n")) if (line.startsWith("data: ")) events.add(line.substring(6));
    assertThat(events).isNotEmpty();
    assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
    StringBuilder text = new StringBuilder();
    boolean finished = false;
    for (String e : events.subList(0, events.size() - 1)) {
      JsonObject chunk = new JsonObject(e);
      assertThat(chunk.getString("object")).isEqualTo("chat.completion.chunk");
      for (Object c : chunk.getJsonArray("choices")) {
        JsonObject delta = ((JsonObject) c).getJsonObject("delta");
        if (delta != null && delta.getString("content") != null) text.append(delta.getString("content"));
        if (((JsonObject) c).getString("finish_reason") != null) finished = true;
      }
    }
    assertThat(finished).as("a finish_reason").isTrue();
    return text.toString();
  }

  @Test
  void aRepeatedRequestIsAHitThatNeverReachesTheUpstream() {
    String q = fresh();
    HttpResponse<String> first = post(body(q, false));
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(cache(first)).isEqualTo("MISS");
    HttpResponse<String> second = post(body(q, false));
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(cache(second)).isEqualTo("HIT");
    assertThat(text(second)).isEqualTo(text(first));
    assertThat(second.headers().firstValue("x-sluice-provider")).isEmpty();
    assertThat(upstream.requestCount()).isEqualTo(1);
  }

  /** Every hit writes the entry's one encoded body, concurrently too: none may consume or change it. */
  @Test
  void manyConcurrentHitsServeTheSameBytes() throws Exception {
    String q = fresh();
    HttpResponse<String> first = post(body(q, false));
    assertThat(cache(first)).isEqualTo("MISS");
    String stored = post(body(q, false)).body();
    var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<HttpResponse<String>>> hits = new ArrayList<>();
      for (int i = 0; i < 64; i++) hits.add(pool.submit(() -> post(body(q, false))));
      for (var h : hits) {
        HttpResponse<String> r = h.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(cache(r)).isEqualTo("HIT");
        assertThat(r.body()).isEqualTo(stored);
      }
    } finally {
      pool.shutdown();
    }
    assertThat(text(first)).isEqualTo(text(post(body(q, false))));
  }

  @Test
  void userAndMetadataDoNotChangeTheKeyButParametersDo() {
    String q = fresh();
    post(body(q, false));
    JsonObject withUser = new JsonObject(body(q, false)).put("user", "u-42")
        .put("metadata", new JsonObject().put("tag", "x"));
    assertThat(cache(post(withUser.encode()))).isEqualTo("HIT");
    JsonObject warmer = new JsonObject(body(q, false)).put("temperature", 0.7);
    assertThat(cache(post(warmer.encode()))).isEqualTo("MISS");
    JsonObject seeded = new JsonObject(body(q, false)).put("seed", 7);
    assertThat(cache(post(seeded.encode()))).isEqualTo("MISS");
    assertThat(upstream.requestCount()).isEqualTo(3);
  }

  @Test
  void noCacheSkipsTheLookupButStores() {
    String q = fresh();
    post(body(q, false));
    HttpResponse<String> bypass = post(body(q, false), "cache-control", "no-cache");
    assertThat(cache(bypass)).isEqualTo("BYPASS");
    assertThat(upstream.requestCount()).isEqualTo(2);
    String other = fresh();
    assertThat(cache(post(body(other, false), "cache-control", "no-cache"))).isEqualTo("BYPASS");
    assertThat(cache(post(body(other, false)))).isEqualTo("HIT");
    assertThat(upstream.requestCount()).isEqualTo(3);
  }

  @Test
  void noStoreNeitherLooksUpNorStores() {
    String q = fresh();
    assertThat(cache(post(body(q, false), "cache-control", "no-store"))).isEqualTo("BYPASS");
    assertThat(cache(post(body(q, false)))).isEqualTo("MISS");
    assertThat(cache(post(body(q, false), "cache-control", "no-store"))).isEqualTo("BYPASS");
    assertThat(upstream.requestCount()).isEqualTo(3);
  }

  @Test
  void maxAgeAcceptsOnlyYoungerEntries() {
    String q = fresh();
    post(body(q, false));
    assertThat(cache(post(body(q, false), "cache-control", "max-age=60"))).isEqualTo("HIT");
    clock.advance(Duration.ofMillis(1100));
    assertThat(cache(post(body(q, false), "cache-control", "max-age=1"))).isEqualTo("MISS");
    assertThat(upstream.requestCount()).isEqualTo(2);
    assertThat(cache(post(body(q, false), "cache-control", "max-age=0"))).isEqualTo("MISS");
    HttpResponse<String> bad = post(body(q, false), "cache-control", "max-age=soon");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("max-age");
  }

  @Test
  void anEntryLivesForTheConfiguredTimeToLive() {
    String q = fresh();
    assertThat(cache(post(body(q, false)))).isEqualTo("MISS");
    clock.advance(Duration.ofMinutes(59));
    assertThat(cache(post(body(q, false)))).as("59 min into cache.exact.ttl 1h").isEqualTo("HIT");
    clock.advance(Duration.ofMinutes(2));
    assertThat(cache(post(body(q, false)))).as("61 min into cache.exact.ttl 1h").isEqualTo("MISS");
    assertThat(upstream.requestCount()).isEqualTo(2);
  }

  @Test
  void aStreamIsStoredAndReplayedAsAStreamAndAsJson() {
    String q = fresh();
    HttpResponse<String> first = post(body(q, true));
    assertThat(cache(first)).isEqualTo("MISS");
    String original = streamText(first);
    HttpResponse<String> replay = post(body(q, true));
    assertThat(cache(replay)).isEqualTo("HIT");
    assertThat(streamText(replay)).isEqualTo(original);
    assertThat(replay.body()).contains("\"usage\"");
    HttpResponse<String> json = post(body(q, false));
    assertThat(cache(json)).isEqualTo("HIT");
    assertThat(text(json)).isEqualTo(original);
    assertThat(upstream.requestCount()).isEqualTo(1);
  }

  @Test
  void jsonIsReplayedAsAStream() {
    String q = fresh();
    String original = text(post(body(q, false)));
    HttpResponse<String> replay = post(body(q, true));
    assertThat(cache(replay)).isEqualTo("HIT");
    assertThat(streamText(replay)).isEqualTo(original);
    assertThat(upstream.requestCount()).isEqualTo(1);
  }

  @Test
  void errorsAreNotStored() {
    String q = fresh();
    upstream.failNext(1, 500);
    HttpResponse<String> failed = post(body(q, false));
    assertThat(failed.statusCode()).isGreaterThanOrEqualTo(500);
    assertThat(cache(post(body(q, false)))).isEqualTo("MISS");
    assertThat(upstream.requestCount()).isEqualTo(2);
  }

  @Test
  void aStreamEndingInAnErrorEventIsNotStored() {
    String q = fresh();
    upstream.enqueue(FakeFault.errorEventAfter(2));
    HttpResponse<String> cut = post(body(q, true));
    assertThat(cut.body()).contains("\"error\"");
    assertThat(cache(post(body(q, true)))).isEqualTo("MISS");
    assertThat(upstream.requestCount()).isEqualTo(2);
  }

  @Test
  void aResetStreamIsNotStored() {
    String q = fresh();
    upstream.enqueue(FakeFault.resetAfter(2));
    post(body(q, true));
    assertThat(cache(post(body(q, false)))).isEqualTo("MISS");
    assertThat(upstream.requestCount()).isEqualTo(2);
  }

  @Test
  void adminCacheReportsAndFlushes() {
    String q = fresh();
    post(body(q, false));
    post(body(q, false));
    HttpResponse<String> stats = gateway.get("/admin/cache");
    assertThat(stats.statusCode()).as(stats.body()).isEqualTo(200);
    JsonObject s = new JsonObject(stats.body());
    assertThat(s.getLong("hits")).isPositive();
    assertThat(s.getJsonObject("exact").getLong("entries")).isPositive();
    assertThat(s.getJsonObject("exact").getLong("bytes")).isPositive();
    assertThat(s.getJsonObject("savings").getLong("total_tokens")).isPositive();
    HttpResponse<String> flushed = TestGateway.send(HttpRequest.newBuilder(URI.create(gateway.url()
        + "/admin/cache?scope=key:master")).header("authorization", "Bearer " + TestGateway.MASTER_KEY)
        .DELETE().build());
    assertThat(flushed.statusCode()).as(flushed.body()).isEqualTo(200);
    assertThat(new JsonObject(flushed.body()).getLong("flushed")).isPositive();
    assertThat(cache(post(body(q, false)))).isEqualTo("MISS");
    HttpResponse<String> noKey = TestGateway.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/admin/cache"))
        .GET().build());
    assertThat(noKey.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(noKey.body()).getJsonObject("error").getString("type")).isEqualTo("authentication_error");
  }
}

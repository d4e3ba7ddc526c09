package dev.sluice.gateway.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.gateway.TestGateway;
import dev.sluice.gateway.TestUpstream;
import dev.sluice.gateway.governance.TestPostgres;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Known traffic through a real gateway (PostgreSQL governance, exact cache, retries and a fallback) against a fake
 * upstream on loopback, then a scrape of {@code /metrics}: every count and sum checked exactly, and the access log
 * and all other log output searched for secrets.
 */
class MetricsEndToEndTest {
  private static final String UPSTREAM_SECRET = "sk-upstream-SECRET-7f3a9c1e5b";
  private static final String CHAT = "{\"model\":\"%s\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\","
      + "\"content\":\"%s\"}]}";
  private static final String STREAM = "{\"model\":\"chat-a\",\"stream\":true,\"stream_options\":"
      + "{\"include_usage\":true},\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"stream me\"}]}";
  @TempDir
  static Path data;
  static TestUpstream upstream;
  static TestGateway gateway;
  static CapturedLogs logs;
  static String alpha;
  static String limited;
  static String broke;
  static final List<HttpResponse<String>> answers = new ArrayList<>();
  /** Prompt and completion tokens of the answers an upstream billed (not the cache hit). */
  static long promptTokens;
  static long completionTokens;
  static HttpResponse<String> miss;
  static HttpResponse<String> hit;
  static HttpResponse<String> streamed;
  static HttpResponse<String> retried;
  static HttpResponse<String> fellBack;
  static HttpResponse<String> rateLimited;
  static HttpResponse<String> budgetRefused;

  @BeforeAll
  static void traffic() {
    logs = CapturedLogs.attach();
    String db = TestPostgres.freshDatabase("obs");
    upstream = TestUpstream.start();
    upstream.fake().requireApiKey(UPSTREAM_SECRET);
    String base = upstream.fake().baseUrl();
    gateway = TestGateway.start("""
        storage: {postgres: "%s", data_dir: "%s"}
        providers:
          - {id: up, type: openai, base_url: "%s", api_key: "%s"}
          - {id: dead, type: openai, base_url: "http://127.0.0.1:1/v1", api_key: "%s"}
        models:
          - {name: chat-a, price: {input: 1.0, output: 2.0}, deployments: [{provider: up, model: model-a}]}
          - {name: chat-b, price: {input: 1.0, output: 2.0}, deployments: [{provider: up, model: model-b}]}
          - {name: chat-c, price: {input: 1.0, output: 2.0}, deployments: [{provider: dead, model: model-c}]}
        routing:
          retries: {attempts: 2, backoff: 1ms, max_backoff: 2ms}
          fallbacks: [{from: chat-c, to: [chat-a]}]
        cache: {exact: {enabled: true, backend: memory, ttl: 1h}}
        """.formatted(db, data, base, UPSTREAM_SECRET, UPSTREAM_SECRET));
    HttpResponse<String> team = call("POST", "/admin/teams", TestGateway.MASTER_KEY,
        "{\"id\":\"gamma\",\"budget\":{\"usd\":0.000001,\"period\":\"daily\"}}");
    assertThat(team.statusCode()).as(team.body()).isEqualTo(201);
    alpha = key("{\"name\":\"a\",\"team\":\"alpha\"}");
    limited = key("{\"name\":\"l\",\"team\":\"beta\",\"limits\":{\"rpm\":1}}");
    broke = key("{\"name\":\"g\",\"team\":\"gamma\"}");

    miss = billed(chat(alpha, "chat-a", "hello"));
    hit = chat(alpha, "chat-a", "hello");
    streamed = call("POST", "/v1/chat/completions", alpha, STREAM);
    for (String line : streamed.body().split("\n")) {
      if (line.startsWith("data: {") && line.contains("\"usage\":{")) {
        JsonObject u = new JsonObject(line.substring(6)).getJsonObject("usage");
        promptTokens += u.getLong("prompt_tokens");
        completionTokens += u.getLong("completion_tokens");
      }
    }
    answers.add(streamed);
    upstream.fake().failNext(1, 500);
    retried = billed(chat(alpha, "chat-b", "retry me"));
    fellBack = billed(chat(alpha, "chat-c", "fall back"));
    billed(chat(limited, "chat-a", "first"));
    rateLimited = chat(limited, "chat-a", "second");
    budgetRefused = chat(broke, "chat-a", "too dear");
  }

  @AfterAll
  static void stop() {
    try {
      if (gateway != null) gateway.close();
      if (upstream != null) upstream.close();
    } finally {
      if (logs != null) logs.close();
    }
  }

  static HttpResponse<String> call(String method, String path, String key, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.url() + path)).header("content-type",
        "application/json");
    if (key != null) b.header("authorization", "Bearer " + key);
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return TestGateway.send(b.build());
  }

  static String key(String json) {
    HttpResponse<String> r = call("POST", "/admin/keys", TestGateway.MASTER_KEY, json);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return new JsonObject(r.body()).getString("key");
  }

  static HttpResponse<String> chat(String key, String model, String text) {
    HttpResponse<String> r = call("POST", "/v1/chat/completions", key, CHAT.formatted(model, text));
    answers.add(r);
    return r;
  }

  static HttpResponse<String> billed(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonObject u = new JsonObject(r.body()).getJsonObject("usage");
    promptTokens += u.getLong("prompt_tokens");
    completionTokens += u.getLong("completion_tokens");
    return r;
  }

  static Prometheus scrapeNow() {
    HttpResponse<String> r = TestGateway.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/metrics")).GET()
        .build());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/plain; version=0.0.4");
    return Prometheus.parse(r.body());
  }

  /** A scrape once every request is counted: observers run right after an answer's last byte is written. */
  static Prometheus scrape() {
    logs.awaitAccess(answers.size());
    return scrapeNow();
  }

  @Test
  void theTrafficWentAsPlanned() {
    assertThat(hit.headers().firstValue("x-sluice-cache")).hasValue("HIT");
    assertThat(streamed.statusCode()).isEqualTo(200);
    assertThat(retried.headers().firstValue("x-sluice-attempts")).hasValue("2");
    assertThat(fellBack.headers().firstValue("x-sluice-attempts")).hasValue("3");
    assertThat(fellBack.headers().firstValue("x-sluice-model")).hasValue("model-a");
    assertThat(rateLimited.statusCode()).isEqualTo(429);
    assertThat(rateLimited.body()).contains("rate_limit_exceeded");
    assertThat(budgetRefused.statusCode()).isEqualTo(429);
    assertThat(budgetRefused.body()).contains("budget_exceeded");
  }

  @Test
  void requestCountsByOutcomeCacheStatusAndTeam() {
    Prometheus m = scrape();
    assertThat(m.sum("sluice_requests_total")).isEqualTo(answers.size());
    assertThat(m.sum("sluice_requests_total", "status_class=2xx")).isEqualTo(6);
    assertThat(m.sum("sluice_requests_total", "status_class=4xx")).isEqualTo(2);
    assertThat(m.sum("sluice_requests_total", "team=alpha", "model=chat-a", "provider=up", "deployment=model-a",
        "cache=MISS", "status_class=2xx")).isEqualTo(3); // the first call, the stream and the fallback
    assertThat(m.sum("sluice_requests_total", "team=alpha", "cache=HIT")).isEqualTo(1);
    // A hit calls no provider: it carries no provider label.
    assertThat(m.sum("sluice_requests_total", "cache=HIT", "provider=none", "deployment=none")).isEqualTo(1);
    // The fallback is counted under the group that answered.
    assertThat(m.sum("sluice_requests_total", "model=chat-a", "team=alpha")).isEqualTo(4);
    assertThat(m.sum("sluice_requests_total", "model=chat-b", "team=alpha")).isEqualTo(1);
    assertThat(m.sum("sluice_requests_total", "team=beta")).isEqualTo(2);
    assertThat(m.sum("sluice_requests_total", "team=gamma", "status_class=4xx", "provider=none")).isEqualTo(1);
  }

  @Test
  void rejectionsRetriesFallbacksAndAttempts() {
    Prometheus m = scrape();
    assertThat(m.sum("sluice_rate_limit_rejections_total")).isEqualTo(1);
    assertThat(m.sum("sluice_rate_limit_rejections_total", "team=beta", "model=chat-a")).isEqualTo(1);
    assertThat(m.sum("sluice_budget_rejections_total")).isEqualTo(1);
    assertThat(m.sum("sluice_budget_rejections_total", "team=gamma", "model=chat-a")).isEqualTo(1);
    // chat-b: a 500 then a success on the same deployment; chat-c: two refused connections, then chat-a.
    assertThat(m.sum("sluice_retries_total", "model=chat-b")).isEqualTo(1);
    assertThat(m.sum("sluice_retries_total")).isEqualTo(2);
    assertThat(m.sum("sluice_fallbacks_total", "from=chat-c", "to=chat-a")).isEqualTo(1);
    assertThat(m.sum("sluice_fallbacks_total")).isEqualTo(1);
    assertThat(m.sum("sluice_upstream_attempts_total", "outcome=ok")).isEqualTo(5);
    assertThat(m.sum("sluice_upstream_attempts_total", "model=chat-b", "outcome=upstream_error")).isEqualTo(1);
    assertThat(m.sum("sluice_upstream_attempts_total", "model=chat-c", "provider=dead")).isEqualTo(2);
    assertThat(m.sum("sluice_upstream_attempts_total")).isEqualTo(8);
  }

  @Test
  void tokensCostAndCacheSavings() {
    Prometheus m = scrape();
    assertThat(m.sum("sluice_tokens_total", "type=prompt")).isEqualTo(promptTokens);
    assertThat(m.sum("sluice_tokens_total", "type=completion")).isEqualTo(completionTokens);
    assertThat(m.sum("sluice_tokens_total", "type=cached")).isZero();
    // $1 per million prompt tokens, $2 per million completion tokens, for every model here.
    assertThat(m.sum("sluice_cost_usd_total")).isCloseTo((promptTokens + 2.0 * completionTokens) / 1e6,
        within(1e-12));
    JsonObject u = new JsonObject(miss.body()).getJsonObject("usage");
    double missCost = (u.getLong("prompt_tokens") + 2.0 * u.getLong("completion_tokens")) / 1e6;
    assertThat(m.sum("sluice_cache_savings_usd_total", "team=alpha", "model=chat-a")).isCloseTo(missCost,
        within(1e-12));
    assertThat(Double.parseDouble(hit.headers().firstValue("x-sluice-cost-usd").orElseThrow())).isZero();
  }

  @Test
  void latencyHistogramsCountEveryRequest() {
    Prometheus m = scrape();
    assertThat(m.sum("sluice_request_duration_seconds_count")).isEqualTo(answers.size());
    assertThat(m.sum("sluice_gateway_overhead_seconds_count")).isEqualTo(answers.size());
    // Upstream time only where an upstream was called: not the hit nor the two refusals.
    assertThat(m.sum("sluice_upstream_duration_seconds_count")).isEqualTo(answers.size() - 3);
    assertThat(m.sum("sluice_time_to_first_token_seconds_count")).isEqualTo(1);
    assertThat(m.sum("sluice_time_to_first_token_seconds_count", "model=chat-a", "deployment=model-a")).isEqualTo(1);
    // Buckets are cumulative, in seconds: the largest holds every request.
    assertThat(m.sum("sluice_request_duration_seconds_bucket", "le=+Inf")).isEqualTo(answers.size());
    assertThat(m.matching("sluice_request_duration_seconds_bucket", "le=0.005")).isNotEmpty();
    double total = m.sum("sluice_request_duration_seconds_sum");
    double overhead = m.sum("sluice_gateway_overhead_seconds_sum");
    assertThat(total).isPositive();
    assertThat(overhead).isPositive().isLessThanOrEqualTo(total);
  }

  @Test
  void breakerStateAndBudgetGauges() {
    Prometheus m = scrape();
    assertThat(m.matching("sluice_circuit_breaker_state")).extracting(s -> s.labels().get("deployment"))
        .containsExactlyInAnyOrder("model-a", "model-b", "model-c");
    assertThat(m.sum("sluice_circuit_breaker_state", "provider=up")).isZero();
    assertThat(m.sum("sluice_budget_limit_usd", "scope=team", "name=gamma")).isEqualTo(0.000001);
    assertThat(m.sum("sluice_budget_remaining_usd", "scope=team", "name=gamma")).isEqualTo(0.000001);
    // Keys and users are never labels.
    assertThat(m.matching("sluice_budget_remaining_usd", "scope=key")).isEmpty();
  }

  @Test
  void labelsAreBoundedAndHoldNoSecret() {
    HttpResponse<String> r = TestGateway.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/metrics")).GET()
        .build());
    for (String secret : List.of(alpha, limited, broke, TestGateway.MASTER_KEY, UPSTREAM_SECRET)) {
      assertThat(r.body()).doesNotContain(secret);
    }
    assertThat(r.body()).doesNotContain("hello").doesNotContain("x-request-id");
    for (Prometheus.Sample s : Prometheus.parse(r.body()).samples()) {
      if (!s.name().startsWith("sluice_")) continue;
      assertThat(s.labels().keySet()).as(s.name()).isSubsetOf("model", "provider", "deployment", "team",
          "status_class", "cache", "type", "outcome", "from", "to", "reason", "scope", "name", "le");
    }
  }

  @Test
  void oneAccessLogLinePerRequestWithItsFacts() {
    List<JsonObject> lines = logs.awaitAccess(answers.size()).stream().map(JsonObject::new).toList();
    assertThat(lines).hasSize(answers.size());
    for (HttpResponse<String> a : answers) {
      String id = a.headers().firstValue("x-request-id").orElseThrow();
      JsonObject line = lines.stream().filter(l -> id.equals(l.getString("request_id"))).findFirst().orElseThrow();
      assertThat(line.getInteger("status")).isEqualTo(a.statusCode());
    }
    JsonObject fb = line(fellBack);
    assertThat(fb.getString("team")).isEqualTo("alpha");
    assertThat(fb.getString("key_prefix")).isNotBlank().isEqualTo(alpha.substring(0, fb.getString("key_prefix").length()));
    assertThat(fb.getString("model_requested")).isEqualTo("chat-c");
    assertThat(fb.getString("model")).isEqualTo("chat-a");
    assertThat(fb.getString("provider")).isEqualTo("up");
    assertThat(fb.getString("deployment")).isEqualTo("model-a");
    assertThat(fb.getInteger("attempts")).isEqualTo(3);
    assertThat(fb.getInteger("retries")).isEqualTo(1);
    assertThat(fb.getInteger("fallbacks")).isEqualTo(1);
    assertThat(fb.getString("cache")).isEqualTo("MISS");
    assertThat(fb.getDouble("cost_usd")).isPositive();
    assertThat(fb.getDouble("total_ms")).isGreaterThanOrEqualTo(fb.getDouble("upstream_ms"));
    JsonObject s = line(streamed);
    assertThat(s.getBoolean("stream")).isTrue();
    assertThat(s.getDouble("ttfb_ms")).isPositive().isLessThanOrEqualTo(s.getDouble("total_ms"));
    assertThat(s.getLong("tokens_out")).isPositive();
    JsonObject b = line(budgetRefused);
    assertThat(b.getString("error_type")).isEqualTo("budget_exceeded");
    assertThat(b.getInteger("attempts")).isZero();
    // No prompt or completion unless observability.log_prompts is on.
    assertThat(String.join("\n", logs.access())).doesNotContain("hello").doesNotContain("stream me")
        .doesNotContain("\"messages\"").doesNotContain("\"completion\"");
  }

  @Test
  void noSecretReachesAnyLog() {
    List<String> all = logs.all();
    assertThat(all).isNotEmpty();
    assertThat(logs.awaitAccess(answers.size())).hasSize(answers.size());
    for (String secret : List.of(alpha, limited, broke, TestGateway.MASTER_KEY, UPSTREAM_SECRET)) {
      for (String line : all) assertThat(line).doesNotContain(secret);
    }
  }

  private static JsonObject line(HttpResponse<String> answer) {
    return logs.awaitLine(answer.headers().firstValue("x-request-id").orElseThrow());
  }
}

package dev.sluice.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.TestGateway;
import dev.sluice.gateway.governance.TestPostgres;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed requests on every route, from a seeded generator (the seed is in each failure, so a failure replays):
 * invalid and truncated JSON, a wrong type for each field, deep nesting, huge strings and arrays, invalid UTF-8,
 * bad headers, protocol garbage, all over raw sockets. Every one is answered within its bound, never 5xx, and
 * every error carries a JSON body in its route's format (Anthropic's on /v1/messages*, else OpenAI's).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FuzzTest {
  private static final long SEED = Long.getLong("sluice.fuzz.seed", 18L);
  private static final int REQUESTS = 600;
  private static final int ANSWER_WITHIN_MS = 10_000;
  private static final int HEADER_TIMEOUT_MS = 3000;
  private static final String KEY = TestGateway.MASTER_KEY;
  private TestGateway gateway;
  private Random random;

  /** One generated request: the route it aims at (for the error format) and its bytes. */
  private record Case(String label, String path, byte[] bytes) {}

  @BeforeAll
  void start(@TempDir Path data) {
    gateway = TestGateway.start("header_timeout: 3s, body_timeout: 3s, max_body_size: 1MB, ", """
        storage: {postgres: "%s", data_dir: "%s"}
        providers: [{id: sim, type: demo, latency: 0ms, first_token: 0ms}]
        models: [{name: d, deployments: [{provider: sim}]}]
        observability: {metrics: {enabled: true}}
        """.formatted(TestPostgres.freshDatabase("fuzz"), data));
  }

  @AfterAll
  void stop() {
    gateway.close();
  }

  @Test
  void malformedRequestsOnEveryRouteAreAnsweredBelow500WithAJsonErrorInTheRoutesFormat() {
    random = new Random(SEED);
    List<Supplier<Case>> generators = List.of(this::chatWrongType, this::chatBrokenJson, this::messagesWrongType,
        this::messagesBrokenJson, this::embeddingsWrongType, this::adminBody, this::adminQuery, this::getRoutes,
        this::badHeaders, this::garbage, this::hugeValues, this::deepNesting, this::invalidUtf8);
    List<String> failures = new ArrayList<>();
    long started = System.nanoTime();
    for (int i = 0; i < REQUESTS; i++) {
      Case c = generators.get(i % generators.size()).get();
      long sent = System.nanoTime();
      RawHttp.Answer a;
      try (RawHttp conn = new RawHttp(gateway.gateway().port())) {
        a = conn.send(c.bytes()).read(ANSWER_WITHIN_MS);
      }
      long ms = (System.nanoTime() - sent) / 1_000_000;
      String problem = judge(c, a, ms);
      if (problem != null) {
        failures.add("#" + i + " (seed " + SEED + ") " + c.label() + ": " + problem + "\n  sent: "
            + preview(c.bytes()) + "\n  got: " + a.head().replace("\r\n", " | ") + " " + preview(a.body()));
      }
    }
    assertThat(failures).as("%d of %d requests misanswered", failures.size(), REQUESTS).isEmpty();
    assertThat((System.nanoTime() - started) / 1_000_000_000).isLessThan(120);
  }

  private static String judge(Case c, RawHttp.Answer a, long ms) {
    // Netty's parser takes a request line of fewer than three words for stray bytes and waits for a request: no
    // request ever starts, so the connection is closed at the header timeout, unanswered but not hung.
    if (a.status() == 0 && c.label().equals("garbage") && a.closed() && ms < HEADER_TIMEOUT_MS + 2000) return null;
    if (a.status() == 0) return "no answer within " + ms + " ms (closed: " + a.closed() + ")";
    if (a.status() >= 500 && a.status() != 505) return "status " + a.status();
    if (a.status() < 400) return null;
    if (a.body().isEmpty()) return "an empty error body";
    JsonObject body;
    try {
      body = new JsonObject(a.body());
    } catch (RuntimeException e) {
      return "an error body that is not a JSON object";
    }
    boolean anthropic = c.path().startsWith("/v1/messages");
    if (anthropic) {
      if (!"error".equals(body.getString("type")) || !(body.getValue("error") instanceof JsonObject e)
          || e.getString("message") == null || e.getString("type") == null) {
        return "not Anthropic's error shape";
      }
    } else if (!(body.getValue("error") instanceof JsonObject e) || e.getString("message") == null
        || e.getString("type") == null) {
      return "not OpenAI's error shape";
    }
    return null;
  }

  // ---- generators ----

  private static final Object[] WRONG = {123, -1, 1.5e308, "text", "", true, null, new io.vertx.core.json.JsonArray(),
      new JsonObject(), new io.vertx.core.json.JsonArray().add(1).add("x"), new JsonObject().put("a", 1)};

  private Object wrong() {
    return WRONG[random.nextInt(WRONG.length)];
  }

  private JsonObject chat() {
    return new JsonObject().put("model", "d").put("messages", new io.vertx.core.json.JsonArray()
        .add(new JsonObject().put("role", "user").put("content", "hi")));
  }

  private Case chatWrongType() {
    String[] fields = {"model", "messages", "stream", "temperature", "top_p", "max_tokens", "max_completion_tokens",
        "n", "stop", "tools", "tool_choice", "response_format", "user", "seed", "stream_options", "logit_bias",
        "presence_penalty", "frequency_penalty", "logprobs", "parallel_tool_calls", "messages.0.role",
        "messages.0.content", "messages.0", "messages.0.tool_calls", "messages.0.name", "metadata"};
    JsonObject body = chat();
    String field = fields[random.nextInt(fields.length)];
    put(body, field, wrong());
    return post("/v1/chat/completions", "chat " + field, body.encode());
  }

  private Case messagesWrongType() {
    String[] fields = {"model", "max_tokens", "messages", "system", "tools", "tool_choice", "stream", "temperature",
        "top_k", "top_p", "stop_sequences", "metadata", "messages.0.role", "messages.0.content", "messages.0",
        "thinking"};
    JsonObject body = new JsonObject().put("model", "d").put("max_tokens", 5).put("messages",
        new io.vertx.core.json.JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
    String field = fields[random.nextInt(fields.length)];
    put(body, field, wrong());
    String path = random.nextInt(4) == 0 ? "/v1/messages/count_tokens" : "/v1/messages";
    return post(path, "messages " + field, body.encode());
  }

  private Case embeddingsWrongType() {
    String[] fields = {"model", "input", "encoding_format", "dimensions", "user"};
    JsonObject body = new JsonObject().put("model", "d").put("input", "hello");
    String field = fields[random.nextInt(fields.length)];
    put(body, field, wrong());
    return post("/v1/embeddings", "embeddings " + field, body.encode());
  }

  private Case chatBrokenJson() {
    String good = chat().encode();
    String[] broken = {good.substring(0, random.nextInt(good.length())), good + "}", "{\"model\":\"d\",}", "[]",
        "null", "\"str\"", "42", "{'model':'d'}", "{\"model\":\"d\" \"messages\":[]}", "{\"model\":\"\\uZZZZ\"}",
        "", "{\"model\":\"d\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} trailing",
        "{\"a\":1e999999}", "{\"a\":" + "9".repeat(2000) + "}"};
    return post("/v1/chat/completions", "chat broken json", broken[random.nextInt(broken.length)]);
  }

  private Case messagesBrokenJson() {
    String[] broken = {"{", "{\"model\":", "[1,2", "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":", "tru"};
    return post("/v1/messages", "messages broken json", broken[random.nextInt(broken.length)]);
  }

  private Case adminBody() {
    String[] paths = {"/admin/keys", "/admin/teams", "/admin/users", "/admin/orgs", "/admin/keys/" + token()};
    String[] fields = {"name", "role", "team", "user", "org", "models", "expires_at", "metadata", "limits", "budget",
        "blocked", "id", "limits.rpm", "limits.tpm", "budget.usd", "budget.period", "key"};
    String path = paths[random.nextInt(paths.length)];
    JsonObject body = new JsonObject().put("name", "fuzz").put("id", "fuzz-" + random.nextInt(1000));
    String field = fields[random.nextInt(fields.length)];
    put(body, field, random.nextBoolean() ? wrong() : "+1000000-01-01T00:00:00Z");
    String method = path.startsWith("/admin/keys/") ? (random.nextBoolean() ? "PATCH" : "DELETE") : "POST";
    String text = random.nextInt(5) == 0 ? body.encode().substring(0, 5) : body.encode();
    return request(method, path, "admin " + method + " " + field, text, "application/json");
  }

  private Case adminQuery() {
    String[] routes = {"/admin/spend?from=%s", "/admin/spend?to=%s", "/admin/spend?group_by=%s", "/admin/spend?bucket=%s",
        "/admin/savings?since=%s", "/admin/savings?until=%s", "/admin/requests?since=%s", "/admin/requests?limit=%s",
        "/admin/requests?cursor=%s", "/admin/requests/%s", "/admin/stats?since=%s", "/admin/deployments?since=%s",
        "/admin/audit?since=%s", "/admin/audit?limit=%s", "/admin/budgets?x=%s", "/admin/cache?scope=%s",
        "/admin/models?x=%s", "/admin/%s", "/admin/prices?%s", "/admin/session?x=%s", "/admin/requests?status=%s"};
    String[] values = {"-999999999-01-01", "%2B1000000-01-01T00:00:00Z", "abc", "-1", "99999999999999999999", "%00",
        "%ff%fe", "2025-02-30", "1e9", "%27%3B+DROP+TABLE+keys", token()};
    String route = routes[random.nextInt(routes.length)].formatted(values[random.nextInt(values.length)]);
    String method = route.startsWith("/admin/cache") && random.nextBoolean() ? "DELETE" : "GET";
    return request(method, route, "admin query", null, null);
  }

  private Case getRoutes() {
    String[] paths = {"/v1/models", "/v1/models/" + token(), "/v1/models/%00%ff", "/v1/models/" + "m".repeat(3000),
        "/health/live", "/health/ready", "/metrics", "/ui/", "/ui/../../etc/passwd", "/ui/%2e%2e/%2e%2e/pom.xml",
        "/ui/app.js?x=%ff", "/nowhere/" + token(), "/v1/chat/completions", "/v1/messages", "/v1/embeddings",
        "/admin/config/reload"};
    String[] methods = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "BREW"};
    String path = paths[random.nextInt(paths.length)];
    String method = methods[random.nextInt(methods.length)];
    if (method.equals("HEAD")) method = "GET"; // a HEAD answer has no body to judge
    return request(method, path, "route " + method, random.nextBoolean() ? "{}" : null, "application/json");
  }

  private Case badHeaders() {
    String body = chat().encode();
    String[] headers = {"Content-Length: abc\r\n", "Content-Length: -5\r\n", "Content-Length: 5\r\nContent-Length: 7\r\n",
        "Transfer-Encoding: gzip\r\n", "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n", "Authorization: Bearer\r\n",
        "Authorization: Basic Zm9vOmJhcg==\r\n", "x-api-key: \r\n", "x-sluice-metadata: {\r\n",
        "x-sluice-metadata: " + "{\"a\":".repeat(200) + "1" + "}".repeat(200) + "\r\n", "x-sluice-metadata: null\r\n",
        "x-sluice-semantic-threshold: banana\r\n", "Cache-Control: max-age=-5, no-store=x\r\n", "Content-Type: text/plain\r\n",
        "X-No-Colon-Here\r\n", "Bad Header: space in name\r\n", "x-request-id: " + "r".repeat(4000) + "\r\n",
        "Content-Encoding: gzip\r\n", "Content-Encoding: br\r\n", "Expect: 100-continue\r\n", "Host: \r\nHost: a\r\n"};
    String h = headers[random.nextInt(headers.length)];
    String[] paths = {"/v1/chat/completions", "/v1/messages", "/v1/embeddings"};
    String path = paths[random.nextInt(paths.length)];
    boolean ownLength = h.startsWith("Content-Length") || h.startsWith("Transfer-Encoding");
    String head = "POST " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        + (h.startsWith("Authorization") || h.startsWith("x-api-key") ? "" : "Authorization: Bearer " + KEY + "\r\n")
        + h + (ownLength ? "" : "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n") + "\r\n";
    return new Case("header " + h.trim(), path, (head + body).getBytes(StandardCharsets.ISO_8859_1));
  }

  private Case garbage() {
    String[] texts = {"GARBAGE\r\n\r\n", "GET\r\n\r\n", "GET / HTTP/9.9\r\nHost: x\r\n\r\n", "GET / HTTP/1.1 extra\r\n\r\n",
        "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nAuthorization: Bearer " + KEY
            + "\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", "GET /" + "a".repeat(9000) + " HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1\r\nX: " + "b".repeat(20000) + "\r\n\r\n", "\u0000\u0001\u0002\u0003\r\n\r\n",
        "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "GET /v1/models HTTP/1.1\r\nHost: x\r\n\u0000: y\r\n\r\n",
        "GET http://[::1 HTTP/1.1\r\n\r\n", "GET %%% HTTP/1.1\r\nHost: x\r\n\r\n"};
    String t = texts[random.nextInt(texts.length)];
    byte[] noise = new byte[random.nextInt(64)];
    random.nextBytes(noise);
    for (int i = 0; i < noise.length; i++) if (noise[i] == '\r' || noise[i] == '\n') noise[i] = 'x';
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (random.nextInt(3) == 0) {
      out.writeBytes(noise);
      out.writeBytes(" / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    } else {
      out.writeBytes(t.getBytes(StandardCharsets.ISO_8859_1));
    }
    String path = t.startsWith("POST /v1/chat") ? "/v1/chat/completions" : "/";
    return new Case("garbage", path, out.toByteArray());
  }

  private Case hugeValues() {
    JsonObject body = chat();
    switch (random.nextInt(5)) {
      case 0 -> body.put("model", "m".repeat(9000));
      case 1 -> body.getJsonArray("messages").getJsonObject(0).put("content", "x".repeat(900_000));
      case 2 -> {
        io.vertx.core.json.JsonArray stops = new io.vertx.core.json.JsonArray();
        for (int i = 0; i < 50_000; i++) stops.add("s");
        body.put("stop", stops);
      }
      case 3 -> body.put("user", "u".repeat(100_000));
      default -> {
        io.vertx.core.json.JsonArray messages = new io.vertx.core.json.JsonArray();
        for (int i = 0; i < 30_000; i++) messages.add(new JsonObject().put("role", "user").put("content", "a"));
        body.put("messages", messages);
      }
    }
    String[] paths = {"/v1/chat/completions", "/v1/messages", "/v1/embeddings"};
    String path = paths[random.nextInt(paths.length)];
    if (path.equals("/v1/embeddings")) body.put("input", body.getString("model"));
    if (path.equals("/v1/messages")) body.put("max_tokens", 5);
    return post(path, "huge", body.encode());
  }

  private Case deepNesting() {
    int depth = 100 + random.nextInt(3000);
    String deep = "[".repeat(depth) + "]".repeat(depth);
    String deepObject = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    String[] paths = {"/v1/chat/completions", "/v1/messages", "/v1/embeddings", "/admin/keys", "/admin/teams"};
    String path = paths[random.nextInt(paths.length)];
    String body = random.nextBoolean() ? "{\"model\":\"d\",\"messages\":" + deep + "}"
        : "{\"model\":\"d\",\"name\":\"n\",\"metadata\":" + deepObject + ",\"tools\":" + deep + "}";
    return post(path, "deep " + depth, body);
  }

  private Case invalidUtf8() {
    byte[][] bad = {{(byte) 0xff}, {(byte) 0xc3}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xf8, 1, 2, 3},
        {(byte) 0xe2, (byte) 0x82}, {(byte) 0xc0, (byte) 0xaf}};
    byte[] b = bad[random.nextInt(bad.length)];
    String[] paths = {"/v1/chat/completions", "/v1/messages", "/v1/embeddings", "/admin/keys"};
    String path = paths[random.nextInt(paths.length)];
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes("{\"model\":\"d\",\"max_tokens\":5,\"input\":\"".getBytes(StandardCharsets.UTF_8));
    body.writeBytes(b);
    body.writeBytes("\",\"name\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":\"".getBytes(StandardCharsets.UTF_8));
    body.writeBytes(b);
    body.writeBytes("\"}]}".getBytes(StandardCharsets.UTF_8));
    byte[] bytes = body.toByteArray();
    String head = "POST " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer " + KEY
        + "\r\nx-sluice-metadata: {\"t\":\"\u00ff\"}\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
        + "\r\n\r\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(bytes);
    return new Case("invalid utf-8", path, out.toByteArray());
  }

  // ---- helpers ----

  private String token() {
    String alphabet = "abcXYZ019-_.%~!*'();:@&=+$,/?#[]";
    StringBuilder s = new StringBuilder();
    for (int i = 0, n = 1 + random.nextInt(40); i < n; i++) s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    return s.toString().replace("#", "%23").replace("?", "%3F").replace("/", "%2F").replace("[", "%5B")
        .replace("]", "%5D").replace("%2", "%252").replace("%5", "%255");
  }

  /** Sets {@code path} (dotted; a number is an array index) in {@code body} to {@code value}. */
  private static void put(JsonObject body, String path, Object value) {
    String[] parts = path.split("\\.");
    Object node = body;
    for (int i = 0; i < parts.length - 1; i++) {
      Object next = node instanceof JsonObject o ? o.getValue(parts[i])
          : ((io.vertx.core.json.JsonArray) node).getValue(Integer.parseInt(parts[i]));
      if (next == null) {
        next = new JsonObject();
        if (node instanceof JsonObject o) o.put(parts[i], next);
      }
      node = next;
    }
    String last = parts[parts.length - 1];
    if (node instanceof JsonObject o) o.put(last, value);
    else ((io.vertx.core.json.JsonArray) node).set(Integer.parseInt(last), value);
  }

  private Case post(String path, String label, String body) {
    return request("POST", path, label, body, "application/json");
  }

  private static Case request(String method, String path, String label, String body, String type) {
    byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    String head = method + " " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer " + KEY
        + "\r\n" + (body == null ? "" : "Content-Type: " + type + "\r\nContent-Length: " + b.length + "\r\n") + "\r\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(b);
    String p = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    return new Case(label, p, out.toByteArray());
  }

  private static String preview(byte[] bytes) {
    return preview(new String(bytes, 0, Math.min(bytes.length, 300), StandardCharsets.ISO_8859_1));
  }

  private static String preview(String s) {
    String p = s.length() > 300 ? s.substring(0, 300) + "..." : s;
    return p.replace("\r\n", "\\r\\n");
  }
}

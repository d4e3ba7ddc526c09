package dev.sluice.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /ui} on a gateway without storage: content types, caching headers and ETags, 404 for anything that is
 * not one of the dashboard's files (traversal included), and the session the dashboard signs in with.
 */
class UiAssetsTest {
  static TestGateway gateway;

  @BeforeAll
  static void start() {
    gateway = TestGateway.start("""
        storage: {postgres: none}
        providers: [{id: demo, type: demo}]
        models: [{name: demo, deployments: [{provider: demo, model: demo-1}]}]
        """);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) gateway.close();
  }

  static HttpResponse<String> get(String path, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gateway.url() + path)).GET();
    for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    return TestGateway.send(b.build());
  }

  @Test
  void thePageIsServedWithItsTypeStrictHeadersAndRevalidation() {
    HttpResponse<String> root = get("/ui");
    assertThat(root.statusCode()).isEqualTo(308);
    assertThat(root.headers().firstValue("location")).contains("/ui/");
    HttpResponse<String> page = get("/ui/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-type")).contains("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("cache-control")).contains("no-cache");
    assertThat(page.headers().firstValue("x-content-type-options")).contains("nosniff");
    assertThat(page.headers().firstValue("content-security-policy").orElseThrow()).contains("script-src 'self'")
        .contains("frame-ancestors 'none'");
    assertThat(page.body()).contains("<title>Sluice dashboard</title>").contains("vendor/chart.umd.js");
    String etag = page.headers().firstValue("etag").orElseThrow();
    assertThat(get("/ui/", "if-none-match", etag).statusCode()).isEqualTo(304);
    assertThat(get("/ui/", "if-none-match", "\"other\"").statusCode()).isEqualTo(200);
  }

  @Test
  void scriptsStylesAndTheChartLibraryHaveTheirTypes() {
    HttpResponse<String> app = get("/ui/app.js");
    assertThat(app.statusCode()).isEqualTo(200);
    assertThat(app.headers().firstValue("content-type")).contains("text/javascript; charset=utf-8");
    assertThat(get("/ui/pages/overview.js").headers().firstValue("content-type")).contains("text/javascript; charset=utf-8");
    assertThat(get("/ui/style.css").headers().firstValue("content-type")).contains("text/css; charset=utf-8");
    assertThat(get("/ui/favicon.svg").headers().firstValue("content-type")).contains("image/svg+xml");
    HttpResponse<String> chart = get("/ui/vendor/chart.umd.js");
    assertThat(chart.statusCode()).isEqualTo(200);
    assertThat(chart.headers().firstValue("cache-control")).contains("public, max-age=86400");
    assertThat(chart.body()).contains("Chart.js v" + UiAssets.CHART_JS_VERSION);
  }

  @Test
  void anythingElseIs404AndTraversalNeverReachesTheClasspath() throws Exception {
    for (String path : new String[] {"/ui/nope.js", "/ui/pages", "/ui/pages/", "/ui/vendor/", "/ui/vendor/x.js",
        "/ui/logback.xml", "/ui/index.html.bak", "/ui/%2e%2e/logback.xml", "/ui/pages/%2e%2e/app.js",
        "/ui/..%2fdb/migration/index.txt", "/ui/vendor/chart.umd.js.map", "/uix"}) {
      HttpResponse<String> r = get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(404);
      assertThat(r.body()).as(path).contains("\"error\"");
    }
    // Raw request lines, not normalized by any client.
    for (String path : new String[] {"/ui/../db/migration/index.txt", "/ui/./app.js", "/ui//app.js",
        "/ui/vendor/../../logback.xml", "/ui/\\..\\logback.xml"}) {
      assertThat(rawStatus(path)).as(path).isIn(400, 404);
    }
    assertThat(UiAssets.resource("../logback.xml")).isNull();
    assertThat(UiAssets.resource("pages/../../x.js")).isNull();
    assertThat(UiAssets.resource("pages")).isNull();
    assertThat(UiAssets.resource("vendor/../index.html")).isNull();
    assertThat(UiAssets.resource("pages/overview.js")).isEqualTo("ui/pages/overview.js");
    HttpResponse<String> post = TestGateway.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/ui/"))
        .POST(HttpRequest.BodyPublishers.noBody()).build());
    assertThat(post.statusCode()).isEqualTo(400);
    assertThat(post.headers().firstValue("allow")).contains("GET, HEAD");
  }

  @Test
  void withoutStorageTheSessionSaysSoAndOnlyTheMasterKeySignsIn() {
    HttpResponse<String> session = get("/admin/session", "authorization", "Bearer " + TestGateway.MASTER_KEY);
    assertThat(session.statusCode()).isEqualTo(200);
    JsonObject s = new JsonObject(session.body());
    assertThat(s.getBoolean("storage")).isFalse();
    assertThat(s.getJsonObject("request_log").getBoolean("enabled")).isFalse();
    assertThat(get("/admin/session", "authorization", "Bearer sk-wrong-key-123456").statusCode()).isEqualTo(401);
    assertThat(get("/admin/session").statusCode()).isEqualTo(401);
  }

  private static int rawStatus(String path) throws Exception {
    try (Socket s = new Socket("127.0.0.1", gateway.gateway().port())) {
      OutputStream out = s.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      return Integer.parseInt(status.substring(9, 12));
    }
  }
}

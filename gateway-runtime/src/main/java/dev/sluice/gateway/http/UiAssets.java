package dev.sluice.gateway.http;

import dev.sluice.api.GatewayError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * {@code /ui}: the dashboard's static files from the classpath ({@code ui/} in the jar) and Chart.js from its
 * WebJar under {@code /ui/vendor/}. A path is served only when every segment is a plain name
 * ({@code [A-Za-z0-9_-]}, one dot before a known extension), so {@code ..}, encoded slashes and directories never
 * reach the class loader; anything else is a 404. Files are read once, on a worker, then kept in memory with
 * their ETag: the page's own files revalidate on every load ({@code no-cache}, answered 304 when unchanged), the
 * versioned vendor file is cached for a day.
 */
final class UiAssets {
  static final String CHART_JS_VERSION = "4.4.1";
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-]+");
  private static final Pattern FILE = Pattern.compile("[A-Za-z0-9_-]+\\.(html|js|css|svg|png|ico|json)");
  private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml",
      "png", "image/png", "ico", "image/x-icon", "json", "application/json");
  private static final Map<String, String> VENDOR = Map.of("chart.umd.js",
      "META-INF/resources/webjars/chart.js/" + CHART_JS_VERSION + "/dist/chart.umd.js");
  /** Only the page's own files and Chart.js run; no inline script, nothing from elsewhere. */
  private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private record Asset(Buffer body, String type, String etag, String cacheControl) {}

  private final ClassLoader loader = UiAssets.class.getClassLoader();
  private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();

  static boolean handles(String path) {
    return path.equals("/ui") || path.startsWith("/ui/");
  }

  void handle(HttpServerRequest req) {
    HttpServerResponse res = req.response();
    if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
      res.putHeader("allow", "GET, HEAD");
      throw GatewayError.of(GatewayError.Kind.BAD_REQUEST, req.method() + " is not allowed on " + req.path() + "; use GET.");
    }
    String path = req.path();
    if (path.equals("/ui")) {
      res.setStatusCode(308).putHeader(HttpHeaders.LOCATION, "/ui/").end();
      return;
    }
    String resource = resource(path.substring("/ui/".length()));
    if (resource == null) throw notFound(path);
    Optional<Asset> known = cache.get(resource);
    Future<Optional<Asset>> asset = known != null ? Future.succeededFuture(known)
        : Vertx.currentContext().owner().executeBlocking(() -> load(resource), false).andThen(ar -> {
          if (ar.succeeded()) cache.put(resource, ar.result());
        });
    asset.onComplete(ar -> {
      if (ar.failed()) {
        Routes.fail(res, OpenAiFormat.INSTANCE, ar.cause());
      } else if (ar.result().isEmpty()) {
        Routes.fail(res, OpenAiFormat.INSTANCE, notFound(path));
      } else {
        send(req, ar.result().get());
      }
    });
  }

  /** The classpath resource for a path below {@code /ui/}, or null when the path is not one we serve. */
  static String resource(String rest) {
    if (rest.isEmpty()) return "ui/index.html";
    if (rest.startsWith("vendor/")) return VENDOR.get(rest.substring("vendor/".length()));
    String[] segments = rest.split("/", -1);
    for (int i = 0; i < segments.length - 1; i++) {
      if (!SEGMENT.matcher(segments[i]).matches()) return null;
    }
    if (!FILE.matcher(segments[segments.length - 1]).matches()) return null;
    return "ui/" + rest;
  }

  private Optional<Asset> load(String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) return Optional.empty();
      byte[] bytes = in.readAllBytes();
      String ext = resource.substring(resource.lastIndexOf('.') + 1);
      String etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12) + "\"";
      String cacheControl = resource.startsWith("META-INF/") ? "public, max-age=86400" : "no-cache";
      return Optional.of(new Asset(Buffer.buffer(bytes), TYPES.get(ext), etag, cacheControl));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void send(HttpServerRequest req, Asset a) {
    HttpServerResponse res = req.response();
    res.putHeader(HttpHeaders.CACHE_CONTROL, a.cacheControl()).putHeader(HttpHeaders.ETAG, a.etag())
        .putHeader("x-content-type-options", "nosniff").putHeader("referrer-policy", "no-referrer");
    if (a.type().startsWith("text/html")) {
      res.putHeader("content-security-policy", CSP).putHeader("x-frame-options", "DENY");
    }
    String match = req.getHeader(HttpHeaders.IF_NONE_MATCH);
    if (match != null && match.contains(a.etag())) {
      res.setStatusCode(304).end();
      return;
    }
    res.putHeader(HttpHeaders.CONTENT_TYPE, a.type());
    if (req.method() == HttpMethod.HEAD) {
      res.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(a.body().length())).end();
    } else {
      res.end(a.body());
    }
  }

  private static GatewayError notFound(String path) {
    return GatewayError.notFound("No dashboard file at " + path + ". The dashboard is at /ui/.");
  }
}

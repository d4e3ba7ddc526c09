package dev.sluice.gateway;

import dev.sluice.gateway.config.ConfigLoader;
import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.gateway.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A real gateway on a loopback port, loading the packaged plugins from target/plugins as users do. */
public final class TestGateway implements AutoCloseable {
  public static final String MASTER_KEY = "sk-test-master-0123456789";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Vertx vertx;
  private final Gateway gateway;

  private TestGateway(Vertx vertx, Gateway gateway) {
    this.vertx = vertx;
    this.gateway = gateway;
  }

  public static Path pluginsDir() {
    return Path.of(System.getProperty("sluice.plugins.dir", "../target/plugins")).toAbsolutePath();
  }

  public static Path root() {
    return Path.of(System.getProperty("sluice.root", "..")).toAbsolutePath();
  }

  /** Parses {@code yaml} (providers, models, ...) behind a test server section. */
  public static GatewayConfig config(String yaml) {
    return config("", yaml);
  }

  /** As {@link #config(String)}, with more {@code server:} keys ({@code "header_timeout: 1s, "}). */
  public static GatewayConfig config(String serverKeys, String yaml) {
    String full = "server: {" + serverKeys + "port: 0, master_key: " + MASTER_KEY + ", event_loops: 1, "
        + "drain_timeout: 5s, max_body_size: 64KB}\n" + "plugins: {dir: \"" + pluginsDir() + "\"}\n" + yaml;
    return ConfigLoader.parse(full, "test-config.yaml", Map.<String, String>of()::get, root());
  }

  public static TestGateway start(String yaml) {
    return start("", yaml, Clock.SYSTEM);
  }

  /** A gateway whose every decision reads {@code clock}: a {@code ManualClock} the test advances. */
  public static TestGateway start(String yaml, Clock clock) {
    return start("", yaml, clock);
  }

  /** Starts with more {@code server:} keys, e.g. {@code "header_timeout: 1s, "}. */
  public static TestGateway start(String serverKeys, String yaml) {
    return start(serverKeys, yaml, Clock.SYSTEM);
  }

  private static TestGateway start(String serverKeys, String yaml, Clock clock) {
    Vertx vertx = Vertx.vertx();
    try {
      return new TestGateway(vertx, await(Gateway.start(vertx, config(serverKeys, yaml), clock)));
    } catch (RuntimeException e) {
      vertx.close();
      throw e;
    }
  }

  public Gateway gateway() {
    return gateway;
  }

  public String url() {
    return "http://127.0.0.1:" + gateway.port();
  }

  public String openAiBaseUrl() {
    return url() + "/v1";
  }

  public HttpResponse<String> post(String path, String body) {
    return send(HttpRequest.newBuilder(URI.create(url() + path)).header("authorization", "Bearer " + MASTER_KEY)
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  public HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(URI.create(url() + path)).header("authorization", "Bearer " + MASTER_KEY)
        .GET().build());
  }

  public static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      await(gateway.stop());
    } finally {
      await(vertx.close());
    }
  }
}

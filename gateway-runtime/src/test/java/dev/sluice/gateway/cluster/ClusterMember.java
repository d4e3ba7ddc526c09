package dev.sluice.gateway.cluster;

import dev.sluice.gateway.TestGateway;
import dev.sluice.tck.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One Sluice node of a test cluster: a separate JVM running the gateway's {@code Main} on the test classpath,
 * as {@code ./sluice} does (the same Hazelcast flags), with its output in files of its own.
 */
final class ClusterMember implements AutoCloseable {
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final List<String> HAZELCAST_OPENS = List.of("--add-modules", "java.se",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

  final String name;
  final int port;
  final Process process;
  final Path out;
  final Path err;

  private ClusterMember(String name, int port, Process process, Path out, Path err) {
    this.name = name;
    this.port = port;
    this.process = process;
    this.out = out;
    this.err = err;
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts a member on {@code config} (which must listen on {@code port}); does not wait for it. */
  static ClusterMember launch(String name, Path dir, Path config, int port) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xms64m", "-Xmx384m", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", "-Xss512k"));
    cmd.addAll(HAZELCAST_OPENS);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "-Dsluice.home=" + TestGateway.root(),
        "dev.sluice.gateway.Main", "--config", config.toString()));
    Path out = dir.resolve(name + ".out");
    Path err = dir.resolve(name + ".err");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    return new ClusterMember(name, port, p, out, err);
  }

  /** Waits (bounded) until the member printed that it listens; fails with its output if it died or timed out. */
  void awaitListening(Duration timeout) {
    try {
      Await.until(name + " listens", timeout, () -> listening() || !process.isAlive());
    } catch (AssertionError e) {
      throw new AssertionError(name + " did not start in time:\n" + tail(), e);
    }
    if (!listening()) throw new AssertionError(name + " died before it listened:\n" + tail());
  }

  private boolean listening() {
    try {
      return Files.readString(out, StandardCharsets.UTF_8).contains("Sluice is listening on");
    } catch (java.io.IOException e) {
      return false;
    }
  }

  String tail() {
    try {
      String e = Files.readString(err, StandardCharsets.UTF_8);
      return Files.readString(out, StandardCharsets.UTF_8) + "\n" + e.substring(Math.max(0, e.length() - 6000));
    } catch (IOException e) {
      return e.toString();
    }
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  HttpRequest.Builder request(String path, String key) {
    return HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(30))
        .header("authorization", "Bearer " + key).header("content-type", "application/json");
  }

  CompletableFuture<HttpResponse<String>> postAsync(String path, String key, String body) {
    return HTTP.sendAsync(request(path, key).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String key, String body) {
    return postAsync(path, key, body).join();
  }

  HttpResponse<String> patch(String path, String key, String body) {
    return HTTP.sendAsync(request(path, key).method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString()).join();
  }

  HttpResponse<String> get(String path, String key) {
    return HTTP.sendAsync(request(path, key).GET().build(), HttpResponse.BodyHandlers.ofString()).join();
  }

  /** SIGKILL: no drain, no goodbye to the cluster. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    if (!process.isAlive()) return;
    process.destroy();
    if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) kill();
  }
}

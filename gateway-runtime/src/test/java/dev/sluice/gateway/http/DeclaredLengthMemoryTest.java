package dev.sluice.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.gateway.TestGateway;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that declares a large body and sends a little of it holds memory for what it sent, not for what it
 * declared. Measured as the resident set of a gateway in its own JVM (Linux /proc), as an operator sees it.
 */
class DeclaredLengthMemoryTest {
  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
  private static final long MB = 1024 * 1024;

  @Test
  void hundredConnectionsDeclaring15MbAndSending100BytesRaiseRssByLessThan100Mb(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "needs Linux /proc to read a process's RSS");
    Path config = dir.resolve("sluice.yaml");
    Files.writeString(config, """
        server: {port: 0, master_key: %s, event_loops: 1, max_body_size: 16MB}
        plugins: {dir: "%s"}
        providers: [{id: sim, type: demo, latency: 0ms, first_token: 0ms}]
        models: [{name: d, deployments: [{provider: sim}]}]
        """.formatted(TestGateway.MASTER_KEY, TestGateway.pluginsDir()));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(List.of(java, "-Xmx1g", "-XX:+UseSerialGC", "-cp",
        System.getProperty("java.class.path"), "-Dsluice.home=" + TestGateway.root(), "dev.sluice.gateway.Main",
        "--config", config.toString())).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    List<RawHttp> held = new ArrayList<>();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      Matcher m = null;
      for (int i = 0; i < 50 && (m == null || !m.find()); i++) {
        String line = out.readLine();
        assertThat(line).as("the gateway printed its URL").isNotNull();
        m = LISTENING.matcher(line);
      }
      int port = URI.create(m.group(1)).getPort();
      for (int i = 0; i < 20; i++) { // warm: the request path's classes and buffers are in before the baseline
        try (RawHttp c = new RawHttp(port)) {
          String body = "{\"model\":\"d\",\"messages\":[]}";
          assertThat(c.send(post(body.length(), body)).read(10_000).status()).isEqualTo(400);
        }
      }
      long before = rss(p.pid());
      String head = post(15 * MB, "");
      for (int i = 0; i < 100; i++) {
        held.add(new RawHttp(port).send(head + "{\"model\":\"d\",\"messages\":[" + "0,".repeat(33) + "0"));
      }
      // The gateway has read them all once it answers a request sent after them on the same event loop.
      try (RawHttp c = new RawHttp(port)) {
        assertThat(c.send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n").read(10_000).status()).isEqualTo(200);
      }
      long peak = before;
      for (int i = 0; i < 20; i++) { // RSS over a second: the peak, not one sample
        peak = Math.max(peak, rss(p.pid()));
        Thread.sleep(50);
      }
      assertThat(p.isAlive()).isTrue();
      assertThat((peak - before) / MB).as("RSS growth in MB (before %d MB)", before / MB).isLessThan(100);
    } finally {
      held.forEach(RawHttp::close);
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly();
    }
  }

  private static String post(long length, String body) {
    return "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TestGateway.MASTER_KEY
        + "\r\nContent-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n" + body;
  }

  /** The process's resident set in bytes (VmRSS). */
  private static long rss(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
    }
    throw new IllegalStateException("no VmRSS in /proc/" + pid + "/status");
  }
}

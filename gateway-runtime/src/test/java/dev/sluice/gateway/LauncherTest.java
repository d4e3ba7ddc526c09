package dev.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user runs it: a real JVM process, its exit code and output, SIGTERM. */
class LauncherTest {
  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

  private static ProcessBuilder sluice(Path config) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
        "-Dsluice.home=" + TestGateway.root(), "dev.sluice.gateway.Main", "--config", config.toString()));
  }

  @Test
  void badConfigExitsWithCode2AndNamesEveryProblemBeforeListening(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("bad.yaml");
    Files.writeString(config, """
        server: {master_key: sk-test-123456, port: 99999}
        providers: [{id: sim, type: demo}]
        models: [{name: d, deployments: [{provider: ghost}]}]
        """);
    Process p = sluice(config).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(output).contains("server.port: invalid value 99999")
        .contains("models[0].deployments[0].provider: invalid value 'ghost'").doesNotContain("listening");
  }

  @Test
  void startsServesAndStopsCleanlyOnSigterm(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("ok.yaml");
    Files.writeString(config, """
        server: {port: 0, master_key: sk-test-123456, event_loops: 1}
        plugins: {dir: "%s"}
        providers: [{id: sim, type: demo}]
        models: [{name: d, deployments: [{provider: sim}]}]
        """.formatted(TestGateway.pluginsDir()));
    Process p = sluice(config).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      Matcher m = null;
      for (int i = 0; i < 50 && (m == null || !m.find()); i++) {
        String line = out.readLine();
        assertThat(line).as("the process printed its URL before closing stdout").isNotNull();
        m = LISTENING.matcher(line);
      }
      HttpResponse<String> r = TestGateway.send(HttpRequest.newBuilder(URI.create(m.group(1) + "/v1/chat/completions"))
          .header("authorization", "Bearer sk-test-123456").POST(HttpRequest.BodyPublishers.ofString(
              "{\"model\":\"d\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}")).build());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("chat.completion");
      p.destroy(); // SIGTERM
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isIn(0, 143);
    } finally {
      p.destroyForcibly();
    }
  }
}

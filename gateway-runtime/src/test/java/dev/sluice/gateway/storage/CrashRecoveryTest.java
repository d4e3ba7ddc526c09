package dev.sluice.gateway.storage;

import dev.sluice.tck.Await;
import dev.sluice.gateway.AnsweredLoad;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.TestGateway;
import dev.sluice.gateway.governance.TestPostgres;
import dev.sluice.testkit.FakeOpenAiUpstream;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway on its embedded PostgreSQL is killed with SIGKILL while requests are in flight: its PostgreSQL stays
 * behind, holding {@code postmaster.pid}. The first restart must succeed, and the spend table must then hold
 * exactly one row for every request the clients saw answered: none lost, none doubled.
 */
class CrashRecoveryTest {
  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
  static Vertx vertx;
  static FakeOpenAiUpstream upstream;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    upstream = TestGateway.await(FakeOpenAiUpstream.start(vertx));
  }

  @AfterAll
  static void stop() {
    TestGateway.await(vertx.close());
  }

  private static Process launch(Path config, Path log) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
        "-Dsluice.home=" + TestGateway.root(), "dev.sluice.gateway.Main", "--config", config.toString()))
        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
  }

  /** The URL the gateway printed, or null when it exited without listening. */
  private static String url(Process p) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    for (int i = 0; i < 200; i++) {
      String line = out.readLine();
      if (line == null) return null;
      Matcher m = LISTENING.matcher(line);
      if (m.find()) return m.group(1);
    }
    return null;
  }

  private static void awaitSize(Set<String> answered, int n) throws InterruptedException {
    Await.until(n + " answers before the kill", Duration.ofSeconds(60), () -> answered.size() >= n);
    assertThat(answered.size()).as("answers before the kill").isGreaterThanOrEqualTo(n);
  }

  @Test
  void afterASigkillTheFirstRestartSucceedsAndNoSpendRowIsLostOrDoubled(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    Path config = dir.resolve("c.yaml");
    Path log = dir.resolve("gateway.log");
    Files.writeString(config, """
        server: {port: 0, master_key: sk-test-123456, event_loops: 1}
        plugins: {dir: "%s"}
        storage: {postgres: embedded, data_dir: "%s", journal: {flush_interval: 300ms}}
        providers: [{id: up, type: openai, base_url: "%s", api_key: x}]
        models: [{name: m, deployments: [{provider: up, model: gpt-4o-mini}]}]
        """.formatted(TestGateway.pluginsDir(), data, upstream.baseUrl()));
    Set<String> answered = ConcurrentHashMap.newKeySet();
    Process first = launch(config, log);
    try {
      String base = url(first);
      assertThat(base).as("the first start listens (log: %s)", log).isNotNull();
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService pool = AnsweredLoad.start(base, answered, stop, "crash");
      awaitSize(answered, 200); // requests are in flight on 8 connections when the kill lands
      first.destroyForcibly(); // SIGKILL
      assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
      stop.set(true);
      pool.shutdown();
      assertThat(pool.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
    } finally {
      first.destroyForcibly();
    }
    Path pidFile = data.resolve("postgres").resolve("postmaster.pid");
    long orphan = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
    assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).as("the killed gateway's PostgreSQL runs on")
        .hasValue(true);

    Process again = launch(config, log);
    try {
      assertThat(url(again)).as("the first restart listens (log: %s)", log).isNotNull();
      assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      int port = Integer.parseInt(Files.readAllLines(pidFile).get(3).strip());
      String db = "postgres://postgres@127.0.0.1:" + port + "/postgres";
      String like = " FROM spend WHERE request_id LIKE 'crash-%'";
      Await.until("every answered request's row", Duration.ofSeconds(60),
          () -> TestPostgres.count(db, "SELECT count(*)" + like) >= answered.size());
      StringBuilder in = new StringBuilder();
      for (String id : answered) in.append(in.length() == 0 ? "'" : ",'").append(id).append('\'');
      long lost = answered.size() - TestPostgres.count(db, "SELECT count(DISTINCT request_id) FROM spend WHERE "
          + "request_id IN (" + in + ")");
      long doubled = TestPostgres.count(db, "SELECT count(*)" + like)
          - TestPostgres.count(db, "SELECT count(DISTINCT request_id)" + like);
      assertThat(lost).as("answered requests without a spend row").isZero();
      assertThat(doubled).as("spend rows counted twice").isZero();
      assertThat(TestPostgres.count(db, "SELECT coalesce(sum(requests), 0) FROM spend_daily"))
          .isEqualTo(TestPostgres.count(db, "SELECT count(*) FROM spend"));
    } finally {
      again.destroy(); // SIGTERM: a clean stop, which stops its PostgreSQL too
      assertThat(again.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(Files.exists(pidFile)).as("a clean stop leaves no PostgreSQL behind").isFalse();
  }
}

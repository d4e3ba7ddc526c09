package dev.sluice.gateway.governance;

import dev.sluice.gateway.AnsweredLoad;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.TestGateway;
import dev.sluice.tck.Await;
import dev.sluice.testkit.FakeOpenAiUpstream;
import io.vertx.core.Vertx;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing is lost and nothing counted twice: the gateway process is killed with SIGKILL under load and
 * restarted; PostgreSQL is stopped under load, for as many failed journal flushes as a 20 s outage makes at the
 * default {@code flush_interval} of 1 s, and restarted. Afterwards the spend table holds exactly one record for
 * every request that got an answer.
 *
 * <p>The gateway runs in a process of its own, on real time. What an outage's length means to it is counted in
 * flush attempts (each one seals a journal segment that waits on disk while PostgreSQL is down) and key refreshes,
 * so the test shortens {@code flush_interval} and {@code key_refresh} and waits for those events, never for a
 * number of seconds.
 */
class DurabilityTest {
  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
  /** Failed flushes an outage lasts: 20 s at the default flush_interval (1 s). */
  private static final int OUTAGE_FLUSHES = 20;
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

  private static String config(String db, Path data) {
    return """
        server: {port: 0, master_key: sk-test-123456, event_loops: 1}
        plugins: {dir: "%s"}
        storage: {postgres: "%s", data_dir: "%s", journal: {flush_interval: 300ms}}
        governance: {key_refresh: 300ms}
        providers: [{id: up, type: openai, base_url: "%s", api_key: x}]
        models: [{name: m, deployments: [{provider: up, model: gpt-4o-mini}]}]
        """.formatted(TestGateway.pluginsDir(), db, data, upstream.baseUrl());
  }

  private static Process launch(Path config) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
        "-Dsluice.home=" + TestGateway.root(), "dev.sluice.gateway.Main", "--config", config.toString()))
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  private static String url(Process p) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    for (int i = 0; i < 200; i++) {
      String line = out.readLine();
      assertThat(line).as("the gateway printed its URL").isNotNull();
      Matcher m = LISTENING.matcher(line);
      if (m.find()) return m.group(1);
    }
    throw new AssertionError("no URL printed");
  }

  /** Journal segments on disk: sealed ones wait there until PostgreSQL has their records. */
  private static long segments(Path data) {
    try (Stream<Path> files = Files.list(data.resolve("journal"))) {
      return files.filter(f -> f.getFileName().toString().startsWith("spend-")).count();
    } catch (IOException e) {
      return 0; // not created yet
    }
  }

  private static void awaitRecords(String db, Set<String> answered, String tag) {
    String sql = "SELECT count(*) FROM spend WHERE request_id LIKE '" + tag + "-%'";
    Await.until("PostgreSQL holds the " + answered.size() + " answered requests",
        Duration.ofSeconds(60), () -> TestPostgres.count(db, sql) >= answered.size());
    long stored = TestPostgres.count(db, sql);
    long distinct = TestPostgres.count(db, "SELECT count(DISTINCT request_id) FROM spend WHERE request_id LIKE '"
        + tag + "-%'");
    assertThat(distinct).isEqualTo(stored);
    // Every answered request is stored; a request cut by the kill may be stored too (journaled, answer lost).
    StringBuilder in = new StringBuilder();
    for (String id : answered) in.append(in.length() == 0 ? "'" : ",'").append(id).append('\'');
    assertThat(TestPostgres.count(db, "SELECT count(*) FROM spend WHERE request_id IN (" + in + ")"))
        .isEqualTo(answered.size());
    long daily = TestPostgres.count(db, "SELECT coalesce(sum(requests), 0) FROM spend_daily");
    assertThat(daily).isEqualTo(TestPostgres.count(db, "SELECT count(*) FROM spend"));
  }

  @Test
  void sigkillUnderLoadLosesNoAnsweredRecordAndCountsNoneTwice(@TempDir Path dir) throws Exception {
    String db = TestPostgres.freshDatabase("kill");
    Path config = dir.resolve("c.yaml");
    Files.writeString(config, config(db, dir.resolve("data")));
    Set<String> answered = ConcurrentHashMap.newKeySet();
    Process p = launch(config);
    try {
      String base = url(p);
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService pool = AnsweredLoad.start(base, answered, stop, "kill");
      Await.until("200 requests answered under load", () -> answered.size() >= 200);
      p.destroyForcibly(); // SIGKILL
      p.waitFor(10, TimeUnit.SECONDS);
      stop.set(true);
      pool.shutdown();
      assertThat(pool.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
      assertThat(answered).isNotEmpty();
    } finally {
      p.destroyForcibly();
    }
    Process again = launch(config); // replays the journal the killed process left
    try {
      url(again);
      awaitRecords(db, answered, "kill");
    } finally {
      again.destroy();
      again.waitFor(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void postgresDownForTwentyFailedFlushesUnderLoadLosesNothing(@TempDir Path dir) throws Exception {
    Path pgData = dir.resolve("pg");
    EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(false).start();
    int port = pg.getPort();
    String db = "postgres://postgres@127.0.0.1:" + port + "/postgres";
    Path config = dir.resolve("c.yaml");
    Path data = dir.resolve("data");
    Files.writeString(config, config(db, data));
    Set<String> answered = ConcurrentHashMap.newKeySet();
    Process p = launch(config);
    try {
      String base = url(p);
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService pool = AnsweredLoad.start(base, answered, stop, "outage");
      String stored = "SELECT count(*) FROM spend WHERE request_id LIKE 'outage-%'";
      Await.until("records reach PostgreSQL before the outage", () -> TestPostgres.count(db, stored) > 0);
      pg.close();
      int before = answered.size();
      long waiting = segments(data);
      Await.value(OUTAGE_FLUSHES + " flushes fail while requests are served", Duration.ofSeconds(120),
          () -> segments(data) >= waiting + OUTAGE_FLUSHES && answered.size() > before + 100 ? true : null);
      pg = EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(false).setPort(port).start();
      Await.until("the journal drains into PostgreSQL", Duration.ofSeconds(60), () -> segments(data) <= 2);
      stop.set(true);
      pool.shutdown();
      assertThat(pool.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
      awaitRecords(db, answered, "outage");
    } finally {
      p.destroy();
      p.waitFor(20, TimeUnit.SECONDS);
      pg.close();
    }
  }
}

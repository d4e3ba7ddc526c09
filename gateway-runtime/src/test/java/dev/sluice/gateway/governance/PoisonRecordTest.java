package dev.sluice.gateway.governance;

import dev.sluice.tck.Await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.TestGateway;
import dev.sluice.gateway.storage.SpendRecord;
import dev.sluice.testkit.FakeOpenAiUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One record PostgreSQL refuses for its content never stops accounting: it is quarantined (kept in a file,
 * counted in {@code sluice_spend_quarantined_total}) and every record after it reaches PostgreSQL, whether the
 * poison comes in at run time or sits in a journal an older Sluice left stuck behind it. Spend rows are counted
 * against the answers the client saw.
 */
class PoisonRecordTest {
  private static final Pattern QUARANTINED = Pattern.compile("(?m)^sluice_spend_quarantined_total(?:\\{[^}]*})? (\\S+)$");
  @TempDir
  static Path data;
  static String db;
  static Vertx upstreamVertx;
  static TestGateway gateway;

  /** A journal line as the journal writes it. */
  private static String line(String id, String model) {
    return new SpendRecord(id, System.currentTimeMillis(), new SpendRecord.Who("master", "master", null, null, null),
        new SpendRecord.Usage(3, 2, 0, 0.0, 0, false, false),
        new SpendRecord.Route(model, "m", "up", "gpt-4o-mini", null, 1, 200, null, null, null, null),
        new SpendRecord.Timing(1.0, null, null), null, null, null, false).toJson().encode();
  }

  /** Random letters: PostgreSQL compresses a repeated one into an index row that fits. */
  private static String random(int length) {
    java.util.Random r = new java.util.Random(18);
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; i < length; i++) b.append((char) ('a' + r.nextInt(26)));
    return b.toString();
  }

  @BeforeAll
  static void start() throws Exception {
    db = TestPostgres.freshDatabase("poison");
    // What main left behind after a 9,000-character model: a journal whose first batch PostgreSQL refuses forever.
    Path journal = Files.createDirectories(data.resolve("journal"));
    Files.writeString(journal.resolve("spend-000001.jsonl"), String.join("\n", line("stuck-good-1", "m"),
        line("stuck-poison", random(9000)), line("stuck-good-2", "m")) + "\n");
    upstreamVertx = Vertx.vertx();
    FakeOpenAiUpstream upstream = TestGateway.await(FakeOpenAiUpstream.start(upstreamVertx));
    gateway = TestGateway.start("""
        storage: {postgres: "%s", data_dir: "%s", journal: {flush_interval: 100ms, batch_size: 64}}
        providers: [{id: up, type: openai, base_url: "%s", api_key: x}]
        models: [{name: m, deployments: [{provider: up, model: gpt-4o-mini}]}]
        """.formatted(db, data, upstream.baseUrl()));
  }

  @AfterAll
  static void stop() {
    if (gateway != null) gateway.close();
    if (upstreamVertx != null) TestGateway.await(upstreamVertx.close());
  }

  private static HttpResponse<String> chat(String requestId) {
    return TestGateway.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/chat/completions"))
        .header("authorization", "Bearer " + TestGateway.MASTER_KEY).header("x-request-id", requestId)
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .build());
  }

  private static List<JsonObject> quarantined() throws Exception {
    Path file = data.resolve("quarantine").resolve("spend.jsonl");
    List<JsonObject> out = new ArrayList<>();
    if (!Files.exists(file)) return out;
    for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) out.add(new JsonObject(l));
    return out;
  }

  private static double metric() {
    HttpResponse<String> r = TestGateway.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/metrics"))
        .header("authorization", "Bearer " + TestGateway.MASTER_KEY).GET().build());
    Matcher m = QUARANTINED.matcher(r.body());
    assertThat(m.find()).as("sluice_spend_quarantined_total is exported").isTrue();
    return Double.parseDouble(m.group(1));
  }

  private static long rows(String where) {
    return TestPostgres.count(db, "SELECT count(*) FROM spend WHERE " + where);
  }

  @Test
  void aJournalLeftStuckBehindAPoisonRecordDrainsOnStart() throws Exception {
    // The start replays the journal before it serves: both good records are stored, the poison is kept aside.
    assertThat(rows("request_id IN ('stuck-good-1', 'stuck-good-2')")).isEqualTo(2);
    assertThat(rows("request_id = 'stuck-poison'")).isZero();
    JsonObject poison = quarantined().stream().filter(q -> q.getString("id").equals("stuck-poison")).findFirst()
        .orElseThrow();
    assertThat(poison.getString("model")).hasSize(9000);
    assertThat(poison.getJsonObject("quarantine").getString("sqlstate")).isEqualTo("54000");
    assertThat(Files.list(data.resolve("journal")).map(p -> p.getFileName().toString()))
        .doesNotContain("spend-000001.jsonl");
    assertThat(metric()).isEqualTo(quarantined().size());
    // The records are replayable as the journal holds them: the quarantine line reads back as a spend record.
    assertThat(SpendRecord.fromJson(poison).requestId()).isEqualTo("stuck-poison");
  }

  @Test
  void aHugeModelIsRefusedAtIngressAndNeverJournaled() throws Exception {
    HttpResponse<String> r = TestGateway.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/chat/completions"))
        .header("authorization", "Bearer " + TestGateway.MASTER_KEY).header("x-request-id", "huge-model-1")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + random(9000) + "\",\"messages\":[{\"role\":"
            + "\"user\",\"content\":\"hi\"}]}")).build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(new JsonObject(r.body()).getJsonObject("error").getString("param")).isEqualTo("model");
    assertThat(chat("after-huge-model").statusCode()).isEqualTo(200);
    Await.until("after-huge-model's row", () -> rows("request_id = 'after-huge-model'") >= 1);
    assertThat(rows("request_id = 'after-huge-model'")).isEqualTo(1);
    assertThat(rows("request_id = 'huge-model-1'")).isZero();
    assertThat(quarantined()).noneMatch(q -> q.getString("id").equals("huge-model-1"));
  }

  @Test
  void aRecordPostgresRefusesAtRunTimeIsQuarantinedAndTheRecordsAfterItAreStored() throws Exception {
    // PostgreSQL refuses one request's record for its content (a CHECK constraint: SQLSTATE 23514).
    TestPostgres.execute(db, "ALTER TABLE spend ADD CONSTRAINT test_no_poison CHECK (request_id NOT LIKE 'poison-%')");
    List<String> answered = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String id = i == 13 ? "poison-1" : "run-" + i;
      HttpResponse<String> r = chat(id);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      answered.add(id);
    }
    Await.until("39 run rows", () -> rows("request_id LIKE 'run-%'") >= 39);
    // 0 rows missing: every answered request is in PostgreSQL, but the poison one, which is in the quarantine.
    assertThat(rows("request_id LIKE 'run-%'")).isEqualTo(39);
    List<JsonObject> kept = quarantined();
    for (String id : answered) {
      boolean stored = rows("request_id = '" + id + "'") == 1;
      boolean inQuarantine = kept.stream().anyMatch(q -> q.getString("id").equals(id));
      assertThat(stored ^ inQuarantine).as(id + " is stored or quarantined, exactly one of them").isTrue();
    }
    JsonObject poison = kept.stream().filter(q -> q.getString("id").equals("poison-1")).findFirst().orElseThrow();
    assertThat(poison.getJsonObject("quarantine").getString("sqlstate")).isEqualTo("23514");
    assertThat(TestPostgres.count(db, "SELECT coalesce(sum(requests), 0) FROM spend_daily"))
        .isEqualTo(TestPostgres.count(db, "SELECT count(*) FROM spend"));
    assertThat(metric()).isEqualTo(kept.size());
    // Later records flow as before.
    assertThat(chat("run-after").statusCode()).isEqualTo(200);
    Await.until("run-after's row", () -> rows("request_id = 'run-after'") >= 1);
    assertThat(rows("request_id = 'run-after'")).isEqualTo(1);
  }
}

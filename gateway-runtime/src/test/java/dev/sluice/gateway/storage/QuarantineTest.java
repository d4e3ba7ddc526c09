package dev.sluice.gateway.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the flusher sets aside and what it waits for: only a refusal of the rows' content (SQLSTATE class 22, 23
 * or 54) quarantines a record; an unreachable or failing server keeps records in the journal.
 */
class QuarantineTest {
  private static PgException pg(String state) {
    return new PgException("refused", "ERROR", state, null);
  }

  @Test
  void contentErrorsAreClasses22And23And54Only() {
    for (String state : List.of("22021", "22P05", "22003", "23505", "23514", "54000")) {
      assertThat(Quarantine.contentError(pg(state))).as(state).isTrue();
    }
    // Connection, shutdown, resources, serialization, undefined table (a schema not migrated yet): wait and retry.
    for (String state : List.of("08006", "57P01", "53300", "40001", "42P01", "XX000")) {
      assertThat(Quarantine.contentError(pg(state))).as(state).isFalse();
    }
    assertThat(Quarantine.contentError(new ConnectException("Connection refused"))).isFalse();
    assertThat(Quarantine.contentError(VertxException.noStackTrace("Connection is closed"))).isFalse();
  }

  @Test
  void aQuarantinedRecordIsKeptAsTheJournalHeldItWithTheReason(@TempDir Path dir) throws Exception {
    Quarantine q = new Quarantine(dir.resolve("quarantine"));
    SpendRecord r = new SpendRecord("req-1", 1_700_000_000_000L, new SpendRecord.Who("k", "sk-x", "t", null, null),
        new SpendRecord.Usage(1, 2, 0, 0.5, 0, false, false),
        new SpendRecord.Route("m", "m", "p", "d", null, 1, 200, null, null, null, null),
        new SpendRecord.Timing(3.0, null, null), null, null, null, false);
    q.keep(r, pg("54000"));
    q.keep(r, pg("23514"));
    List<String> lines = Files.readAllLines(q.file());
    assertThat(lines).hasSize(2);
    io.vertx.core.json.JsonObject first = new io.vertx.core.json.JsonObject(lines.get(0));
    assertThat(SpendRecord.fromJson(first)).isEqualTo(r);
    assertThat(first.getJsonObject("quarantine").getString("sqlstate")).isEqualTo("54000");
    assertThat(q.kept()).isEqualTo(2);
  }
}

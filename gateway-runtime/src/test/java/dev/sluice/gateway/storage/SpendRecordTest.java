package dev.sluice.gateway.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The journal's lines are one flat JSON object whatever the record's shape: old lines read, new lines round-trip. */
class SpendRecordTest {
  /** A line as the Sluice before the split wrote it (every field of the request log and the savings). */
  private static final String FULL_LINE = """
      {"id":"req_1","at":1796691269000,"key":"k_1","team":"research","user":"ann","org":"acme","model":"auto",\
      "provider":"cheap","deployment":"small-model","in":120,"out":40,"cached":16,"cost":4.2E-5,"saving":0.0,\
      "unpriced":false,"counted":true,"cache":"MISS","status":200,"ms":12.5,"prefix":"sk-abc","group":"small",\
      "err":null,"attempts":2,"up_ms":10.25,"ttfb_ms":11.0,"routed":"small","route":"cheapest-capable -> small",\
      "difficulty":0.25,"base":9.1E-4,"s_exact":0.0,"s_sem":0.0,"s_route":8.5E-4,"s_shape":1.8E-5,\
      "s_pcache":0.0,"tsaved":30,"req":"{\\"model\\":\\"auto\\"}","res":"hello"}""";

  /** A line from before the request log and the savings report: those read as nulls and zeros. */
  private static final String OLD_LINE = """
      {"id":"req_0","at":1700000000000,"key":"k_0","team":null,"user":null,"org":null,"model":"m",\
      "provider":"up","deployment":"gpt-4o-mini","in":5,"out":7,"cached":0,"cost":1.0E-6,"saving":0.0,\
      "unpriced":false,"counted":false,"cache":null,"status":200,"ms":3.0}""";

  @Test
  void aLineReadsIntoItsPartsAndWritesBackTheSame() {
    JsonObject line = new JsonObject(FULL_LINE);
    SpendRecord r = SpendRecord.fromJson(line);
    assertThat(r.who()).isEqualTo(new SpendRecord.Who("k_1", "sk-abc", "research", "ann", "acme"));
    assertThat(r.usage()).isEqualTo(new SpendRecord.Usage(120, 40, 16, 4.2e-5, 0.0, false, true));
    assertThat(r.route()).isEqualTo(new SpendRecord.Route("auto", "small", "cheap", "small-model", "MISS", 2, 200,
        null, "small", "cheapest-capable -> small", 0.25));
    assertThat(r.timing()).isEqualTo(new SpendRecord.Timing(12.5, 10.25, 11.0));
    assertThat(r.savings()).isEqualTo(new SpendRecord.Savings(9.1e-4, 0, 0, 8.5e-4, 1.8e-5, 0, 30));
    assertThat(r.requestBody()).isEqualTo("{\"model\":\"auto\"}");
    assertThat(r.responseBody()).isEqualTo("hello");
    assertThat(r.refused()).isFalse();
    assertThat(r.toJson()).isEqualTo(line);
    assertThat(SpendRecord.fromJson(new JsonObject(r.toJson().encode()))).isEqualTo(r);
  }

  @Test
  void anOlderLineReadsWithNullsAndZeros() {
    SpendRecord r = SpendRecord.fromJson(new JsonObject(OLD_LINE));
    assertThat(r.requestId()).isEqualTo("req_0");
    assertThat(r.who().keyPrefix()).isNull();
    assertThat(r.route()).isEqualTo(new SpendRecord.Route("m", null, "up", "gpt-4o-mini", null, 0, 200, null, null,
        null, null));
    assertThat(r.timing()).isEqualTo(new SpendRecord.Timing(3.0, null, null));
    assertThat(r.savings()).isEqualTo(new SpendRecord.Savings(null, 0, 0, 0, 0, 0, 0));
    assertThat(r.requestBody()).isNull();
    assertThat(r.refused()).isFalse();
  }

  @Test
  void aRefusalKeepsItsMark() {
    JsonObject line = new JsonObject(OLD_LINE).put("status", 429).put("err", "rate_limit_exceeded")
        .put("refused", true);
    SpendRecord r = SpendRecord.fromJson(line);
    assertThat(r.refused()).isTrue();
    assertThat(r.route().errorType()).isEqualTo("rate_limit_exceeded");
    assertThat(r.toJson().getBoolean("refused")).isTrue();
  }
}

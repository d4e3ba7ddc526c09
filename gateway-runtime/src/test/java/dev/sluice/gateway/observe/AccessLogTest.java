package dev.sluice.gateway.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.Message;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The access log line: its fields, and prompts only when {@code observability.log_prompts} is on. */
class AccessLogTest {
  static final ChatRequest REQUEST = ChatRequest.of("gpt-x", List.of(Message.user("what is the secret plan?")));

  static RequestRecord record(String completion) {
    return new RequestRecord("req_1", 1_700_000_000_123_000_000L, 0, "chat", false, "key_1", "sk-sluice-abcd",
        "red", "u-7", null, "gpt-x", "gpt-x", "up", "model-x", 200, null, "MISS", 12, 5, 2, 0.0000123, 0, 1, 0, 0,
        List.of(), 42.5, 40.25, 2.25, null, "model-x-2025", "stop", List.of(), null, REQUEST, completion);
  }

  @Test
  void aLineHoldsTheRequestsFactsAndNoPromptByDefault() {
    JsonObject line = new JsonObject(new AccessLog(false).line(record(null)));
    assertThat(line.getString("ts")).isEqualTo("2023-11-14T22:13:20.123Z");
    assertThat(line.getString("request_id")).isEqualTo("req_1");
    assertThat(line.getString("key_prefix")).isEqualTo("sk-sluice-abcd");
    assertThat(line.getString("team")).isEqualTo("red");
    assertThat(line.getString("user")).isEqualTo("u-7");
    assertThat(line.getString("model_requested")).isEqualTo("gpt-x");
    assertThat(line.getString("provider")).isEqualTo("up");
    assertThat(line.getString("deployment")).isEqualTo("model-x");
    assertThat(line.getInteger("status")).isEqualTo(200);
    assertThat(line.getLong("tokens_in")).isEqualTo(12);
    assertThat(line.getLong("tokens_out")).isEqualTo(5);
    assertThat(line.getLong("tokens_cached")).isEqualTo(2);
    assertThat(line.getDouble("cost_usd")).isEqualTo(0.0000123);
    assertThat(line.getString("cache")).isEqualTo("MISS");
    assertThat(line.getInteger("attempts")).isEqualTo(1);
    assertThat(line.getDouble("total_ms")).isEqualTo(42.5);
    assertThat(line.getDouble("upstream_ms")).isEqualTo(40.25);
    assertThat(line.getDouble("overhead_ms")).isEqualTo(2.25);
    assertThat(line.containsKey("ttfb_ms")).isTrue();
    assertThat(line.encode()).doesNotContain("secret plan");
    assertThat(line.containsKey("messages")).isFalse();
    assertThat(new AccessLog(false).wantsContent()).isFalse();
  }

  @Test
  void promptsAndCompletionsOnlyWhenExplicitlyEnabled() {
    AccessLog log = new AccessLog(true);
    assertThat(log.wantsContent()).isTrue();
    JsonObject line = new JsonObject(log.line(record("the plan is \"quiet\"\nrevealed")));
    assertThat(line.getJsonArray("messages").getJsonObject(0).getString("role")).isEqualTo("user");
    assertThat(line.getJsonArray("messages").getJsonObject(0).getString("content")).isEqualTo("what is the secret plan?");
    assertThat(line.getString("completion")).isEqualTo("the plan is \"quiet\"\nrevealed");
    assertThat(log.line(record("x"))).doesNotContain("\n"); // one line, whatever the text
  }
}

package dev.sluice.gateway.shaping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.Message;
import dev.sluice.gateway.config.ShapingConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The prompt budget compaction works to: a token budget, the target's window less the answer, or both. */
class BudgetTest {
  private static final ChatRequest ASK = ChatRequest.of("m", List.of(Message.user("hi")));

  private static ShapingConfig.Compaction compaction(int maxTokens, boolean fitWindow) {
    return new ShapingConfig.Compaction(maxTokens, fitWindow, 2, 200, null, 512);
  }

  @Test
  void theSmallerOfTheBudgetAndTheWindowLessTheAnswer() {
    assertThat(Shaper.budget(compaction(16_000, false), 8_192, ASK)).isEqualTo(16_000);
    // 8192 less min(4096, 8192 / 8) for the answer, with 5% slack for routing's estimate
    assertThat(Shaper.budget(compaction(0, true), 8_192, ASK)).isEqualTo((int) ((8_192 - 1_024) * 0.95));
    assertThat(Shaper.budget(compaction(0, true), 128_000, ASK.withMaxTokens(2_000)))
        .isEqualTo((int) ((128_000 - 2_000) * 0.95));
    assertThat(Shaper.budget(compaction(5_000, true), 128_000, ASK)).isEqualTo(5_000);
    // No window known and no budget: nothing to compact to.
    assertThat(Shaper.budget(compaction(0, true), 0, ASK)).isZero();
  }
}

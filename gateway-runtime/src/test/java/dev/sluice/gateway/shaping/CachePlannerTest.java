package dev.sluice.gateway.shaping;

import dev.sluice.gateway.pricing.PromptTokens;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.model.CacheBreakpoint;
import dev.sluice.api.model.Message;
import dev.sluice.gateway.config.ShapingConfig;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Cache breakpoints stay within provider limits on any conversation. */
class CachePlannerTest {

  @Test
  void atMostTheLimitEachClosingAPrefixOfAtLeastTheMinimumInPromptOrder() {
    Random rnd = new Random(99);
    int placed = 0;
    for (int n = 0; n < 300; n++) {
      List<Message> messages = Conversations.conversation(rnd, 1 + rnd.nextInt(10));
      int[] counts = PromptTokens.messages(messages);
      int toolTokens = rnd.nextBoolean() ? 0 : rnd.nextInt(3000);
      int min = 100 + rnd.nextInt(1500);
      int max = 1 + rnd.nextInt(4);
      List<CacheBreakpoint> marks = CachePlanner.plan(messages, toolTokens, counts, toolTokens > 0,
          new ShapingConfig.PromptCache(min, max));
      assertThat(marks.size()).isLessThanOrEqualTo(max);
      int lastIndex = CacheBreakpoint.TOOLS - 1;
      int lastPrefix = -1;
      for (CacheBreakpoint b : marks) {
        assertThat(b.prefixTokens()).isGreaterThanOrEqualTo(min);
        assertThat(b.afterMessage()).isGreaterThan(lastIndex).isLessThan(messages.size());
        assertThat(b.prefixTokens()).isGreaterThan(lastPrefix);
        int expected = PromptTokens.REPLY_PRIMING + toolTokens;
        for (int i = 0; i <= b.afterMessage(); i++) expected += counts[i];
        assertThat(b.prefixTokens()).isEqualTo(expected);
        lastIndex = b.afterMessage();
        lastPrefix = b.prefixTokens();
      }
      placed += marks.size();
    }
    assertThat(placed).isGreaterThan(300);
  }

  @Test
  void marksToolsSystemThePreviousRequestsEndAndTheLastMessage() {
    String longText = "policy ".repeat(1500);
    List<Message> messages = List.of(Message.system(longText), Message.user("first question"),
        Message.assistant("first answer"), Message.user("second question"));
    List<CacheBreakpoint> marks = CachePlanner.plan(messages, 1200, PromptTokens.messages(messages), true,
        new ShapingConfig.PromptCache(1024, 4));
    assertThat(marks).extracting(CacheBreakpoint::afterMessage).containsExactly(CacheBreakpoint.TOOLS, 0, 1, 3);
    List<CacheBreakpoint> single = CachePlanner.plan(List.of(Message.system(longText), Message.user("q")), 0,
        PromptTokens.messages(List.of(Message.system(longText), Message.user("q"))), false,
        new ShapingConfig.PromptCache(1024, 4));
    assertThat(single).extracting(CacheBreakpoint::afterMessage).containsExactly(0);
    List<CacheBreakpoint> shortPrompt = CachePlanner.plan(List.of(Message.system("short"), Message.user("q")), 0,
        new int[] {10, 5}, false, new ShapingConfig.PromptCache(1024, 4));
    assertThat(shortPrompt).isEmpty();
  }
}

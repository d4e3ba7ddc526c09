package dev.sluice.gateway.shaping;

import dev.sluice.gateway.pricing.PromptTokens;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.model.Message;
import dev.sluice.api.model.Role;
import dev.sluice.api.model.ToolCall;
import dev.sluice.gateway.config.ShapingConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Compaction over many generated conversations: what it must never break, whatever the budget. */
class CompactorTest {
  private static final int CASES = 400;

  @Test
  void neverSplitsAToolCallFromItsResultsNorTouchesSystemMessagesNorTheRecentTurns() {
    Random rnd = new Random(20251125);
    int compacted = 0;
    int dropped = 0;
    for (int n = 0; n < CASES; n++) {
      List<Message> in = Conversations.conversation(rnd, 1 + rnd.nextInt(12));
      int keep = 1 + rnd.nextInt(4);
      int total = 3 + sum(PromptTokens.messages(in));
      int budget = Math.max(256, (int) (total * (0.05 + rnd.nextDouble() * 1.2)));
      int reserve = rnd.nextBoolean() ? 0 : 64;
      ShapingConfig.Compaction config = new ShapingConfig.Compaction(budget, false, keep, 16 + rnd.nextInt(200),
          reserve > 0 ? "cheap" : null, 64);
      Compactor.Plan plan = Compactor.plan(in, 3, budget, config, reserve);
      List<Message> out = reserve > 0 && !plan.removed().isEmpty()
          ? Compactor.withSummary(plan, "the user asked about routing") : plan.messages();
      String where = "case " + n + " (budget " + budget + " of " + total + ", keep " + keep + ")";

      assertThat(systemMessages(out, true)).as(where).isEqualTo(systemMessages(in, false));
      assertPaired(in, out, where);
      int recent = Compactor.recentStart(in, keep);
      List<Message> lastUsers = new ArrayList<>();
      for (int i = recent; i < in.size(); i++) if (in.get(i).role() == Role.USER) lastUsers.add(in.get(i));
      assertThat(out).as(where).containsAll(lastUsers);
      assertThat(sum(PromptTokens.messages(plan.messages()))).as(where).isLessThanOrEqualTo(total);
      if (total <= budget) assertThat(plan.changed()).as(where).isFalse();
      assertThat(out.size() + plan.removed().size()).as(where)
          .isEqualTo(in.size() + (out.size() > plan.messages().size() ? 1 : 0));
      if (plan.changed()) compacted++;
      dropped += plan.removed().size();
    }
    // The generator must exercise compaction, not just pass it by.
    assertThat(compacted).isGreaterThan(CASES / 3);
    assertThat(dropped).isGreaterThan(CASES);
  }

  @Test
  void trimsOldToolOutputsBeforeRemovingTurns() {
    String longOutput = "row ".repeat(3000);
    List<Message> in = List.of(Message.system("You are terse."), Message.user("list the rows"),
        Message.assistantToolCalls(List.of(new ToolCall("c1", "rows", "{}"))), Message.toolResult("c1", longOutput),
        Message.assistant("There are many rows."), Message.user("thanks, and now?"));
    int total = 3 + sum(PromptTokens.messages(in));
    ShapingConfig.Compaction config = new ShapingConfig.Compaction(total - 1000, false, 1, 100, null, 64);
    Compactor.Plan plan = Compactor.plan(in, 3, total - 1000, config, 0);
    assertThat(plan.removed()).isEmpty();
    assertThat(plan.trimmedToolOutputs()).isEqualTo(1);
    Message trimmed = plan.messages().get(3);
    assertThat(trimmed.toolCallId()).isEqualTo("c1");
    assertThat(trimmed.text()).contains("tokens of tool output omitted by Sluice").hasSizeLessThan(longOutput.length() / 5);
  }

  private static List<Message> systemMessages(List<Message> messages, boolean skipSummary) {
    List<Message> out = new ArrayList<>();
    for (Message m : messages) {
      if (!Compactor.isSystem(m)) continue;
      if (skipSummary && m.text().startsWith(Shaper.SUMMARY_PREFIX)) continue;
      out.add(m);
    }
    return out;
  }

  /** Every result follows its call in the output, and a call kept keeps every result it had. */
  private static void assertPaired(List<Message> in, List<Message> out, String where) {
    Set<String> callsSoFar = new HashSet<>();
    Set<String> resultsOut = new HashSet<>();
    for (Message m : out) {
      for (ToolCall c : m.toolCalls()) callsSoFar.add(c.id());
      if (m.role() == Role.TOOL) {
        assertThat(callsSoFar).as(where + ": result " + m.toolCallId() + " without its call").contains(m.toolCallId());
        resultsOut.add(m.toolCallId());
      }
    }
    for (Message m : in) {
      if (m.role() == Role.TOOL && callsSoFar.contains(m.toolCallId())) {
        assertThat(resultsOut).as(where + ": call " + m.toolCallId() + " kept without its result").contains(m.toolCallId());
      }
    }
  }

  private static int sum(int[] counts) {
    int s = 0;
    for (int c : counts) s += c;
    return s;
  }
}

package dev.sluice.gateway.shaping;

import dev.sluice.gateway.pricing.PromptTokens;
import dev.sluice.api.model.ContentPart;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.Role;
import dev.sluice.api.model.ToolCall;
import dev.sluice.gateway.config.ShapingConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Context compaction of a conversation over its token budget, in three steps, each only while still over:
 * <ol>
 *   <li>old tool outputs (before the recent turns) are cut to {@code tool_output_max_tokens}, with a marker;</li>
 *   <li>the oldest turns are taken out, a whole unit at a time: an assistant turn that calls tools goes with
 *       every result of those calls, so a call is never parted from its result. The caller summarises them
 *       ({@link Plan#removed}) or drops them;</li>
 *   <li>tool outputs of the recent turns are cut as well.</li>
 * </ol>
 * System and developer messages are never removed or changed, and neither are the last
 * {@code keep_recent_turns} user turns with everything after the first of them (step 3 aside). A conversation
 * still over the budget afterwards is sent as it is: the provider's context-window error is then the honest
 * answer. CPU work (token counting): run it on a worker thread.
 */
final class Compactor {
  /** Tokens a summary message costs beyond its text. */
  static final int SUMMARY_OVERHEAD = 24;

  /**
   * What compaction decided.
   *
   * @param messages the conversation without the removed turns (trimmed where needed)
   * @param removed the turns taken out, oldest first, to summarise or drop
   * @param insertAt where a summary of {@code removed} goes in {@code messages}
   * @param trimmedToolOutputs how many tool outputs were cut
   */
  record Plan(List<Message> messages, List<Message> removed, int insertAt, int trimmedToolOutputs) {
    boolean changed() {
      return !removed.isEmpty() || trimmedToolOutputs > 0;
    }
  }

  private Compactor() {}

  /**
   * Plans the compaction of {@code messages} (with {@code fixedTokens} of tools and framing) down to
   * {@code budget} tokens; {@code summaryReserve} tokens are kept free for a summary when one will be written.
   */
  static Plan plan(List<Message> messages, int fixedTokens, int budget, ShapingConfig.Compaction config,
                   int summaryReserve) {
    List<Message> work = new ArrayList<>(messages);
    int[] counts = PromptTokens.messages(work);
    long total = fixedTokens + sum(counts);
    if (total <= budget) return new Plan(messages, List.of(), 0, 0);
    int recentStart = recentStart(work, config.keepRecentTurns());
    int trimmed = 0;
    // 1. old tool outputs
    for (int i = 0; i < recentStart && total > budget; i++) {
      int before = counts[i];
      if (trim(work, counts, i, config.toolOutputMaxTokens())) {
        trimmed++;
        total -= before - counts[i];
      }
    }
    // 2. oldest units, whole
    List<Set<Integer>> units = units(work, recentStart);
    Set<Integer> removed = new TreeSet<>();
    long target = budget - (long) summaryReserve;
    for (Set<Integer> unit : units) {
      // Once a turn is taken out, a summary will stand in for it: make room for that too.
      if (total <= (removed.isEmpty() ? budget : target)) break;
      for (int i : unit) total -= counts[i];
      removed.addAll(unit);
    }
    // 3. recent tool outputs
    for (int i = recentStart; i < work.size() && total > budget; i++) {
      int before = counts[i];
      if (trim(work, counts, i, config.toolOutputMaxTokens())) {
        trimmed++;
        total -= before - counts[i];
      }
    }
    List<Message> kept = new ArrayList<>(work.size() - removed.size());
    List<Message> out = new ArrayList<>(removed.size());
    int insertAt = -1;
    for (int i = 0; i < work.size(); i++) {
      if (removed.contains(i)) {
        if (insertAt < 0) insertAt = kept.size();
        out.add(work.get(i));
      } else {
        kept.add(work.get(i));
      }
    }
    return new Plan(kept, out, Math.max(0, insertAt), trimmed);
  }

  /** The message that opens the recent turns: the {@code keep}-th user message from the end. */
  static int recentStart(List<Message> messages, int keep) {
    int seen = 0;
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.get(i).role() == Role.USER && ++seen == keep) return i;
    }
    // Fewer user turns than kept: everything after the leading system messages is recent.
    int i = 0;
    while (i < messages.size() && isSystem(messages.get(i))) i++;
    return i;
  }

  /**
   * The removable units before {@code recentStart}, oldest first: each non-system message, an assistant turn
   * that calls tools together with every result of its calls. A unit that shares a call with the recent turns
   * is not removable.
   */
  static List<Set<Integer>> units(List<Message> messages, int recentStart) {
    Map<String, Integer> callOwner = new HashMap<>();
    for (int i = 0; i < messages.size(); i++) {
      for (ToolCall c : messages.get(i).toolCalls()) {
        if (c.id() != null) callOwner.put(c.id(), i);
      }
    }
    Map<Integer, Set<Integer>> byOwner = new HashMap<>();
    List<Set<Integer>> units = new ArrayList<>();
    Set<Integer> blocked = new java.util.HashSet<>();
    for (int i = 0; i < messages.size(); i++) {
      Message m = messages.get(i);
      if (isSystem(m)) continue;
      Integer owner = m.role() == Role.TOOL && m.toolCallId() != null ? callOwner.get(m.toolCallId()) : null;
      if (owner != null && owner != i) {
        Set<Integer> unit = byOwner.get(owner);
        if (unit == null) { // the result comes before its call: keep both where they are
          blocked.add(owner);
          blocked.add(i);
          continue;
        }
        unit.add(i);
        if (i >= recentStart) blocked.add(owner);
        continue;
      }
      if (i >= recentStart) continue;
      Set<Integer> unit = new LinkedHashSet<>();
      unit.add(i);
      units.add(unit);
      if (!m.toolCalls().isEmpty()) byOwner.put(i, unit);
    }
    List<Set<Integer>> out = new ArrayList<>(units.size());
    for (Set<Integer> u : units) {
      boolean ok = true;
      for (int i : u) {
        if (blocked.contains(i) || i >= recentStart) ok = false;
      }
      if (ok) out.add(u);
    }
    return out;
  }

  private static boolean trim(List<Message> work, int[] counts, int i, int maxTokens) {
    Message m = work.get(i);
    if (m.role() != Role.TOOL || counts[i] <= maxTokens + PromptTokens.PER_MESSAGE) return false;
    String text = m.text();
    String cut = Compressor.truncate(text, maxTokens);
    if (cut.equals(text)) return false;
    Message trimmed = new Message(m.role(), List.of(ContentPart.text(cut)), m.name(), m.toolCalls(), m.toolCallId());
    int count = PromptTokens.count(trimmed);
    if (count >= counts[i]) return false;
    work.set(i, trimmed);
    counts[i] = count;
    return true;
  }

  static boolean isSystem(Message m) {
    return m.role() == Role.SYSTEM || m.role() == Role.DEVELOPER;
  }

  /** The conversation with {@code summary} (as a system message) where the removed turns were. */
  static List<Message> withSummary(Plan plan, String summary) {
    List<Message> out = new ArrayList<>(plan.messages());
    out.add(plan.insertAt(), Message.system(Shaper.SUMMARY_PREFIX + summary.strip()));
    return out;
  }

  /** The removed turns as a plain transcript, for the summariser. */
  static String transcript(List<Message> removed) {
    StringBuilder sb = new StringBuilder();
    for (Message m : removed) {
      sb.append(m.role().wire());
      if (m.role() == Role.TOOL && m.toolCallId() != null) sb.append(" (result of ").append(m.toolCallId()).append(')');
      sb.append(": ").append(m.text());
      for (ToolCall c : m.toolCalls()) {
        sb.append(" [calls ").append(c.name()).append(' ').append(c.arguments()).append(']');
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static long sum(int[] counts) {
    long s = 0;
    for (int c : counts) s += c;
    return s;
  }
}

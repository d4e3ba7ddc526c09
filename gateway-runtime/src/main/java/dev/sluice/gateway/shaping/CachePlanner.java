package dev.sluice.gateway.shaping;

import dev.sluice.gateway.pricing.PromptTokens;
import dev.sluice.api.model.CacheBreakpoint;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.Role;
import dev.sluice.gateway.config.ShapingConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Where to ask the provider to cache the prompt: at the ends of the long prefixes that the next requests are
 * likely to repeat, in the provider's prompt order (tools, system, messages):
 * <ol>
 *   <li>after the tool definitions;</li>
 *   <li>after the leading system messages;</li>
 *   <li>in a conversation that has an answer of the model already, after the message before that answer (the
 *       end of the previous request, which marked it last: read back now) and after the last message (written
 *       now, read by the next turn).</li>
 * </ol>
 * A breakpoint is placed only where its prefix reaches {@code min_tokens}, at most {@code max_breakpoints}
 * (providers allow four), keeping the longest prefixes when there are more candidates. A conversation that
 * compaction shortened gets only the first two: its later turns shift with every compaction.
 */
final class CachePlanner {
  private CachePlanner() {}

  /**
   * @param toolTokens the tool definitions' tokens
   * @param counts each message's tokens
   */
  static List<CacheBreakpoint> plan(List<Message> messages, int toolTokens, int[] counts, boolean hasTools,
                                    ShapingConfig.PromptCache config) {
    return plan(messages, toolTokens, counts, hasTools, config, false);
  }

  /**
   * @param compacted compaction took turns out of this request: its tail moves every turn, so only the tools and
   *     the system prompt (never the summary that stands in for the removed turns) are marked
   */
  static List<CacheBreakpoint> plan(List<Message> messages, int toolTokens, int[] counts, boolean hasTools,
                                    ShapingConfig.PromptCache config, boolean compacted) {
    List<CacheBreakpoint> candidates = new ArrayList<>(4);
    int prefix = PromptTokens.REPLY_PRIMING + toolTokens;
    if (hasTools) candidates.add(CacheBreakpoint.afterTools(prefix));
    int[] ends = new int[messages.size()];
    for (int i = 0; i < messages.size(); i++) {
      prefix += counts[i];
      ends[i] = prefix;
    }
    int system = -1;
    while (system + 1 < messages.size() && Compactor.isSystem(messages.get(system + 1))
        && !messages.get(system + 1).text().startsWith(Shaper.SUMMARY_PREFIX)) {
      system++;
    }
    if (system >= 0 && system < messages.size() - 1) candidates.add(CacheBreakpoint.afterMessage(system, ends[system]));
    // The model's last answer closed the previous request of this conversation: what came before it is what
    // that request sent (and marked last), and the whole conversation now is what the next request will repeat.
    int answer = -1;
    for (int i = messages.size() - 1; i >= 0 && answer < 0 && !compacted; i--) {
      if (messages.get(i).role() == Role.ASSISTANT) answer = i;
    }
    int previous = answer - 1;
    if (answer >= 0 && previous > system) candidates.add(CacheBreakpoint.afterMessage(previous, ends[previous]));
    int end = messages.size() - 1;
    if (answer >= 0 && end > answer) candidates.add(CacheBreakpoint.afterMessage(end, ends[end]));
    List<CacheBreakpoint> out = new ArrayList<>(candidates.size());
    for (CacheBreakpoint b : candidates) {
      if (b.prefixTokens() >= config.minTokens()) out.add(b);
    }
    int max = Math.min(config.maxBreakpoints(), 4);
    return out.size() <= max ? out : List.copyOf(out.subList(out.size() - max, out.size()));
  }
}

package dev.sluice.gateway.shaping;

import dev.sluice.api.model.Usage;
import dev.sluice.gateway.routing.Deployment;
import java.util.List;

/**
 * What the shape step did to one request, for the response headers and the spend record's counterfactuals.
 *
 * @param tokensBefore the prompt's tokens as it came
 * @param tokensAfter the prompt's tokens as it was sent on
 * @param compressionSaved tokens compression took out
 * @param removedMessages messages compaction took out (summarised or dropped)
 * @param summarized whether a summary stands in for the removed messages
 * @param breakpoints provider cache breakpoints placed
 * @param sideCalls calls made on the request's behalf (the compaction summary), to be paid for by it
 */
public record ShapingReport(int tokensBefore, int tokensAfter, int compressionSaved, int removedMessages,
                            boolean summarized, int breakpoints, List<SideCall> sideCalls) {
  public static final ShapingReport NONE = new ShapingReport(0, 0, 0, 0, false, 0, List.of());

  public ShapingReport {
    sideCalls = List.copyOf(sideCalls);
  }

  /** A call made for the request: the group asked, the deployment that answered and what it used. */
  public record SideCall(String group, Deployment deployment, Usage usage) {}

  /** Prompt tokens compaction and compression saved (never negative). */
  public int tokensSaved() {
    return Math.max(0, tokensBefore - tokensAfter);
  }
}

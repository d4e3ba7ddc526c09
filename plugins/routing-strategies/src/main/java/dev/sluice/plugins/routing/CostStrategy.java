package dev.sluice.plugins.routing;

import dev.sluice.api.routing.RouteCandidate;
import dev.sluice.api.routing.RouteRequest;
import dev.sluice.api.routing.RoutingStrategy;
import java.util.List;
import org.pf4j.Extension;

/**
 * {@code cost}: cheapest expected price first, for this request's estimated prompt tokens and its
 * {@code max_tokens} (or a guess of the output). Deployments without a price come last; ties by weight.
 */
@Extension
public final class CostStrategy implements RoutingStrategy {
  @Override
  public String id() {
    return "cost";
  }

  @Override
  public <T extends RouteCandidate> List<T> order(List<T> candidates, RouteRequest request) {
    return Orders.byScore(candidates, c -> expectedUsd(c, request));
  }

  static double expectedUsd(RouteCandidate c, RouteRequest request) {
    double in = c.inputPricePerMillion();
    double out = c.outputPricePerMillion();
    if (Double.isNaN(in) && Double.isNaN(out)) return Double.MAX_VALUE;
    return ((Double.isNaN(in) ? 0 : in) * request.promptTokens()
        + (Double.isNaN(out) ? 0 : out) * request.expectedOutputTokens()) / 1_000_000.0;
  }
}

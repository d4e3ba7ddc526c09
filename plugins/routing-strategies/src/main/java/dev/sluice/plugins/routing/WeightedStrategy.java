package dev.sluice.plugins.routing;

import dev.sluice.api.routing.RouteCandidate;
import dev.sluice.api.routing.RouteRequest;
import dev.sluice.api.routing.RoutingStrategy;
import java.util.List;
import org.pf4j.Extension;

/** {@code weighted} (the default): deployments in a random order, each first in proportion to its weight. */
@Extension
public final class WeightedStrategy implements RoutingStrategy {
  @Override
  public String id() {
    return "weighted";
  }

  @Override
  public <T extends RouteCandidate> List<T> order(List<T> candidates, RouteRequest request) {
    return Orders.weightedShuffle(candidates);
  }
}

package dev.sluice.plugins.routing;

import dev.sluice.api.routing.RouteCandidate;
import dev.sluice.api.routing.RouteRequest;
import dev.sluice.api.routing.RoutingStrategy;
import java.util.List;
import org.pf4j.Extension;

/** {@code least-busy}: fewest requests in flight first; ties by weight. */
@Extension
public final class LeastBusyStrategy implements RoutingStrategy {
  @Override
  public String id() {
    return "least-busy";
  }

  @Override
  public <T extends RouteCandidate> List<T> order(List<T> candidates, RouteRequest request) {
    return Orders.byScore(candidates, RouteCandidate::inFlight);
  }
}

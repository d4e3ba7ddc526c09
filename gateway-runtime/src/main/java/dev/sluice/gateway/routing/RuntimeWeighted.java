package dev.sluice.gateway.routing;

import dev.sluice.api.routing.RouteCandidate;
import dev.sluice.api.routing.RouteRequest;
import dev.sluice.api.routing.RoutingStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The runtime's own order when the strategy config names is not loaded (no routing-strategies plugin): each
 * deployment first in proportion to its weight, then the same among the rest. Runs the same contract kit as the
 * plugin strategies.
 */
final class RuntimeWeighted implements RoutingStrategy {
  static final RuntimeWeighted INSTANCE = new RuntimeWeighted();

  @Override
  public String id() {
    return "weighted";
  }

  @Override
  public <T extends RouteCandidate> List<T> order(List<T> candidates, RouteRequest request) {
    List<T> pool = new ArrayList<>(candidates);
    List<T> out = new ArrayList<>(pool.size());
    ThreadLocalRandom random = ThreadLocalRandom.current();
    while (!pool.isEmpty()) {
      long total = 0;
      for (T c : pool) total += Math.max(1, c.weight());
      long r = random.nextLong(total);
      for (int i = 0; i < pool.size(); i++) {
        r -= Math.max(1, pool.get(i).weight());
        if (r < 0) {
          out.add(pool.remove(i));
          break;
        }
      }
    }
    return out;
  }
}

package dev.sluice.plugins.routing;

import dev.sluice.api.routing.RouteCandidate;
import dev.sluice.api.routing.RouteRequest;
import dev.sluice.api.routing.RoutingStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.pf4j.Extension;

/**
 * {@code least-latency}: power of two choices. Two random deployments are compared by their expected wait (the
 * moving average of time to first token for streams, of the whole answer otherwise, scaled by the requests
 * already in flight); the faster goes first, the others follow by the same score. A deployment with no
 * measurement yet scores zero, so it gets tried and measured.
 */
@Extension
public final class LeastLatencyStrategy implements RoutingStrategy {
  @Override
  public String id() {
    return "least-latency";
  }

  @Override
  public <T extends RouteCandidate> List<T> order(List<T> candidates, RouteRequest request) {
    int n = candidates.size();
    if (n <= 1) return List.copyOf(candidates);
    // Scored once each: live statistics move while read, and a sort whose keys change under it may throw.
    double[] scores = Orders.scores(candidates, c -> score(c, request.stream()));
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int a = random.nextInt(n);
    int b = random.nextInt(n - 1);
    if (b >= a) b++;
    int first = scores[a] <= scores[b] ? a : b;
    List<T> rest = new ArrayList<>(n - 1);
    double[] restScores = new double[n - 1];
    for (int i = 0; i < n; i++) {
      if (i == first) continue;
      restScores[rest.size()] = scores[i];
      rest.add(candidates.get(i));
    }
    List<T> out = new ArrayList<>(n);
    out.add(candidates.get(first));
    out.addAll(Orders.sortedBy(rest, restScores));
    return out;
  }

  static double score(RouteCandidate c, boolean stream) {
    double ms = stream && !Double.isNaN(c.timeToFirstTokenMs()) ? c.timeToFirstTokenMs() : c.latencyMs();
    if (Double.isNaN(ms)) return 0;
    return ms * (1 + c.inFlight()) * (1 + 4 * c.errorRate());
  }
}

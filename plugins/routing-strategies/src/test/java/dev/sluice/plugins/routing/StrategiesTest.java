package dev.sluice.plugins.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.routing.RouteCandidate;
import dev.sluice.api.routing.RouteRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class StrategiesTest {
  record C(String provider, String model, int weight, int inFlight, double latencyMs, double timeToFirstTokenMs,
           double errorRate, double inputPricePerMillion, double outputPricePerMillion) implements RouteCandidate {}

  private static final RouteRequest REQUEST = new RouteRequest("m", 1000, 100, false);

  @Test
  void weightedPutsEachFirstInProportionToItsWeight() {
    List<C> cs = List.of(new C("a", "m", 3, 0, Double.NaN, Double.NaN, 0, Double.NaN, Double.NaN),
        new C("b", "m", 1, 0, Double.NaN, Double.NaN, 0, Double.NaN, Double.NaN));
    int a = 0;
    for (int i = 0; i < 4000; i++) {
      List<C> order = new WeightedStrategy().order(cs, REQUEST);
      assertThat(order).hasSize(2).containsExactlyInAnyOrderElementsOf(cs);
      if (order.get(0).provider().equals("a")) a++;
    }
    assertThat(a).isBetween(2800, 3200);
  }

  @Test
  void leastBusyLeastLatencyAndCostPickTheRightOneFirst() {
    C busySlowCheap = new C("a", "m", 1, 5, 900, 300, 0, 0.1, 0.2);
    C idleFastDear = new C("b", "m", 1, 0, 50, 20, 0, 5, 15);
    C unpriced = new C("c", "m", 1, 9, 2000, 900, 0.5, Double.NaN, Double.NaN);
    List<C> cs = List.of(busySlowCheap, idleFastDear, unpriced);
    for (int i = 0; i < 50; i++) {
      assertThat(new LeastBusyStrategy().order(cs, REQUEST)).containsExactly(idleFastDear, busySlowCheap, unpriced);
      assertThat(new CostStrategy().order(cs, REQUEST)).containsExactly(busySlowCheap, idleFastDear, unpriced);
      List<C> latency = new LeastLatencyStrategy().order(List.of(busySlowCheap, idleFastDear), REQUEST);
      assertThat(latency).containsExactly(idleFastDear, busySlowCheap);
      assertThat(new LeastLatencyStrategy().order(cs, REQUEST)).hasSize(3).doesNotHaveDuplicates();
    }
  }
}

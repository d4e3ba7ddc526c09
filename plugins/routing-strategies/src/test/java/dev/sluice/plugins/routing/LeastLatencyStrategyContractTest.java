package dev.sluice.plugins.routing;

import dev.sluice.api.routing.RoutingStrategy;
import dev.sluice.tck.RoutingStrategyContractTest;

class LeastLatencyStrategyContractTest extends RoutingStrategyContractTest {
  @Override
  protected RoutingStrategy createStrategy() {
    return new LeastLatencyStrategy();
  }
}

package dev.sluice.plugins.routing;

import dev.sluice.api.routing.RoutingStrategy;
import dev.sluice.tck.RoutingStrategyContractTest;

class CostStrategyContractTest extends RoutingStrategyContractTest {
  @Override
  protected RoutingStrategy createStrategy() {
    return new CostStrategy();
  }
}

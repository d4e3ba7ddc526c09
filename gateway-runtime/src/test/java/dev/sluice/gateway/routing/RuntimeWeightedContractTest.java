package dev.sluice.gateway.routing;

import dev.sluice.api.routing.RoutingStrategy;
import dev.sluice.tck.RoutingStrategyContractTest;

class RuntimeWeightedContractTest extends RoutingStrategyContractTest {
  @Override
  protected RoutingStrategy createStrategy() {
    return RuntimeWeighted.INSTANCE;
  }
}

package dev.sluice.plugins.routing;

import org.pf4j.Plugin;

/** The built-in routing strategies, each an {@code @Extension} of {@code RoutingStrategy}. */
public final class RoutingStrategiesPlugin extends Plugin {
  public RoutingStrategiesPlugin() {
    super();
  }
}

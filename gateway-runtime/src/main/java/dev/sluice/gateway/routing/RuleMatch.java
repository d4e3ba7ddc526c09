package dev.sluice.gateway.routing;

import dev.sluice.gateway.config.RoutingConfig;
import dev.sluice.gateway.config.ShapingConfig;

/**
 * The routing rule a request matches as it arrives (null: none), for the steps before routing, and the
 * smallest context window among the deployments the rule (or the requested model) may send it to (0: unknown).
 */
public record RuleMatch(RoutingConfig.Rule rule, int contextWindow) {
  public ShapingConfig shaping() {
    return rule == null ? ShapingConfig.NONE : rule.shaping();
  }
}

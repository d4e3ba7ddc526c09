package dev.sluice.gateway.routing;

import dev.sluice.gateway.config.RoutingConfig;
import dev.sluice.gateway.config.ShapingConfig;

/**
 * The routing rule a request matches as it arrives (null: none), for the steps before routing, and, when the
 * rule shapes requests, the smallest context window among the deployments it may send them to (0: unknown, or
 * not worked out because no shaping step needs it).
 */
public record RuleMatch(RoutingConfig.Rule rule, int contextWindow) {
  /** No rule matched. */
  public static final RuleMatch NONE = new RuleMatch(null, 0);

  public ShapingConfig shaping() {
    return rule == null ? ShapingConfig.NONE : rule.shaping();
  }
}

package dev.sluice.gateway.routing;

import dev.sluice.api.GatewayError;
import dev.sluice.api.routing.RoutingStrategy;
import dev.sluice.gateway.config.RoutingConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything routing reads for a request, immutable: the catalog of model groups, the routing config, the
 * strategies by id. The router swaps it whole on a reload; requests keep the table they started with.
 */
final class RoutingTable {
  final ModelCatalog catalog;
  final RoutingConfig config;
  final Map<String, RoutingStrategy> strategies;
  final Rules rules;
  final CheapestCapable cheapest;
  /** Each group's savings baseline as a request naming it plans it, made once per table. */
  private final Map<ModelGroup, List<RoutePlan.Baseline>> baselines = new java.util.concurrent.ConcurrentHashMap<>();

  RoutingTable(ModelCatalog catalog, RoutingConfig config, Map<String, RoutingStrategy> strategies) {
    this.catalog = catalog;
    this.config = config;
    this.strategies = Map.copyOf(strategies);
    this.rules = new Rules(config.rules());
    this.cheapest = CheapestCapable.build(config, catalog, Prices.BUILT_IN);
  }

  /** The baseline of a request for {@code g}: the group and its first deployment's upstream model. */
  List<RoutePlan.Baseline> baseline(ModelGroup g) {
    return baselines.computeIfAbsent(g, x -> List.of(new RoutePlan.Baseline(x.name(),
        x.deployments().get(0).upstreamModel())));
  }

  /** The built-in list prices, loaded once (cheapest-capable prices groups that config gives no price). */
  private static final class Prices {
    static final dev.sluice.gateway.pricing.PriceCatalog BUILT_IN = dev.sluice.gateway.pricing.PriceCatalog.load(Map.of());
  }

  /** Orders {@code candidates} with strategy {@code id}; the runtime's weighted order when it is not loaded. */
  List<Candidate> order(String id, ModelGroup group, List<Candidate> candidates,
                        dev.sluice.api.routing.RouteRequest request) {
    if (candidates.size() <= 1) return candidates;
    RoutingStrategy strategy = strategies.get(id);
    if (strategy == null) return group.weightedOrder(candidates);
    List<Candidate> ordered = strategy.order(candidates, request);
    return ordered.isEmpty() ? candidates : ordered;
  }

  /** The groups to try after {@code group} failed with {@code error}, by {@code routing.fallbacks}, in order. */
  List<String> fallbacks(String group, GatewayError error) {
    String condition = condition(error);
    if (condition == null) return List.of();
    List<String> out = new ArrayList<>(2);
    for (RoutingConfig.Fallback f : config.fallbacks()) {
      if ((f.from().equals(group) || f.from().equals("*")) && f.on().contains(condition)) {
        for (String to : f.to()) {
          if (!out.contains(to)) out.add(to);
        }
      }
    }
    return out;
  }

  /** The {@code fallbacks[].on} name of a failure, or null when no fallback can help. */
  static String condition(GatewayError e) {
    return switch (e.kind()) {
      case RATE_LIMITED -> "rate_limit";
      case UPSTREAM_5XX -> "5xx";
      case TIMEOUT -> "timeout";
      case UNAVAILABLE -> "unavailable";
      case UPSTREAM_PROTOCOL -> "protocol";
      case CONTEXT_WINDOW -> "context_window_exceeded";
      case CONTENT_FILTER -> "content_filter";
      default -> null;
    };
  }

  /** Whether {@code retries.on} allows another try after {@code e}. */
  static boolean retryable(RoutingConfig.Retries retries, GatewayError e) {
    if (!e.retryable()) return false;
    return switch (e.kind()) {
      case RATE_LIMITED -> retries.on().contains("429");
      case UPSTREAM_5XX -> retries.on().contains("5xx") || retries.on().contains(String.valueOf(e.upstreamStatus()));
      case TIMEOUT -> retries.on().contains("timeout") || retries.on().contains("408");
      case UNAVAILABLE -> retries.on().contains("connection") || retries.on().contains("503");
      case UPSTREAM_PROTOCOL -> retries.on().contains("protocol");
      default -> false;
    };
  }
}

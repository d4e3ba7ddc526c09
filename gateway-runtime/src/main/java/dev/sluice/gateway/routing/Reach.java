package dev.sluice.gateway.routing;

import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.gateway.config.RoutingConfig;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The cheap check before the dear steps (semantic-cache embedding, difficulty estimates, upstream calls): can
 * any deployment the request may reach serve it at all, by context window, output tokens, tools, images and
 * JSON schema? It counts characters, not tokens, and reads the catalog, so it costs microseconds where a
 * 10 MB turn costs seconds to embed. It is sound: the groups it considers are a superset of what routing may
 * try (the group asked for, every rule's route and candidates, and every fallback from those, whatever their
 * conditions), so it refuses only what routing would refuse too, with the same error.
 */
public final class Reach {
  private Reach() {}

  /**
   * As {@link #unservable(ModelCatalog, RoutingConfig, ChatRequest)} on the table {@code plan} was made on, with
   * the plan's estimate when {@code request} is the one planned (shaping may have made another).
   */
  public static GatewayError unservable(RoutePlan plan, ChatRequest request) {
    Demand demand = request == plan.demand().chat() ? plan.demand() : Demand.of(request);
    return unservable(plan.table.catalog, plan.table.config, request, demand);
  }

  /** The context-window or capability error routing would end with, or null when some deployment may serve it. */
  public static GatewayError unservable(ModelCatalog catalog, RoutingConfig config, ChatRequest request) {
    return unservable(catalog, config, request, Demand.of(request));
  }

  private static GatewayError unservable(ModelCatalog catalog, RoutingConfig config, ChatRequest request,
                                         Demand demand) {
    Set<String> groups = reachable(catalog, config, request.model());
    if (groups.isEmpty()) return null; // no such model: routing answers the 404
    RoutingConfig.Capabilities widest = null;
    String asked = null;
    for (String name : groups) {
      ModelGroup g = catalog.find(name);
      if (asked == null) asked = g.name();
      for (Deployment d : g.deployments()) {
        String shortfall = demand.shortfall(d.capabilities());
        // Fits, or only lacks a feature (tools, images, schema): routing names that precisely, at no dear cost.
        if (shortfall == null || !(shortfall.startsWith("context window") || shortfall.startsWith("max output"))) {
          return null;
        }
        if (widest == null || d.capabilities().contextWindow() > widest.contextWindow()) widest = d.capabilities();
      }
    }
    if (widest == null) return null;
    return GatewayError.contextWindow("The request needs about " + demand.promptTokens() + " prompt tokens plus"
        + " max_tokens " + demand.maxTokens() + ", more than the model '" + asked + "' or any model it may fall"
        + " back to can take (context window at most " + widest.contextWindow() + ", " + widest.maxOutputTokens()
        + " output tokens). Shorten the messages or lower max_tokens.");
  }

  /** The group {@code model} names (or, for a name that is none, the rules' groups) and every fallback from them. */
  static Set<String> reachable(ModelCatalog catalog, RoutingConfig config, String model) {
    Set<String> out = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>();
    ModelGroup named = catalog.find(model);
    if (named != null) todo.add(named.name());
    for (RoutingConfig.Rule r : config.rules()) {
      if (r.route() != null) todo.add(r.route());
      todo.addAll(r.candidates());
    }
    while (!todo.isEmpty()) {
      ModelGroup g = catalog.find(todo.poll());
      if (g == null || !out.add(g.name())) continue;
      for (RoutingConfig.Fallback f : config.fallbacks()) {
        if (f.from().equals("*") || f.from().equals(g.name())) todo.addAll(f.to());
      }
    }
    return out;
  }
}

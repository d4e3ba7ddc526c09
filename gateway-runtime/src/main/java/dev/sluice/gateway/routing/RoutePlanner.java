package dev.sluice.gateway.routing;

import dev.sluice.api.GatewayError;
import dev.sluice.gateway.config.RoutingConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The plan step: matches the routing rules once per request and works out everything later steps need from
 * that match (a {@link RoutePlan}). Runs on the event loop; cheap (no tokenizer, no I/O).
 */
public final class RoutePlanner {
  private final Supplier<RoutingTable> table;

  RoutePlanner(Supplier<RoutingTable> table) {
    this.table = table;
  }

  /** Plans {@code demand} for the caller {@code subject} on the current routing table. */
  public RoutePlan plan(Demand demand, RuleSubject subject) {
    RoutingTable t = table.get();
    String model = demand.model();
    ModelGroup named = model == null ? null : t.catalog.find(model);
    RoutingConfig.Rule rule;
    try {
      rule = t.rules.isEmpty() ? null : t.rules.match(demand, subject);
    } catch (GatewayError e) {
      // A malformed x-sluice-metadata header: answered after admission, as the first step that read it did.
      return new RoutePlan(t, demand, null, null, List.of(), t.config.strategy(), t.config.retries(),
          t.config.timeouts(), 0, null, null, named == null ? null : named.name(),
          named == null ? List.of() : t.baseline(named), e, null);
    }
    RoutingConfig c = t.config;
    String strategy = rule != null && rule.strategy() != null ? rule.strategy() : c.strategy();
    RoutingConfig.Retries retries = rule != null && rule.retries() != null ? rule.retries() : c.retries();
    RoutingConfig.Timeouts timeouts = rule != null && rule.timeouts() != null ? rule.timeouts() : c.timeouts();
    String group = null;
    List<String> pooled = List.of();
    GatewayError unroutable = null;
    try {
      if (rule == null) {
        group = t.catalog.resolve(model).name();
      } else if (!rule.cheapestCapable()) {
        pooled = rule.candidates();
        String first = rule.route() != null ? rule.route() : !pooled.isEmpty() ? pooled.get(0) : model;
        group = t.catalog.resolve(first).name();
      }
    } catch (GatewayError e) {
      unroutable = e;
    }
    if (rule != null && rule.cheapestCapable()) strategy = c.strategy();
    return new RoutePlan(t, demand, rule, group, pooled, strategy, retries, timeouts, contextWindow(t, rule, model),
        cacheGroup(t, named, model), priceAs(t, rule), named == null ? null : named.name(),
        baselines(t, named, rule), null, unroutable);
  }

  /**
   * The name a request is cached under: its group's, or the name itself when it is no group but a rule may route
   * it (e.g. {@code auto}); null when nothing serves it.
   */
  private static String cacheGroup(RoutingTable t, ModelGroup named, String model) {
    if (named != null) return named.name();
    for (RoutingConfig.Rule r : t.config.rules()) {
      if (r.route() != null || !r.candidates().isEmpty()) return model;
    }
    return null;
  }

  /**
   * For a cheapest-capable rule, the dearest of its candidate groups: budgets reserve a request's worst case
   * before it is routed. Null otherwise (the model asked for prices the reservation).
   */
  private static String priceAs(RoutingTable t, RoutingConfig.Rule rule) {
    if (rule == null || !rule.cheapestCapable()) return null;
    CheapestCapable.Option dearest = null;
    for (CheapestCapable.Option o : t.cheapest.options(rule)) {
      if (dearest == null || priced(o) > priced(dearest)) dearest = o;
    }
    return dearest == null ? null : dearest.group();
  }

  /** A priced option's reference price; -1 for an unpriced one (a priced candidate is the better estimate). */
  private static double priced(CheapestCapable.Option o) {
    return Double.isInfinite(o.reference()) ? -1 : o.reference();
  }

  /** The smallest context window of the deployments the rule may send the request to, when its shaping needs it. */
  private static int contextWindow(RoutingTable t, RoutingConfig.Rule rule, String model) {
    if (rule == null || !rule.shaping().any()) return 0;
    List<String> groups = rule.route() == null && rule.candidates().isEmpty() ? List.of(model)
        : rule.route() != null ? List.of(rule.route()) : rule.candidates();
    int window = Integer.MAX_VALUE;
    for (String name : groups) {
      ModelGroup g = name == null ? null : t.catalog.find(name);
      if (g == null) continue;
      for (Deployment d : g.deployments()) window = Math.min(window, d.capabilities().contextWindow());
    }
    return window == Integer.MAX_VALUE ? 0 : window;
  }

  /** The requested model, or for a name that is none (as {@code auto}) the groups its rule may choose from. */
  private static List<RoutePlan.Baseline> baselines(RoutingTable t, ModelGroup named, RoutingConfig.Rule rule) {
    if (named != null) return t.baseline(named);
    if (rule == null) return List.of();
    List<String> names = rule.route() != null ? List.of(rule.route()) : rule.candidates();
    List<RoutePlan.Baseline> out = new ArrayList<>(names.size());
    for (String name : names) {
      ModelGroup g = t.catalog.find(name);
      if (g != null) out.add(t.baseline(g).get(0));
    }
    return List.copyOf(out);
  }
}

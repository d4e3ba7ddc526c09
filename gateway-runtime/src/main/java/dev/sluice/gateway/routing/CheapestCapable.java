package dev.sluice.gateway.routing;

import dev.sluice.api.GatewayError;
import dev.sluice.gateway.config.RoutingConfig;
import dev.sluice.gateway.pricing.Price;
import dev.sluice.gateway.pricing.PriceCatalog;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code cheapest-capable} rule strategy. Among a rule's candidate groups it drops those that cannot serve
 * the request (the capability filter: no deployment of the group fits), keeps those whose tier is trusted with
 * the request's difficulty, and picks the cheapest for this request's prompt estimate and output. A group of
 * strength {@code s} (0 economy .. 1 premium) is trusted with difficulty {@code d} when
 * {@code d < 1 - quality * (1 - s)}; a premium group, and every group at quality 0, always is. At quality 0.5
 * an economy group takes the easier half; at quality 1 only premium groups are trusted. When none is trusted,
 * the strongest capable group serves.
 * Immutable, built with the routing table.
 */
final class CheapestCapable {
  /** A candidate group: its strength, and its list price in USD per 1M tokens ({@code NaN} when unknown). */
  record Option(String group, double strength, double input, double output) {
    double expectedUsd(Demand d) {
      if (Double.isNaN(input) && Double.isNaN(output)) return Double.POSITIVE_INFINITY;
      int out = d.maxTokens() > 0 ? d.maxTokens() : Math.min(4096, Math.max(1, d.promptTokens()));
      return ((Double.isNaN(input) ? 0 : input) * d.promptTokens() + (Double.isNaN(output) ? 0 : output) * out) / 1e6;
    }

    /** Input plus output price per 1M tokens, for ranking; infinite when unknown (so it counts as dearest). */
    double reference() {
      return CheapestCapable.reference(new double[] {input, output});
    }

    boolean trusted(double difficulty, double quality) {
      return strength >= 1 || quality <= 0 || difficulty < 1 - quality * (1 - strength);
    }
  }

  /** The group chosen, the other capable groups to fall back to in order, and what was dropped and why. */
  record Choice(String group, List<String> alternates, String dropped) {}

  private final Map<String, List<Option>> byRule;

  private CheapestCapable(Map<String, List<Option>> byRule) {
    this.byRule = Map.copyOf(byRule);
  }

  static CheapestCapable build(RoutingConfig config, ModelCatalog catalog, PriceCatalog prices) {
    Map<String, List<Option>> byRule = new HashMap<>();
    for (RoutingConfig.Rule rule : config.rules()) {
      if (rule.cheapestCapable()) byRule.put(rule.path(), options(rule.candidates(), catalog, prices));
    }
    return new CheapestCapable(byRule);
  }

  /** The served candidates with their strength: {@code tier}, else the rank of their price among the candidates. */
  static List<Option> options(List<String> candidates, ModelCatalog catalog, PriceCatalog prices) {
    List<ModelGroup> groups = new ArrayList<>();
    List<double[]> priced = new ArrayList<>();
    for (String name : candidates) {
      ModelGroup g = catalog.find(name);
      if (g == null || groups.contains(g)) continue; // not served (its providers were skipped), or an alias twice
      groups.add(g);
      priced.add(price(g, prices));
    }
    List<Integer> byPrice = new ArrayList<>();
    for (int i = 0; i < groups.size(); i++) byPrice.add(i);
    byPrice.sort(Comparator.comparingDouble(i -> reference(priced.get(i))));
    List<Option> out = new ArrayList<>();
    for (int i = 0; i < groups.size(); i++) {
      ModelGroup g = groups.get(i);
      double inferred = groups.size() == 1 ? 1 : (double) byPrice.indexOf(i) / (groups.size() - 1);
      out.add(new Option(g.name(), g.tier() != null ? g.tier() : inferred, priced.get(i)[0], priced.get(i)[1]));
    }
    return out;
  }

  /** The cheapest deployment's price: config's {@code price}, else the built-in catalog's for its upstream model. */
  private static double[] price(ModelGroup g, PriceCatalog prices) {
    double[] best = {Double.NaN, Double.NaN};
    for (Deployment d : g.deployments()) {
      double[] p;
      if (d.price() != null) {
        p = new double[] {d.price().input(), d.price().output()};
      } else {
        Price c = prices == null ? null : prices.find(g.name(), d.upstreamModel());
        if (c == null) continue;
        p = new double[] {c.input(), c.output()};
      }
      if (Double.isNaN(best[0]) || reference(p) < reference(best)) best = p;
    }
    return best;
  }

  private static double reference(double[] p) {
    return Double.isNaN(p[0]) && Double.isNaN(p[1]) ? Double.POSITIVE_INFINITY
        : (Double.isNaN(p[0]) ? 0 : p[0]) + (Double.isNaN(p[1]) ? 0 : p[1]);
  }

  List<Option> options(RoutingConfig.Rule rule) {
    return byRule.getOrDefault(rule.path(), List.of());
  }

  /** Chooses for {@code demand} at {@code difficulty}; throws the capability error when no candidate can serve. */
  static Choice choose(List<Option> options, ModelCatalog catalog, Demand demand, double difficulty, double quality) {
    List<Option> capable = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    List<Candidate> all = new ArrayList<>();
    for (Option o : options) {
      List<Candidate> candidates = catalog.find(o.group()).candidates();
      all.addAll(candidates);
      if (!demand.filter(candidates).isEmpty()) {
        capable.add(o);
      } else {
        dropped.add(o.group() + " (" + demand.shortfall(candidates.get(0).deployment.capabilities()) + ")");
      }
    }
    if (capable.isEmpty()) {
      if (options.isEmpty()) throw GatewayError.modelNotFound("None of the rule's candidate models is served.");
      throw demand.unservable(options.get(options.size() - 1).group(), all);
    }
    Comparator<Option> cheapest = Comparator.<Option>comparingDouble(o -> o.expectedUsd(demand))
        .thenComparing(Comparator.comparingDouble(Option::strength).reversed());
    Comparator<Option> strongest = Comparator.comparingDouble(Option::strength).reversed()
        .thenComparingDouble(o -> o.expectedUsd(demand));
    List<Option> trusted = new ArrayList<>();
    List<Option> untrusted = new ArrayList<>();
    for (Option o : capable) (o.trusted(difficulty, quality) ? trusted : untrusted).add(o);
    trusted.sort(cheapest);
    untrusted.sort(strongest);
    List<Option> order = new ArrayList<>(trusted);
    order.addAll(untrusted);
    List<String> alternates = new ArrayList<>();
    for (int i = 1; i < order.size(); i++) alternates.add(order.get(i).group());
    return new Choice(order.get(0).group(), alternates, String.join(", ", dropped));
  }

  /** The one-line reason for {@code x-sluice-route-reason}. */
  static String reason(Choice choice, double difficulty, double quality, String estimator, String note) {
    StringBuilder b = new StringBuilder(RoutingConfig.CHEAPEST_CAPABLE)
        .append(String.format(Locale.ROOT, " difficulty=%.2f quality=%.2f estimator=%s -> %s", difficulty, quality,
            estimator, choice.group()));
    if (!choice.dropped().isEmpty()) b.append("; incapable: ").append(choice.dropped());
    if (note != null) b.append("; ").append(note);
    return b.toString();
  }
}

package dev.sluice.gateway.routing;

import dev.sluice.api.GatewayError;
import dev.sluice.gateway.config.RoutingConfig;
import dev.sluice.gateway.config.ShapingConfig;
import java.util.List;

/**
 * Every routing decision about one request, made once by the {@link RoutePlanner} right after the request is
 * decoded and authenticated; every later step reads it (admission its price, shaping its levers, the cache its
 * group, routing its groups, strategy and limits, accounting its baselines). Immutable.
 *
 * <p>A request the plan cannot route keeps its failure here, to be answered where the step that needs the
 * answer runs: {@link #invalid} (a malformed {@code x-sluice-metadata} header) right after admission, and
 * {@link #unroutable} (no such model) by the cache step or the route step, as when routing answered it itself.
 */
public final class RoutePlan {
  /**
   * What the client asked for, priced as the savings report's baseline: a model {@code group} and the
   * {@code upstreamModel} of its first deployment (for the built-in price list). A request for a name that is no
   * model (such as {@code auto}) has one per candidate of its rule; the dearest is the baseline.
   */
  public record Baseline(String group, String upstreamModel) {}

  final RoutingTable table;
  private final Demand demand;
  private final RoutingConfig.Rule rule;
  private final String group;
  private final List<String> pooled;
  private final String strategy;
  private final RoutingConfig.Retries retries;
  private final RoutingConfig.Timeouts timeouts;
  private final int contextWindow;
  private final String cacheGroup;
  private final String priceAs;
  private final String namedGroup;
  private final List<Baseline> baselines;
  private final GatewayError invalid;
  private final GatewayError unroutable;

  RoutePlan(RoutingTable table, Demand demand, RoutingConfig.Rule rule, String group, List<String> pooled,
            String strategy, RoutingConfig.Retries retries, RoutingConfig.Timeouts timeouts, int contextWindow,
            String cacheGroup, String priceAs, String namedGroup, List<Baseline> baselines, GatewayError invalid,
            GatewayError unroutable) {
    this.table = table;
    this.demand = demand;
    this.rule = rule;
    this.group = group;
    this.pooled = pooled;
    this.strategy = strategy;
    this.retries = retries;
    this.timeouts = timeouts;
    this.contextWindow = contextWindow;
    this.cacheGroup = cacheGroup;
    this.priceAs = priceAs;
    this.namedGroup = namedGroup;
    this.baselines = baselines;
    this.invalid = invalid;
    this.unroutable = unroutable;
  }

  /** What the request asks for (its model, prompt estimate, needs). */
  public Demand demand() {
    return demand;
  }

  /** The routing rule the request matched, or null. */
  public RoutingConfig.Rule rule() {
    return rule;
  }

  /** Whether a {@code cheapest-capable} rule picks the group when the request is routed (after shaping). */
  public boolean cheapestCapable() {
    return rule != null && rule.cheapestCapable();
  }

  /** The model group routing starts in; null when a cheapest-capable rule chooses it, or when unroutable. */
  public String group() {
    return group;
  }

  /** The groups whose deployments are pooled into the first group's candidates ({@code candidates}), or empty. */
  public List<String> pooled() {
    return pooled;
  }

  public String strategy() {
    return strategy;
  }

  public RoutingConfig.Retries retries() {
    return retries;
  }

  public RoutingConfig.Timeouts timeouts() {
    return timeouts;
  }

  /** The shaping levers of the matched rule; {@link ShapingConfig#NONE} when none. */
  public ShapingConfig shaping() {
    return rule == null ? ShapingConfig.NONE : rule.shaping();
  }

  /** The smallest context window among the deployments the request may go to; 0 when unknown or not needed. */
  public int contextWindow() {
    return contextWindow;
  }

  /** The name the cache keys the request under (its group, or the routed name itself); null when unroutable. */
  public String cacheGroup() {
    return cacheGroup;
  }

  /** The model whose price a budget reserves the request at: its rule's dearest candidate, else the model asked. */
  public String priceModel() {
    return priceAs != null ? priceAs : demand.model();
  }

  /** The group the requested name itself resolves to (for the request log), or null (e.g. {@code auto}). */
  public String namedGroup() {
    return namedGroup;
  }

  /** The model as requested, before any gateway lever (several when it named none); empty when unknown. */
  public List<Baseline> baselines() {
    return baselines;
  }

  /** The request's routing inputs are malformed (answered after admission), or null. */
  public GatewayError invalid() {
    return invalid;
  }

  /** Nothing serves the requested name (answered by the cache or route step), or null. */
  public GatewayError unroutable() {
    return unroutable;
  }
}

package dev.sluice.gateway.routing;

import java.util.List;

/** A public model name, its deployments, and their live health for the router. */
public final class ModelGroup {
  private final String name;
  private final List<Deployment> deployments;
  private final List<Candidate> candidates;
  private final Double tier;

  ModelGroup(String name, List<Deployment> deployments) {
    this(name, deployments, List.of());
  }

  ModelGroup(String name, List<Deployment> deployments, List<Candidate> candidates) {
    this(name, deployments, candidates, null);
  }

  ModelGroup(String name, List<Deployment> deployments, List<Candidate> candidates, Double tier) {
    this.tier = tier;
    if (deployments.isEmpty()) throw new IllegalArgumentException("model group '" + name + "' has no deployment");
    this.name = name;
    this.deployments = List.copyOf(deployments);
    this.candidates = List.copyOf(candidates);
  }

  public String name() {
    return name;
  }

  /** {@code models[].tier}: strength 0 (economy) to 1 (premium), or null when config gives none. */
  public Double tier() {
    return tier;
  }

  public List<Deployment> deployments() {
    return deployments;
  }

  /** The deployments with their live health, as the router and strategies use them. */
  List<Candidate> candidates() {
    return candidates;
  }

  /** The candidates in weighted random order: the runtime's own order when no strategy plugin is loaded. */
  <T extends dev.sluice.api.routing.RouteCandidate> List<T> weightedOrder(List<T> in) {
    return RuntimeWeighted.INSTANCE.order(in, null);
  }
}

package dev.sluice.gateway.routing;

import dev.sluice.api.GatewayError;
import dev.sluice.api.Provider;
import dev.sluice.gateway.config.GatewayConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every served model name (and alias) and its deployments; immutable, shared by all event loops. */
public final class ModelCatalog {
  private final Map<String, ModelGroup> groups;
  private final List<String> names;

  private ModelCatalog(Map<String, ModelGroup> groups, List<String> names) {
    this.groups = groups;
    this.names = names;
  }

  /** Builds the catalog; every provider a model names must be in {@code providers}. */
  public static ModelCatalog build(List<GatewayConfig.Model> models, Map<String, Provider> providers) {
    return build(models, providers, null, null);
  }

  /** Builds the catalog with live health from {@code registry} (null: none, as in a plain catalog). */
  static ModelCatalog build(List<GatewayConfig.Model> models, Map<String, Provider> providers,
                            HealthRegistry registry, dev.sluice.gateway.config.RoutingConfig.Breaker breaker) {
    Map<String, ModelGroup> groups = new LinkedHashMap<>();
    List<String> names = new ArrayList<>();
    for (GatewayConfig.Model m : models) {
      List<Deployment> deployments = new ArrayList<>();
      List<Candidate> candidates = new ArrayList<>();
      for (GatewayConfig.Deployment d : m.deployments()) {
        Provider p = providers.get(d.provider());
        if (p == null) continue;
        Deployment deployment = new Deployment(d.provider(), p, d.model(), d.weight(), d.capabilities(), m.price());
        deployments.add(deployment);
        if (registry != null) candidates.add(new Candidate(deployment, registry.of(deployment, breaker)));
      }
      if (deployments.isEmpty()) continue;
      ModelGroup group = new ModelGroup(m.name(), deployments, candidates, m.tier());
      groups.put(m.name(), group);
      names.add(m.name());
      for (String alias : m.aliases()) groups.put(alias, group);
    }
    return new ModelCatalog(Map.copyOf(groups), names.stream().sorted().toList());
  }

  /** The group serving {@code model} (a name or an alias); a 404 naming the models there are when none does. */
  public ModelGroup resolve(String model) {
    ModelGroup g = groups.get(model);
    if (g == null) {
      throw GatewayError.modelNotFound("The model '" + model + "' does not exist or you do not have access to it."
          + " Models you can use: " + String.join(", ", names()) + ".");
    }
    return g;
  }

  /** The group for {@code model}, or null. */
  ModelGroup find(String model) {
    return groups.get(model);
  }

  /** The name of the group {@code deployment} (this very instance) belongs to, or null. */
  public String groupOf(Deployment deployment) {
    if (deployment == null) return null;
    for (String name : names) {
      for (Deployment d : groups.get(name).deployments()) {
        if (d == deployment) return name;
      }
    }
    return null;
  }

  public boolean contains(String model) {
    return groups.containsKey(model);
  }

  /** The models' names, sorted (aliases not included). */
  public List<String> names() {
    return names;
  }
}

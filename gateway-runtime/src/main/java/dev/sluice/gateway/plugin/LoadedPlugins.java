package dev.sluice.gateway.plugin;

import dev.sluice.api.IngressFormat;
import dev.sluice.api.ProviderFactory;
import dev.sluice.api.routing.DifficultyEstimator;
import dev.sluice.api.routing.RoutingStrategy;
import java.util.List;
import java.util.Map;

/**
 * What the plugins directory gave: provider factories by type, ingress formats, and every plugin that failed
 * with its cause (the gateway starts without those), routing strategies and difficulty estimators by id.
 */
public record LoadedPlugins(Map<String, ProviderFactory> providerFactories, List<IngressFormat> ingressFormats,
                            List<String> pluginIds, List<Failure> failures, Map<String, RoutingStrategy> strategies,
                            Map<String, DifficultyEstimator> estimators) {

  public LoadedPlugins(Map<String, ProviderFactory> providerFactories, List<IngressFormat> ingressFormats,
                       List<String> pluginIds, List<Failure> failures, Map<String, RoutingStrategy> strategies) {
    this(providerFactories, ingressFormats, pluginIds, failures, strategies, Map.of());
  }

  public LoadedPlugins {
    estimators = Map.copyOf(estimators);
    providerFactories = Map.copyOf(providerFactories);
    ingressFormats = List.copyOf(ingressFormats);
    pluginIds = List.copyOf(pluginIds);
    failures = List.copyOf(failures);
    strategies = Map.copyOf(strategies);
  }

  /** A plugin, or one of its extensions, that could not be used. */
  public record Failure(String plugin, String cause) {
    @Override
    public String toString() {
      return "plugin '" + plugin + "' failed: " + cause;
    }
  }
}

package dev.sluice.gateway;

import dev.sluice.api.ConfigError;
import dev.sluice.api.PluginContext;
import dev.sluice.api.Provider;
import dev.sluice.api.ProviderFactory;
import dev.sluice.api.ProviderSettings;
import dev.sluice.gateway.config.ConfigException;
import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.gateway.config.RoutingConfig;
import dev.sluice.gateway.plugin.LoadedPlugins;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Builds a config's providers with the loaded plugins, and checks the strategies and estimators its routing
 * names: the one place that does, at start ({@link Gateway}) and on every reload ({@link ConfigReloader}), so
 * both accept and refuse a config alike, with the same problems in the same order.
 */
final class ProviderBuilder {
  private ProviderBuilder() {}

  /**
   * The providers by id in config order, and the ones built by this call (not kept), which the caller owns.
   */
  record Built(Map<String, Provider> providers, List<Provider> fresh) {}

  /**
   * Builds every provider of {@code config}; {@code kept} answers the provider to reuse for an entry that did not
   * change (or null to build it). Throws a {@link ConfigException} listing every problem (unknown types, settings
   * a plugin refused, strategies and estimators no plugin serves) after closing what it built.
   */
  static Built build(GatewayConfig config, LoadedPlugins plugins, PluginContext context,
                     Function<GatewayConfig.ProviderEntry, Provider> kept) {
    List<String> problems = new ArrayList<>();
    Map<String, Provider> built = new LinkedHashMap<>();
    List<Provider> fresh = new ArrayList<>();
    for (GatewayConfig.ProviderEntry entry : config.providers()) {
      Provider reused = kept.apply(entry);
      if (reused != null) {
        built.put(entry.id(), reused);
        continue;
      }
      ProviderFactory factory = plugins.providerFactories().get(entry.type());
      if (factory == null) {
        problems.add(ConfigError.invalid(entry.path() + ".type", entry.type(), "no loaded plugin serves this type"
            + " (types: " + String.join(", ", new TreeSet<>(plugins.providerFactories().keySet())) + ")").getMessage());
        continue;
      }
      try {
        Provider p = factory.create(new ProviderSettings(entry.path(), entry.id(), entry.type(), entry.settings()),
            context);
        built.put(entry.id(), p);
        fresh.add(p);
      } catch (ConfigError e) {
        problems.add(e.getMessage());
      } catch (RuntimeException e) {
        problems.add(entry.path() + ": plugin for type '" + entry.type() + "' failed to create the provider: " + e);
      }
    }
    problems.addAll(strategyProblems(config.routing(), plugins.strategies().keySet()));
    problems.addAll(estimatorProblems(config.routing(), plugins.estimators().keySet()));
    if (!problems.isEmpty()) {
      fresh.forEach(Provider::close);
      throw ConfigException.of(config.source(), problems);
    }
    return new Built(built, fresh);
  }

  /** Problems with strategy names the loaded plugins do not serve ({@code weighted} is always there). */
  static List<String> strategyProblems(RoutingConfig routing, Set<String> loaded) {
    Set<String> known = new TreeSet<>(loaded);
    known.add(RoutingConfig.DEFAULT_STRATEGY);
    List<String> problems = new ArrayList<>();
    if (routing.strategy().equals(RoutingConfig.CHEAPEST_CAPABLE)) {
      problems.add(ConfigError.invalid("routing.strategy", routing.strategy(), "cheapest-capable chooses among a "
          + "rule's candidate groups: use it in routing.rules[] with candidates").getMessage());
    } else if (!known.contains(routing.strategy())) {
      problems.add(ConfigError.invalid("routing.strategy", routing.strategy(), "no loaded plugin serves this strategy"
          + " (strategies: " + String.join(", ", known) + ")").getMessage());
    }
    for (RoutingConfig.Rule r : routing.rules()) {
      if (r.strategy() != null && !r.cheapestCapable() && !known.contains(r.strategy())) {
        problems.add(ConfigError.invalid(r.path() + ".strategy", r.strategy(), "no loaded plugin serves this "
            + "strategy (strategies: " + String.join(", ", known) + ")").getMessage());
      }
    }
    return problems;
  }

  /** Problems with difficulty estimators the loaded plugins do not serve (cheapest-capable rules). */
  static List<String> estimatorProblems(RoutingConfig routing, Set<String> loaded) {
    List<String> problems = new ArrayList<>();
    for (RoutingConfig.Rule r : routing.rules()) {
      if (r.cheapestCapable() && !loaded.contains(r.estimator())) {
        problems.add(ConfigError.invalid(r.path() + ".estimator", r.estimator(), "no loaded plugin serves this "
            + "difficulty estimator (estimators: " + (loaded.isEmpty() ? "none" : String.join(", ",
            new TreeSet<>(loaded))) + ")").getMessage());
      }
    }
    return problems;
  }
}

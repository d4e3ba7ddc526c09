package dev.sluice.gateway.config;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A validated {@code config.yaml}. Built only by {@link ConfigLoader}; every value here has been checked.
 *
 * @param warnings things worth a log line that do not stop the gateway (a provider skipped for an unset key)
 * @param routing the {@code routing:} section (defaults when absent)
 * @param governance keys, prices, limits, journal; {@code enabled()} is false with {@code storage.postgres: none}
 */
public record GatewayConfig(String source, Server server, Storage storage, Plugins plugins, List<ProviderEntry> providers,
                            List<Model> models, List<String> warnings, RoutingConfig routing,
                            CacheConfig cache, GovernanceConfig governance) {

  public GatewayConfig {
    providers = List.copyOf(providers);
    models = List.copyOf(models);
    warnings = List.copyOf(warnings);
    cache = cache == null ? CacheConfig.DISABLED : cache;
  }

  /**
   * @param eventLoops how many event-loop verticles serve HTTP (default: one per core)
   * @param drainTimeout how long a stopping gateway waits for in-flight requests
   */
  public record Server(String host, int port, String masterKey, long maxBodyBytes, Duration drainTimeout,
                       int eventLoops) {
    @Override
    public String toString() {
      return "Server[host=" + host + ", port=" + port + ", masterKey=<redacted>, maxBodyBytes=" + maxBodyBytes
          + ", drainTimeout=" + drainTimeout + ", eventLoops=" + eventLoops + "]";
    }
  }

  public record Storage(String postgres, Path dataDir, String redis) {}

  public enum PluginMode { DEPLOYMENT, DEVELOPMENT }

  /** Where plugins load from: jars in {@code dir}, or {@code dir/<name>/target/classes} in development mode. */
  public record Plugins(Path dir, PluginMode mode) {}

  /** One {@code providers[]} entry, its settings already interpolated; the plugin validates the rest. */
  public record ProviderEntry(String path, String id, String type, JsonObject settings) {}

  /**
   * @param aliases other names clients may use for this model
   * @param price USD per million tokens, or null when config gives none
   * @param tier the model's strength for cheapest-capable routing, 0 (economy) to 1 (premium); null when config
   *     gives none (then inferred from the price rank among a rule's candidates)
   */
  public record Model(String path, String name, List<Deployment> deployments, List<String> aliases,
                      RoutingConfig.Capabilities capabilities, RoutingConfig.Price price, Double tier) {
    public Model {
      deployments = List.copyOf(deployments);
      aliases = List.copyOf(aliases);
    }

    public Model(String path, String name, List<Deployment> deployments, List<String> aliases,
                 RoutingConfig.Capabilities capabilities, RoutingConfig.Price price) {
      this(path, name, deployments, aliases, capabilities, price, null);
    }
  }

  /** @param capabilities the model's, or this deployment's own when it declares them */
  public record Deployment(String path, String provider, String model, int weight,
                           RoutingConfig.Capabilities capabilities) {}
}

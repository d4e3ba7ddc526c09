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
 * @param cluster the {@code cluster:} section ({@link ClusterConfig#DISABLED} when absent)
 */
public record GatewayConfig(String source, Server server, Storage storage, Plugins plugins, List<ProviderEntry> providers,
                            List<Model> models, List<String> warnings, RoutingConfig routing,
                            CacheConfig cache, GovernanceConfig governance, ClusterConfig cluster,
                            ObservabilityConfig observability) {

  /** Without {@code cluster:} and {@code observability:} sections: one node, default observability. */
  public GatewayConfig(String source, Server server, Storage storage, Plugins plugins, List<ProviderEntry> providers,
                       List<Model> models, List<String> warnings, RoutingConfig routing, CacheConfig cache,
                       GovernanceConfig governance) {
    this(source, server, storage, plugins, providers, models, warnings, routing, cache, governance, null, null);
  }

  public GatewayConfig {
    providers = List.copyOf(providers);
    models = List.copyOf(models);
    warnings = List.copyOf(warnings);
    cache = cache == null ? CacheConfig.DISABLED : cache;
    cluster = cluster == null ? ClusterConfig.DISABLED : cluster;
    observability = observability == null ? ObservabilityConfig.DEFAULT : observability;
  }

  /**
   * @param eventLoops how many event-loop verticles serve HTTP (default: one per core)
   * @param drainTimeout how long a stopping gateway waits for in-flight requests
   * @param limits timeouts, sizes and the connection cap every client connection is held to
   */
  public record Server(String host, int port, String masterKey, long maxBodyBytes, Duration drainTimeout,
                       int eventLoops, ServerLimits limits) {
    public Server {
      limits = limits == null ? ServerLimits.DEFAULT : limits;
    }

    @Override
    public String toString() {
      return "Server[host=" + host + ", port=" + port + ", masterKey=<redacted>, maxBodyBytes=" + maxBodyBytes
          + ", drainTimeout=" + drainTimeout + ", eventLoops=" + eventLoops + ", limits=" + limits + "]";
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

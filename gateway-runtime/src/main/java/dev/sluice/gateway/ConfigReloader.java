package dev.sluice.gateway;

import dev.sluice.api.ConfigError;
import dev.sluice.api.PluginContext;
import dev.sluice.api.Provider;
import dev.sluice.api.ProviderFactory;
import dev.sluice.api.ProviderSettings;
import dev.sluice.api.routing.RoutingStrategy;
import dev.sluice.gateway.config.ConfigException;
import dev.sluice.gateway.config.ConfigLoader;
import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.gateway.config.RoutingConfig;
import dev.sluice.gateway.plugin.LoadedPlugins;
import dev.sluice.gateway.redact.ConfiguredSecrets;
import dev.sluice.gateway.redact.Redactor;
import dev.sluice.gateway.routing.Router;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the routing part of the config ({@code providers}, {@code models}, {@code routing}) from the config
 * file, on {@code POST /admin/config/reload} and when the file's modification time changes. The new config is
 * validated whole first; a bad one is rejected and the old routing keeps serving. Unchanged providers are
 * kept; replaced ones are closed after the drain timeout, so requests in flight on them finish.
 */
final class ConfigReloader {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);

  private final Vertx vertx;
  private final Path file;
  private final LoadedPlugins plugins;
  private final Router router;
  private final long drainMillis;
  private Map<String, GatewayConfig.ProviderEntry> entries;
  private Map<String, Provider> providers;
  private final List<Provider> retiring = new ArrayList<>();
  private long lastModified;
  private long watchTimer = -1;

  ConfigReloader(Vertx vertx, GatewayConfig config, LoadedPlugins plugins, Router router,
                 Map<String, Provider> providers) {
    this.vertx = vertx;
    Path p = Path.of(config.source());
    this.file = Files.isRegularFile(p) ? p.toAbsolutePath() : null;
    this.plugins = plugins;
    this.router = router;
    this.drainMillis = config.server().drainTimeout().toMillis();
    this.entries = byId(config.providers());
    this.providers = Map.copyOf(providers);
    this.lastModified = modified();
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

  /** Checks the file every {@code routing.watch}; reloads when its modification time changed. */
  void watch(java.time.Duration every) {
    if (file == null || every.isZero()) return;
    watchTimer = vertx.setPeriodic(every.toMillis(), id -> vertx.executeBlocking(this::modified, false)
        .onSuccess(m -> {
          if (m != lastModified) {
            reload().onSuccess(r -> LOG.info("config reloaded from {} after it changed", file))
                .onFailure(e -> LOG.error("config file {} changed but was not reloaded: {}", file, e.getMessage()));
          }
        }));
  }

  Future<JsonObject> reload() {
    if (file == null) {
      return Future.failedFuture(ConfigException.of("config", List.of("the gateway was not started from a config file;"
          + " there is nothing to reload")));
    }
    return vertx.executeBlocking(this::reloadBlocking, false);
  }

  /** Reads, validates, builds providers and swaps: a worker thread's job, one reload at a time. */
  private synchronized JsonObject reloadBlocking() {
    long stamp = modified();
    GatewayConfig next;
    try {
      next = ConfigLoader.load(file, System::getenv, file.getParent() == null ? Path.of(".") : file.getParent());
    } finally {
      lastModified = stamp; // a bad file is reported once, not on every check
    }
    // Before any provider is built from it: a plugin's failure to build may quote its settings.
    Redactor.register(this, ConfiguredSecrets.of(next));
    List<String> problems = strategyProblems(next.routing(), plugins.strategies().keySet());
    problems.addAll(estimatorProblems(next.routing(), plugins.estimators().keySet()));
    Map<String, GatewayConfig.ProviderEntry> nextEntries = byId(next.providers());
    Map<String, Provider> built = new LinkedHashMap<>();
    List<Provider> fresh = new ArrayList<>();
    PluginContext context = () -> vertx;
    for (GatewayConfig.ProviderEntry e : next.providers()) {
      GatewayConfig.ProviderEntry old = entries.get(e.id());
      if (old != null && old.type().equals(e.type()) && old.settings().equals(e.settings())) {
        built.put(e.id(), providers.get(e.id()));
        continue;
      }
      ProviderFactory factory = plugins.providerFactories().get(e.type());
      if (factory == null) {
        problems.add(ConfigError.invalid(e.path() + ".type", e.type(), "no loaded plugin serves this type").getMessage());
        continue;
      }
      try {
        Provider p = factory.create(new ProviderSettings(e.path(), e.id(), e.type(), e.settings()), context);
        built.put(e.id(), p);
        fresh.add(p);
      } catch (ConfigError err) {
        problems.add(err.getMessage());
      } catch (RuntimeException err) {
        problems.add(e.path() + ": plugin for type '" + e.type() + "' failed to create the provider: " + err);
      }
    }
    if (!problems.isEmpty()) {
      fresh.forEach(Provider::close);
      throw ConfigException.of(next.source(), problems);
    }
    router.swap(next.models(), built, next.routing(), plugins.strategies());
    List<Provider> replaced = new ArrayList<>();
    for (Map.Entry<String, Provider> old : providers.entrySet()) {
      if (built.get(old.getKey()) != old.getValue()) replaced.add(old.getValue());
    }
    entries = nextEntries;
    providers = Map.copyOf(built);
    retire(replaced);
    for (String w : next.warnings()) LOG.warn(w);
    LOG.info("routing reloaded from {}: models {}", file, router.catalog().names());
    return new JsonObject().put("status", "reloaded").put("models", new JsonArray(router.catalog().names()))
        .put("providers", new JsonArray(new ArrayList<>(built.keySet()))).put("warnings", new JsonArray(next.warnings()));
  }

  /** Closes replaced providers once requests in flight on them had the drain timeout to finish. */
  private void retire(List<Provider> replaced) {
    if (replaced.isEmpty()) return;
    synchronized (retiring) {
      retiring.addAll(replaced);
    }
    vertx.setTimer(Math.max(1, drainMillis), id -> {
      for (Provider p : replaced) {
        synchronized (retiring) {
          if (!retiring.remove(p)) continue;
        }
        p.close();
      }
    });
  }

  /** Every provider still open: the current ones and those waiting to retire. */
  List<Provider> openProviders() {
    List<Provider> all = new ArrayList<>(providers.values());
    synchronized (retiring) {
      all.addAll(retiring);
      retiring.clear();
    }
    return all;
  }

  void stop() {
    Redactor.unregister(this);
    if (watchTimer >= 0) vertx.cancelTimer(watchTimer);
  }

  private long modified() {
    try {
      return file == null ? 0 : Files.getLastModifiedTime(file).toMillis();
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  private static Map<String, GatewayConfig.ProviderEntry> byId(List<GatewayConfig.ProviderEntry> list) {
    Map<String, GatewayConfig.ProviderEntry> out = new LinkedHashMap<>();
    for (GatewayConfig.ProviderEntry e : list) out.put(e.id(), e);
    return out;
  }
}

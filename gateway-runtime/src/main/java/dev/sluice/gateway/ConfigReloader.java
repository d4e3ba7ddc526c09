package dev.sluice.gateway;

import dev.sluice.api.Provider;
import dev.sluice.gateway.config.ConfigException;
import dev.sluice.gateway.config.ConfigLoader;
import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.gateway.plugin.LoadedPlugins;
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
    Map<String, GatewayConfig.ProviderEntry> nextEntries = byId(next.providers());
    Map<String, Provider> built = ProviderBuilder.build(next, plugins, () -> vertx, e -> {
      GatewayConfig.ProviderEntry old = entries.get(e.id());
      boolean same = old != null && old.type().equals(e.type()) && old.settings().equals(e.settings());
      return same ? providers.get(e.id()) : null;
    }).providers();
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

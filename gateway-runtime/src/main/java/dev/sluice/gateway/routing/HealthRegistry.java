package dev.sluice.gateway.routing;

import dev.sluice.gateway.config.RoutingConfig;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every deployment's {@link DeploymentHealth}, by {@code provider/model}. Outlives routing tables: a reload
 * keeps the breakers and statistics of the deployments it keeps.
 */
final class HealthRegistry {
  private final Vertx vertx;
  private final RoutingListener listener;
  private final Map<String, DeploymentHealth> byKey = new ConcurrentHashMap<>();

  HealthRegistry(Vertx vertx, RoutingListener listener) {
    this.vertx = vertx;
    this.listener = listener;
  }

  DeploymentHealth of(Deployment d, RoutingConfig.Breaker settings) {
    DeploymentHealth h = byKey.computeIfAbsent(d.key(), k -> new DeploymentHealth(k, vertx, settings, listener));
    h.settings(settings);
    return h;
  }

  /** Forgets deployments no table uses any more. */
  void retain(Set<String> keys) {
    byKey.entrySet().removeIf(e -> {
      if (keys.contains(e.getKey())) return false;
      e.getValue().close();
      return true;
    });
  }

  void close() {
    byKey.values().forEach(DeploymentHealth::close);
    byKey.clear();
  }
}

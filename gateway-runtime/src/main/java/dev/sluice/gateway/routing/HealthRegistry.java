package dev.sluice.gateway.routing;

import dev.sluice.gateway.config.RoutingConfig;
import dev.sluice.gateway.time.Clock;
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
  private final Peers peers;
  private final Clock clock;

  /** Tells the other cluster nodes about this node's breaker openings and 429 cooldowns. */
  interface Peers {
    Peers NONE = new Peers() {
      @Override
      public void opened(String deployment) {}

      @Override
      public void cooledDown(String deployment, long millis) {}
    };

    void opened(String deployment);

    void cooledDown(String deployment, long millis);
  }

  HealthRegistry(Vertx vertx, RoutingListener listener) {
    this(vertx, listener, Peers.NONE, Clock.SYSTEM);
  }

  /** @param clock times breakers ({@code open_for}), cooldowns and the outcome window */
  HealthRegistry(Vertx vertx, RoutingListener listener, Peers peers, Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
    this.listener = listener;
    this.peers = peers;
  }

  DeploymentHealth of(Deployment d, RoutingConfig.Breaker settings) {
    DeploymentHealth h = byKey.computeIfAbsent(d.key(), k -> new DeploymentHealth(k, vertx, settings, listener,
        peers, clock));
    h.settings(settings);
    return h;
  }

  /** Another node opened the breaker of {@code deployment} or cooled it down; unknown deployments are ignored. */
  void fromPeer(String deployment, boolean opened, long cooldownMillis) {
    DeploymentHealth h = byKey.get(deployment);
    if (h == null) return;
    if (opened) h.openedByPeer();
    if (cooldownMillis > 0) h.cooledDownByPeer(cooldownMillis);
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

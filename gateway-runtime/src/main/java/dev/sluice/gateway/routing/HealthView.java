package dev.sluice.gateway.routing;

import dev.sluice.gateway.time.Clock;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The deployments' health as others see it: {@code /admin/models} (each deployment's breaker, latency, error
 * rate, in-flight, cooldown) and the health gossip between cluster nodes ({@code cluster.share_breakers}).
 * Owns the {@link HealthRegistry}, which outlives routing tables.
 */
public final class HealthView {
  private final HealthRegistry registry;
  private final Listeners listeners;
  private final Supplier<RoutingTable> table;
  private final Clock clock;
  private volatile Consumer<JsonObject> out;

  HealthView(Vertx vertx, Listeners listeners, Supplier<RoutingTable> table, Clock clock) {
    this.listeners = listeners;
    this.table = table;
    this.clock = clock;
    this.registry = new HealthRegistry(vertx, listeners, new HealthRegistry.Peers() {
      @Override
      public void opened(String deployment) {
        send(new JsonObject().put("deployment", deployment).put("opened", true));
      }

      @Override
      public void cooledDown(String deployment, long millis) {
        send(new JsonObject().put("deployment", deployment).put("cooldown_ms", millis));
      }
    }, clock);
  }

  HealthRegistry registry() {
    return registry;
  }

  private void send(JsonObject signal) {
    Consumer<JsonObject> o = out;
    if (o != null) o.accept(signal);
  }

  /**
   * Sends this node's own breaker openings and 429 cooldowns to {@code out} ({@code cluster.share_breakers}),
   * as {@code {deployment, opened: true}} or {@code {deployment, cooldown_ms}}.
   */
  public void share(Consumer<JsonObject> out) {
    this.out = out;
  }

  /** Applies another node's breaker opening or cooldown (from {@link #share}) to the same deployment here. */
  public void fromPeer(JsonObject signal) {
    registry.fromPeer(signal.getString("deployment", ""), signal.getBoolean("opened", false),
        signal.getLong("cooldown_ms", 0L));
  }

  /** {@code /admin/models}: each model group, its deployments' live state, and the routing counters. */
  public JsonObject describe() {
    RoutingTable t = table.get();
    long now = clock.nanos();
    JsonArray models = new JsonArray();
    for (String name : t.catalog.names()) {
      ModelGroup g = t.catalog.resolve(name);
      JsonArray deployments = new JsonArray();
      for (Candidate c : g.candidates()) {
        deployments.add(new JsonObject().put("provider", c.provider()).put("model", c.model())
            .put("weight", c.weight()).mergeIn(c.health.describe(now)));
      }
      models.add(new JsonObject().put("name", name).put("tier", g.tier()).put("deployments", deployments));
    }
    return new JsonObject().put("strategy", t.config.strategy()).put("fallbacks", listeners.fallbacks())
        .put("models", models);
  }

  /** Releases the breakers' timers. */
  void close() {
    registry.close();
  }
}

package dev.sluice.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import io.vertx.core.json.JsonObject;

/**
 * Changes one node makes that every other node must apply at once: keys changed (blocked, revoked, rotated,
 * limits), config reloaded, and (with {@code cluster.share_breakers}) breakers opened and 429 cooldowns. Published on the Vert.x event bus, which reaches every node when Vert.x runs
 * clustered (and stays in process otherwise); a node ignores its own signals.
 */
final class ClusterSignals {
  static final String KEYS_CHANGED = "sluice.keys.changed";
  static final String CONFIG_RELOADED = "sluice.config.reloaded";
  static final String HEALTH = "sluice.routing.health";
  private static final String ORIGIN = "origin";

  private final Vertx vertx;
  private final String origin = UUID.randomUUID().toString();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();

  ClusterSignals(Vertx vertx) {
    this.vertx = vertx;
  }

  void keysChanged() {
    publish(KEYS_CHANGED);
  }

  void configReloaded() {
    publish(CONFIG_RELOADED);
  }

  /** A breaker opened or a deployment cooled down here (see {@code Router.shareHealth}). */
  void health(JsonObject signal) {
    vertx.eventBus().publish(HEALTH, signal, new DeliveryOptions().addHeader(ORIGIN, origin));
  }

  synchronized void onHealth(Consumer<JsonObject> action) {
    consumers.add(vertx.eventBus().<JsonObject>consumer(HEALTH, m -> {
      if (!origin.equals(m.headers().get(ORIGIN))) action.accept(m.body());
    }));
  }

  void onKeysChanged(Runnable action) {
    subscribe(KEYS_CHANGED, action);
  }

  void onConfigReloaded(Runnable action) {
    subscribe(CONFIG_RELOADED, action);
  }

  private void publish(String address) {
    vertx.eventBus().publish(address, origin, new DeliveryOptions().addHeader(ORIGIN, origin));
  }

  private synchronized void subscribe(String address, Runnable action) {
    consumers.add(vertx.eventBus().<String>consumer(address, m -> {
      if (!origin.equals(m.headers().get(ORIGIN))) action.run();
    }));
  }

  synchronized void close() {
    for (MessageConsumer<?> c : consumers) c.unregister();
    consumers.clear();
  }
}

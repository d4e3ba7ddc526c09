package dev.sluice.gateway.routing;

import dev.sluice.api.GatewayError;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** The registered {@link RoutingListener}s as one: counts fallbacks, then tells every listener. */
final class Listeners implements RoutingListener {
  private final List<RoutingListener> listeners = new CopyOnWriteArrayList<>();
  private final AtomicLong fallbacks = new AtomicLong();

  void add(RoutingListener listener) {
    listeners.add(listener);
  }

  /** Moves to another model group since start. */
  long fallbacks() {
    return fallbacks.get();
  }

  @Override
  public void attempt(String group, Deployment deployment, int number, GatewayError failure, double millis) {
    for (RoutingListener l : listeners) l.attempt(group, deployment, number, failure, millis);
  }

  @Override
  public void fallback(String from, String to, String reason) {
    fallbacks.incrementAndGet();
    for (RoutingListener l : listeners) l.fallback(from, to, reason);
  }

  @Override
  public void breaker(String deploymentKey, String state) {
    for (RoutingListener l : listeners) l.breaker(deploymentKey, state);
  }
}

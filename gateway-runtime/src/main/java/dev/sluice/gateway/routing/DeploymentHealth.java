package dev.sluice.gateway.routing;

import dev.sluice.api.GatewayError;
import dev.sluice.gateway.config.RoutingConfig;
import dev.sluice.gateway.time.Clock;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The live state of one deployment on this node, kept across reloads: requests in flight, latency averages,
 * recent outcomes, a circuit breaker and a cooldown after a 429, all timed by the runtime's {@link Clock}. The
 * breaker counts only failures that say the deployment is unwell (5xx, timeouts, unreachable, broken answers);
 * it opens when the failure ratio over the window reaches the configured one with enough requests, stays open
 * for {@code open_for}, then lets one probe through.
 */
final class DeploymentHealth {
  private final String key;
  private final Clock clock;
  private final Breaker breaker;
  private final Outcomes outcomes;
  private final Ewma latency;
  private final Ewma ttft;
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicLong attempts = new AtomicLong();
  final AtomicLong failures = new AtomicLong();
  final AtomicLong breakerOpens = new AtomicLong();
  private volatile long cooldownUntilNanos;
  private volatile RoutingConfig.Breaker settings;
  /** Where this node's own breaker openings and cooldowns go (other cluster nodes), when shared. */
  private final HealthRegistry.Peers peers;

  DeploymentHealth(String key, Vertx vertx, RoutingConfig.Breaker settings, RoutingListener listener) {
    this(key, vertx, settings, listener, HealthRegistry.Peers.NONE, Clock.SYSTEM);
  }

  DeploymentHealth(String key, Vertx vertx, RoutingConfig.Breaker settings, RoutingListener listener,
                   HealthRegistry.Peers peers, Clock clock) {
    this.key = key;
    this.peers = peers;
    this.settings = settings;
    this.clock = clock;
    this.latency = new Ewma(clock);
    this.ttft = new Ewma(clock);
    this.outcomes = new Outcomes(settings.window().toNanos(), clock.nanos());
    this.breaker = new Breaker(vertx, clock, settings.openFor().toNanos(), DeploymentHealth::unwell, state -> {
      if (state == CircuitBreakerState.OPEN) breakerOpens.incrementAndGet();
      if (state == CircuitBreakerState.CLOSED) outcomes.clear();
      listener.breaker(key, state.name());
    });
  }

  /** Failures that count against a deployment's health (not the client's fault, not a rate limit). */
  static boolean unwell(Throwable t) {
    if (!(t instanceof GatewayError e)) return false;
    return switch (e.kind()) {
      case UPSTREAM_5XX, UPSTREAM_PROTOCOL, TIMEOUT, UNAVAILABLE -> true;
      default -> false;
    };
  }

  void settings(RoutingConfig.Breaker s) {
    settings = s;
    outcomes.window(s.window().toNanos());
    breaker.openFor(s.openFor().toNanos());
  }

  String key() {
    return key;
  }

  /** Runs one attempt through the breaker; fails with {@code OpenCircuitException} when it is open. */
  <T> Future<T> execute(Supplier<Future<T>> attempt) {
    return breaker.execute(attempt);
  }

  CircuitBreakerState state() {
    return breaker.state();
  }

  boolean open() {
    return breaker.state() == CircuitBreakerState.OPEN;
  }

  /** Records an attempt's outcome; opens the breaker when the failure ratio is reached. */
  void outcome(GatewayError failure, long nowNanos) {
    attempts.incrementAndGet();
    if (failure == null) {
      outcomes.record(true, nowNanos);
      return;
    }
    failures.incrementAndGet();
    if (failure.kind() == GatewayError.Kind.RATE_LIMITED) return;
    if (!unwell(failure)) return;
    outcomes.record(false, nowNanos);
    RoutingConfig.Breaker s = settings;
    long[] c = outcomes.counts(nowNanos);
    long all = c[0] + c[1];
    if (all >= s.minRequests() && (double) c[1] / all >= s.failureRatio()
        && breaker.state() == CircuitBreakerState.CLOSED) {
      breaker.open();
      peers.opened(key);
    }
  }

  void latency(double ms) {
    latency.add(ms);
  }

  void ttft(double ms) {
    ttft.add(ms);
  }

  double latencyMs() {
    return latency.get();
  }

  double ttftMs() {
    return ttft.get();
  }

  /** The error rate over the window, now (on the clock). */
  double errorRate() {
    return errorRate(clock.nanos());
  }

  double errorRate(long nowNanos) {
    return outcomes.errorRate(nowNanos);
  }

  void coolDown(long untilNanos) {
    if (untilNanos - cooldownUntilNanos > 0) cooldownUntilNanos = untilNanos;
    peers.cooledDown(key, Math.max(0, (untilNanos - clock.nanos()) / 1_000_000));
  }

  /** Another node's breaker for this deployment opened: open here too (for {@code open_for}, then a probe). */
  void openedByPeer() {
    if (breaker.state() == CircuitBreakerState.CLOSED) breaker.open();
  }

  /** Another node got a 429 from this deployment: cool down here too, for what is left of its cooldown. */
  void cooledDownByPeer(long millis) {
    long until = clock.nanos() + millis * 1_000_000;
    if (until - cooldownUntilNanos > 0) cooldownUntilNanos = until;
  }

  /** Nanoseconds of cooldown left (0 when none). */
  long cooldownLeft(long nowNanos) {
    return Math.max(0, cooldownUntilNanos - nowNanos);
  }

  JsonObject describe(long nowNanos) {
    return new JsonObject().put("breaker", breaker.state().name()).put("in_flight", inFlight.get())
        .put("latency_ms", round(latency.get())).put("ttft_ms", round(ttft.get()))
        .put("error_rate", round(errorRate(nowNanos))).put("cooldown_ms", cooldownLeft(nowNanos) / 1_000_000)
        .put("attempts", attempts.get()).put("failures", failures.get()).put("breaker_opens", breakerOpens.get());
  }

  private static Double round(double v) {
    return Double.isNaN(v) ? null : Math.round(v * 1000) / 1000.0;
  }

  void close() {
    breaker.stop();
  }
}

package dev.sluice.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.GatewayError;
import dev.sluice.gateway.time.ManualClock;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The breaker's {@code open_for} runs on the clock it is given: the test moves the clock, nothing waits. */
class BreakerTest {
  private final ManualClock clock = new ManualClock();
  private final List<CircuitBreakerState> changes = new ArrayList<>();
  private final Breaker breaker = new Breaker(null, clock, Duration.ofSeconds(30).toNanos(),
      DeploymentHealth::unwell, changes::add);
  private final AtomicInteger calls = new AtomicInteger();

  private Future<String> call(Future<String> outcome) {
    return breaker.execute(() -> {
      calls.incrementAndGet();
      return outcome;
    });
  }

  @Test
  void anOpenBreakerRefusesUntilOpenForHasPassedOnTheClock() {
    breaker.open();
    assertThat(call(Future.succeededFuture("x")).cause()).isInstanceOf(OpenCircuitException.class);
    clock.advance(Duration.ofSeconds(29));
    assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(call(Future.succeededFuture("x")).failed()).isTrue();
    assertThat(calls).hasValue(0);
    clock.advance(Duration.ofSeconds(1));
    assertThat(breaker.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
    assertThat(changes).containsExactly(CircuitBreakerState.OPEN, CircuitBreakerState.HALF_OPEN);
  }

  @Test
  void halfOpenLetsOneProbeThroughAndItsSuccessCloses() {
    breaker.open();
    clock.advance(Duration.ofSeconds(30));
    Promise<String> probe = Promise.promise();
    Future<String> first = call(probe.future());
    assertThat(call(Future.succeededFuture("second")).cause()).as("one probe at a time")
        .isInstanceOf(OpenCircuitException.class);
    assertThat(calls).hasValue(1);
    probe.complete("ok");
    assertThat(first.result()).isEqualTo("ok");
    assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
    assertThat(call(Future.succeededFuture("x")).result()).isEqualTo("x");
  }

  @Test
  void aFailedProbeOpensAgainForAFullOpenFor() {
    breaker.open();
    clock.advance(Duration.ofSeconds(30));
    call(Future.failedFuture(GatewayError.upstream5xx(503, "down")));
    assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
    clock.advance(Duration.ofSeconds(29));
    assertThat(breaker.state()).isEqualTo(CircuitBreakerState.OPEN);
    clock.advance(Duration.ofSeconds(1));
    assertThat(breaker.state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
  }

  @Test
  void aProbeThatFailsByTheClientsFaultCloses() {
    breaker.open();
    clock.advance(Duration.ofSeconds(30));
    call(Future.failedFuture(GatewayError.badRequest("bad input")));
    assertThat(breaker.state()).as("a 400 says nothing against the deployment").isEqualTo(CircuitBreakerState.CLOSED);
  }

  @Test
  void aClosedBreakerLetsFailuresThroughWithoutOpening() {
    for (int i = 0; i < 10; i++) call(Future.failedFuture(GatewayError.upstream5xx(500, "boom")));
    assertThat(calls).hasValue(10);
    assertThat(breaker.state()).isEqualTo(CircuitBreakerState.CLOSED);
    assertThat(changes).isEmpty();
  }
}

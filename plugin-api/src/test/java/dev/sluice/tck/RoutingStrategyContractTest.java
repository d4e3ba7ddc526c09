package dev.sluice.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.routing.RouteCandidate;
import dev.sluice.api.routing.RouteRequest;
import dev.sluice.api.routing.RoutingStrategy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link RoutingStrategy} passes, as its javadoc states it: an answer holds only the given
 * candidates, each at most once, at least one of them; the input list is left alone; moving or missing
 * statistics never break an answer; calls are cheap, and safe from several event loops at once.
 *
 * <p>Extend it and return your strategy from {@link #createStrategy}. Override {@link #keepsEveryCandidate}
 * when your strategy leaves candidates out on purpose, and {@link #spreadsEqualCandidates} when it always puts
 * the same one of several indistinguishable candidates first.
 */
public abstract class RoutingStrategyContractTest {
  private static final RouteRequest PLAIN = new RouteRequest("group", 1000, 200, false);
  private static final List<RouteRequest> REQUESTS = List.of(PLAIN, new RouteRequest("group", 0, 0, false),
      new RouteRequest("group", 120_000, 0, true), new RouteRequest("group", 5, 32_000, true));

  /** A fresh strategy, as the runtime would get it from the plugin. */
  protected abstract RoutingStrategy createStrategy();

  /** Whether the strategy answers every candidate (true for the built-ins); false when it filters some out. */
  protected boolean keepsEveryCandidate() {
    return true;
  }

  /** Whether indistinguishable candidates (same weight, no statistics) each come first some of the time. */
  protected boolean spreadsEqualCandidates() {
    return true;
  }

  /** A deployment with fixed statistics. */
  protected record Fixed(String provider, String model, int weight, int inFlight, double latencyMs,
                         double timeToFirstTokenMs, double errorRate, double inputPricePerMillion,
                         double outputPricePerMillion) implements RouteCandidate {
    static Fixed fresh(String provider, int weight) {
      return new Fixed(provider, "m", weight, 0, Double.NaN, Double.NaN, 0, Double.NaN, Double.NaN);
    }
  }

  /** A deployment whose statistics change on every read, as live ones may while a strategy sorts them. */
  private record Moving(String provider, String model, int weight) implements RouteCandidate {
    @Override
    public int inFlight() {
      return ThreadLocalRandom.current().nextInt(50);
    }

    @Override
    public double latencyMs() {
      return ThreadLocalRandom.current().nextInt(4) == 0 ? Double.NaN : ThreadLocalRandom.current().nextDouble(2000);
    }

    @Override
    public double timeToFirstTokenMs() {
      return ThreadLocalRandom.current().nextDouble(500);
    }

    @Override
    public double errorRate() {
      return ThreadLocalRandom.current().nextDouble();
    }

    @Override
    public double inputPricePerMillion() {
      return ThreadLocalRandom.current().nextInt(3) == 0 ? Double.NaN : ThreadLocalRandom.current().nextDouble(20);
    }

    @Override
    public double outputPricePerMillion() {
      return ThreadLocalRandom.current().nextDouble(60);
    }
  }

  /** Deployments with varied statistics, some unmeasured and unpriced. */
  protected static List<Fixed> varied(int n) {
    List<Fixed> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      boolean measured = i % 3 != 0;
      boolean priced = i % 4 != 1;
      out.add(new Fixed("p" + i, "model-" + i, 1 + (i * 7) % 5, (i * 5) % 7, measured ? 100 + (i * 37) % 900 : Double.NaN,
          measured ? 20 + (i * 13) % 300 : Double.NaN, (i % 5) / 10.0, priced ? 0.1 + (i * 3) % 11 : Double.NaN,
          priced ? 0.4 + (i * 11) % 40 : Double.NaN));
    }
    return out;
  }

  /** Checks one answer against the contract: only given candidates, each at most once, at least one, all if kept. */
  private <T extends RouteCandidate> void assertValidAnswer(List<T> candidates, List<T> answer) {
    assertThat(answer).as("the order of %s", candidates).isNotNull();
    Set<T> given = Collections.newSetFromMap(new IdentityHashMap<>());
    given.addAll(candidates);
    Set<T> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (T c : answer) {
      assertThat(given).as("an answered candidate must be one of those given (the same instance)").contains(c);
      assertThat(seen.add(c)).as("candidate %s answered twice", c).isTrue();
    }
    if (!candidates.isEmpty()) assertThat(answer).as("at least one candidate must be answered").isNotEmpty();
    if (keepsEveryCandidate()) assertThat(answer).as("every candidate is kept").hasSameSizeAs(candidates);
  }

  @Test
  void idIsLowerCaseAndStable() {
    RoutingStrategy strategy = createStrategy();
    assertThat(strategy.id()).matches("[a-z0-9][a-z0-9-]*").isEqualTo(strategy.id())
        .isEqualTo(createStrategy().id());
  }

  @Test
  void emptyAndSingleCandidateListsAreAnsweredAsTheyAre() {
    RoutingStrategy strategy = createStrategy();
    for (RouteRequest request : REQUESTS) {
      assertThat(strategy.order(List.<Fixed>of(), request)).isEmpty();
      Fixed only = Fixed.fresh("only", 3);
      assertThat(strategy.order(List.of(only), request)).containsExactly(only);
      Fixed measured = varied(3).get(2);
      assertThat(strategy.order(List.of(measured), request)).containsExactly(measured);
    }
  }

  @Test
  void answersHoldOnlyTheGivenCandidatesOnceEach() {
    RoutingStrategy strategy = createStrategy();
    for (int n = 2; n <= 12; n++) {
      List<Fixed> candidates = varied(n);
      for (RouteRequest request : REQUESTS) {
        for (int i = 0; i < 20; i++) assertValidAnswer(candidates, strategy.order(candidates, request));
      }
    }
  }

  @Test
  void equalButDistinctCandidatesAreToldApart() {
    // Two deployments can look alike (same provider and model in two groups): identity, not equality, counts.
    RoutingStrategy strategy = createStrategy();
    List<Fixed> twins = List.of(Fixed.fresh("same", 1), Fixed.fresh("same", 1), Fixed.fresh("same", 1));
    for (int i = 0; i < 50; i++) assertValidAnswer(twins, strategy.order(twins, PLAIN));
  }

  @Test
  void theInputListIsNotModified() {
    RoutingStrategy strategy = createStrategy();
    for (RouteRequest request : REQUESTS) {
      List<Fixed> candidates = new ArrayList<>(varied(9));
      List<Fixed> before = List.copyOf(candidates);
      List<Fixed> answer = strategy.order(candidates, request);
      assertThat(candidates).as("the input list after order()").containsExactlyElementsOf(before);
      // An immutable input (what the runtime passes) must be accepted too.
      assertValidAnswer(before, strategy.order(before, request));
      // The answer must not be a view of the input: changing the input later leaves it as it was.
      List<Fixed> answered = List.copyOf(answer);
      Collections.reverse(candidates);
      assertThat(answer).containsExactlyElementsOf(answered);
    }
  }

  @Test
  void statisticsThatMoveWhileReadNeverBreakAnAnswer() {
    // Live statistics change between two reads; a sort over them must not trip ("Comparison method violates
    // its general contract") nor lose or repeat a candidate. 64 candidates reach the merging sort.
    RoutingStrategy strategy = createStrategy();
    for (int n : new int[] {2, 7, 33, 64}) {
      List<Moving> candidates = new ArrayList<>();
      for (int i = 0; i < n; i++) candidates.add(new Moving("p" + i, "m", 1 + i % 4));
      for (RouteRequest request : REQUESTS) {
        for (int i = 0; i < 40; i++) assertValidAnswer(candidates, strategy.order(candidates, request));
      }
    }
  }

  @Test
  void extremeButValidStatisticsAreAnswered() {
    RoutingStrategy strategy = createStrategy();
    List<Fixed> candidates = List.of(
        new Fixed("a", "m", Integer.MAX_VALUE, Integer.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, 1, 0, 0),
        new Fixed("b", "m", 1, 0, 0, 0, 0, Double.MAX_VALUE, Double.MAX_VALUE),
        new Fixed("c", "m", Integer.MAX_VALUE, 0, Double.NaN, Double.NaN, 0, Double.NaN, 1e-9),
        new Fixed("d", "m", 1_000_000, 3, 1e-6, Double.NaN, 0.5, 1e-9, Double.NaN));
    for (RouteRequest request : REQUESTS) {
      for (int i = 0; i < 50; i++) assertValidAnswer(candidates, strategy.order(candidates, request));
    }
  }

  @Test
  void indistinguishableCandidatesShareFirstPlace() {
    if (!spreadsEqualCandidates()) return;
    RoutingStrategy strategy = createStrategy();
    List<Fixed> equal = List.of(Fixed.fresh("a", 1), Fixed.fresh("b", 1), Fixed.fresh("c", 1), Fixed.fresh("d", 1));
    Map<String, Integer> first = new HashMap<>();
    int runs = 800;
    for (int i = 0; i < runs; i++) first.merge(strategy.order(equal, PLAIN).get(0).provider(), 1, Integer::sum);
    for (Fixed c : equal) {
      assertThat(first.getOrDefault(c.provider(), 0)).as("times %s came first of %d equal candidates in %d runs",
          c.provider(), equal.size(), runs).isGreaterThan(runs / 10);
    }
  }

  @Test
  void answersAreCheap() {
    // Called on an event loop for every request: 20,000 orders of 16 deployments take well under a second on
    // any machine (a strategy doing I/O or sleeping cannot).
    RoutingStrategy strategy = createStrategy();
    List<Fixed> candidates = varied(16);
    for (int i = 0; i < 2_000; i++) strategy.order(candidates, PLAIN); // warm up
    long start = System.nanoTime();
    for (int i = 0; i < 20_000; i++) strategy.order(candidates, REQUESTS.get(i % REQUESTS.size()));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(ms).as("ms for 20,000 orders of 16 candidates").isLessThan(3_000);
  }

  @Test
  void oneInstanceServesSeveralEventLoopsAtOnce() throws Exception {
    RoutingStrategy strategy = createStrategy();
    List<Fixed> candidates = varied(10);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    AtomicInteger answered = new AtomicInteger();
    try {
      List<CompletableFuture<Void>> runs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        runs.add(CompletableFuture.runAsync(() -> {
          for (int i = 0; i < 2_000; i++) {
            assertValidAnswer(candidates, strategy.order(candidates, REQUESTS.get(i % REQUESTS.size())));
            answered.incrementAndGet();
          }
        }, pool));
      }
      CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertThat(answered.get()).isEqualTo(8_000);
  }
}

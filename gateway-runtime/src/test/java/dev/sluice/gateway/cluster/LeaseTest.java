package dev.sluice.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import dev.sluice.gateway.time.ManualClock;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two members' leases on one Hazelcast pool map: together they never admit more than the limit, idle leases
 * go back to the owner, and a budget holds across both. The members run on a clock the test owns and without
 * their report timer: the test calls {@link LeasedState#tick} where a second would have passed.
 */
class LeaseTest {
  static Vertx vertx;
  static HazelcastState pools;
  static LeasedState a;
  static LeasedState b;
  static final ManualClock clock = new ManualClock();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    pools = HazelcastState.start(vertx, "lease-test").toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    a = new LeasedState(vertx, pools, clock, false);
    b = new LeasedState(vertx, pools, clock, false);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.executeBlocking(() -> {
      pools.shutdown();
      return null;
    }).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** What a second of report ticks does on {@code members}: each reports its spend, gives back an idle lease. */
  static void tick(LeasedState... members) throws Exception {
    clock.advance(Duration.ofMillis(LeasedState.TICK_MILLIS));
    for (LeasedState m : members) await(m.tick());
  }

  /** Runs {@code n} acquisitions alternately on both members, all at once; answers how many were admitted. */
  static long admitted(String scope, ClusterState.Limits limits, int n) throws Exception {
    List<Future<ClusterState.Permit>> all = new ArrayList<>();
    long now = clock.millis();
    for (int i = 0; i < n; i++) all.add((i % 2 == 0 ? a : b).acquire(scope, limits, 10, now));
    await(Future.join(all).otherwiseEmpty());
    return all.stream().filter(f -> f.succeeded() && f.result().admitted()).count();
  }

  @Test
  void twoMembersTogetherNeverAdmitMoreThanTheLimit() throws Exception {
    ClusterState.Limits rpm = new ClusterState.Limits(101, 0, 0, 60_000);
    long first = admitted("key:rpm", rpm, 300);
    // At most the limit, whichever member asks; a lease leaves at most one slice unused on the other member.
    assertThat(first).isLessThanOrEqualTo(101);
    assertThat(first).isGreaterThanOrEqualTo(101 - 101 / LeasedState.SLICES);
    assertThat(first + admitted("key:rpm", rpm, 300)).isLessThanOrEqualTo(101);
  }

  @Test
  void aMemberThatStopsGivesItsUnusedLeaseBackSoTheOtherCanUseIt() throws Exception {
    ClusterState.Limits rpm = new ClusterState.Limits(64, 0, 0, 60_000);
    long now = clock.millis();
    assertThat(await(a.acquire("key:idle", rpm, 1, now)).admitted()).isTrue(); // a now holds a slice of 4
    List<Future<ClusterState.Permit>> onB = new ArrayList<>();
    for (int i = 0; i < 63; i++) onB.add(b.acquire("key:idle", rpm, 1, now));
    await(Future.join(onB).otherwiseEmpty());
    long byB = onB.stream().filter(f -> f.result().admitted()).count();
    assertThat(byB).isEqualTo(60); // a still holds 3 unused
    tick(a); // a's lease was in use during this tick: a keeps it
    tick(a); // idle since the previous tick: it goes back to the owner
    long more = 0;
    for (int i = 0; i < 5; i++) if (await(b.acquire("key:idle", rpm, 1, clock.millis())).admitted()) more++;
    assertThat(more).isEqualTo(3);
  }

  @Test
  void concurrencySlotsAreSharedAndFreedOnRelease() throws Exception {
    ClusterState.Limits four = new ClusterState.Limits(0, 0, 4, 60_000);
    long now = clock.millis();
    List<ClusterState.Permit> held = new ArrayList<>();
    for (int i = 0; i < 4; i++) held.add(await((i % 2 == 0 ? a : b).acquire("key:conc", four, 1, now)));
    assertThat(held).allMatch(ClusterState.Permit::admitted);
    assertThat(await(a.acquire("key:conc", four, 1, now)).admitted()).isFalse();
    assertThat(await(b.acquire("key:conc", four, 1, now)).exceeded()).isEqualTo("concurrency");
    await(a.release("key:conc", held.get(0), 0, false));
    assertThat(await(a.acquire("key:conc", four, 1, now)).admitted()).isTrue();
  }

  @Test
  void aBudgetSharedByTwoMembersIsNeverExceededByMoreThanOneEstimate() throws Exception {
    long limit = 10_000;
    long estimate = 70;
    long period = 1_000;
    List<Future<Long>> spends = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      LeasedState m = i % 2 == 0 ? a : b;
      long actual = 40 + i % 25; // at most 64: within the estimate, as with max_tokens set
      spends.add(m.reserve("team:budget", period, limit, estimate).map(r -> {
        if (!r.admitted()) return 0L;
        m.settle("team:budget", period, limit, estimate, actual, List.of(0.5));
        return actual;
      }));
    }
    await(Future.join(spends).otherwiseEmpty());
    long spent = spends.stream().mapToLong(Future::result).sum();
    assertThat(spent).isLessThanOrEqualTo(limit + estimate);
    assertThat(spent).isGreaterThan(limit / 2);
  }

  @Test
  void spendIsReportedToTheOwnerAndAThresholdFiresOnceAcrossMembers() throws Exception {
    long limit = 1_000;
    List<Future<List<Integer>>> crossings = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      LeasedState m = i % 2 == 0 ? a : b;
      assertThat(await(m.reserve("org:marks", 5, limit, 100)).admitted()).isTrue();
      crossings.add(m.settle("org:marks", 5, limit, 100, 100, List.of(0.5)));
    }
    tick(a, b); // the report tick tells the owner the spend; its answer says which threshold was crossed
    await(Future.join(crossings));
    assertThat(crossings.stream().mapToLong(f -> f.result().size()).sum()).isEqualTo(1);
    tick(a, b); // both give back their idle leases
    // 800 reported spent: 200 left for anyone, and no more.
    assertThat(await(a.reserve("org:marks", 5, limit, 200)).admitted()).isTrue();
    assertThat(await(b.reserve("org:marks", 5, limit, 1)).admitted()).isFalse();
  }

  @Test
  void inSteadyStateARequestMakesNoCallToTheOwner() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Pools counting = new Pools() {
      @Override
      public CompletionStage<long[]> take(String pool, Processors.Take take) {
        if (take.want() > 0) calls.incrementAndGet(); // a refill; want 0 is the once-a-second report
        return pools.take(pool, take);
      }

      @Override
      public CompletionStage<Boolean> seed(String pool, Processors.Seed seed) {
        return pools.seed(pool, seed);
      }

      @Override
      public void shutdown() {}
    };
    LeasedState member = new LeasedState(vertx, counting, clock, false);
    ClusterState.Limits limits = new ClusterState.Limits(160_000, 16_000_000, 1_600, 60_000);
    long now = clock.millis();
    for (int i = 0; i < 1_000; i++) {
      ClusterState.Permit p = await(member.acquire("key:steady", limits, 50, now));
      assertThat(p.admitted()).isTrue();
      assertThat(await(member.reserve("key:steady", 7, 16_000_000, 100)).admitted()).isTrue();
      member.settle("key:steady", 7, 16_000_000, 100, 80, List.of());
      await(member.release("key:steady", p, 30, false));
    }
    // One slice of each pool (requests, tokens, slots, budget) serves all 1,000 requests: no per-request call.
    assertThat(calls.get()).isEqualTo(4);
    await(member.close());
  }

  @Test
  void aBurstOnOneMemberLeasesAtMostOneSliceBeyondWhatItUses() throws Exception {
    ClusterState.Limits rpm = new ClusterState.Limits(160, 0, 0, 60_000); // slices of 10
    long now = clock.millis();
    List<Future<ClusterState.Permit>> burst = new ArrayList<>();
    for (int i = 0; i < 25; i++) burst.add(a.acquire("key:burst", rpm, 1, now));
    await(Future.join(burst));
    assertThat(burst).allMatch(f -> f.result().admitted());
    List<Future<ClusterState.Permit>> onB = new ArrayList<>();
    for (int i = 0; i < 160; i++) onB.add(b.acquire("key:burst", rpm, 1, now));
    await(Future.join(onB).otherwiseEmpty());
    long byB = onB.stream().filter(f -> f.result().admitted()).count();
    assertThat(byB).isBetween(160L - 25 - 10, 160L - 25);
  }
}

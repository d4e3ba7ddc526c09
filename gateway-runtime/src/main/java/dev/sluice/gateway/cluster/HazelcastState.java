package dev.sluice.gateway.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Pools} on Hazelcast: one {@code IMap<String, long[]>} of pools, each update an entry processor run
 * atomically by the partition owner and backed up to another member ({@code backup-count 1}), so the loss of
 * one member loses no counter. When a member leaves without giving its leases back, every survivor runs
 * {@link Processors.Reclaim} over the pools (idempotent: the first one does the work).
 */
final class HazelcastState implements Pools {
  private static final Logger LOG = LoggerFactory.getLogger(HazelcastState.class);
  static final String POOLS = "sluice-pools";

  private final HazelcastInstance hz;
  private final boolean owned;
  private final IMap<String, long[]> pools;
  private final long memberHi;
  private final long memberLo;
  private final UUID listener;
  /** Calls to pools' owners, and those of them that crossed the network (the owner was another member). */
  private final java.util.concurrent.atomic.LongAdder calls = new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder remoteCalls = new java.util.concurrent.atomic.LongAdder();

  HazelcastState(HazelcastInstance hz, boolean owned) {
    this.hz = hz;
    this.owned = owned;
    this.pools = hz.getMap(POOLS);
    UUID me = hz.getCluster().getLocalMember().getUuid();
    this.memberHi = me.getMostSignificantBits();
    this.memberLo = me.getLeastSignificantBits();
    this.listener = hz.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {}

      @Override
      public void memberRemoved(MembershipEvent event) {
        reclaim(event.getMember().getUuid());
      }
    });
  }

  /** Starts a (single, loopback-only) embedded member on a worker: the state of a gateway that is not clustered. */
  static Future<HazelcastState> start(Vertx vertx, String clusterName) {
    return vertx.executeBlocking(() -> new HazelcastState(Hazelcast.newHazelcastInstance(
        HazelcastConfigs.standalone(clusterName)), true), false);
  }

  /** Gives the pool back what {@code member} held; off the Hazelcast event thread, which must not block. */
  private void reclaim(UUID member) {
    CompletableFuture.runAsync(() -> {
      long total = 0;
      for (Object held : pools.executeOnEntries(new Processors.Reclaim(member.getMostSignificantBits(),
          member.getLeastSignificantBits())).values()) {
        total += held instanceof Long l ? l : 0;
      }
      if (total > 0) LOG.info("reclaimed the leases of member {} that left the cluster ({} units)", member, total);
    }).exceptionally(e -> {
      LOG.warn("could not reclaim the leases of member {}: {}", member, e.toString());
      return null;
    });
  }

  @Override
  public CompletionStage<long[]> take(String pool, Processors.Take take) {
    count(pool);
    return pools.submitToKey(pool, take.by(memberHi, memberLo));
  }

  private void count(String pool) {
    calls.increment();
    var owner = hz.getPartitionService().getPartition(pool).getOwner();
    if (owner != null && !owner.localMember()) remoteCalls.increment();
  }

  @Override
  public CompletionStage<Boolean> seed(String pool, Processors.Seed seed) {
    count(pool);
    return pools.submitToKey(pool, seed);
  }

  @Override
  public void shutdown() {
    if (!hz.getLifecycleService().isRunning()) return;
    hz.getCluster().removeMembershipListener(listener);
    LOG.info("cluster state: {} calls to pool owners, {} of them to another member (network round trips)",
        calls.sum(), remoteCalls.sum());
    if (owned) hz.shutdown();
  }
}

package dev.sluice.gateway.cluster;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.sluice.gateway.config.ClusterConfig;
import dev.sluice.gateway.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of a Sluice cluster: one Hazelcast member (from {@code hazelcast.xml}) that both runs Vert.x clustered
 * (vertx-hazelcast, so the event bus reaches every node) and holds the governance state and the shared cache
 * entries. Start it before anything else; {@link #close} after the Vert.x instance it made is closed.
 */
public final class Cluster {
  private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);

  private final HazelcastInstance hz;
  private final Vertx vertx;
  private final ConcurrentMap<String, SharedEntries> entries = new ConcurrentHashMap<>();
  private Future<ClusterState> state;

  private Cluster(HazelcastInstance hz, Vertx vertx) {
    this.hz = hz;
    this.vertx = vertx;
  }

  /**
   * Joins the cluster (blocking work on a thread of its own: there is no Vert.x yet), then builds a clustered
   * Vert.x with {@code options} on the same member.
   */
  public static Future<Cluster> join(ClusterConfig config, VertxOptions options) {
    Promise<HazelcastInstance> member = Promise.promise();
    Thread starter = new Thread(() -> {
      try {
        member.complete(Hazelcast.newHazelcastInstance(HazelcastConfigs.member(config)));
      } catch (RuntimeException e) {
        member.fail(e);
      }
    }, "sluice-cluster-join");
    starter.start();
    return member.future().compose(hz -> Vertx.builder().with(options)
        .withClusterManager(new HazelcastClusterManager(hz)).buildClustered()
        .map(vertx -> {
          LOG.info("joined cluster '{}' as {}: {} member(s)", hz.getConfig().getClusterName(),
              hz.getCluster().getLocalMember().getAddress(), hz.getCluster().getMembers().size());
          return new Cluster(hz, vertx);
        })
        .recover(e -> {
          hz.shutdown();
          return Future.failedFuture(e);
        }));
  }

  /** The clustered Vert.x instance: its event bus publishes to every node. */
  public Vertx vertx() {
    return vertx;
  }

  /** This node's member id (stable for the life of the process). */
  public String nodeId() {
    return hz.getCluster().getLocalMember().getUuid().toString();
  }

  /**
   * The governance counters on this member: leases over pools shared by the whole cluster, timed by
   * {@code clock} (the first call's clock serves every later call).
   */
  public synchronized Future<ClusterState> state(Clock clock) {
    if (state == null) state = Future.succeededFuture(new LeasedState(vertx, new HazelcastState(hz, false), clock));
    return state;
  }

  /** The shared entries named {@code name} (one map per cache). */
  public SharedEntries entries(String name) {
    return entries.computeIfAbsent(name, n -> new HazelcastEntries(vertx, hz.getMap("sluice-cache-" + n),
        hz.getTopic("sluice-cache-" + n + "-cleared")));
  }

  /** Leaves the cluster: the member stops once Vert.x (closed by its owner) no longer needs it. */
  public Future<Void> close() {
    Promise<Void> left = Promise.promise();
    new Thread(() -> {
      try {
        if (hz.getLifecycleService().isRunning()) hz.shutdown();
        left.complete();
      } catch (RuntimeException e) {
        left.fail(e);
      }
    }, "sluice-cluster-leave").start();
    return left.future();
  }
}

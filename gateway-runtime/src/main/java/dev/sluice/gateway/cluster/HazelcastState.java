package dev.sluice.gateway.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletionStage;

/**
 * {@link Pools} on Hazelcast: one {@code IMap<String, long[]>} of pools, each update an entry processor run
 * atomically by the partition owner (backed up to another member when clustered).
 */
final class HazelcastState implements Pools {
  private final HazelcastInstance hz;
  private final IMap<String, long[]> pools;

  private HazelcastState(HazelcastInstance hz) {
    this.hz = hz;
    this.pools = hz.getMap("sluice-pools");
  }

  /** Starts a (single, loopback-only) embedded member on a worker. */
  static Future<HazelcastState> start(Vertx vertx, String clusterName) {
    return vertx.executeBlocking(() -> {
      Config config = new Config().setClusterName(clusterName).setInstanceName(clusterName + "-" + System.nanoTime());
      config.setProperty("hazelcast.phone.home.enabled", "false");
      config.setProperty("hazelcast.logging.type", "slf4j");
      config.setProperty("hazelcast.shutdownhook.enabled", "false");
      config.setProperty("hazelcast.partition.count", "71");
      config.setProperty("hazelcast.initial.min.cluster.size", "1");
      NetworkConfig network = config.getNetworkConfig().setPortAutoIncrement(true).setPort(5801).setPortCount(200);
      network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
      JoinConfig join = network.getJoin();
      join.getMulticastConfig().setEnabled(false);
      join.getTcpIpConfig().setEnabled(false);
      join.getAutoDetectionConfig().setEnabled(false);
      config.getJetConfig().setEnabled(false);
      return new HazelcastState(Hazelcast.newHazelcastInstance(config));
    }, false);
  }

  @Override
  public CompletionStage<long[]> take(String pool, Processors.Take take) {
    return pools.submitToKey(pool, take);
  }

  @Override
  public CompletionStage<Boolean> seed(String pool, Processors.Seed seed) {
    return pools.submitToKey(pool, seed);
  }

  @Override
  public void shutdown() {
    hz.shutdown();
  }
}

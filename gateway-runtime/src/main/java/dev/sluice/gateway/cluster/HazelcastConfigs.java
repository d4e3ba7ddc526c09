package dev.sluice.gateway.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.TcpIpConfig;
import dev.sluice.gateway.config.ClusterConfig;
import java.io.FileNotFoundException;
import java.util.UUID;

/** The Hazelcast member configs: the standalone loopback member, and a cluster member from hazelcast.xml. */
final class HazelcastConfigs {
  /** The member attribute vertx-hazelcast reads its node id from, when given a Hazelcast instance. */
  static final String VERTX_NODE_ID = "__vertx.nodeId";
  static final String CACHE_MAPS = "sluice-cache-*";

  private HazelcastConfigs() {}

  /** A single member on 127.0.0.1 that joins nothing: the counters of a gateway that is not clustered. */
  static Config standalone(String clusterName) {
    Config config = new Config().setClusterName(clusterName).setInstanceName(clusterName + "-" + System.nanoTime());
    common(config);
    config.setProperty("hazelcast.partition.count", "71");
    config.setProperty("hazelcast.initial.min.cluster.size", "1");
    NetworkConfig network = config.getNetworkConfig().setPortAutoIncrement(true).setPort(5801).setPortCount(200);
    network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    return config;
  }

  /**
   * The member config of a cluster node: {@code cluster.hazelcast} (hazelcast.xml), with {@code cluster.name},
   * {@code port} and {@code members} overriding the file's when set, and the structures Sluice and Vert.x need
   * (each with a backup on another member) added when the file does not declare them.
   */
  static Config member(ClusterConfig cluster) {
    Config config;
    try {
      config = Config.loadFromFile(cluster.hazelcast().toFile());
    } catch (FileNotFoundException e) {
      throw new IllegalArgumentException("cluster.hazelcast: no such file " + cluster.hazelcast(), e);
    }
    if (cluster.name() != null) config.setClusterName(cluster.name());
    config.setInstanceName(config.getClusterName() + "-" + UUID.randomUUID());
    common(config);
    NetworkConfig network = config.getNetworkConfig();
    if (cluster.port() > 0) network.setPort(cluster.port()).setPortAutoIncrement(false);
    if (!cluster.members().isEmpty()) {
      JoinConfig join = network.getJoin();
      join.getMulticastConfig().setEnabled(false);
      join.getAutoDetectionConfig().setEnabled(false);
      TcpIpConfig tcp = join.getTcpIpConfig().setEnabled(true);
      tcp.getMembers().clear();
      tcp.setMembers(cluster.members());
    }
    config.getMemberAttributeConfig().setAttribute(VERTX_NODE_ID, UUID.randomUUID().toString());
    if (config.getMapConfigOrNull(HazelcastState.POOLS) == null) {
      config.addMapConfig(new MapConfig(HazelcastState.POOLS).setBackupCount(1));
    }
    if (config.getMapConfigOrNull(CACHE_MAPS) == null) {
      config.addMapConfig(new MapConfig(CACHE_MAPS).setBackupCount(1).setEvictionConfig(new EvictionConfig()
          .setEvictionPolicy(EvictionPolicy.LRU).setMaxSizePolicy(MaxSizePolicy.PER_NODE).setSize(200_000)));
    }
    if (!config.getMultiMapConfigs().containsKey("__vertx.subs")) {
      config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
          .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    }
    for (String map : new String[] {"__vertx.haInfo", "__vertx.nodeInfo"}) {
      if (config.getMapConfigOrNull(map) == null) config.addMapConfig(new MapConfig(map).setBackupCount(1));
    }
    return config;
  }

  private static void common(Config config) {
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    // Sluice stops the member itself, after draining: Hazelcast's own hook would stop it first.
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.getJetConfig().setEnabled(false);
  }
}

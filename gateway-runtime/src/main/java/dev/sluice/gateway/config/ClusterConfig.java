package dev.sluice.gateway.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The validated {@code cluster:} section. Off by default: one node, Vert.x not clustered, governance state on a
 * single loopback-only Hazelcast member.
 *
 * @param hazelcast the Hazelcast member config (default {@code hazelcast.xml} in the Sluice directory)
 * @param name the cluster name, overriding the file's (members with another name never join); null: the file's
 * @param port the member port, overriding the file's; 0: the file's
 * @param members TCP-IP members ({@code host} or {@code host:port}), overriding the file's; empty: the file's
 * @param shareBreakers whether a breaker opening or a 429 cooldown on one member applies on every member
 */
public record ClusterConfig(boolean enabled, Path hazelcast, String name, int port, List<String> members,
                            boolean shareBreakers) {
  public static final ClusterConfig DISABLED = new ClusterConfig(false, Path.of("hazelcast.xml"), null, 0, List.of(),
      true);

  public ClusterConfig {
    members = List.copyOf(members);
  }
}

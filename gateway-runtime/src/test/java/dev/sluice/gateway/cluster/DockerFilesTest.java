package dev.sluice.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.hazelcast.config.Config;
import dev.sluice.gateway.TestGateway;
import dev.sluice.gateway.config.ConfigLoader;
import dev.sluice.gateway.config.GatewayConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine runs here, so the Docker files are checked for what would break them: the Dockerfile's
 * stages, user, health check and ports; every file the compose files mount exists; every config they start
 * Sluice with loads with the real {@link ConfigLoader} (with the environment compose gives it); ports, node
 * names and Hazelcast members agree with each other.
 */
class DockerFilesTest {
  static final Path ROOT = TestGateway.root().normalize();
  static final Path DOCKER = ROOT.resolve("docker");
  static final String HOME = "/opt/sluice/";
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z0-9_]+)(?::-([^}]*))?}");

  /** The Dockerfile's instructions, continuation lines joined, comments dropped: {instruction, arguments}. */
  static List<String[]> instructions() throws Exception {
    List<String[]> out = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String raw : Files.readAllLines(DOCKER.resolve("Dockerfile"))) {
      if (raw.isBlank() || raw.trim().startsWith("#")) continue;
      line.append(raw.trim());
      if (raw.endsWith("\\")) {
        line.setLength(line.length() - 1);
        line.append(' ');
        continue;
      }
      String l = line.toString();
      line.setLength(0);
      int space = l.indexOf(' ');
      out.add(new String[] {l.substring(0, space).toUpperCase(), l.substring(space + 1).trim()});
    }
    return out;
  }

  @Test
  void theDockerfileBuildsOnAJdkRunsOnAJreAsANonRootUserWithAHealthCheck() throws Exception {
    List<String[]> all = instructions();
    List<Integer> froms = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) if (all.get(i)[0].equals("FROM")) froms.add(i);
    assertThat(froms).as("multi-stage").hasSizeGreaterThanOrEqualTo(2);
    assertThat(all.get(froms.get(0))[1]).contains("jdk").containsIgnoringCase("AS build");
    List<String[]> build = all.subList(froms.get(0), froms.get(froms.size() - 1));
    assertThat(build).anySatisfy(i -> assertThat(i[0] + " " + i[1]).startsWith("RUN ./mvnw").contains("package"));
    List<String[]> run = all.subList(froms.get(froms.size() - 1), all.size());
    assertThat(run.get(0)[1]).contains("-jre");

    List<String> users = run.stream().filter(i -> i[0].equals("USER")).map(i -> i[1]).toList();
    assertThat(users).isNotEmpty();
    assertThat(users.get(users.size() - 1)).isNotIn("root", "0", "0:0");
    assertThat(run).anySatisfy(i -> assertThat(i[0] + " " + i[1]).startsWith("HEALTHCHECK").contains("/health/ready")
        .contains("4000"));
    Set<String> exposed = new LinkedHashSet<>();
    run.stream().filter(i -> i[0].equals("EXPOSE")).forEach(i -> exposed.addAll(List.of(i[1].split("\\s+"))));
    assertThat(exposed).contains("4000", "5701");

    // Every file COPY takes from the build context exists (the context is the repository root).
    for (String[] i : all) {
      if (!i[0].equals("COPY") || i[1].startsWith("--from")) continue;
      String[] parts = i[1].split("\\s+");
      for (int p = 0; p < parts.length - 1; p++) assertThat(ROOT.resolve(parts[p])).as(i[1]).exists();
    }
    // The image's default config is one it copies in, and it is valid with the environment compose.yaml gives.
    String cmd = run.stream().filter(i -> i[0].equals("CMD")).reduce((a, b) -> b).orElseThrow()[1];
    String config = YAML.readTree(cmd).get(1).asText();
    assertThat(run).anySatisfy(i -> assertThat(i[0] + " " + i[1]).isEqualTo("COPY " + config + " " + config));
    JsonNode sluice = YAML.readTree(DOCKER.resolve("compose.yaml").toFile()).get("services").get("sluice");
    assertThat(load(ROOT.resolve(config), environment(sluice)).server().port()).isEqualTo(4000);
  }

  @Test
  void theSingleNodeComposeFileMountsAValidConfigAndPublishesItsPort() throws Exception {
    JsonNode compose = YAML.readTree(DOCKER.resolve("compose.yaml").toFile());
    JsonNode services = compose.get("services");
    assertThat(services.has("postgres")).isTrue();
    assertThat(services.has("redis")).isTrue();
    GatewayConfig config = checkNode(services.get("sluice"));
    assertThat(config.storage().redis()).startsWith("redis://redis:");
    assertThat(config.storage().postgres()).startsWith("postgres://").contains("@postgres:5432/");
    assertThat(config.cluster().enabled()).isFalse();
    assertThat(containerPorts(services.get("sluice"))).contains(config.server().port());
    checkVolumes(compose);
  }

  @Test
  void theClusterComposeFileRunsThreeMembersThatFindEachOtherBehindTheLoadBalancer() throws Exception {
    JsonNode compose = YAML.readTree(DOCKER.resolve("compose.cluster.yaml").toFile());
    JsonNode services = compose.get("services");
    checkVolumes(compose);
    List<String> nodes = new ArrayList<>();
    int port = 0;
    for (var it = services.fields(); it.hasNext(); ) {
      var e = it.next();
      if (!e.getValue().has("build")) continue;
      nodes.add(e.getKey());
      GatewayConfig config = checkNode(e.getValue());
      assertThat(config.cluster().enabled()).as(e.getKey()).isTrue();
      assertThat(config.storage().postgres()).contains("@postgres:5432/");
      port = config.server().port();
      // The Hazelcast config the node names is mounted, loads with Hazelcast, and lists every node on 5701.
      String xml = ROOT.relativize(config.cluster().hazelcast()).toString();
      assertThat(mounts(e.getValue())).containsKey(HOME + xml);
      Config hz = HazelcastConfigs.member(config.cluster());
      assertThat(hz.getNetworkConfig().getPort()).isEqualTo(5701);
      assertThat(hz.getNetworkConfig().getJoin().getTcpIpConfig().isEnabled()).isTrue();
      assertThat(hz.getNetworkConfig().getJoin().getMulticastConfig().isEnabled()).isFalse();
      assertThat(hz.getMapConfig(HazelcastState.POOLS).getBackupCount()).isGreaterThanOrEqualTo(1);
      assertThat(e.getValue().get("hostname").asText()).isEqualTo(e.getKey());
      Set<String> members = new LinkedHashSet<>(hz.getNetworkConfig().getJoin().getTcpIpConfig().getMembers());
      assertThat(members).containsExactlyInAnyOrder("node1:5701", "node2:5701", "node3:5701");
    }
    assertThat(nodes).containsExactly("node1", "node2", "node3");
    // nginx balances over exactly these nodes, on the port they listen on, and publishes one port.
    String nginx = Files.readString(DOCKER.resolve("nginx.conf"));
    Matcher m = Pattern.compile("server\\s+([a-z0-9]+):(\\d+)").matcher(nginx);
    List<String> upstreams = new ArrayList<>();
    while (m.find()) {
      upstreams.add(m.group(1));
      assertThat(Integer.parseInt(m.group(2))).isEqualTo(port);
    }
    assertThat(upstreams).containsExactlyElementsOf(nodes);
    Matcher listen = Pattern.compile("listen\\s+(\\d+);").matcher(nginx);
    assertThat(listen.find()).isTrue();
    assertThat(containerPorts(services.get("lb"))).contains(Integer.parseInt(listen.group(1)));
    assertThat(mounts(services.get("lb"))).containsKey("/etc/nginx/nginx.conf");
  }

  @Test
  void theDefaultHazelcastXmlIsLoopbackTcpIpWithBackupsAndNothingThatCouldJoinOtherClusters() {
    Config hz = HazelcastConfigs.member(new dev.sluice.gateway.config.ClusterConfig(true, ROOT.resolve("hazelcast.xml"),
        null, 0, List.of(), true));
    var join = hz.getNetworkConfig().getJoin();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).allSatisfy(m -> assertThat(m).startsWith("127.0.0.1:"));
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
    assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
    assertThat(hz.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("127.0.0.1");
    assertThat(hz.getMapConfig(HazelcastState.POOLS).getBackupCount()).isGreaterThanOrEqualTo(1);
    assertThat(hz.getMapConfig("sluice-cache-semantic").getBackupCount()).isGreaterThanOrEqualTo(1);
    assertThat(hz.getMemberAttributeConfig().getAttribute(HazelcastConfigs.VERTX_NODE_ID)).isNotBlank();
    // The commented-out discovery settings docs/cluster.md points to are there to uncomment.
    String xml = read(ROOT.resolve("hazelcast.xml"));
    assertThat(xml).contains("<kubernetes enabled=\"true\">").contains("<multicast enabled=\"true\">");
  }

  static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A Sluice service: its --config is mounted from a file that exists and loads without errors. */
  static GatewayConfig checkNode(JsonNode service) throws Exception {
    assertThat(service.get("build").get("dockerfile").asText()).isEqualTo("docker/Dockerfile");
    assertThat(DOCKER.resolve(service.get("build").get("context").asText()).normalize()).isEqualTo(ROOT);
    JsonNode command = service.get("command");
    assertThat(command.get(0).asText()).isEqualTo("--config");
    String config = command.get(1).asText();
    Map<String, Path> mounts = mounts(service);
    assertThat(mounts).containsKey(HOME + config);
    return load(mounts.get(HOME + config), environment(service));
  }

  static GatewayConfig load(Path file, Map<String, String> env) {
    assertThat(file).exists();
    GatewayConfig config = ConfigLoader.load(file, env::get, ROOT);
    // Only the optional OpenAI provider (no OPENAI_API_KEY given) and its model may be skipped.
    assertThat(config.warnings()).allSatisfy(w -> assertThat(w).containsAnyOf("OPENAI_API_KEY", "'gpt-4o-mini'"));
    return config;
  }

  /** The service's environment, with compose's own ${VAR:-default} resolved as on a machine that sets none. */
  static Map<String, String> environment(JsonNode service) {
    Map<String, String> env = new HashMap<>();
    service.get("environment").fields().forEachRemaining(e -> {
      Matcher m = VAR.matcher(e.getValue().asText());
      String value = m.replaceAll(r -> Matcher.quoteReplacement(r.group(2) == null ? "" : r.group(2)));
      if (!value.isEmpty()) env.put(e.getKey(), value);
    });
    return env;
  }

  /** Container path to host file, for the bind mounts of files in docker/. */
  static Map<String, Path> mounts(JsonNode service) {
    Map<String, Path> out = new HashMap<>();
    if (!service.has("volumes")) return out;
    for (JsonNode v : service.get("volumes")) {
      String[] parts = v.asText().split(":");
      if (parts[0].startsWith(".")) out.put(parts[1], DOCKER.resolve(parts[0]).normalize());
    }
    return out;
  }

  static List<Integer> containerPorts(JsonNode service) {
    List<Integer> out = new ArrayList<>();
    for (JsonNode p : service.get("ports")) {
      String[] parts = p.asText().split(":");
      out.add(Integer.parseInt(parts[parts.length - 1]));
    }
    return out;
  }

  /** Every bind-mounted file exists; every named volume is declared. */
  static void checkVolumes(JsonNode compose) {
    compose.get("services").fields().forEachRemaining(e -> {
      if (!e.getValue().has("volumes")) return;
      for (JsonNode v : e.getValue().get("volumes")) {
        String source = v.asText().split(":")[0];
        if (source.startsWith(".")) {
          assertThat(DOCKER.resolve(source)).as(e.getKey() + " mounts " + source).exists();
        } else {
          assertThat(compose.get("volumes").has(source)).as(e.getKey() + " uses volume " + source).isTrue();
        }
      }
    });
  }
}

package dev.sluice.gateway.config;

import dev.sluice.api.ConfigError;
import io.vertx.core.json.JsonArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/** Reads and validates the {@code cluster:} section. */
final class ClusterSection {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
  private static final Pattern MEMBER = Pattern.compile("[A-Za-z0-9.\\-\\[\\]:]+?(:\\d{1,5})?");

  private ClusterSection() {}

  static ClusterConfig read(Node c, Function<String, Path> resolve) {
    c.allowOnly("enabled", "hazelcast", "name", "port", "members", "share_breakers");
    boolean enabled = c.bool("enabled", false);
    Path file = resolve.apply(c.string("hazelcast", "hazelcast.xml"));
    if (enabled && !Files.isRegularFile(file)) {
      throw ConfigError.invalid(c.pathOf("hazelcast"), file.toString(), "no such file: the Hazelcast member config"
          + " (hazelcast.xml at the top of the Sluice directory is the default)");
    }
    String name = c.string("name", null);
    if (name != null && !NAME.matcher(name).matches()) {
      throw ConfigError.invalid(c.pathOf("name"), name, "use letters, digits, '.', '_' or '-' (at most 100)");
    }
    int port = c.integer("port", 0, 0, 65535);
    List<String> members = new ArrayList<>();
    Object raw = c.raw("members");
    List<Object> items = new ArrayList<>();
    if (raw instanceof JsonArray a) {
      items.addAll(a.getList());
    } else if (raw instanceof String s) {
      for (String part : s.split(",")) if (!part.isBlank()) items.add(part.trim());
    } else if (raw != null) {
      throw ConfigError.invalid(c.pathOf("members"), raw, "expected a list of host or host:port, or a comma-separated"
          + " string of them");
    }
    for (int i = 0; i < items.size(); i++) {
      Object m = items.get(i);
      if (!(m instanceof String s) || !MEMBER.matcher(s).matches()) {
        throw ConfigError.invalid(c.pathOf("members") + "[" + i + "]", m, "expected host or host:port, e.g. "
            + "10.0.0.5:5701");
      }
      members.add(s);
    }
    return new ClusterConfig(enabled, file, name, port, members, c.bool("share_breakers", true));
  }
}

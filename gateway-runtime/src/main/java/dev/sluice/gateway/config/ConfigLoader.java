package dev.sluice.gateway.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sluice.api.ConfigError;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads {@code config.yaml}: YAML, then {@code ${VAR}} interpolation, then validation of every key. All problems
 * are collected and thrown together as a {@link ConfigException}, each naming its path and bad value.
 */
public final class ConfigLoader {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final long DEFAULT_MAX_BODY = 16L * 1024 * 1024;

  private final String source;
  private final Path home;
  private final List<String> problems = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  private ConfigLoader(String source, Path home) {
    this.source = source;
    this.home = home;
  }

  /** Loads {@code file}; relative paths inside it resolve against {@code home} (the Sluice installation). */
  public static GatewayConfig load(Path file, Function<String, String> env, Path home) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw ConfigException.of(file.toString(), List.of("cannot read the file: " + e));
    }
    return parse(text, file.toString(), env, home);
  }

  public static GatewayConfig parse(String yaml, String source, Function<String, String> env, Path home) {
    return new ConfigLoader(source, home).read(yaml, env);
  }

  private GatewayConfig read(String yaml, Function<String, String> env) {
    JsonObject tree;
    try {
      Object parsed = YAML.readValue(yaml, Object.class);
      if (parsed == null) parsed = Map.of();
      if (!(parsed instanceof Map<?, ?> map)) {
        throw ConfigException.of(source, List.of("the top level must be a map of sections, got " + parsed));
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> top = (Map<String, Object>) map;
      tree = new JsonObject(top);
    } catch (JacksonException e) {
      throw ConfigException.of(source, List.of("not valid YAML: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + ")")));
    }
    Interpolator interpolator = new Interpolator(env);
    Node root = new Node("", interpolator.resolve(tree));
    Set<Integer> skippedProviders = new HashSet<>();
    Set<Integer> skippedKeys = new HashSet<>();
    for (Interpolator.Unresolved u : interpolator.unresolved()) {
      if (u.path().startsWith("keys[")) {
        int index = Integer.parseInt(u.path().substring("keys[".length(), u.path().indexOf(']')));
        if (skippedKeys.add(index)) {
          warnings.add("key " + u.path().substring(0, u.path().indexOf(']') + 1) + " skipped: environment variable "
              + u.variable() + " is not set (" + u.path() + ")");
        }
      } else if (u.path().startsWith("providers[")) {
        int index = Integer.parseInt(u.path().substring("providers[".length(), u.path().indexOf(']')));
        if (skippedProviders.add(index)) {
          Object id = root.list("providers").get(index).raw("id");
          warnings.add("provider '" + id + "' skipped: environment variable " + u.variable() + " is not set ("
              + u.path() + ")");
        }
      } else {
        problems.add(u.path() + ": environment variable " + u.variable()
            + " is not set and has no default (write ${" + u.variable() + ":-value} to give one)");
      }
    }

    check(() -> root.allowOnly("server", "storage", "plugins", "providers", "models", "routing", "cache", "keys",
        "governance", "cluster", "observability"));
    GatewayConfig.Server server = section(() -> server(root.child("server")));
    GatewayConfig.Storage storage = section(() -> storage(root.child("storage")));
    GatewayConfig.Plugins plugins = section(() -> plugins(root.child("plugins")));
    CacheConfig cache = section(() -> CacheSection.read(root.child("cache")));
    Map<String, GatewayConfig.ProviderEntry> providers = new LinkedHashMap<>();
    Set<String> skippedIds = new HashSet<>();
    List<Node> providerNodes = section(() -> root.list("providers"));
    if (providerNodes != null) {
      for (int i = 0; i < providerNodes.size(); i++) {
        Node p = providerNodes.get(i);
        boolean skipped = skippedProviders.contains(i);
        check(() -> {
          String id = p.requireString("id", "a unique name for this provider, e.g. openai");
          if (!ID.matcher(id).matches()) {
            throw ConfigError.invalid(p.pathOf("id"), id, "use letters, digits, '.', '_' or '-' (at most 64)");
          }
          String type = p.requireString("type", "the provider plugin's type, e.g. openai");
          if (providers.containsKey(id) || skippedIds.contains(id)) {
            throw ConfigError.invalid(p.pathOf("id"), id, "another provider already has this id");
          }
          if (skipped) {
            skippedIds.add(id);
          } else {
            providers.put(id, new GatewayConfig.ProviderEntry(p.path, id, type, p.values));
          }
        });
      }
    }
    List<GatewayConfig.Model> models = new ArrayList<>();
    List<Node> modelNodes = section(() -> root.list("models"));
    if (modelNodes != null) {
      Set<String> names = new HashSet<>();
      for (Node m : modelNodes) {
        check(() -> {
          GatewayConfig.Model model = model(m, providers.keySet(), skippedIds);
          if (!names.add(model.name())) throw ConfigError.invalid(m.pathOf("name"), model.name(), "another model has this name");
          for (int i = 0; i < model.aliases().size(); i++) {
            if (!names.add(model.aliases().get(i))) {
              throw ConfigError.invalid(m.pathOf("aliases") + "[" + i + "]", model.aliases().get(i),
                  "another model already has this name or alias");
            }
          }
          if (model.deployments().isEmpty()) {
            warnings.add("model '" + model.name() + "' is not served: every provider it names was skipped");
          } else {
            models.add(model);
          }
        });
      }
    }
    RoutingConfig routing = section(() -> RoutingReader.routing(root.child("routing"), modelNames(modelNodes),
        e -> problems.add(e.getMessage())));
    GovernanceConfig governance = storage == null ? null : section(() -> GovernanceReader.read(root,
        storage.postgres(), storage.dataDir(), skippedKeys, this::check));
    ClusterConfig cluster = section(() -> ClusterSection.read(root.child("cluster"), this::resolve));
    if (cluster != null && cluster.enabled() && storage != null && storage.postgres().equals("embedded")) {
      problems.add(ConfigError.invalid("storage.postgres", "embedded", "a cluster needs one PostgreSQL every node "
          + "reaches (cluster.enabled is true): give a postgres:// URL, or none for no keys and budgets").getMessage());
    }
    ObservabilityConfig observability = section(() -> ObservabilityReader.read(root.child("observability")));
    if (!problems.isEmpty()) throw ConfigException.of(source, problems);
    return new GatewayConfig(source, server, storage, plugins, new ArrayList<>(providers.values()), models, warnings,
        routing, cache, governance, cluster, observability);
  }

  private GatewayConfig.Server server(Node s) {
    List<String> keys = new ArrayList<>(List.of("host", "port", "master_key", "max_body_size", "drain_timeout",
        "event_loops"));
    keys.addAll(List.of(ServerSection.KEYS));
    s.allowOnly(keys.toArray(String[]::new));
    String masterKey = s.requireString("master_key", "the key that authenticates clients and admins, e.g. ${SLUICE_MASTER_KEY}");
    if (masterKey.length() < 8) throw ConfigError.of(s.pathOf("master_key"), "must be at least 8 characters");
    int cores = Runtime.getRuntime().availableProcessors();
    return new GatewayConfig.Server(s.string("host", "127.0.0.1"), s.integer("port", 4000, 0, 65535), masterKey,
        s.bytes("max_body_size", DEFAULT_MAX_BODY), s.duration("drain_timeout", Duration.ofSeconds(30)),
        s.integer("event_loops", cores, 1, 256), ServerSection.limits(s));
  }

  private GatewayConfig.Storage storage(Node s) {
    s.allowOnly("postgres", "data_dir", "redis", "journal");
    String postgres = s.string("postgres", "none");
    if (!postgres.equals("none") && !postgres.equals("embedded") && !postgres.startsWith("postgres://")
        && !postgres.startsWith("postgresql://")) {
      throw ConfigError.invalid(s.pathOf("postgres"), postgres, "expected embedded, none or a postgres:// URL");
    }
    String redis = s.string("redis", "none");
    if (!redis.equals("none") && !redis.startsWith("redis://") && !redis.startsWith("rediss://")) {
      throw ConfigError.invalid(s.pathOf("redis"), redis, "expected none or a URL such as redis://127.0.0.1:6379/0");
    }
    return new GatewayConfig.Storage(postgres, resolve(s.string("data_dir", "data")), redis);
  }

  private GatewayConfig.Plugins plugins(Node p) {
    p.allowOnly("dir", "mode");
    String mode = p.oneOf("mode", "deployment", "deployment", "development");
    GatewayConfig.PluginMode m = mode.equals("development") ? GatewayConfig.PluginMode.DEVELOPMENT
        : GatewayConfig.PluginMode.DEPLOYMENT;
    String defaultDir = m == GatewayConfig.PluginMode.DEVELOPMENT ? "plugins" : "target/plugins";
    return new GatewayConfig.Plugins(resolve(p.string("dir", defaultDir)), m);
  }

  private GatewayConfig.Model model(Node m, Set<String> providers, Set<String> skipped) {
    m.allowOnly("name", "deployments", "aliases", "capabilities", "price", "limits", "tier");
    String name = m.requireString("name", "the model name clients ask for, e.g. gpt-4o");
    if (name.chars().anyMatch(Character::isWhitespace)) throw ConfigError.invalid(m.pathOf("name"), name, "cannot contain spaces");
    List<Node> nodes = m.list("deployments");
    if (nodes.isEmpty()) throw ConfigError.missing(m.pathOf("deployments"), "at least one {provider, model}");
    RoutingConfig.Capabilities capabilities = RoutingReader.capabilities(m.child("capabilities"),
        RoutingConfig.Capabilities.DEFAULT);
    List<GatewayConfig.Deployment> deployments = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (Node d : nodes) {
      d.allowOnly("provider", "model", "weight", "capabilities");
      String provider = d.requireString("provider", "the id of a provider in providers[]");
      if (skipped.contains(provider)) continue;
      if (!providers.contains(provider)) {
        throw ConfigError.invalid(d.pathOf("provider"), provider, "no provider has this id (providers: "
            + String.join(", ", providers) + ")");
      }
      String upstream = d.string("model", name);
      if (seen.put(provider + "/" + upstream, 1) != null) {
        throw ConfigError.invalid(d.path, provider + "/" + upstream, "this deployment is listed twice");
      }
      deployments.add(new GatewayConfig.Deployment(d.path, provider, upstream, d.integer("weight", 1, 1, 1_000_000),
          d.has("capabilities") ? RoutingReader.capabilities(d.child("capabilities"), capabilities) : capabilities));
    }
    return new GatewayConfig.Model(m.path, name, deployments, RoutingReader.aliases(m), capabilities,
        RoutingReader.price(m), RoutingReader.tier(m));
  }

  /** Every model name and alias declared (served or not), for the routing section's references. */
  private Set<String> modelNames(List<Node> modelNodes) {
    Set<String> names = new HashSet<>();
    if (modelNodes == null) return names;
    for (Node m : modelNodes) {
      if (m.raw("name") instanceof String n) names.add(n);
      if (m.raw("aliases") instanceof io.vertx.core.json.JsonArray a) {
        for (Object alias : a) {
          if (alias instanceof String s) names.add(s);
        }
      }
    }
    return names;
  }

  private Path resolve(String path) {
    Path p = Path.of(path);
    return p.isAbsolute() ? p : home.resolve(p).normalize();
  }

  private void check(Runnable step) {
    try {
      step.run();
    } catch (ConfigError e) {
      problems.add(e.getMessage());
    }
  }

  private <T> T section(java.util.function.Supplier<T> step) {
    try {
      return step.get();
    } catch (ConfigError e) {
      problems.add(e.getMessage());
      return null;
    }
  }
}

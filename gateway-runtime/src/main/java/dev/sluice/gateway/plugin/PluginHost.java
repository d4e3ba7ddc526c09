package dev.sluice.gateway.plugin;

import dev.sluice.api.IngressFormat;
import dev.sluice.api.ProviderFactory;
import dev.sluice.api.routing.DifficultyEstimator;
import dev.sluice.api.routing.RoutingStrategy;
import dev.sluice.gateway.config.GatewayConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.pf4j.RuntimeMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads plugins with PF4J, one at a time, so that a plugin that fails (bad manifest, missing class, a throwing
 * extension, a duplicate type) is reported by name with its cause and the others still load. Built-in plugins
 * are found the same way as third-party ones: jars in the plugins directory, or in development mode
 * {@code <dir>/<name>/target/classes}.
 */
public final class PluginHost implements AutoCloseable {
  /** The API version plugins declare in {@code Plugin-Requires}. */
  public static final String SYSTEM_VERSION = "0.1.0";
  private static final Logger LOG = LoggerFactory.getLogger(PluginHost.class);

  private final PluginManager manager;
  private final GatewayConfig.Plugins config;

  private PluginHost(GatewayConfig.Plugins config) {
    this.config = config;
    RuntimeMode mode = config.mode() == GatewayConfig.PluginMode.DEVELOPMENT ? RuntimeMode.DEVELOPMENT
        : RuntimeMode.DEPLOYMENT;
    // The mode is captured before PF4J's constructor asks for it (an anonymous class's captures are set first).
    this.manager = new DefaultPluginManager(config.dir()) {
      @Override
      public RuntimeMode getRuntimeMode() {
        return mode;
      }
    };
    manager.setSystemVersion(SYSTEM_VERSION);
  }

  public static PluginHost create(GatewayConfig.Plugins config) {
    return new PluginHost(config);
  }

  /** Loads and starts every plugin found; never throws for a plugin's fault. */
  public LoadedPlugins load() {
    List<LoadedPlugins.Failure> failures = new ArrayList<>();
    for (Path path : candidates(failures)) {
      try {
        manager.loadPlugin(path);
      } catch (RuntimeException | LinkageError e) {
        failures.add(new LoadedPlugins.Failure(path.getFileName().toString(), describe(e)));
      }
    }
    manager.startPlugins();
    Map<String, ProviderFactory> factories = new LinkedHashMap<>();
    List<IngressFormat> formats = new ArrayList<>();
    Map<String, RoutingStrategy> strategies = new LinkedHashMap<>();
    Map<String, DifficultyEstimator> estimators = new LinkedHashMap<>();
    List<String> ids = new ArrayList<>();
    for (PluginWrapper plugin : manager.getPlugins()) {
      String id = plugin.getPluginId();
      if (plugin.getPluginState() != PluginState.STARTED) {
        failures.add(new LoadedPlugins.Failure(id, startFailure(plugin)));
        continue;
      }
      ids.add(id);
      for (ProviderFactory f : extensions(ProviderFactory.class, id, failures)) {
        String type = f.type();
        if (factories.containsKey(type)) {
          failures.add(new LoadedPlugins.Failure(id, "provider type '" + type + "' is already served by another plugin"));
        } else {
          factories.put(type, f);
        }
      }
      formats.addAll(extensions(IngressFormat.class, id, failures));
      for (RoutingStrategy strategy : extensions(RoutingStrategy.class, id, failures)) {
        if (strategies.putIfAbsent(strategy.id(), strategy) != null) {
          failures.add(new LoadedPlugins.Failure(id, "routing strategy '" + strategy.id() + "' is already served by another plugin"));
        }
      }
      for (DifficultyEstimator estimator : extensions(DifficultyEstimator.class, id, failures)) {
        if (estimators.putIfAbsent(estimator.id(), estimator) != null) {
          failures.add(new LoadedPlugins.Failure(id, "difficulty estimator '" + estimator.id()
              + "' is already served by another plugin"));
        }
      }
    }
    for (LoadedPlugins.Failure f : failures) LOG.error("{}; the gateway starts without it", f);
    LOG.info("plugins loaded from {} ({} mode): {}; provider types: {}", config.dir(),
        config.mode().name().toLowerCase(java.util.Locale.ROOT), ids, factories.keySet());
    return new LoadedPlugins(factories, formats, ids, failures, strategies, estimators);
  }

  private <T> List<T> extensions(Class<T> type, String pluginId, List<LoadedPlugins.Failure> failures) {
    List<T> out = new ArrayList<>();
    List<Class<? extends T>> classes;
    try {
      classes = manager.getExtensionClasses(type, pluginId);
    } catch (RuntimeException | LinkageError e) {
      failures.add(new LoadedPlugins.Failure(pluginId, describe(e)));
      return out;
    }
    for (Class<? extends T> c : classes) {
      try {
        out.add(c.getDeclaredConstructor().newInstance());
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
        failures.add(new LoadedPlugins.Failure(pluginId, "extension " + c.getName() + " cannot be created: "
            + describe(cause)));
      }
    }
    return out;
  }

  private List<Path> candidates(List<LoadedPlugins.Failure> failures) {
    Path dir = config.dir();
    if (!Files.isDirectory(dir)) {
      failures.add(new LoadedPlugins.Failure(dir.toString(), "the plugins directory does not exist"
          + (config.mode() == GatewayConfig.PluginMode.DEPLOYMENT ? " (build with ./mvnw package)" : "")));
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.filter(this::isCandidate).sorted().toList();
    } catch (IOException e) {
      failures.add(new LoadedPlugins.Failure(dir.toString(), "cannot list the plugins directory: " + e));
      return List.of();
    }
  }

  private boolean isCandidate(Path p) {
    String name = p.getFileName().toString();
    if (name.startsWith(".")) return false;
    if (config.mode() == GatewayConfig.PluginMode.DEVELOPMENT) {
      return Files.isRegularFile(p.resolve("target/classes/META-INF/MANIFEST.MF"));
    }
    return Files.isRegularFile(p) && (name.endsWith(".jar") || name.endsWith(".zip"));
  }

  private static String startFailure(PluginWrapper plugin) {
    if (plugin.getPlugin() == null) {
      // PF4J logs why it could not instantiate the class and leaves only a null behind.
      return "its Plugin-Class '" + plugin.getDescriptor().getPluginClass() + "' cannot be instantiated (the class is"
          + " missing, is not an org.pf4j.Plugin, or its constructor failed)";
    }
    Throwable cause = plugin.getFailedException();
    return cause == null ? "it is " + plugin.getPluginState() : describe(cause);
  }

  private static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder();
    Throwable t = e;
    for (int depth = 0; t != null && depth < 4; depth++, t = t.getCause()) {
      if (sb.length() > 0) sb.append(" <- ");
      sb.append(t.getClass().getSimpleName());
      if (t.getMessage() != null) sb.append(": ").append(t.getMessage());
    }
    return sb.toString();
  }

  /** The extensions of {@code type} from every started plugin; a plugin whose extension fails is logged. */
  public <T> List<T> extensionsOf(Class<T> type) {
    List<LoadedPlugins.Failure> failures = new ArrayList<>();
    List<T> out = new ArrayList<>();
    for (PluginWrapper plugin : manager.getPlugins()) {
      if (plugin.getPluginState() == PluginState.STARTED) out.addAll(extensions(type, plugin.getPluginId(), failures));
    }
    for (LoadedPlugins.Failure f : failures) LOG.error("{}; the gateway starts without it", f);
    return out;
  }

  @Override
  public void close() {
    manager.stopPlugins();
    manager.unloadPlugins();
  }
}

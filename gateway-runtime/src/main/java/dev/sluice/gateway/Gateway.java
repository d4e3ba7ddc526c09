package dev.sluice.gateway;

import dev.sluice.api.ConfigError;
import dev.sluice.api.Provider;
import dev.sluice.api.cache.CacheBackendFactory;
import dev.sluice.gateway.cache.CacheBackends;
import dev.sluice.gateway.cache.ChatCache;
import dev.sluice.gateway.cluster.Cluster;
import dev.sluice.gateway.cluster.ClusterState;
import dev.sluice.gateway.admin.AdminApi;
import dev.sluice.gateway.config.ConfigException;
import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.gateway.governance.Governance;
import dev.sluice.gateway.http.HttpVerticle;
import dev.sluice.gateway.http.MetricsRoute;
import dev.sluice.gateway.observe.Observability;
import dev.sluice.gateway.observe.Observers;
import dev.sluice.gateway.http.RoutingAdmin;
import dev.sluice.gateway.http.Routes;
import dev.sluice.gateway.pipeline.Guard;
import dev.sluice.gateway.pipeline.Pipeline;
import dev.sluice.gateway.plugin.LoadedPlugins;
import dev.sluice.gateway.plugin.PluginHost;
import dev.sluice.gateway.routing.Router;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Sluice: plugins loaded, providers built from config, HTTP verticles listening. {@link #start}
 * fails (nothing listening) on a config a plugin rejects; {@link #stop} drains in-flight requests.
 */
public final class Gateway {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final GatewayConfig config;
  private final AtomicBoolean accepting = new AtomicBoolean(true);
  private final List<String> deployments = new ArrayList<>();
  private PluginHost plugins;
  private LoadedPlugins loaded;
  private Map<String, Provider> providers = Map.of();
  private Router router;
  private ConfigReloader reloader;
  private ChatCache cache = ChatCache.disabled();
  private Governance governance;
  private Observability observability;
  private Observers observers;
  private int port;
  /** This node in the cluster ({@code cluster.enabled}), else null. */
  private final Cluster cluster;
  private final ClusterSignals signals;

  private Gateway(Vertx vertx, boolean ownsVertx, GatewayConfig config, Cluster cluster) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.config = config;
    this.cluster = cluster;
    this.signals = new ClusterSignals(vertx);
  }

  /**
   * Starts on a Vert.x instance of its own, with one event loop per configured HTTP verticle; with
   * {@code cluster.enabled}, joins the cluster first and runs Vert.x clustered on the same Hazelcast member.
   */
  public static Future<Gateway> start(GatewayConfig config) {
    // Netty's native epoll transport where it loads (Linux); NIO elsewhere.
    VertxOptions options = new VertxOptions().setEventLoopPoolSize(Math.max(2, config.server().eventLoops()))
        .setPreferNativeTransport(true);
    if (config.cluster().enabled()) {
      return Cluster.join(config.cluster(), options).compose(c -> start(c.vertx(), config, true, c)
          .recover(e -> c.close().transform(v -> Future.failedFuture(e))));
    }
    return start(Vertx.vertx(options), config, true, null);
  }

  /** Starts on {@code vertx}, which the caller keeps owning (not clustered: cluster mode owns its Vert.x). */
  public static Future<Gateway> start(Vertx vertx, GatewayConfig config) {
    if (config.cluster().enabled()) {
      return Future.failedFuture(ConfigException.of(config.source(), List.of("cluster.enabled: a gateway started on "
          + "a Vert.x instance it does not own cannot join a cluster (start it with Gateway.start(config))")));
    }
    return start(vertx, config, false, null);
  }

  private static Future<Gateway> start(Vertx vertx, GatewayConfig config, boolean ownsVertx, Cluster cluster) {
    Gateway gateway = new Gateway(vertx, ownsVertx, config, cluster);
    return vertx.executeBlocking(() -> {
      gateway.loadPlugins();
      return gateway;
    }, false).compose(Gateway::govern).compose(Gateway::listen).recover(e -> gateway.release(false).transform(v -> {
      // Closing an owned Vert.x last, after the failure reached the caller: a closed one delivers nothing.
      if (ownsVertx) vertx.close();
      return Future.failedFuture(e);
    }));
  }

  /** Plugin loading reads jars from disk, and picking a free port binds a socket: a worker thread's job. */
  private void loadPlugins() {
    port = config.server().port() == 0 ? freePort(config.server().host()) : config.server().port();
    for (String warning : config.warnings()) LOG.warn(warning);
    plugins = PluginHost.create(config.plugins());
    loaded = plugins.load();
    providers = ProviderBuilder.build(config, loaded, () -> vertx, entry -> null).providers();
    router = Router.create(vertx, config.models(), providers, config.routing(), loaded.strategies());
    router.estimators(loaded.estimators(), dev.sluice.gateway.cache.Embeddings.local(vertx));
    reloader = new ConfigReloader(vertx, config, loaded, router, providers);
    try {
      cache = CacheBackends.create(vertx, config.cache(), config.storage() == null ? null : config.storage().redis(),
          plugins.extensionsOf(CacheBackendFactory.class), router, cluster == null ? null : cluster::entries);
    } catch (ConfigError e) {
      throw ConfigException.of(config.source(), List.of(e.getMessage()));
    }
  }

  /** Keys, limits, budgets and spend, when storage is configured; nothing otherwise (master key only). */
  private Future<Gateway> govern() {
    if (config.governance() == null || !config.governance().enabled()) return Future.succeededFuture(this);
    Supplier<Future<ClusterState>> state = cluster != null ? cluster::state : () -> ClusterState.start(vertx, "sluice");
    return Governance.start(vertx, config.governance(), router.catalog(), state).map(g -> {
      governance = g;
      if (cluster != null) {
        signals.onKeysChanged(g.keys()::refreshNow);
        g.keys().onChange(signals::keysChanged);
      }
      return this;
    });
  }

  private Future<Gateway> listen() {
    GatewayConfig.Server s = config.server();
    JsonArray failures = new JsonArray();
    loaded.failures().forEach(f -> failures.add(f.toString()));
    JsonObject readiness = new JsonObject().put("models", router.catalog().names().size()).put("providers", providers.size())
        .put("plugin_failures", failures).put("transport", vertx.isNativeTransportEnabled() ? "epoll" : "nio");
    Pipeline pipeline = new Pipeline(router, cache, governance == null ? Guard.NONE : governance.guard(),
        new dev.sluice.gateway.shaping.Shaper(vertx, router));
    observers = pipeline.observers();
    observability = Observability.attach(config, router, observers);
    Routes routes = new Routes(pipeline, loaded.ingressFormats(), s.masterKey(), s.maxBodyBytes(),
        accepting::get, readiness, governance == null ? null
        : new AdminApi(governance, router.catalog()).withHealth(router::describe))
        .withRoutingAdmin(new RoutingAdmin(router, cluster == null ? reloader::reload
            : () -> reloader.reload().onSuccess(r -> signals.configReloaded())));
    if (cluster != null) shareWithTheCluster();
    if (observability.metrics() != null) {
      routes.withMetrics(new MetricsRoute(observability::scrape, config.observability().metrics().requireKey()));
    }
    reloader.watch(config.routing().watch());
    // Every event loop's server listens on the same port, which Vert.x shares among them; port 0 was turned into
    // a free port beforehand, since servers asking for port 0 would each get a port of their own.
    int bindPort = port;
    return vertx.deployVerticle(() -> new HttpVerticle(routes, s.host(), bindPort, s.drainTimeout()),
        new DeploymentOptions().setInstances(s.eventLoops())).map(id -> {
      deployments.add(id);
      LOG.info("Sluice listening on http://{}:{} with {} event loops ({} transport); models: {}", s.host(), port,
          s.eventLoops(), vertx.isNativeTransportEnabled() ? "native epoll" : "NIO", router.catalog().names());
      return this;
    });
  }

  /** Config reloads (and, with {@code cluster.share_breakers}, breaker openings) reach every node. */
  private void shareWithTheCluster() {
    signals.onConfigReloaded(() -> reloader.reload()
        .onSuccess(r -> LOG.info("config reloaded: another cluster node reloaded it"))
        .onFailure(e -> LOG.error("another cluster node reloaded its config; this node's is invalid: {}", e.getMessage())));
    if (config.cluster().shareBreakers()) {
      router.shareHealth(signals::health);
      signals.onHealth(router::healthFromPeer);
    }
  }

  private static int freePort(String host) {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return probe.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + host, e);
    }
  }

  public int port() {
    return port;
  }

  public GatewayConfig config() {
    return config;
  }

  /** Keys, limits, budgets and spend; null when {@code storage.postgres} is none. */
  public Governance governance() {
    return governance;
  }

  public LoadedPlugins plugins() {
    return loaded;
  }

  /**
   * Who is told of each request's attempts and end: add a {@link dev.sluice.gateway.observe.RequestObserver} here
   * (a request log, say). Null before the gateway listens.
   */
  public Observers observers() {
    return observers;
  }

  /** The routing engine: its current table, live deployment state and metrics listeners. */
  public Router router() {
    return router;
  }

  /**
   * Stops: readiness turns 503, listeners close, in-flight requests (streams included) finish within
   * {@code server.drain_timeout}, then providers and plugins are released.
   */
  public Future<Void> stop() {
    accepting.set(false);
    List<Future<?>> undeploys = new ArrayList<>();
    for (String id : deployments) undeploys.add(vertx.undeploy(id));
    deployments.clear();
    return Future.join(undeploys).transform(ar -> release(ownsVertx));
  }

  private Future<Void> release(boolean closeVertx) {
    List<Future<?>> closes = new ArrayList<>();
    signals.close();
    if (reloader != null) reloader.stop();
    if (router != null) router.close();
    closes.add(cache.close());
    if (governance != null) closes.add(governance.stop());
    if (observability != null) closes.add(vertx.executeBlocking(() -> {
      observability.close();
      return null;
    }, false));
    for (Provider p : reloader != null ? reloader.openProviders() : providers.values()) closes.add(p.close());
    return Future.join(closes).transform(ar -> vertx.executeBlocking(() -> {
      if (plugins != null) plugins.close();
      return null;
    }, false)).transform(ar -> closeVertx ? vertx.close() : Future.<Void>succeededFuture())
        .transform(ar -> cluster != null && closeVertx ? cluster.close() : Future.<Void>succeededFuture());
  }
}

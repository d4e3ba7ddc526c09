package dev.sluice.gateway.governance;

import dev.sluice.gateway.cluster.ClusterState;
import dev.sluice.gateway.config.GovernanceConfig;
import dev.sluice.gateway.pipeline.Guard;
import dev.sluice.gateway.pricing.Price;
import dev.sluice.gateway.pricing.PriceCatalog;
import dev.sluice.gateway.routing.Deployment;
import dev.sluice.gateway.routing.ModelCatalog;
import dev.sluice.gateway.storage.Database;
import dev.sluice.gateway.storage.JournalFlusher;
import dev.sluice.gateway.storage.RequestLogRetention;
import dev.sluice.gateway.storage.SpendJournal;
import dev.sluice.gateway.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keys, limits, budgets and spend, started together: PostgreSQL (migrated), the spend journal (replayed into
 * PostgreSQL), the cluster state, keys from config, and the {@link Guard} the pipeline runs.
 */
public final class Governance {
  private static final Logger LOG = LoggerFactory.getLogger(Governance.class);

  private final Vertx vertx;
  private final Database db;
  private final ClusterState state;
  private final SpendJournal journal;
  private final JournalFlusher flusher;
  private final KeyStore keys;
  private final PriceCatalog prices;
  private final Webhooks webhooks;
  private final Governor governor;
  /** Rate-limit windows, budget periods, key expiry and spend record times. */
  private final Clock clock;
  private final long refreshTimer;
  private final RequestLogRetention retention;
  private final GovernanceConfig.RequestLog requestLog;

  private Governance(Vertx vertx, Database db, ClusterState state, SpendJournal journal, JournalFlusher flusher,
                     KeyStore keys, PriceCatalog prices, GovernanceConfig config, Clock clock) {
    this.clock = clock;
    this.requestLog = config.requestLog();
    this.retention = requestLog.enabled() ? RequestLogRetention.start(vertx, db, requestLog.retention()) : null;
    this.vertx = vertx;
    this.db = db;
    this.state = state;
    this.journal = journal;
    this.flusher = flusher;
    this.keys = keys;
    this.prices = prices;
    GovernanceConfig.Webhook w = config.webhook();
    this.webhooks = new Webhooks(vertx, w.url(), w.retries(), w.timeout());
    Map<String, Limits> modelLimits = new HashMap<>();
    config.modelLimits().forEach((m, l) -> modelLimits.put(m, Limits.fromJson(l)));
    this.governor = new Governor(vertx, keys, state, prices, journal, webhooks, modelLimits,
        config.defaultOutputTokens(), requestLog.enabled() && requestLog.bodies() ? requestLog.maxBodyBytes() : 0,
        requestLog.enabled(), clock);
    long every = config.keyRefresh().toMillis();
    this.refreshTimer = vertx.setPeriodic(every, every, t -> keys.refresh()
        .onFailure(e -> LOG.debug("key refresh failed: {}", e.toString())));
  }

  /** Starts with the counters of a single node (a loopback-only Hazelcast member of its own). */
  public static Future<Governance> start(Vertx vertx, GovernanceConfig config, ModelCatalog catalog) {
    return start(vertx, config, catalog, () -> ClusterState.start(vertx, "sluice", Clock.SYSTEM), Clock.SYSTEM);
  }

  /** Starts with the counters {@code state} gives (the cluster's, in cluster mode). */
  public static Future<Governance> start(Vertx vertx, GovernanceConfig config, ModelCatalog catalog,
                                         java.util.function.Supplier<Future<ClusterState>> counters, Clock clock) {
    PriceCatalog prices = PriceCatalog.load(prices(config));
    warnUnpriced(prices, catalog);
    return Database.open(vertx, config.postgres(), config.dataDir()).compose(db -> {
      GovernanceConfig.Journal j = config.journal();
      return vertx.executeBlocking(() -> SpendJournal.open(config.dataDir().resolve("journal"),
              SpendJournal.Fsync.valueOf(j.fsync().toUpperCase(Locale.ROOT)), j.fsyncInterval()), false)
          .compose(journal -> {
            JournalFlusher flusher = JournalFlusher.start(vertx, journal, db, j.flushInterval(), j.batchSize(),
                config.requestLog().enabled(), config.dataDir().resolve("quarantine"));
            // Replays what a previous process left, before any budget is read from PostgreSQL; a record PostgreSQL
            // refuses for its content is quarantined, so even a journal left stuck behind one drains here.
            return flusher.flush().otherwiseEmpty()
                .compose(v -> ConfigKeys.provision(db.pool(), config.keys()))
                .compose(v -> KeyStore.load(db.pool()))
                .compose(keys -> counters.get()
                    .compose(state -> BudgetSeeds.seed(db.pool(), state, keys.snapshot(), clock.millis())
                        .map(state))
                    .map(state -> new Governance(vertx, db, state, journal, flusher, keys, prices, config,
                        clock)));
          }).recover(e -> db.close().transform(x -> Future.failedFuture(e)));
    });
  }

  private static Map<String, Price> prices(GovernanceConfig config) {
    Map<String, Price> out = new HashMap<>();
    config.prices().forEach((m, p) -> out.put(m, Price.of(p.getDouble("input"), p.getDouble("output"),
        p.getDouble("cached_input"), p.getDouble("cache_write"))));
    return out;
  }

  private static void warnUnpriced(PriceCatalog prices, ModelCatalog catalog) {
    List<String> unpriced = new ArrayList<>();
    for (String name : catalog.names()) {
      for (Deployment d : catalog.resolve(name).deployments()) {
        if (prices.find(name, d.upstreamModel()) == null) unpriced.add(name + " (" + d.upstreamModel() + ")");
      }
    }
    if (!unpriced.isEmpty()) {
      LOG.warn("no price known for {}: their spend is recorded with unpriced=true and no cost; set models[].price",
          unpriced);
    }
  }

  public Guard guard() {
    return governor;
  }

  /** The clock governance decides by (windows, periods, expiry). */
  public Clock clock() {
    return clock;
  }

  public KeyStore keys() {
    return keys;
  }

  public Database database() {
    return db;
  }

  public JournalFlusher flusher() {
    return flusher;
  }

  /** What {@code observability.request_log} says (enabled, bodies, retention). */
  public GovernanceConfig.RequestLog requestLog() {
    return requestLog;
  }

  /** The request log's periodic delete; null when the request log is off. */
  public RequestLogRetention retention() {
    return retention;
  }

  /** Served models with their price (or {@code unpriced}), for {@code /admin/prices}. */
  public JsonObject priceReport(ModelCatalog catalog) {
    JsonObject out = new JsonObject();
    for (String name : catalog.names()) {
      for (Deployment d : catalog.resolve(name).deployments()) {
        Price p = prices.find(name, d.upstreamModel());
        out.put(name + "/" + d.upstreamModel(), p == null ? new JsonObject().put("unpriced", true)
            : new JsonObject().put("input", p.input()).put("output", p.output()).put("cached_input", p.cachedInput())
            .put("cache_write", p.cacheWrite()).put("long_context_above", p.longContextAbove() == 0 ? null
                : p.longContextAbove()));
      }
    }
    return out;
  }

  /** Stops accepting work, moves the journal into PostgreSQL once more, then closes everything. */
  public Future<Void> stop() {
    vertx.cancelTimer(refreshTimer);
    flusher.stop();
    if (retention != null) retention.stop();
    return flusher.flush().otherwiseEmpty()
        .transform(ar -> vertx.executeBlocking(() -> {
          journal.close();
          return null;
        }, false))
        .transform(ar -> webhooks.close())
        .transform(ar -> state.close())
        .transform(ar -> db.close());
  }
}

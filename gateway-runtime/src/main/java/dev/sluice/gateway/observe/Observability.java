package dev.sluice.gateway.observe;

import dev.sluice.gateway.config.GatewayConfig;
import dev.sluice.gateway.config.ObservabilityConfig;
import dev.sluice.gateway.routing.Deployment;
import dev.sluice.gateway.routing.ModelCatalog;
import dev.sluice.gateway.routing.Router;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The observers {@code observability:} asks for, attached to a gateway's pipeline and router: Prometheus
 * {@link Metrics}, the {@link AccessLog} and OpenTelemetry {@link Tracing}.
 */
public final class Observability {
  private static final Logger LOG = LoggerFactory.getLogger(Observability.class);

  private final ObservabilityConfig config;
  private final Metrics metrics;
  private final Tracing tracing;
  private final Router router;
  private final AccessLog accessLog;

  private Observability(ObservabilityConfig config, Metrics metrics, Tracing tracing, Router router,
                        AccessLog accessLog) {
    this.config = config;
    this.metrics = metrics;
    this.tracing = tracing;
    this.router = router;
    this.accessLog = accessLog;
  }

  /** Builds what {@code config.observability()} enables and registers it with {@code observers} and {@code router}. */
  public static Observability attach(GatewayConfig config, Router router, Observers observers) {
    ObservabilityConfig c = config.observability();
    Metrics metrics = null;
    if (c.metrics().enabled()) {
      metrics = new Metrics();
      metrics.deployments(deployments(router.catalog()));
      observers.add(metrics);
      router.addListener(metrics);
    }
    AccessLog accessLog = c.accessLog().enabled() ? new AccessLog(c.logPrompts()) : null;
    if (accessLog != null) observers.add(accessLog);
    Tracing tracing = null;
    if (c.tracing().enabled()) {
      Map<String, String> types = new HashMap<>();
      for (GatewayConfig.ProviderEntry p : config.providers()) types.put(p.id(), p.type());
      tracing = Tracing.otlp(c.tracing(), types);
      observers.add(tracing);
      LOG.info("tracing to {} (sample ratio {})", c.tracing().endpoint(), c.tracing().sampleRatio());
    }
    if (c.logPrompts()) LOG.warn("observability.log_prompts is true: prompts and completions go to the access log");
    return new Observability(c, metrics, tracing, router, accessLog);
  }

  /** The Prometheus registry's meters, or null when {@code observability.metrics.enabled} is false. */
  public Metrics metrics() {
    return metrics;
  }

  /**
   * The Prometheus text of every meter, deployments added by a config reload included (CPU work: call it off the
   * event loop); null when metrics are off.
   */
  public String scrape() {
    if (metrics == null) return null;
    metrics.deployments(deployments(router.catalog()));
    return metrics.scrape();
  }

  public ObservabilityConfig config() {
    return config;
  }

  /**
   * Flushes buffered spans (blocking, bounded by the exporter's timeout) and the access log's queued lines: call
   * from a worker.
   */
  public void close() {
    if (accessLog != null) accessLog.close();
    if (tracing != null) tracing.close(config.tracing().timeout().toMillis());
  }

  private static List<Deployment> deployments(ModelCatalog catalog) {
    List<Deployment> out = new ArrayList<>();
    for (String name : catalog.names()) out.addAll(catalog.resolve(name).deployments());
    return out;
  }
}

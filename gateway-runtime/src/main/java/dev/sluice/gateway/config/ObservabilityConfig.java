package dev.sluice.gateway.config;

import java.time.Duration;
import java.util.Map;

/**
 * The {@code observability:} section: Prometheus metrics, the JSON access log, whether prompts may be logged,
 * and OpenTelemetry tracing. Validated by {@link ConfigLoader}.
 *
 * @param logPrompts whether the access log (and span events) may carry prompts and completions; false unless set
 */
public record ObservabilityConfig(Metrics metrics, AccessLog accessLog, boolean logPrompts, Tracing tracing) {
  public static final String DEFAULT_OTLP_ENDPOINT = "http://127.0.0.1:4318/v1/traces";
  public static final ObservabilityConfig DEFAULT = new ObservabilityConfig(new Metrics(true, false),
      new AccessLog(true), false, new Tracing(false, DEFAULT_OTLP_ENDPOINT, 1.0, "sluice", Map.of(),
      Duration.ofSeconds(10)));

  /**
   * @param enabled whether {@code GET /metrics} is served
   * @param requireKey whether a scrape must present the master key or an admin key
   */
  public record Metrics(boolean enabled, boolean requireKey) {}

  /** @param enabled one JSON line per request on the {@code sluice.access} logger */
  public record AccessLog(boolean enabled) {}

  /**
   * @param endpoint the OTLP/HTTP traces URL of a collector ({@code .../v1/traces})
   * @param sampleRatio the share of requests traced, 0 to 1 (a client's sampled {@code traceparent} is honoured)
   * @param headers sent with every export (a vendor's API key, say); never logged
   */
  public record Tracing(boolean enabled, String endpoint, double sampleRatio, String serviceName,
                        Map<String, String> headers, Duration timeout) {
    public Tracing {
      headers = Map.copyOf(headers);
    }

    @Override
    public String toString() {
      return "Tracing[enabled=" + enabled + ", endpoint=" + endpoint + ", sampleRatio=" + sampleRatio
          + ", serviceName=" + serviceName + ", headers=" + headers.keySet() + " (values redacted), timeout="
          + timeout + "]";
    }
  }
}

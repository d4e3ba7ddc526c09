package dev.sluice.gateway.config;

import dev.sluice.api.ConfigError;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads and validates {@code observability:}; every error names the path and the bad value. */
final class ObservabilityReader {
  private ObservabilityReader() {}

  static ObservabilityConfig read(Node o) {
    o.allowOnly("metrics", "access_log", "log_prompts", "tracing", "request_log"); // request_log: GovernanceReader
    ObservabilityConfig d = ObservabilityConfig.DEFAULT;
    Node m = o.child("metrics");
    m.allowOnly("enabled", "require_key");
    Node a = o.child("access_log");
    a.allowOnly("enabled");
    return new ObservabilityConfig(new ObservabilityConfig.Metrics(m.bool("enabled", d.metrics().enabled()),
        m.bool("require_key", d.metrics().requireKey())), new ObservabilityConfig.AccessLog(a.bool("enabled",
        d.accessLog().enabled())), o.bool("log_prompts", false), tracing(o.child("tracing"), d.tracing()));
  }

  private static ObservabilityConfig.Tracing tracing(Node t, ObservabilityConfig.Tracing d) {
    t.allowOnly("enabled", "endpoint", "sample_ratio", "service_name", "headers", "timeout");
    String endpoint = t.string("endpoint", d.endpoint());
    try {
      URI uri = new URI(endpoint);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw ConfigError.invalid(t.pathOf("endpoint"), endpoint, "expected an http:// or https:// URL of an OTLP/HTTP"
            + " collector, e.g. " + ObservabilityConfig.DEFAULT_OTLP_ENDPOINT);
      }
    } catch (URISyntaxException e) {
      throw ConfigError.invalid(t.pathOf("endpoint"), endpoint, "not a URL: " + e.getReason());
    }
    Object ratio = t.raw("sample_ratio");
    double sample = d.sampleRatio();
    if (ratio != null) {
      if (!(ratio instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() > 1) {
        throw ConfigError.invalid(t.pathOf("sample_ratio"), ratio, "expected a number from 0 to 1, e.g. 0.1");
      }
      sample = n.doubleValue();
    }
    String service = t.string("service_name", d.serviceName());
    if (service.isBlank()) throw ConfigError.invalid(t.pathOf("service_name"), service, "must not be empty");
    Map<String, String> headers = new LinkedHashMap<>();
    Node h = t.child("headers");
    for (String name : h.values.fieldNames()) {
      if (!name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
        throw ConfigError.invalid(h.pathOf(name), name, "not a valid HTTP header name");
      }
      headers.put(name, h.string(name, ""));
    }
    Duration timeout = t.duration("timeout", d.timeout());
    if (timeout.isZero() || timeout.isNegative()) {
      throw ConfigError.invalid(t.pathOf("timeout"), t.raw("timeout"), "must be positive, e.g. 10s");
    }
    return new ObservabilityConfig.Tracing(t.bool("enabled", d.enabled()), endpoint, sample, service, headers,
        timeout);
  }
}

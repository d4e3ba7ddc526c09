package dev.sluice.gateway.config;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything governance reads from config: {@code keys:}, {@code models[].price} / {@code models[].limits},
 * {@code storage.journal} and {@code governance:}. Limits and budgets are validated, normalized JSON
 * ({@link GovernanceRules}).
 *
 * @param prices served model name to {input, output, cached_input, cache_write} in USD per 1M tokens
 */
public record GovernanceConfig(String postgres, Path dataDir, List<KeyEntry> keys, Map<String, JsonObject> prices,
                               Map<String, JsonObject> modelLimits, Journal journal, Webhook webhook,
                               int defaultOutputTokens, Duration keyRefresh, RequestLog requestLog) {

  public GovernanceConfig {
    keys = List.copyOf(keys);
    prices = Map.copyOf(prices);
    modelLimits = Map.copyOf(modelLimits);
  }

  public boolean enabled() {
    return !postgres.equals("none");
  }

  /** One {@code keys[]} entry; {@code secret} is the key itself (from the environment), never logged. */
  public record KeyEntry(String path, String secret, String name, String role, String team, String user, String org,
                         List<String> models, Instant expires, JsonObject metadata, JsonObject limits,
                         JsonObject budget) {
    @Override
    public String toString() {
      return "KeyEntry[" + path + ", name=" + name + ", secret=<redacted>]";
    }
  }

  /** @param fsync always, interval or never (see the spend journal) */
  public record Journal(String fsync, Duration fsyncInterval, Duration flushInterval, int batchSize) {}

  /**
   * {@code observability.request_log}: one row per request in PostgreSQL for the dashboard and
   * {@code GET /admin/requests}.
   *
   * @param bodies whether request and response bodies are stored (off by default: they may hold personal data)
   * @param retention rows older than this are deleted periodically
   * @param maxBodyBytes each stored body is cut to this many bytes
   */
  public record RequestLog(boolean enabled, boolean bodies, Duration retention, int maxBodyBytes) {
    public static final RequestLog OFF = new RequestLog(false, false, Duration.ofDays(30), 65536);
  }

  /** @param url null when no webhook is configured */
  public record Webhook(String url, int retries, Duration timeout) {}
}

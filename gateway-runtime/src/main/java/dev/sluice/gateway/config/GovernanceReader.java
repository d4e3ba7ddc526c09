package dev.sluice.gateway.config;

import dev.sluice.api.ConfigError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** Reads the governance parts of config.yaml into a {@link GovernanceConfig}; see ConfigLoader. */
final class GovernanceReader {
  private static final Set<String> ROLES = Set.of("user", "viewer", "team_admin", "admin");

  private GovernanceReader() {}

  static GovernanceConfig read(Node root, String postgres, Path dataDir, Set<Integer> skippedKeys,
                               Consumer<Runnable> check) {
    Node storage = root.child("storage");
    Node j = storage.child("journal");
    j.allowOnly("fsync", "fsync_interval", "flush_interval", "batch_size");
    GovernanceConfig.Journal journal = new GovernanceConfig.Journal(j.oneOf("fsync", "interval", "always",
        "interval", "never"), j.duration("fsync_interval", Duration.ofSeconds(1)),
        j.duration("flush_interval", Duration.ofSeconds(1)), j.integer("batch_size", 1000, 1, 100_000));
    Node g = root.child("governance");
    g.allowOnly("webhook", "default_output_tokens", "key_refresh");
    Node w = g.child("webhook");
    w.allowOnly("url", "retries", "timeout");
    String url = w.string("url", null);
    if (url != null && !(url.startsWith("http://") || url.startsWith("https://"))) {
      throw ConfigError.invalid(w.pathOf("url"), url, "expected an http:// or https:// URL");
    }
    GovernanceConfig.Webhook webhook = new GovernanceConfig.Webhook(url, w.integer("retries", 3, 0, 10),
        w.duration("timeout", Duration.ofSeconds(5)));

    Map<String, JsonObject> prices = new HashMap<>();
    Map<String, JsonObject> modelLimits = new HashMap<>();
    for (Node m : root.list("models")) {
      String name = m.string("name", null);
      if (name == null) continue;
      if (m.has("price")) check.accept(() -> prices.put(name, GovernanceRules.price(m.pathOf("price"), m.raw("price"))));
      if (m.has("limits")) {
        check.accept(() -> modelLimits.put(name, GovernanceRules.limits(m.pathOf("limits"), m.raw("limits"))));
      }
    }

    List<GovernanceConfig.KeyEntry> keys = new ArrayList<>();
    List<Node> keyNodes = root.list("keys");
    if (!keyNodes.isEmpty() && postgres.equals("none")) {
      throw ConfigError.invalid("storage.postgres", postgres, "keys: needs a database: use embedded or a postgres:// URL");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < keyNodes.size(); i++) {
      if (skippedKeys.contains(i)) continue;
      Node k = keyNodes.get(i);
      check.accept(() -> {
        GovernanceConfig.KeyEntry e = key(k);
        if (!names.add(e.name())) throw ConfigError.invalid(k.pathOf("name"), e.name(), "another key has this name");
        keys.add(e);
      });
    }
    GovernanceConfig.RequestLog requestLog = requestLog(root.child("observability"), postgres);
    return new GovernanceConfig(postgres, dataDir, keys, prices, modelLimits, journal, webhook,
        g.integer("default_output_tokens", 1024, 1, 10_000_000), g.duration("key_refresh", Duration.ofSeconds(10)),
        requestLog);
  }

  /** {@code observability.request_log}: on by default when PostgreSQL is; impossible without it. */
  private static GovernanceConfig.RequestLog requestLog(Node observability, String postgres) {
    Node r = observability.child("request_log");
    r.allowOnly("enabled", "bodies", "retention", "max_body_size");
    boolean enabled = r.bool("enabled", !postgres.equals("none"));
    if (enabled && postgres.equals("none")) {
      throw ConfigError.invalid(r.pathOf("enabled"), true, "the request log needs a database: set storage.postgres to "
          + "embedded or a postgres:// URL");
    }
    Duration retention = r.duration("retention", Duration.ofDays(30));
    if (retention.compareTo(Duration.ofMinutes(1)) < 0) {
      throw ConfigError.invalid(r.pathOf("retention"), r.raw("retention"), "must be at least 1m, e.g. 30d");
    }
    long maxBody = r.bytes("max_body_size", 64 * 1024);
    if (maxBody > 16L * 1024 * 1024) {
      throw ConfigError.invalid(r.pathOf("max_body_size"), r.raw("max_body_size"), "must be at most 16MB");
    }
    return new GovernanceConfig.RequestLog(enabled, r.bool("bodies", false), retention, (int) maxBody);
  }

  private static GovernanceConfig.KeyEntry key(Node k) {
    k.allowOnly("key", "name", "role", "team", "user", "org", "models", "expires", "metadata", "limits", "budget");
    String secret = k.requireString("key", "the key's secret, e.g. ${TEAM_A_KEY}");
    if (secret.length() < 16) throw ConfigError.of(k.pathOf("key"), "must be at least 16 characters");
    String role = k.string("role", "user");
    if (!ROLES.contains(role)) throw ConfigError.invalid(k.pathOf("role"), role, "expected one of " + ROLES);
    String team = k.string("team", null);
    String name = k.string("name", team != null ? team + "-" + k.path.replaceAll("\\D", "") : k.path);
    List<String> models = null;
    Object m = k.raw("models");
    if (m != null) {
      if (!(m instanceof JsonArray a)) throw ConfigError.invalid(k.pathOf("models"), m, "expected a list of model names");
      models = new ArrayList<>();
      for (Object o : a) models.add(String.valueOf(o));
    }
    Instant expires = null;
    String ex = k.string("expires", null);
    if (ex != null) {
      try {
        expires = ex.length() == 10 ? LocalDate.parse(ex).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(ex);
      } catch (DateTimeParseException e) {
        throw ConfigError.invalid(k.pathOf("expires"), ex, "expected a date (2026-01-31) or an instant (2026-01-31T12:00:00Z)");
      }
    }
    Object meta = k.raw("metadata");
    if (meta != null && !(meta instanceof JsonObject)) throw ConfigError.invalid(k.pathOf("metadata"), meta, "expected a map");
    JsonObject limits = k.has("limits") ? GovernanceRules.limits(k.pathOf("limits"), k.raw("limits")) : null;
    JsonObject budget = k.has("budget") ? GovernanceRules.budget(k.pathOf("budget"), k.raw("budget")) : null;
    return new GovernanceConfig.KeyEntry(k.path, secret, name, role, team, k.string("user", null),
        k.string("org", null), models, expires, (JsonObject) meta, limits, budget);
  }
}

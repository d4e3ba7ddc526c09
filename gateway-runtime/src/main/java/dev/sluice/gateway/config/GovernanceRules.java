package dev.sluice.gateway.config;

import dev.sluice.api.ConfigError;
import dev.sluice.api.Durations;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Validation of limits, budgets and prices, shared by config and the admin API: each answers the normalized
 * JSON or throws a {@link ConfigError} naming the path and the bad value.
 */
public final class GovernanceRules {
  private static final Set<String> LIMIT_KEYS = Set.of("rpm", "tpm", "concurrency");
  private static final Set<String> BUDGET_KEYS = Set.of("usd", "period", "soft");
  private static final Set<String> PRICE_KEYS = Set.of("input", "output", "cached_input", "cache_write");

  private GovernanceRules() {}

  public static JsonObject limits(String path, Object value) {
    JsonObject j = map(path, value);
    JsonObject out = new JsonObject();
    for (String k : j.fieldNames()) {
      if (!LIMIT_KEYS.contains(k)) throw ConfigError.unknownKey(path + "." + k, LIMIT_KEYS);
      Object v = j.getValue(k);
      if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < 0) {
        throw ConfigError.invalid(path + "." + k, v, "expected a whole number of at least 0 (0: no limit)");
      }
      out.put(k, ((Number) v).longValue());
    }
    return out;
  }

  public static JsonObject budget(String path, Object value) {
    JsonObject j = map(path, value);
    for (String k : j.fieldNames()) {
      if (!BUDGET_KEYS.contains(k)) throw ConfigError.unknownKey(path + "." + k, BUDGET_KEYS);
    }
    Object usd = j.getValue("usd");
    if (!(usd instanceof Number n) || n.doubleValue() < 0) {
      throw ConfigError.invalid(path + ".usd", usd, "expected a non-negative amount in USD, e.g. 100");
    }
    Object period = j.getValue("period", "monthly");
    String p = String.valueOf(period);
    if (!List.of("daily", "weekly", "monthly").contains(p)) {
      Duration d;
      try {
        d = Durations.parse(path + ".period", period);
      } catch (ConfigError e) {
        throw ConfigError.invalid(path + ".period", period, "expected daily, weekly, monthly or a duration like 30d");
      }
      if (d.toMillis() < 1000) throw ConfigError.invalid(path + ".period", period, "must be at least 1s");
    }
    JsonArray soft = new JsonArray();
    Object s = j.getValue("soft");
    if (s instanceof Number one) s = new JsonArray().add(one);
    if (s != null) {
      if (!(s instanceof JsonArray arr)) {
        throw ConfigError.invalid(path + ".soft", s, "expected a list of fractions like [0.5, 0.8]");
      }
      for (int i = 0; i < arr.size(); i++) {
        Object v = arr.getValue(i);
        if (!(v instanceof Number f) || f.doubleValue() <= 0 || f.doubleValue() > 1) {
          throw ConfigError.invalid(path + ".soft[" + i + "]", v, "expected a fraction above 0 and at most 1");
        }
        soft.add(f.doubleValue());
      }
    }
    return new JsonObject().put("usd", n(usd)).put("period", p).put("soft", soft);
  }

  public static JsonObject price(String path, Object value) {
    JsonObject j = map(path, value);
    JsonObject out = new JsonObject();
    for (String k : j.fieldNames()) {
      if (!PRICE_KEYS.contains(k)) throw ConfigError.unknownKey(path + "." + k, PRICE_KEYS);
      Object v = j.getValue(k);
      if (!(v instanceof Number num) || num.doubleValue() < 0) {
        throw ConfigError.invalid(path + "." + k, v, "expected USD per 1M tokens, at least 0");
      }
      out.put(k, num.doubleValue());
    }
    for (String k : List.of("input", "output")) {
      if (!out.containsKey(k)) throw ConfigError.missing(path + "." + k, "USD per 1M tokens, e.g. 2.50");
    }
    return out;
  }

  private static double n(Object o) {
    return ((Number) o).doubleValue();
  }

  private static JsonObject map(String path, Object value) {
    if (!(value instanceof JsonObject o)) throw ConfigError.invalid(path, value, "expected a map");
    return o;
  }
}

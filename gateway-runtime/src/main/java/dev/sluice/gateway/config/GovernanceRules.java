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
    if (usd == null) throw ConfigError.missing(path + ".usd", "the amount in USD, e.g. 100 (0 blocks all spending)");
    java.math.BigDecimal amount = usd(path + ".usd", usd);
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
    return new JsonObject().put("usd", amount.doubleValue()).put("period", p).put("soft", soft);
  }

  /** The largest budget, in USD: a billion, so every amount fits in whole nano-dollars in a long. */
  public static final java.math.BigDecimal MAX_BUDGET_USD = java.math.BigDecimal.valueOf(1_000_000_000L);
  /** Significant digits an amount may have: what a JSON number (a double) carries exactly. */
  static final int MAX_DIGITS = 15;

  /**
   * A budget amount, exactly: a finite number from 0 (no spending at all) to {@link #MAX_BUDGET_USD}, in whole
   * nano-dollars (at most 9 decimals) and with at most 15 significant digits (more than a JSON number keeps
   * exactly); anything else is a {@link ConfigError} naming {@code path} and the value.
   */
  public static java.math.BigDecimal usd(String path, Object value) {
    if (!(value instanceof Number n)) {
      throw ConfigError.invalid(path, value, "expected an amount in USD, e.g. 100 (0 blocks all spending)");
    }
    if ((n instanceof Double || n instanceof Float) && !Double.isFinite(n.doubleValue())) {
      throw ConfigError.invalid(path, value, "expected a finite amount in USD, e.g. 100");
    }
    java.math.BigDecimal amount = n instanceof java.math.BigDecimal b ? b
        : n instanceof java.math.BigInteger i ? new java.math.BigDecimal(i) : new java.math.BigDecimal(n.toString());
    amount = amount.stripTrailingZeros();
    if (amount.signum() < 0) {
      throw ConfigError.invalid(path, value, "must be at least 0 (0 blocks all spending; leave the budget out for"
          + " no limit)");
    }
    if (amount.compareTo(MAX_BUDGET_USD) > 0) {
      throw ConfigError.invalid(path, value, "must be at most " + MAX_BUDGET_USD.toPlainString() + " USD");
    }
    if (amount.scale() > 9) {
      throw ConfigError.invalid(path, value, "must be a whole number of nano-dollars (at most 9 decimals)");
    }
    if (amount.precision() > MAX_DIGITS) {
      throw ConfigError.invalid(path, value, "has more than " + MAX_DIGITS + " significant digits, more than"
          + " Sluice keeps exactly");
    }
    return amount.signum() == 0 ? java.math.BigDecimal.ZERO : amount;
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

  private static JsonObject map(String path, Object value) {
    if (!(value instanceof JsonObject o)) throw ConfigError.invalid(path, value, "expected a map");
    return o;
  }
}

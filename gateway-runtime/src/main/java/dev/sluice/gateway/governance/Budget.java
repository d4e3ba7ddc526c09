package dev.sluice.gateway.governance;

import dev.sluice.api.Durations;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;

/**
 * A spending limit per period: {@code daily}, {@code weekly} (from Monday), {@code monthly} (calendar
 * month), all in UTC, or a duration ({@code 30d}) counted in whole periods since the Unix epoch. {@code soft}
 * thresholds (fractions, e.g. 0.8) call the budget webhook once per period when spend crosses them.
 *
 * <p>The limit is kept exactly, in whole nano-dollars, from the config or admin API through the cluster's
 * counters to PostgreSQL: no amount rounds to 0, and 0 is a real limit that admits no priced request (no
 * budget at all is the absence of one, never 0).
 *
 * @param limitNanos the limit in nano-dollars (10^-9 USD), at least 0
 */
public record Budget(long limitNanos, String period, List<Double> soft) {
  public static final long NANOS_PER_USD = 1_000_000_000L;
  /** The largest limit: GovernanceRules' maximum of a billion USD. */
  private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(1_000_000_000L * NANOS_PER_USD);

  public Budget {
    if (limitNanos < 0) throw new IllegalArgumentException("a budget is at least 0, got " + limitNanos + " nano-USD");
    soft = List.copyOf(soft);
  }

  /** The limit in USD, exactly. */
  public BigDecimal usd() {
    return usd(limitNanos);
  }

  /** {@code nanos} nano-dollars in USD, exactly, without trailing zeros. */
  public static BigDecimal usd(long nanos) {
    return nanos == 0 ? BigDecimal.ZERO : BigDecimal.valueOf(nanos, 9).stripTrailingZeros();
  }

  /** {@code nanos} as a plain decimal for messages: {@code 0.0000001}, {@code 100}. */
  public static String text(long nanos) {
    return usd(nanos).toPlainString();
  }

  /**
   * An amount in USD as whole nano-dollars. Validated amounts ({@code GovernanceRules.usd}) are exact; an amount
   * stored by an older Sluice with more decimals is rounded down, so a budget never admits more than it says.
   */
  static long nanos(Number usd) {
    BigDecimal amount = usd instanceof BigDecimal b ? b : new BigDecimal(usd.toString());
    BigDecimal nanos = amount.movePointRight(9).setScale(0, RoundingMode.FLOOR);
    return nanos.compareTo(MAX_NANOS) > 0 ? MAX_NANOS.longValue() : Math.max(0, nanos.longValue());
  }

  /** When the period containing {@code nowMillis} started, epoch milliseconds. */
  public long periodStart(long nowMillis) {
    LocalDate day = Instant.ofEpochMilli(nowMillis).atZone(ZoneOffset.UTC).toLocalDate();
    return switch (period) {
      case "daily" -> day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
      case "weekly" -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).atStartOfDay(ZoneOffset.UTC)
          .toInstant().toEpochMilli();
      case "monthly" -> day.withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
      default -> {
        long len = Durations.parse("period", period).toMillis();
        yield nowMillis - Math.floorMod(nowMillis, len);
      }
    };
  }

  public JsonObject toJson() {
    // A double holds every validated amount exactly (at most 15 significant digits), and JSON readers expect one.
    return new JsonObject().put("usd", usd().doubleValue()).put("period", period)
        .put("soft", new JsonArray(new ArrayList<>(soft)));
  }

  public static Budget fromJson(JsonObject j) {
    if (j == null) return null;
    List<Double> soft = new ArrayList<>();
    JsonArray a = j.getJsonArray("soft");
    if (a != null) for (Object o : a) soft.add(((Number) o).doubleValue());
    Object usd = j.getValue("usd");
    return new Budget(usd instanceof Number n ? nanos(n) : 0, j.getString("period", "monthly"), soft);
  }
}

package dev.sluice.gateway.governance;

import dev.sluice.api.Durations;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;

/**
 * A spending limit in USD per period: {@code daily}, {@code weekly} (from Monday), {@code monthly} (calendar
 * month), all in UTC, or a duration ({@code 30d}) counted in whole periods since the Unix epoch. {@code soft}
 * thresholds (fractions, e.g. 0.8) call the budget webhook once per period when spend crosses them.
 */
public record Budget(double usd, String period, List<Double> soft) {
  public Budget {
    soft = List.copyOf(soft);
  }

  public long limitMicros() {
    return Math.round(usd * 1_000_000);
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
    return new JsonObject().put("usd", usd).put("period", period).put("soft", new JsonArray(new ArrayList<>(soft)));
  }

  public static Budget fromJson(JsonObject j) {
    if (j == null) return null;
    List<Double> soft = new ArrayList<>();
    JsonArray a = j.getJsonArray("soft");
    if (a != null) for (Object o : a) soft.add(((Number) o).doubleValue());
    return new Budget(j.getDouble("usd"), j.getString("period", "monthly"), soft);
  }
}

package dev.sluice.gateway.admin;

import dev.sluice.api.Durations;
import dev.sluice.api.GatewayError;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * A time range from {@code since} and {@code until} query parameters: each an instant
 * ({@code 2025-01-31T12:00:00Z}), a date ({@code 2025-01-31}, its start in UTC) or an age ({@code 24h}, {@code 7d}:
 * that long before now). {@code until} defaults to now.
 */
record Period(OffsetDateTime since, OffsetDateTime until) {
  private static final int FIRST_YEAR = 2000;
  private static final int LAST_YEAR = 9999;

  static Period parse(MultiMap params, Duration defaultLength) {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    OffsetDateTime until = params.get("until") == null ? now : time("until", params.get("until"), now);
    OffsetDateTime since = params.get("since") == null ? until.minus(defaultLength)
        : time("since", params.get("since"), now);
    if (!since.isBefore(until)) {
      throw GatewayError.badParam("since", "since (" + since + ") must be before until (" + until + ").");
    }
    return new Period(since, until);
  }

  static OffsetDateTime time(String param, String value, OffsetDateTime now) {
    OffsetDateTime t;
    try {
      if (value.length() == 10 && value.charAt(4) == '-') t = LocalDate.parse(value).atStartOfDay().atOffset(ZoneOffset.UTC);
      else if (value.contains("T")) t = Instant.parse(value).atOffset(ZoneOffset.UTC);
      else t = now.minus(Durations.parse(param, value));
    } catch (RuntimeException e) { // DateTimeParseException, ConfigError, ArithmeticException (too long ago)
      throw GatewayError.badParam(param, param + " '" + value + "' is not a time: use an instant "
          + "(2025-01-31T12:00:00Z), a date (2025-01-31) or an age such as 24h or 7d.");
    }
    if (t.getYear() < FIRST_YEAR || t.getYear() > LAST_YEAR) { // PostgreSQL's timestamps end in 294276
      throw GatewayError.badParam(param, param + " '" + value + "' is out of range: use a time from year "
          + FIRST_YEAR + " to " + LAST_YEAR + ".");
    }
    return t;
  }

  Duration length() {
    return Duration.between(since, until);
  }
}

package dev.sluice.api;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses config durations ({@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 30d}) and upstream retry hints. */
public final class Durations {
  private static final Pattern FORMAT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private Durations() {}

  /** Parses {@code text}; throws {@link ConfigError} naming {@code path} when it is not a duration. */
  public static Duration parse(String path, Object text) {
    if (text instanceof Number n) {
      throw ConfigError.invalid(path, text, "a duration needs a unit, e.g. '" + n + "s' or '" + n + "ms'");
    }
    Matcher m = FORMAT.matcher(String.valueOf(text).trim());
    if (!(text instanceof String) || !m.matches()) {
      throw ConfigError.invalid(path, text, "expected a duration such as 250ms, 30s, 5m, 1h or 30d");
    }
    long n = Long.parseLong(m.group(1));
    switch (m.group(2)) {
      case "ms": return Duration.ofMillis(n);
      case "s": return Duration.ofSeconds(n);
      case "m": return Duration.ofMinutes(n);
      case "h": return Duration.ofHours(n);
      default: return Duration.ofDays(n);
    }
  }

  /** The config form of a duration: the largest whole unit. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 86_400_000 == 0 && ms > 0) return ms / 86_400_000 + "d";
    if (ms % 3_600_000 == 0 && ms > 0) return ms / 3_600_000 + "h";
    if (ms % 60_000 == 0 && ms > 0) return ms / 60_000 + "m";
    if (ms % 1000 == 0 && ms > 0) return ms / 1000 + "s";
    return ms + "ms";
  }

  /** An upstream's wait hint: {@code retry-after-ms}, else {@code retry-after} in seconds (not an HTTP date); or null. */
  public static Duration retryAfter(String retryAfterMs, String retryAfter) {
    try {
      if (retryAfterMs != null) return Duration.ofMillis((long) Double.parseDouble(retryAfterMs.trim()));
      if (retryAfter != null) return Duration.ofMillis((long) (Double.parseDouble(retryAfter.trim()) * 1000));
    } catch (NumberFormatException ignored) {
      // an HTTP-date or garbage: no hint
    }
    return null;
  }
}

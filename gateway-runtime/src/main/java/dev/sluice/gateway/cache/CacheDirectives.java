package dev.sluice.gateway.cache;

import dev.sluice.api.GatewayError;
import java.time.Duration;
import java.util.Locale;

/**
 * What a request asks of the cache: {@code Cache-Control: no-cache} (do not answer from the cache, but store
 * the answer), {@code no-store} (neither), {@code max-age=N} (only entries younger than N seconds), and
 * {@code x-sluice-semantic-threshold} (the similarity a semantic hit needs).
 *
 * @param maxAge null when the client set no limit
 * @param semanticThreshold null when the configured threshold applies
 */
public record CacheDirectives(boolean noCache, boolean noStore, Duration maxAge, Double semanticThreshold) {
  public static final CacheDirectives NONE = new CacheDirectives(false, false, null, null);
  public static final String THRESHOLD_HEADER = "x-sluice-semantic-threshold";

  /** Reads the two headers (either may be null); a malformed value is a 400 naming the header. */
  public static CacheDirectives parse(String cacheControl, String threshold) {
    if (cacheControl == null && threshold == null) return NONE;
    boolean noCache = false;
    boolean noStore = false;
    Duration maxAge = null;
    if (cacheControl != null) {
      for (String part : cacheControl.split(",")) {
        String d = part.trim().toLowerCase(Locale.ROOT);
        if (d.isEmpty()) continue;
        if (d.equals("no-cache")) {
          noCache = true;
        } else if (d.equals("no-store")) {
          noStore = true;
        } else if (d.startsWith("max-age=")) {
          maxAge = Duration.ofSeconds(seconds(d.substring(8).trim(), cacheControl));
        }
        // Other directives (private, must-revalidate, ...) do not concern a gateway cache: ignored, as HTTP says.
      }
    }
    Double t = null;
    if (threshold != null) {
      try {
        t = Double.parseDouble(threshold.trim());
      } catch (NumberFormatException e) {
        t = Double.NaN;
      }
      if (!(t >= 0 && t <= 1)) {
        throw GatewayError.badParam(THRESHOLD_HEADER, "The header " + THRESHOLD_HEADER + " is '" + threshold
            + "'; send a number from 0 to 1, e.g. 0.95.");
      }
    }
    return new CacheDirectives(noCache, noStore, maxAge, t);
  }

  private static long seconds(String value, String header) {
    try {
      long s = Long.parseLong(value.startsWith("\"") && value.endsWith("\"") && value.length() > 1
          ? value.substring(1, value.length() - 1) : value);
      if (s >= 0) return s;
    } catch (NumberFormatException e) {
      // answered below
    }
    throw GatewayError.badParam("cache-control", "Cache-Control is '" + header + "': max-age needs a whole number"
        + " of seconds, e.g. max-age=300.");
  }

  /** The cache may answer this request. */
  public boolean mayLookUp() {
    return !noCache && !noStore;
  }

  /** The answer may be stored. */
  public boolean mayStore() {
    return !noStore;
  }
}

package dev.sluice.api;

/**
 * A configuration value that cannot be used. The message names the path ({@code routing.fallbacks[1].to[0]}),
 * the bad value and what was expected.
 */
public final class ConfigError extends RuntimeException {
  private final String path;

  private ConfigError(String path, String message) {
    super(path + ": " + message, null, false, false);
    this.path = path;
  }

  /** {@code path}: {@code value} is bad; {@code expected} says what would be good. */
  public static ConfigError invalid(String path, Object value, String expected) {
    return new ConfigError(path, "invalid value " + quote(value) + ": " + expected);
  }

  public static ConfigError missing(String path, String expected) {
    return new ConfigError(path, "is required: " + expected);
  }

  public static ConfigError unknownKey(String path, java.util.Collection<String> known) {
    return new ConfigError(path, "unknown key (known keys: " + String.join(", ", known) + ")");
  }

  public static ConfigError of(String path, String message) {
    return new ConfigError(path, message);
  }

  public String path() {
    return path;
  }

  static String quote(Object value) {
    if (value == null) return "null";
    String s = String.valueOf(value);
    if (s.length() > 120) s = s.substring(0, 117) + "...";
    return value instanceof String ? "'" + s + "'" : s;
  }
}

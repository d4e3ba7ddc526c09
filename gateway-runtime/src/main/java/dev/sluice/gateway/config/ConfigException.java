package dev.sluice.gateway.config;

import java.util.List;

/** A config that cannot start the gateway; lists every problem found, each with its path and bad value. */
public final class ConfigException extends RuntimeException {
  private final List<String> problems;

  ConfigException(String source, List<String> problems) {
    super(source + " is invalid:\n  - " + String.join("\n  - ", problems), null, false, false);
    this.problems = List.copyOf(problems);
  }

  public static ConfigException of(String source, List<String> problems) {
    return new ConfigException(source, problems);
  }

  public List<String> problems() {
    return problems;
  }
}

package dev.sluice.gateway.governance;

import java.util.Locale;

/** What a key may do besides calling models: nothing ({@code USER}), read, manage its team, or everything. */
public enum Role {
  USER, VIEWER, TEAM_ADMIN, ADMIN;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code user}, {@code viewer}, {@code team_admin}, {@code admin}; null when none matches. */
  public static Role parse(String s) {
    for (Role r : values()) {
      if (r.wire().equals(s)) return r;
    }
    return null;
  }
}

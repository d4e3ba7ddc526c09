package dev.sluice.api.model;

import java.util.Locale;

/** Who wrote a message. {@link #wire()} is the lower-case name used by the OpenAI wire format. */
public enum Role {
  SYSTEM, DEVELOPER, USER, ASSISTANT, TOOL;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire name; returns null when the name is not a role. */
  public static Role fromWire(String name) {
    if (name == null) return null;
    switch (name) {
      case "system": return SYSTEM;
      case "developer": return DEVELOPER;
      case "user": return USER;
      case "assistant": return ASSISTANT;
      case "tool": return TOOL;
      default: return null;
    }
  }
}

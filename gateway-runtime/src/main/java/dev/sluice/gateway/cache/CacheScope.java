package dev.sluice.gateway.cache;

import dev.sluice.gateway.identity.Principal;

/** Who shares cache entries: callers with the same key, the same team, or everyone. */
enum CacheScope {
  KEY, TEAM, GLOBAL;

  /**
   * The scope name of {@code p}'s entries. A principal without a team is a tenant of its own under
   * {@link #TEAM}: its key's entries are never shared with anyone else.
   */
  String of(Principal p) {
    return switch (this) {
      case GLOBAL -> "global";
      case KEY -> "key:" + p.keyId();
      case TEAM -> p.team() != null ? "team:" + p.team() : "key:" + p.keyId();
    };
  }
}

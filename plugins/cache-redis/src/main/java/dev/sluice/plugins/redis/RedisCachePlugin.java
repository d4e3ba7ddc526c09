package dev.sluice.plugins.redis;

import org.pf4j.Plugin;

/** The {@code cache-redis} plugin: the exact cache on Redis, served by {@link RedisBackendFactory}. */
public final class RedisCachePlugin extends Plugin {
  public RedisCachePlugin() {
    super();
  }
}

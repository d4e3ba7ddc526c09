package dev.sluice.plugins.redis;

import dev.sluice.api.ConfigError;
import dev.sluice.api.PluginContext;
import dev.sluice.api.cache.CacheBackend;
import dev.sluice.api.cache.CacheBackendFactory;
import dev.sluice.api.cache.CacheBackendSettings;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import org.pf4j.Extension;

/** {@code cache.exact.backend: redis}: entries in the Redis that {@code storage.redis} names. */
@Extension
public final class RedisBackendFactory implements CacheBackendFactory {
  public static final String ID = "redis";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public CacheBackend create(CacheBackendSettings settings, PluginContext context) {
    String url = settings.url();
    if (url == null || !(url.startsWith("redis://") || url.startsWith("rediss://"))) {
      throw ConfigError.invalid("storage.redis", url == null ? "none" : url, "the redis backend of "
          + settings.path() + " needs a URL such as redis://127.0.0.1:6379/0");
    }
    RedisOptions options = new RedisOptions().setConnectionString(url).setMaxPoolSize(16).setMaxPoolWaiting(256);
    return new RedisBackend(Redis.createClient(context.vertx(), options));
  }
}

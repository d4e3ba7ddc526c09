package dev.sluice.api.cache;

import dev.sluice.api.PluginContext;
import org.pf4j.ExtensionPoint;

/**
 * The extension point of a cache backend. {@code config.yaml}'s {@code cache.exact.backend} selects one by
 * {@link #id()}; {@code memory} is built in.
 */
public interface CacheBackendFactory extends ExtensionPoint {

  /** The id {@code cache.exact.backend} names, e.g. {@code redis}. Lower case, stable. */
  String id();

  /**
   * Builds the backend. Validates the settings and throws a {@link dev.sluice.api.ConfigError} naming the bad
   * key and value; never returns null.
   */
  CacheBackend create(CacheBackendSettings settings, PluginContext context);
}

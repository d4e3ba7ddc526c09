package dev.sluice.api.cache;

/**
 * What a cache backend is configured with.
 *
 * @param path where these settings sit in config.yaml ({@code cache.exact}), for error messages
 * @param maxBytes how many bytes of entries the backend should hold at most (a local backend evicts beyond it)
 * @param url the shared store's address from {@code storage.redis} ({@code redis://host:6379/0}), or null
 */
public record CacheBackendSettings(String path, long maxBytes, String url) {
  public CacheBackendSettings {
    if (maxBytes < 1) throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
  }
}

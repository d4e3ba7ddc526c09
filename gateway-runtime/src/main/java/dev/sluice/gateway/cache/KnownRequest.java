package dev.sluice.gateway.cache;

import dev.sluice.api.model.ChatRequest;
import io.vertx.core.buffer.Buffer;
import java.lang.ref.WeakReference;

/**
 * What the cache step worked out for a request the ingress remembers by its body bytes: the request's key in its
 * model group, and the entry it was last answered from. A repeated body then reaches its stored answer with one
 * backend lookup and no hashing or decoding. The backend is still asked every time (it alone knows expiry,
 * replacement and flushes); the remembered entry is used only when the backend hands back the very bytes it was
 * decoded from. The entry is held weakly, as are its bytes: a request the ingress remembers never keeps alive an
 * answer the backend let go (the backend's bound stays the bound). Shared by the event loops: each note is an
 * immutable value, replaced whole.
 */
public final class KnownRequest {
  private volatile Keyed keyed;
  private volatile Answered answered;

  /** The key of {@code request} (the very instance) when its model resolves to {@code group}. */
  private record Keyed(ChatRequest request, String group, RequestKey key) {}

  /** The entry decoded from {@code bytes} (the very buffer a backend returned), both weakly held. */
  private record Answered(WeakReference<Buffer> bytes, WeakReference<CacheEntry> entry) {}

  /** The remembered key, or null when it was worked out for another instance or group (a reload, a rewrite). */
  RequestKey key(ChatRequest request, String group) {
    Keyed k = keyed;
    return k != null && k.request() == request && k.group().equals(group) ? k.key() : null;
  }

  void key(ChatRequest request, String group, RequestKey key) {
    keyed = new Keyed(request, group, key);
  }

  /** The remembered entry when {@code bytes} are the ones it was decoded from, else null. */
  CacheEntry entry(Buffer bytes) {
    Answered a = answered;
    return a != null && a.bytes().get() == bytes ? a.entry().get() : null;
  }

  void entry(Buffer bytes, CacheEntry entry) {
    answered = new Answered(new WeakReference<>(bytes), new WeakReference<>(entry));
  }
}

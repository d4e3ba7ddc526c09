package dev.sluice.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.cluster.SharedEntries;
import dev.sluice.gateway.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The in-memory exact cache of cluster nodes: what one node stores, another finds in its own memory; a node
 * that starts later loads what is there; a flush on one node drops the scope everywhere. The cluster's shared
 * map is stood in for by an in-process one that delivers synchronously (Hazelcast's is tested in MemberLossTest).
 */
class SharedBackendTest {
  /** Shared entries of one cluster, one view per node; a node does not receive its own puts. */
  static final class Bus {
    final Map<String, Buffer> entries = new LinkedHashMap<>();
    final List<View> views = new ArrayList<>();

    View join() {
      View v = new View();
      views.add(v);
      return v;
    }

    final class View implements SharedEntries {
      BiConsumer<String, Buffer> receiver = (k, b) -> {};
      Consumer<String> cleared = p -> {};

      @Override
      public void put(String key, Buffer value, Duration ttl) {
        entries.put(key, value);
        for (View v : views) if (v != this) v.receiver.accept(key, value);
      }

      @Override
      public Future<Void> listen(BiConsumer<String, Buffer> r) {
        return listen(r, p -> {});
      }

      @Override
      public Future<Void> listen(BiConsumer<String, Buffer> r, Consumer<String> c) {
        receiver = r;
        cleared = c;
        entries.forEach(r);
        return Future.succeededFuture();
      }

      @Override
      public void removeByPrefix(String prefix) {
        entries.keySet().removeIf(k -> k.startsWith(prefix));
        for (View v : views) if (v != this) v.cleared.accept(prefix);
      }
    }
  }

  static String get(SharedBackend b, String scope, String key) {
    Buffer v = b.get(scope, key).result();
    return v == null ? null : v.toString();
  }

  @Test
  void entriesStoredOnOneNodeAreFoundInTheMemoryOfEveryNodeIncludingOneThatStartsLater() {
    Bus bus = new Bus();
    SharedBackend a = new SharedBackend(new MemoryBackend(1 << 20, Clock.SYSTEM::nanos), bus.join(), Clock.SYSTEM);
    SharedBackend b = new SharedBackend(new MemoryBackend(1 << 20, Clock.SYSTEM::nanos), bus.join(), Clock.SYSTEM);
    a.put("team:x", "k1", Buffer.buffer("answer one"), Duration.ofMinutes(5));
    assertThat(get(b, "team:x", "k1")).isEqualTo("answer one");
    assertThat(get(b, "team:y", "k1")).as("scopes stay apart").isNull();
    SharedBackend late = new SharedBackend(new MemoryBackend(1 << 20, Clock.SYSTEM::nanos), bus.join(), Clock.SYSTEM);
    assertThat(get(late, "team:x", "k1")).isEqualTo("answer one");

    b.put("team:y", "k2", Buffer.buffer("answer two"), Duration.ofMinutes(5));
    assertThat(a.invalidate("team:x").result()).isEqualTo(1);
    assertThat(get(b, "team:x", "k1")).as("flushed on every node").isNull();
    assertThat(get(late, "team:x", "k1")).isNull();
    assertThat(get(late, "team:y", "k2")).isEqualTo("answer two");
  }

  @Test
  void anEntryThatExpiredInTransitIsNotStored() {
    Bus bus = new Bus();
    SharedBackend a = new SharedBackend(new MemoryBackend(1 << 20, Clock.SYSTEM::nanos), bus.join(), Clock.SYSTEM);
    a.put("global", "old", Buffer.buffer("stale"), Duration.ofMillis(-1));
    SharedBackend late = new SharedBackend(new MemoryBackend(1 << 20, Clock.SYSTEM::nanos), bus.join(), Clock.SYSTEM);
    assertThat(get(late, "global", "old")).isNull();
  }
}

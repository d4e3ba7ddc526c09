package dev.sluice.gateway.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.query.Predicate;
import com.hazelcast.topic.ITopic;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.Serial;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link SharedEntries} on a Hazelcast map {@code sluice-cache-<name>} (backup 1, LRU-bounded per member). */
final class HazelcastEntries implements SharedEntries {
  private static final Logger LOG = LoggerFactory.getLogger(HazelcastEntries.class);

  private final Vertx vertx;
  private final IMap<String, byte[]> map;
  /** Prefixes removed by {@link #removeByPrefix}, for the other members' copies. */
  private final ITopic<String> cleared;

  HazelcastEntries(Vertx vertx, IMap<String, byte[]> map, ITopic<String> cleared) {
    this.vertx = vertx;
    this.map = map;
    this.cleared = cleared;
  }

  @Override
  public void put(String key, Buffer value, Duration ttl) {
    map.setAsync(key, value.getBytes(), Math.max(1, ttl.toMillis()), TimeUnit.MILLISECONDS)
        .whenComplete((v, e) -> {
          if (e != null) LOG.warn("could not share cache entry: {}", e.toString());
        });
  }

  @Override
  public Future<Void> listen(BiConsumer<String, Buffer> receiver) {
    return listen(receiver, prefix -> {});
  }

  @Override
  public Future<Void> listen(BiConsumer<String, Buffer> receiver, Consumer<String> onCleared) {
    cleared.addMessageListener(m -> {
      if (m.getPublishingMember() == null || !m.getPublishingMember().localMember()) onCleared.accept(m.getMessageObject());
    });
    Listener listener = new Listener(receiver);
    return vertx.<Void>executeBlocking(() -> {
      map.addEntryListener(listener, true);
      for (Map.Entry<String, byte[]> e : map.entrySet()) receiver.accept(e.getKey(), Buffer.buffer(e.getValue()));
      return null;
    }, false).onFailure(e -> LOG.warn("could not load the shared cache entries: {}", e.toString()));
  }

  @Override
  public void removeByPrefix(String prefix) {
    vertx.executeBlocking(() -> {
      map.removeAll(new KeyPrefix(prefix));
      cleared.publish(prefix);
      return null;
    }, false).onFailure(e -> LOG.warn("could not remove shared cache entries: {}", e.toString()));
  }

  /** Matches the keys that start with {@code prefix}; runs on every member (the same class is on each). */
  record KeyPrefix(String prefix) implements Predicate<String, byte[]> {
    @Serial
    private static final long serialVersionUID = 1L;

    @Override
    public boolean apply(Map.Entry<String, byte[]> entry) {
      return entry.getKey().startsWith(prefix);
    }
  }

  private static final class Listener implements EntryAddedListener<String, byte[]>,
      EntryUpdatedListener<String, byte[]> {
    private final BiConsumer<String, Buffer> receiver;

    Listener(BiConsumer<String, Buffer> receiver) {
      this.receiver = receiver;
    }

    @Override
    public void entryAdded(EntryEvent<String, byte[]> event) {
      deliver(event);
    }

    @Override
    public void entryUpdated(EntryEvent<String, byte[]> event) {
      deliver(event);
    }

    private void deliver(EntryEvent<String, byte[]> event) {
      if (event.getMember().localMember() || event.getValue() == null) return;
      try {
        receiver.accept(event.getKey(), Buffer.buffer(event.getValue()));
      } catch (RuntimeException e) {
        LOG.warn("could not take a shared cache entry: {}", e.toString());
      }
    }
  }
}

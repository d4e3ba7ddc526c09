package dev.sluice.gateway.cluster;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Entries every member sees: what one member puts, the others receive (each keeps its own copy, so lookups stay
 * local), and a member that joins late receives every live entry first. Kept on Hazelcast with a backup on
 * another member, so entries outlive the member that stored them.
 */
public interface SharedEntries {
  /** Shares {@code value} under {@code key} for {@code ttl}; the other members receive it. */
  void put(String key, Buffer value, Duration ttl);

  /**
   * Receives (off the event loop) every entry already shared, then each one other members put from now on. A key
   * may come twice (an entry put while the existing ones load). Completes once this member listens and has
   * received the entries already shared.
   */
  Future<Void> listen(BiConsumer<String, Buffer> receiver);

  /**
   * Also tells {@code cleared} (off the event loop) the prefix of every {@link #removeByPrefix} another member
   * makes, so each member can drop its own copies. Completes as {@link #listen(BiConsumer)} does.
   */
  Future<Void> listen(BiConsumer<String, Buffer> receiver, Consumer<String> cleared);

  /**
   * Stops sharing the entries whose key starts with {@code prefix} (every entry when empty); the other members
   * are told to drop their copies.
   */
  void removeByPrefix(String prefix);
}

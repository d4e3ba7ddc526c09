package dev.sluice.testkit;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** What every server instance of one fake shares: settings, the fault queue, the record, the answer cache. */
final class FakeState {
  private static final int MAX_CACHED = 1024;

  final boolean record;
  final Queue<FakeFault> faults = new ConcurrentLinkedQueue<>();
  final Queue<RecordedRequest> requests = new ConcurrentLinkedQueue<>();
  private final Map<String, Object> cache = new ConcurrentHashMap<>();
  private final AtomicInteger requestCount = new AtomicInteger();
  private final AtomicInteger disconnects = new AtomicInteger();
  private final List<Waiter> waiters = new ArrayList<>();

  volatile long latencyMs;
  volatile long firstChunkDelayMs;
  volatile long chunkGapMs;
  volatile int streamChunks;
  volatile int embeddingDimensions;
  volatile int cachedTokens;
  volatile int reasoningTokens;
  volatile List<String> models = List.of("gpt-4o", "gpt-4o-mini", "text-embedding-3-small");
  volatile String expectedApiKey;
  /** With this probability, a request with no other fault suffers one of {@link #randomFaults} (chaos runs). */
  volatile double randomFaultRate;
  volatile List<FakeFault> randomFaults = List.of();

  private record Waiter(boolean onDisconnects, int atLeast, Promise<Void> promise) {}

  FakeState(FakeUpstreamOptions options) {
    this.record = options.recordRequests();
    applyDefaults(options);
  }

  void applyDefaults(FakeUpstreamOptions options) {
    latencyMs = options.latencyMs();
    firstChunkDelayMs = options.firstChunkDelayMs();
    chunkGapMs = options.chunkGapMs();
    streamChunks = options.streamChunks();
    embeddingDimensions = options.embeddingDimensions();
    cachedTokens = 0;
    reasoningTokens = 0;
    expectedApiKey = null;
    randomFaultRate = 0;
    randomFaults = List.of();
    clearCache();
  }

  /** The fault for the next request: the per-request one when given, else the queue's head. */
  FakeFault nextFault(FakeFault perRequest) {
    if (perRequest != null) return perRequest;
    FakeFault queued = faults.poll();
    if (queued != null) return queued;
    List<FakeFault> pool = randomFaults;
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    if (!pool.isEmpty() && random.nextDouble() < randomFaultRate) return pool.get(random.nextInt(pool.size()));
    return FakeFault.NONE;
  }

  @SuppressWarnings("unchecked")
  <T> T cached(String key, java.util.function.Supplier<T> make) {
    if (key == null) return make.get();
    Object hit = cache.get(key);
    if (hit != null) return (T) hit;
    T value = make.get();
    if (cache.size() >= MAX_CACHED) cache.clear();
    cache.put(key, value);
    return value;
  }

  void clearCache() {
    cache.clear();
  }

  void received(RecordedRequest request) {
    if (record) requests.add(request);
    requestCount.incrementAndGet();
    wake();
  }

  void disconnected() {
    disconnects.incrementAndGet();
    wake();
  }

  int requestCount() {
    return requestCount.get();
  }

  int disconnects() {
    return disconnects.get();
  }

  void resetCounters() {
    requests.clear();
    requestCount.set(0);
    disconnects.set(0);
  }

  Future<Void> await(boolean onDisconnects, int atLeast) {
    Promise<Void> promise = Promise.promise();
    synchronized (waiters) {
      waiters.add(new Waiter(onDisconnects, atLeast, promise));
    }
    wake();
    return promise.future();
  }

  private void wake() {
    List<Promise<Void>> ready = new ArrayList<>(0);
    synchronized (waiters) {
      if (waiters.isEmpty()) return;
      waiters.removeIf(w -> {
        boolean met = (w.onDisconnects ? disconnects.get() : requestCount.get()) >= w.atLeast;
        if (met) ready.add(w.promise);
        return met;
      });
    }
    for (Promise<Void> p : ready) p.tryComplete();
  }
}

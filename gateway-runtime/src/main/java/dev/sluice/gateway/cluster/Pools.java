package dev.sluice.gateway.cluster;

import java.util.concurrent.CompletionStage;

/** The cluster-wide pools behind the leases: each call is one atomic operation on the pool's owner. */
interface Pools {
  /** Runs {@link Processors.Take} on {@code pool}; answers {epoch, granted, free, crossedMask}. */
  CompletionStage<long[]> take(String pool, Processors.Take take);

  CompletionStage<Boolean> seed(String pool, Processors.Seed seed);

  void shutdown();
}

package dev.sluice.gateway.cache;

import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.gateway.TestGateway;
import dev.sluice.gateway.cache.CacheDirectives;
import dev.sluice.gateway.identity.Principal;
import io.vertx.core.Future;
import java.util.function.Supplier;

/** The pipeline's two cache steps around an upstream call, as the pipeline runs them: look up, else call and store. */
final class CacheSteps {
  record Asked(String status, ChatResponse response) {}

  private CacheSteps() {}

  static Asked ask(ChatCache cache, ChatRequest request, String group, Principal who, CacheDirectives d,
                   KnownRequest known, Supplier<Future<ChatResponse>> upstream) {
    CacheLookup lookup = TestGateway.await(cache.lookUp(request, group, who, d, known));
    ChatResponse answer = lookup.hit() ? lookup.response() : TestGateway.await(upstream.get());
    if (!lookup.hit()) cache.store(lookup, who, answer);
    return new Asked(lookup.outcome() == null ? null : lookup.outcome().name(), answer);
  }
}

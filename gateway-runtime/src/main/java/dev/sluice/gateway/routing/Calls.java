package dev.sluice.gateway.routing;

import dev.sluice.api.ChatStream;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.gateway.config.RoutingConfig;
import dev.sluice.gateway.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** One upstream attempt of a chat, as JSON or as a stream, keeping the deployment's in-flight count and latency. */
final class Calls {
  private Calls() {}

  static AttemptLoop.Call<ChatResponse> chat(ChatRequest request, Clock clock) {
    return (c, call, start, loop) -> {
      c.health.inFlight.incrementAndGet();
      ChatRequest upstream = request.withModel(c.deployment.upstreamModel()).withStream(false, false);
      return c.deployment.provider().chat(upstream, call).andThen(ar -> {
        c.health.inFlight.decrementAndGet();
        if (ar.succeeded()) c.health.latency((clock.nanos() - start) / 1e6);
      });
    };
  }

  /** Holds the stream until its first content ({@link HeldStream}), so that a failure before it can be retried. */
  static AttemptLoop.Call<ChatStream> stream(Vertx vertx, Clock clock, ChatRequest request) {
    return (c, call, start, loop) -> {
      c.health.inFlight.incrementAndGet();
      ChatRequest upstream = request.withModel(c.deployment.upstreamModel()).withStream(true, true);
      boolean[] released = new boolean[1];
      Runnable release = () -> {
        if (!released[0]) {
          released[0] = true;
          c.health.inFlight.decrementAndGet();
        }
      };
      return c.deployment.provider().stream(upstream, call).compose(s -> {
        RoutingConfig.Timeouts t = loop.plan().timeouts();
        HeldStream held = new HeldStream(s, vertx, clock, t.idle().toNanos(), loop.deadline(), failure -> {
          release.run();
          if (failure == null) c.health.latency((clock.nanos() - start) / 1e6);
        });
        call.onCancel(held::cancel);
        return held.ready().andThen(ar -> {
          if (ar.succeeded()) c.health.ttft((clock.nanos() - start) / 1e6);
        });
      }).onFailure(e -> release.run());
    };
  }
}

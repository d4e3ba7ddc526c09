package dev.sluice.plugins.demo;

import dev.sluice.api.Provider;
import dev.sluice.tck.ProviderContractTest;
import dev.sluice.tck.UpstreamFaults;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;

/**
 * The provider contract, for the parts that apply to a provider without an upstream: answers, streaming,
 * tool-call round trips and usage. The demo has no wire to break, so every contract test that injects an
 * upstream fault (errors, broken streams, a hanging upstream) is skipped; {@link DemoTimingTest} covers
 * cancellation and {@link DemoChatTest} the context-window error and images.
 */
class DemoContractTest extends ProviderContractTest {
  private final UpstreamFaults noUpstream = new NoUpstream();

  @Override
  protected Future<Provider> startProvider(Vertx vertx) {
    return Future.succeededFuture(Demo.provider(vertx, new JsonObject().put("latency", "5ms")
        .put("first_token", "5ms").put("tokens_per_second", 2000)));
  }

  @Override
  protected UpstreamFaults upstream() {
    return noUpstream;
  }

  /** Images are accepted, but there is no upstream to observe them reaching it. */
  @Override
  protected boolean supportsImages() {
    return false;
  }

  @Override
  protected boolean reportsCachedTokens() {
    return false;
  }

  @Override
  protected boolean reportsReasoningTokens() {
    return false;
  }

  /** Skips the test that asks for a fault: there is no upstream to inject it into. */
  private static final class NoUpstream implements UpstreamFaults {
    private static <T> T skip(String fault) {
      Assumptions.abort("the demo provider has no upstream to " + fault);
      throw new AssertionError("unreachable");
    }

    @Override
    public void failNext(int status) {
      skip("fail with " + status);
    }

    @Override
    public void rateLimitNext(Duration retryAfter) {
      skip("rate-limit");
    }

    @Override
    public void contextWindowNext() {
      skip("reject a long prompt (set context_window instead)");
    }

    @Override
    public void hangNext() {
      skip("hang");
    }

    @Override
    public void malformedNext() {
      skip("answer malformed");
    }

    @Override
    public void cutStreamAfter(int events) {
      skip("cut a stream");
    }

    @Override
    public void errorEventAfter(int events) {
      skip("send an error event");
    }

    @Override
    public void truncateStreamNext() {
      skip("truncate a stream");
    }

    /** The demo never reports cached or reasoning tokens; the contract checks the rest of the usage. */
    @Override
    public void reportUsageDetails(int cachedTokens, int reasoningTokens) {
    }

    @Override
    public int imagesInLastRequest() {
      return skip("observe images");
    }

    @Override
    public Future<Void> awaitRequests(int n) {
      return skip("count requests");
    }

    @Override
    public Future<Void> awaitDisconnects(int n) {
      return skip("count disconnects");
    }
  }
}

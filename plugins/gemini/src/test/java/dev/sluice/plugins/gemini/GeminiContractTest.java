package dev.sluice.plugins.gemini;

import dev.sluice.api.Provider;
import dev.sluice.tck.ProviderContractTest;
import dev.sluice.tck.UpstreamFaults;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

/** The provider contract, for type {@code gemini} against the loopback fake. */
class GeminiContractTest extends ProviderContractTest {
  private FakeGemini fake;

  @Override
  protected Future<Provider> startProvider(Vertx vertx) {
    return FakeGemini.start(vertx).map(f -> {
      fake = f.echo(0, 0);
      return create(vertx, f);
    });
  }

  /** The provider under test, built through its factory against {@code fake}. */
  Provider create(Vertx vertx, FakeGemini fake) {
    return Harness.gemini(vertx, fake);
  }

  @AfterEach
  void stopFake(VertxTestContext ctx) {
    fake.close().onComplete(ctx.succeedingThenComplete());
  }

  @Override
  protected UpstreamFaults upstream() {
    return new Faults(fake);
  }

  /** The contract's faults in Gemini's wire format. */
  private record Faults(FakeGemini fake) implements UpstreamFaults {
    @Override
    public void failNext(int status) {
      String googleStatus = switch (status) {
        case 400 -> "INVALID_ARGUMENT";
        case 401 -> "UNAUTHENTICATED";
        case 403 -> "PERMISSION_DENIED";
        case 404 -> "NOT_FOUND";
        case 429 -> "RESOURCE_EXHAUSTED";
        case 503 -> "UNAVAILABLE";
        case 504 -> "DEADLINE_EXCEEDED";
        default -> "INTERNAL";
      };
      fake.faultNext(new FakeGemini.Fault.Status(status, FakeGemini.googleError(status, googleStatus,
          "Injected " + googleStatus + ".")));
    }

    @Override
    public void rateLimitNext(Duration retryAfter) {
      fake.faultNext(new FakeGemini.Fault.Status(429, FakeGemini.googleError(429, "RESOURCE_EXHAUSTED",
          "You exceeded your current quota.", new JsonObject().put("@type", "type.googleapis.com/google.rpc.RetryInfo")
              .put("retryDelay", retryAfter.toMillis() / 1000.0 + "s"))));
    }

    @Override
    public void contextWindowNext() {
      fake.faultNext(new FakeGemini.Fault.Status(400, FakeGemini.googleError(400, "INVALID_ARGUMENT",
          "The input token count (2000000) exceeds the maximum number of tokens allowed (1048576).")));
    }

    @Override
    public void hangNext() {
      fake.faultNext(new FakeGemini.Fault.Hang());
    }

    @Override
    public void malformedNext() {
      fake.faultNext(new FakeGemini.Fault.Malformed());
    }

    @Override
    public void cutStreamAfter(int events) {
      fake.faultNext(new FakeGemini.Fault.Cut(events));
    }

    @Override
    public void errorEventAfter(int events) {
      fake.faultNext(new FakeGemini.Fault.StreamError(events, new JsonObject().put("code", 500)
          .put("status", "INTERNAL").put("message", "An internal error has occurred.")));
    }

    @Override
    public void truncateStreamNext() {
      fake.faultNext(new FakeGemini.Fault.Truncate());
    }

    @Override
    public void reportUsageDetails(int cachedTokens, int reasoningTokens) {
      fake.echo(cachedTokens, reasoningTokens);
    }

    @Override
    public int imagesInLastRequest() {
      return EchoReplies.images(fake.last().body());
    }

    @Override
    public Future<Void> awaitRequests(int n) {
      return fake.awaitRequests(n);
    }

    @Override
    public Future<Void> awaitDisconnects(int n) {
      return fake.awaitDisconnects(n);
    }
  }
}

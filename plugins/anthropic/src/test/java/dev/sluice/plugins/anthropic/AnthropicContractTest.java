package dev.sluice.plugins.anthropic;

import dev.sluice.api.PluginContext;
import dev.sluice.api.Provider;
import dev.sluice.api.ProviderSettings;
import dev.sluice.plugins.anthropic.FakeAnthropic.Fault;
import dev.sluice.tck.ProviderContractTest;
import dev.sluice.tck.UpstreamFaults;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/** The provider TCK against the fake Anthropic, answering deterministically. */
class AnthropicContractTest extends ProviderContractTest {
  private FakeAnthropic fake;

  @Override
  protected Future<Provider> startProvider(Vertx vertx) {
    return FakeAnthropic.start(vertx).map(f -> {
      fake = f;
      fake.reply = null;
      PluginContext context = () -> vertx;
      return new AnthropicProviderFactory().create(new ProviderSettings("providers[0]", "claude", "anthropic",
          new JsonObject().put("api_key", "sk-ant-tck").put("base_url", f.baseUrl())), context);
    });
  }

  @Override
  protected String model() {
    return "claude-sonnet-4-5";
  }

  /** Anthropic bills thinking as output tokens without reporting them apart. */
  @Override
  protected boolean reportsReasoningTokens() {
    return false;
  }

  @Override
  protected UpstreamFaults upstream() {
    return new UpstreamFaults() {
      @Override
      public void failNext(int status) {
        fake.enqueue(Fault.status(status, errorType(status), "Fake failure " + status));
      }

      @Override
      public void rateLimitNext(Duration retryAfter) {
        fake.enqueue(Fault.status(429, "rate_limit_error", "Number of requests has exceeded your rate limit")
            .withRetryAfter(String.valueOf(retryAfter.toSeconds())));
      }

      @Override
      public void contextWindowNext() {
        fake.enqueue(Fault.status(400, "invalid_request_error", "prompt is too long: 208111 tokens > 200000 maximum"));
      }

      @Override
      public void hangNext() {
        fake.enqueue(Fault.of(Fault.Kind.HANG, 0));
      }

      @Override
      public void malformedNext() {
        fake.enqueue(Fault.of(Fault.Kind.MALFORMED, 0));
      }

      @Override
      public void cutStreamAfter(int events) {
        fake.enqueue(Fault.of(Fault.Kind.CUT_AFTER_EVENTS, events));
      }

      @Override
      public void errorEventAfter(int events) {
        fake.enqueue(Fault.errorEvent(events, "overloaded_error", "Overloaded"));
      }

      @Override
      public void truncateStreamNext() {
        fake.enqueue(Fault.of(Fault.Kind.NO_MESSAGE_STOP, 0));
      }

      @Override
      public void reportUsageDetails(int cachedTokens, int reasoningTokens) {
        fake.cachedTokens = cachedTokens;
      }

      @Override
      public int imagesInLastRequest() {
        return FakeAnswers.images(fake.last().body());
      }

      @Override
      public Future<Void> awaitRequests(int n) {
        return fake.await(() -> fake.requests.size() >= n);
      }

      @Override
      public Future<Void> awaitDisconnects(int n) {
        return fake.await(() -> fake.disconnects.get() >= n);
      }
    };
  }

  private static String errorType(int status) {
    switch (status) {
      case 400: return "invalid_request_error";
      case 401: return "authentication_error";
      case 403: return "permission_error";
      case 404: return "not_found_error";
      case 413: return "request_too_large";
      case 429: return "rate_limit_error";
      case 529: return "overloaded_error";
      default: return "api_error";
    }
  }
}

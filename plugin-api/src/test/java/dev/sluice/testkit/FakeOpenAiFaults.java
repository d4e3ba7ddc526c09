package dev.sluice.testkit;

import dev.sluice.tck.UpstreamFaults;
import io.vertx.core.Future;
import java.time.Duration;

/** {@link FakeOpenAiUpstream} driven through the contract kit's {@link UpstreamFaults}. */
final class FakeOpenAiFaults implements UpstreamFaults {
  private final FakeOpenAiUpstream fake;

  FakeOpenAiFaults(FakeOpenAiUpstream fake) {
    this.fake = fake;
  }

  @Override
  public void failNext(int status) {
    fake.failNext(1, status);
  }

  @Override
  public void rateLimitNext(Duration retryAfter) {
    fake.enqueue(FakeFault.rateLimited(retryAfter));
  }

  @Override
  public void contextWindowNext() {
    fake.enqueue(FakeFault.contextWindow());
  }

  @Override
  public void hangNext() {
    fake.hangNext();
  }

  @Override
  public void malformedNext() {
    fake.enqueue(FakeFault.malformed());
  }

  @Override
  public void cutStreamAfter(int events) {
    fake.enqueue(FakeFault.resetAfter(events));
  }

  @Override
  public void errorEventAfter(int events) {
    fake.enqueue(FakeFault.errorEventAfter(events));
  }

  @Override
  public void truncateStreamNext() {
    fake.enqueue(FakeFault.noDone());
  }

  @Override
  public void reportUsageDetails(int cachedTokens, int reasoningTokens) {
    fake.usageDetails(cachedTokens, reasoningTokens);
  }

  @Override
  public int imagesInLastRequest() {
    RecordedRequest last = fake.lastRequest();
    return last == null ? 0 : last.imageCount();
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

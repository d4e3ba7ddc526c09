package dev.sluice.gateway;

import dev.sluice.testkit.FakeOpenAiUpstream;
import io.vertx.core.Vertx;

/** A fake OpenAI upstream on a Vert.x of its own, so a test's gateway and its upstream share no event loop. */
public final class TestUpstream implements AutoCloseable {
  private final Vertx vertx;
  private final FakeOpenAiUpstream fake;

  private TestUpstream(Vertx vertx, FakeOpenAiUpstream fake) {
    this.vertx = vertx;
    this.fake = fake;
  }

  public static TestUpstream start() {
    Vertx vertx = Vertx.vertx();
    return new TestUpstream(vertx, TestGateway.await(FakeOpenAiUpstream.start(vertx)));
  }

  public FakeOpenAiUpstream fake() {
    return fake;
  }

  @Override
  public void close() {
    try {
      TestGateway.await(fake.close());
    } finally {
      TestGateway.await(vertx.close());
    }
  }
}

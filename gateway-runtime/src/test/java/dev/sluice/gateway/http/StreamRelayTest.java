package dev.sluice.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.ChatStream;
import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.Message;
import dev.sluice.gateway.TestGateway;
import dev.sluice.gateway.pipeline.Exchange;
import dev.sluice.gateway.pipeline.Outcome;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How a relayed stream's bytes are written: the first event at once, later ones coalesced per event-loop turn. */
class StreamRelayTest {
  private static final long BUSY_MS = 400;
  private final Vertx server = Vertx.vertx();
  private final Vertx client = Vertx.vertx();

  @AfterEach
  void close() {
    TestGateway.await(server.close());
    TestGateway.await(client.close());
  }

  /**
   * When an upstream read brings the first event and the event loop then stays busy in the same turn (other
   * streams' reads in a wave of answers), the client must get the response head and the first event before that
   * work ends, not at the end of the turn.
   */
  @Test
  void theFirstEventIsWrittenAtOnceNotAtTheEndOfTheTurn() {
    AtomicLong busyUntil = new AtomicLong();
    HttpServer http = server.createHttpServer().requestHandler(req -> {
      HttpServerResponse response = req.response();
      ControlledStream stream = new ControlledStream();
      ChatRequest request = ChatRequest.of("m", List.of(Message.user("hi"))).withStream(true, false);
      response.setStatusCode(200).putHeader("content-type", "text/event-stream");
      StreamRelay.start(response, stream, OpenAiFormat.INSTANCE.streamEncoder(request), false,
          Exchange.start("req-1", System.nanoTime()), Outcome.unplanned(null));
      // Later, as an upstream read would (not inside this connection's own read, whose writes Vert.x flushes
      // when the read completes):
      server.setTimer(1, t -> {
        stream.emit(chunk("first"));
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BUSY_MS);
        while (System.nanoTime() < end) Thread.onSpinWait(); // the rest of this turn's work
        busyUntil.set(System.nanoTime());
        stream.emit(chunk(" second"));
        stream.end();
      });
    });
    int port = TestGateway.await(http.listen(0, "127.0.0.1")).actualPort();
    HttpClient c = client.createHttpClient();
    AtomicLong firstBytes = new AtomicLong();
    StringBuilder body = new StringBuilder();
    TestGateway.await(c.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
        .setURI("/")).compose(r -> r.send()).compose(resp -> {
          resp.handler(b -> {
            firstBytes.compareAndSet(0, System.nanoTime());
            synchronized (body) {
              body.append(b.toString());
            }
          });
          return resp.end();
        }));
    assertThat(body.toString()).contains("\"first\"").contains("\" second\"").endsWith("data: [DONE]\n\n");
    assertThat(busyUntil.get() - firstBytes.get())
        .as("the first event arrived %d ms before the turn's work ended",
            TimeUnit.NANOSECONDS.toMillis(busyUntil.get() - firstBytes.get()))
        .isGreaterThan(TimeUnit.MILLISECONDS.toNanos(BUSY_MS / 2));
  }

  private static ChatChunk chunk(String text) {
    return new ChatChunk("c1", 1, "m", List.of(ChatChunk.Delta.text(0, text)), null, null);
  }

  /** A stream the test feeds by hand, on the server's event loop. */
  private static final class ControlledStream implements ChatStream {
    private Handler<ChatChunk> handler;
    private Handler<Void> endHandler;

    void emit(ChatChunk chunk) {
      handler.handle(chunk);
    }

    void end() {
      endHandler.handle(null);
    }

    @Override
    public void cancel() {}

    @Override
    public ChatStream exceptionHandler(Handler<Throwable> h) {
      return this;
    }

    @Override
    public ChatStream handler(Handler<ChatChunk> h) {
      this.handler = h;
      return this;
    }

    @Override
    public ChatStream pause() {
      return this;
    }

    @Override
    public ChatStream resume() {
      return this;
    }

    @Override
    public ChatStream fetch(long amount) {
      return this;
    }

    @Override
    public ChatStream endHandler(Handler<Void> h) {
      this.endHandler = h;
      return this;
    }
  }
}

package dev.sluice.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.util.List;

/**
 * One answer in progress: its timers, and whether the client went away before the fake was done with it
 * (counted as a disconnect).
 */
final class FakeExchange {
  private static final Buffer MALFORMED_CHUNK = FakeReplies.event("{\"id\":\"chatcmpl-broken\",\"choices\":[{\"delta\":");

  private final Vertx vertx;
  private final FakeState state;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private long timerId = -1;
  private boolean done;

  FakeExchange(Vertx vertx, FakeState state, HttpServerRequest request) {
    this.vertx = vertx;
    this.state = state;
    this.request = request;
    this.response = request.response();
    response.closeHandler(v -> clientGone());
    response.exceptionHandler(t -> clientGone());
  }

  HttpServerResponse response() {
    return response;
  }

  private void clientGone() {
    if (done) return;
    done = true;
    if (timerId >= 0) vertx.cancelTimer(timerId);
    state.disconnected();
  }

  /** Runs {@code action} after {@code ms}, unless the client is gone by then. */
  void after(long ms, Runnable action) {
    if (done) return;
    if (ms <= 0) {
      action.run();
      return;
    }
    timerId = vertx.setTimer(ms, id -> {
      timerId = -1;
      if (!done) action.run();
    });
  }

  void end(int status, String contentType, Buffer body) {
    if (done) return;
    done = true;
    response.setStatusCode(status).putHeader("content-type", contentType).end(body);
  }

  /** Streams {@code events} (the last being {@code [DONE]}), failing the way {@code fault} says. */
  void stream(List<Buffer> events, Buffer all, FakeFault fault) {
    if (done) return;
    response.setStatusCode(200).putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-cache");
    long first = fault.firstChunkDelayMs() >= 0 ? fault.firstChunkDelayMs() : state.firstChunkDelayMs;
    long gap = state.chunkGapMs;
    if (!fault.altersAnswer() && first <= 0 && gap <= 0) {
      done = true;
      response.end(all);
      return;
    }
    response.setChunked(true);
    response.writeHead();
    after(first, () -> writeFrom(events, 0, fault, gap));
  }

  private void writeFrom(List<Buffer> events, int from, FakeFault fault, long gap) {
    int last = events.size() - (fault.omitDone() ? 1 : 0);
    for (int i = from; !done; i++) {
      if (i == fault.resetAfterChunks()) {
        done = true;
        if (request.version() == HttpVersion.HTTP_2) {
          response.reset();
        } else {
          request.connection().close();
        }
        return;
      }
      if (i == fault.errorEventAfterChunks()) {
        done = true;
        response.end(FakeReplies.errorEvent(fault));
        return;
      }
      if (fault.malformedJson() && i == Math.min(1, last)) {
        done = true;
        response.end(MALFORMED_CHUNK);
        return;
      }
      if (i >= last) {
        done = true;
        response.end();
        return;
      }
      response.write(events.get(i));
      if (gap > 0) {
        int next = i + 1;
        after(gap, () -> writeFrom(events, next, fault, gap));
        return;
      }
    }
  }
}

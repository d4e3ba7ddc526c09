package dev.sluice.plugins.anthropic;

import dev.sluice.api.ChatStream;
import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ChatChunk;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Test-thread waits on futures, bounded so a broken test fails instead of hanging. */
final class Await {
  private Await() {}

  static <T> T result(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("expected success, got " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new AssertionError("timed out or interrupted", e);
    }
  }

  static GatewayError failure(Future<?> future) {
    try {
      Object value = future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + value);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GatewayError g) return g;
      throw new AssertionError("expected a GatewayError, got " + e.getCause(), e.getCause());
    } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError("timed out", e);
    }
  }

  /** Every chunk of a stream, or the stream's failure. */
  static Future<List<ChatChunk>> collect(ChatStream stream) {
    Promise<List<ChatChunk>> promise = Promise.promise();
    List<ChatChunk> chunks = new ArrayList<>();
    stream.exceptionHandler(promise::tryFail);
    stream.endHandler(v -> promise.tryComplete(chunks));
    stream.handler(chunks::add);
    return promise.future();
  }
}

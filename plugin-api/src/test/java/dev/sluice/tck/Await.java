package dev.sluice.tck;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The one way tests wait, on the test thread (never an event loop): for a future, or for an event another
 * thread or process causes (a row appears, a member joins, a node reloads), by a poll bounded in time. A test
 * never waits to let time pass: time that a decision reads is the clock the test advances.
 */
public final class Await {
  /** How long a wait for something that normally takes milliseconds may take on a loaded machine. */
  public static final Duration PATIENCE = Duration.ofSeconds(20);

  private Await() {}

  /** The result of {@code future}, within {@link #PATIENCE}; an {@link AssertionError} if it fails or is late. */
  public static <T> T result(Future<T> future) {
    return result(future, PATIENCE);
  }

  public static <T> T result(Future<T> future, Duration max) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(max.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("expected success, got " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } catch (TimeoutException e) {
      throw new AssertionError("no result within " + max.toMillis() + " ms", e);
    }
  }

  /** Polls {@code event} until it answers true, for at most {@code max}; fails saying {@code what} did not happen. */
  public static void until(String what, Duration max, BooleanSupplier event) {
    value(what, max, () -> event.getAsBoolean() ? Boolean.TRUE : null);
  }

  /** {@link #until} within {@link #PATIENCE}. */
  public static void until(String what, BooleanSupplier event) {
    until(what, PATIENCE, event);
  }

  /**
   * Polls {@code step} until it answers non-null (the event happened: its value), for at most {@code max}; fails
   * saying {@code what} did not happen. Checks at once, then at growing intervals (5 ms up to 100 ms).
   */
  public static <T> T value(String what, Duration max, Supplier<T> step) {
    long deadline = System.nanoTime() + max.toNanos();
    long pause = 5;
    while (true) {
      T t = step.get();
      if (t != null) return t;
      if (System.nanoTime() - deadline > 0) throw new AssertionError(what + ": not within " + max.toMillis() + " ms");
      try {
        Thread.sleep(pause); // the poll's interval: the event comes from another thread or process
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting until " + what, e);
      }
      pause = Math.min(100, pause * 2);
    }
  }

  /** {@link #value} within {@link #PATIENCE}. */
  public static <T> T value(String what, Supplier<T> step) {
    return value(what, PATIENCE, step);
  }
}

package dev.sluice.api;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * One attempt of one request as a provider sees it: its id, and the signal that the caller gave up (client
 * disconnect, timeout). A provider registers {@link #onCancel} to abort its upstream request.
 *
 * <p>A handler registered on a Vert.x context runs on that context, whichever thread cancels: an upstream
 * request is reset on its own event loop, as Vert.x expects, even when a timer of another loop or a thread
 * outside Vert.x gives up on it. Cancelling on the handler's own context runs it at once.
 */
public final class CallContext {
  private final String requestId;
  private List<Registered> cancelHandlers;
  private GatewayError cancelled;

  private record Registered(Context context, Handler<GatewayError> handler) {
    void run(GatewayError reason) {
      if (context == null || context == Vertx.currentContext()) {
        handler.handle(reason);
      } else {
        context.runOnContext(v -> handler.handle(reason));
      }
    }
  }

  private CallContext(String requestId) {
    this.requestId = requestId;
  }

  public static CallContext create(String requestId) {
    return new CallContext(requestId);
  }

  public String requestId() {
    return requestId;
  }

  /**
   * Runs {@code handler} when the call is cancelled, on the context registering it (see above); at once if the
   * call already is.
   */
  public void onCancel(Handler<GatewayError> handler) {
    GatewayError reason;
    synchronized (this) {
      reason = cancelled;
      if (reason == null) {
        if (cancelHandlers == null) cancelHandlers = new ArrayList<>(2);
        cancelHandlers.add(new Registered(Vertx.currentContext(), handler));
        return;
      }
    }
    handler.handle(reason);
  }

  /** Cancels the call once; later calls do nothing. */
  public void cancel(GatewayError reason) {
    List<Registered> handlers;
    synchronized (this) {
      if (cancelled != null) return;
      cancelled = reason;
      handlers = cancelHandlers;
      cancelHandlers = null;
    }
    if (handlers != null) {
      for (Registered h : handlers) h.run(reason);
    }
  }

  public synchronized GatewayError cancellation() {
    return cancelled;
  }

  public boolean isCancelled() {
    return cancellation() != null;
  }
}

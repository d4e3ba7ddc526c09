package dev.sluice.api;

import io.vertx.core.Handler;
import java.util.ArrayList;
import java.util.List;

/**
 * One attempt of one request as a provider sees it: its id, and the signal that the caller gave up (client
 * disconnect, timeout). A provider registers {@link #onCancel} to abort its upstream request.
 */
public final class CallContext {
  private final String requestId;
  private List<Handler<GatewayError>> cancelHandlers;
  private GatewayError cancelled;

  private CallContext(String requestId) {
    this.requestId = requestId;
  }

  public static CallContext create(String requestId) {
    return new CallContext(requestId);
  }

  public String requestId() {
    return requestId;
  }

  /** Runs {@code handler} when the call is cancelled; at once if it already is. */
  public void onCancel(Handler<GatewayError> handler) {
    GatewayError reason;
    synchronized (this) {
      reason = cancelled;
      if (reason == null) {
        if (cancelHandlers == null) cancelHandlers = new ArrayList<>(2);
        cancelHandlers.add(handler);
        return;
      }
    }
    handler.handle(reason);
  }

  /** Cancels the call once; later calls do nothing. */
  public void cancel(GatewayError reason) {
    List<Handler<GatewayError>> handlers;
    synchronized (this) {
      if (cancelled != null) return;
      cancelled = reason;
      handlers = cancelHandlers;
      cancelHandlers = null;
    }
    if (handlers != null) {
      for (Handler<GatewayError> h : handlers) h.handle(reason);
    }
  }

  public synchronized GatewayError cancellation() {
    return cancelled;
  }

  public boolean isCancelled() {
    return cancellation() != null;
  }
}

package dev.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Cancel handlers run once, on the context that registered them, whichever thread cancels. */
class CallContextTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aHandlerRegisteredOnAnEventLoopRunsThereWhenAnotherThreadCancels() throws Exception {
    CallContext call = CallContext.create("req-1");
    Context loop = vertx.getOrCreateContext();
    CompletableFuture<Thread> registeredOn = new CompletableFuture<>();
    CompletableFuture<Thread> ranOn = new CompletableFuture<>();
    List<GatewayError> reasons = new CopyOnWriteArrayList<>();
    loop.runOnContext(v -> {
      call.onCancel(reason -> {
        reasons.add(reason);
        ranOn.complete(Thread.currentThread());
      });
      registeredOn.complete(Thread.currentThread());
    });
    Thread loopThread = registeredOn.get(10, TimeUnit.SECONDS);
    GatewayError reason = GatewayError.cancelled("client went away");
    call.cancel(reason);
    call.cancel(GatewayError.timeout("later"));
    assertThat(ranOn.get(10, TimeUnit.SECONDS)).isSameAs(loopThread).isNotSameAs(Thread.currentThread());
    assertThat(call.cancellation()).isSameAs(reason);
    assertThat(reasons).containsExactly(reason);
  }

  @Test
  void cancellingOnTheHandlersOwnContextRunsItAtOnce() throws Exception {
    CallContext call = CallContext.create("req-2");
    CompletableFuture<Boolean> ranBeforeCancelReturned = new CompletableFuture<>();
    vertx.getOrCreateContext().runOnContext(v -> {
      boolean[] ran = {false};
      call.onCancel(reason -> ran[0] = true);
      call.cancel(GatewayError.cancelled("gone"));
      ranBeforeCancelReturned.complete(ran[0]);
    });
    assertThat(ranBeforeCancelReturned.get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void outsideVertxHandlersRunOnTheCancellingThreadAndLateOnesAtOnce() {
    CallContext call = CallContext.create("req-3");
    Thread[] ranOn = new Thread[2];
    call.onCancel(reason -> ranOn[0] = Thread.currentThread());
    call.cancel(GatewayError.cancelled("gone"));
    call.onCancel(reason -> ranOn[1] = Thread.currentThread());
    assertThat(ranOn).containsOnly(Thread.currentThread());
  }
}

package dev.sluice.kit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class UpstreamClientsTest {

  /** Each server request runs on a context of its own; they must still share their event loop's client. */
  @Test
  void requestsOnOneEventLoopShareOneClient(Vertx vertx, VertxTestContext test) throws Exception {
    UpstreamClients clients = UpstreamClients.create(vertx, new HttpClientOptions(), new PoolOptions());
    Map<HttpClientAgent, Boolean> seen = java.util.Collections.synchronizedMap(new IdentityHashMap<>());
    HttpServer server = vertx.createHttpServer().requestHandler(req -> {
      seen.put(clients.current(), true);
      req.response().end("ok");
    });
    int port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
        .actualPort();
    HttpClientAgent caller = vertx.createHttpClient();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < 20; i++) {
      chain = chain.compose(v -> caller.request(HttpMethod.GET, port, "127.0.0.1", "/")
          .compose(r -> r.send()).compose(r -> r.body()).mapEmpty());
    }
    chain.onComplete(test.succeeding(v -> test.verify(() -> {
      assertThat(seen).hasSize(1);
      clients.close().onComplete(test.succeedingThenComplete());
    })));
    assertThat(test.awaitCompletion(20, TimeUnit.SECONDS)).isTrue();
  }
}

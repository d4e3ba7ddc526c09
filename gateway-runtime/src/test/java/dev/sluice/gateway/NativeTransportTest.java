package dev.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * A gateway on a Vert.x of its own (the launcher's way) runs on Netty's native epoll transport where the build
 * ships it (Linux on x86-64 and ARM64), and says so in {@code /health/ready}.
 */
class NativeTransportTest {

  @Test
  @EnabledOnOs(value = OS.LINUX, architectures = {"amd64", "x86_64", "aarch64"})
  void anOwnedVertxRunsOnNativeEpoll() {
    Gateway gateway = TestGateway.await(Gateway.start(TestGateway.config("""
        providers:
          - {id: demo, type: demo}
        models:
          - {name: m, deployments: [{provider: demo}]}
        """)));
    try {
      var ready = TestGateway.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
          + "/health/ready")).build());
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(ready.body()).getString("transport")).isEqualTo("epoll");
    } finally {
      TestGateway.await(gateway.stop());
    }
  }
}

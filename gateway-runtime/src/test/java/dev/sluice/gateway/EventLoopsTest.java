package dev.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.config.ConfigLoader;
import dev.sluice.gateway.config.GatewayConfig;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Several event loops share one listening port, also when the config asks for any free port (port 0). */
class EventLoopsTest {

  @Test
  void threeEventLoopsOnPortZeroServeOnOnePort() throws Exception {
    GatewayConfig config = ConfigLoader.parse("""
        server: {port: 0, master_key: %s, event_loops: 3}
        plugins: {dir: "%s"}
        providers: [{id: sim, type: demo, latency: 0ms}]
        models: [{name: d, deployments: [{provider: sim}]}]
        """.formatted(TestGateway.MASTER_KEY, TestGateway.pluginsDir()), "loops.yaml",
        Map.<String, String>of()::get, TestGateway.root());
    Vertx vertx = Vertx.vertx();
    try {
      Gateway gateway = TestGateway.await(Gateway.start(vertx, config));
      assertThat(gateway.port()).isPositive();
      for (int i = 0; i < 12; i++) {
        // A fresh client per request: a new connection each time, spread over the event loops.
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions"))
            .header("authorization", "Bearer " + TestGateway.MASTER_KEY)
            .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"d\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
      }
      TestGateway.await(gateway.stop());
    } finally {
      TestGateway.await(vertx.close());
    }
  }
}

package dev.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Stopping drains: a stream in flight ends whole, and no new connection is taken. */
class GracefulShutdownTest {

  @Test
  void inFlightStreamFinishesWhileTheGatewayStops() throws Exception {
    try (TestUpstream upstream = TestUpstream.start()) {
      upstream.fake().firstChunkDelay(300);
      TestGateway gateway = TestGateway.start("""
          providers: [{id: up, type: openai, base_url: "%s", api_key: sk-upstream}]
          models: [{name: d, deployments: [{provider: up, model: gpt-upstream}]}]
          """.formatted(upstream.fake().baseUrl()));
      String url = gateway.url();
      // HTTP/1.1: JDK 17's client fails in-flight HTTP/2 streams on any GOAWAY, even a graceful one.
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(HttpRequest.newBuilder(URI.create(url
              + "/v1/chat/completions")).header("authorization", "Bearer " + TestGateway.MASTER_KEY)
          .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"d\",\"stream\":true,"
              + "\"messages\":[{\"role\":\"user\",\"content\":\"Write a long story about a lock keeper.\"}]}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      // The request is in flight once the upstream has it; its first chunk is 300 ms away.
      TestGateway.await(upstream.fake().faults().awaitRequests(1));
      long stopStarted = System.nanoTime();
      gateway.close();
      long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopStarted);
      HttpResponse<String> response = inFlight.get(10, TimeUnit.SECONDS);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("\"content\"").endsWith("data: [DONE]\n\n");
      assertThat(stopMillis).as("stop waited for the stream").isGreaterThanOrEqualTo(100);
      assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(URI.create(url + "/health/live")).build(),
          HttpResponse.BodyHandlers.ofString())).isInstanceOf(ConnectException.class);
    }
  }
}

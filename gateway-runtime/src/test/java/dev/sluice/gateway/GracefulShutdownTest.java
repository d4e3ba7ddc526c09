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
    TestGateway gateway = TestGateway.start("""
        providers: [{id: sim, type: demo, first_token: 300ms, tokens_per_second: 100}]
        models: [{name: d, deployments: [{provider: sim}]}]
        """);
    String url = gateway.url();
    // HTTP/1.1: JDK 17's client fails in-flight HTTP/2 streams on any GOAWAY, even a graceful one.
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(HttpRequest.newBuilder(URI.create(url
            + "/v1/chat/completions")).header("authorization", "Bearer " + TestGateway.MASTER_KEY)
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"d\",\"stream\":true,\"max_tokens\":60,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Write a long story about a lock keeper.\"}]}")).build(),
        HttpResponse.BodyHandlers.ofString());
    Thread.sleep(150); // the request is in flight, the first token not yet out
    long stopStarted = System.nanoTime();
    gateway.close();
    long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopStarted);
    HttpResponse<String> response = inFlight.get(10, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).endsWith("data: [DONE]\n\n");
    assertThat(stopMillis).as("stop waited for the stream").isGreaterThanOrEqualTo(150);
    assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(URI.create(url + "/health/live")).build(),
        HttpResponse.BodyHandlers.ofString())).isInstanceOf(ConnectException.class);
  }
}

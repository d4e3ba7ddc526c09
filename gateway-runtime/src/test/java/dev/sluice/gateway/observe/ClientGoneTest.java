package dev.sluice.gateway.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.TestGateway;
import dev.sluice.gateway.TestUpstream;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A client that goes away mid-stream or mid-call is still one finished request: status 499, observed once. */
class ClientGoneTest {

  private static Socket send(TestGateway gateway, boolean stream, String requestId) throws Exception {
    String body = "{\"model\":\"m\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}";
    Socket socket = new Socket("127.0.0.1", gateway.gateway().port());
    socket.setSoTimeout(10_000);
    OutputStream out = socket.getOutputStream();
    out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
        + TestGateway.MASTER_KEY + "\r\nx-request-id: " + requestId + "\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
        .getBytes(StandardCharsets.UTF_8));
    out.flush();
    return socket;
  }

  @Test
  void leavingMidStreamAndMidCallAreLoggedAndCountedAs499() throws Exception {
    try (TestUpstream upstream = TestUpstream.start(); CapturedLogs logs = CapturedLogs.attach();
         TestGateway gateway = TestGateway.start("""
             providers: [{id: fake, type: openai, base_url: "%s", api_key: k}]
             models: [{name: m, deployments: [{provider: fake}]}]
             """.formatted(upstream.fake().baseUrl()))) {
      upstream.fake().streamChunks(200).chunkGap(50);
      try (Socket socket = send(gateway, true, "gone-mid-stream-1")) {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        String received = "";
        while (!received.contains("data: ")) {
          int n = in.read(buffer);
          assertThat(n).as("stream bytes").isPositive();
          received += new String(buffer, 0, n, StandardCharsets.UTF_8);
        }
      }
      JsonObject streamed = logs.awaitLine("gone-mid-stream-1");
      assertThat(streamed.getInteger("status")).isEqualTo(499);
      assertThat(streamed.getString("error_type")).isEqualTo("client_closed_request");
      assertThat(streamed.getBoolean("stream")).isTrue();
      assertThat(streamed.getDouble("ttfb_ms")).isPositive();

      upstream.fake().reset();
      upstream.fake().hangNext();
      try (Socket socket = send(gateway, false, "gone-mid-call-1")) {
        TestGateway.await(upstream.fake().awaitRequests(1));
      }
      JsonObject called = logs.awaitLine("gone-mid-call-1");
      assertThat(called.getInteger("status")).isEqualTo(499);
      assertThat(called.getInteger("attempts")).isEqualTo(1);

      assertThat(logs.access()).hasSize(2); // once each
      Prometheus m = Prometheus.parse(gateway.get("/metrics").body());
      assertThat(m.sum("sluice_requests_total", "status_class=4xx", "model=m")).isEqualTo(2);
      assertThat(m.sum("sluice_requests_total")).isEqualTo(2);
    }
  }
}

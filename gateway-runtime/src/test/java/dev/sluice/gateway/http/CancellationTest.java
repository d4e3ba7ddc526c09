package dev.sluice.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gateway.TestGateway;
import dev.sluice.gateway.TestUpstream;
import dev.sluice.testkit.FakeOpenAiUpstream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** A client that goes away cancels the upstream request: no provider keeps generating for nobody. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CancellationTest {
  private TestUpstream upstreamServer;
  private FakeOpenAiUpstream upstream;
  private TestGateway gateway;

  @BeforeAll
  void start() {
    upstreamServer = TestUpstream.start();
    upstream = upstreamServer.fake();
    gateway = TestGateway.start("""
        providers: [{id: fake, type: openai, base_url: "%s", api_key: k}]
        models: [{name: m, deployments: [{provider: fake}]}]
        """.formatted(upstream.baseUrl()));
  }

  @BeforeEach
  void reset() {
    upstream.reset();
  }

  @AfterAll
  void stop() {
    gateway.close();
    upstreamServer.close();
  }

  private Socket send(boolean stream) throws Exception {
    String body = "{\"model\":\"m\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}";
    Socket socket = new Socket("127.0.0.1", gateway.gateway().port());
    socket.setSoTimeout(10_000);
    OutputStream out = socket.getOutputStream();
    out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TestGateway.MASTER_KEY
        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
        + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
    out.flush();
    return socket;
  }

  @Test
  void disconnectDuringANonStreamedCallCancelsTheUpstream() throws Exception {
    upstream.hangNext();
    try (Socket socket = send(false)) {
      TestGateway.await(upstream.awaitRequests(1));
    }
    TestGateway.await(upstream.awaitDisconnects(1));
    assertThat(upstream.disconnects()).isEqualTo(1);
  }

  @Test
  void disconnectMidStreamCancelsTheUpstream() throws Exception {
    upstream.streamChunks(200).chunkGap(50);
    try (Socket socket = send(true)) {
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[4096];
      String received = "";
      while (!received.contains("data: ")) {
        int n = in.read(buffer);
        assertThat(n).as("stream bytes").isPositive();
        received += new String(buffer, 0, n, StandardCharsets.UTF_8);
      }
      assertThat(received).startsWith("HTTP/1.1 200");
    }
    TestGateway.await(upstream.awaitDisconnects(1));
    assertThat(upstream.disconnects()).isEqualTo(1);
  }
}

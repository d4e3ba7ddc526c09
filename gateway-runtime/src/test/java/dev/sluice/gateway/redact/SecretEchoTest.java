package dev.sluice.gateway.redact;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import dev.sluice.gateway.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * Upstreams that echo every header they received (and the URL) in their error bodies, one per wire format
 * (OpenAI, Anthropic, Gemini, Bedrock), failing with 400, 401 and 500 and, where the format has one, a streamed
 * error event after the first chunk. Whatever the client asked in (OpenAI or Anthropic, JSON or a stream), no
 * provider credential reaches its answer, and none reaches a log line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecretEchoTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final String openAiKey = "sk-proj-" + random(40, false);
  private final String anthropicKey = "anthropic-configured-" + random(24, false);
  private final String geminiKey = "gemini-configured-" + random(24, false);
  private final String awsKeyId = "AKIA" + random(16, true);
  private final String awsSecret = random(40, false);
  private final String awsSession = "aws-session-" + random(30, false);
  private Vertx vertx;
  private HttpServer echo;
  private TestGateway gateway;
  private volatile String mode = "status:500";
  private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
  private OutputStreamAppender<ILoggingEvent> appender;

  private static String random(int n, boolean upper) {
    String alphabet = upper ? "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" : "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) s.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    return s.toString();
  }

  @BeforeAll
  void start() {
    vertx = Vertx.vertx();
    echo = TestGateway.await(vertx.createHttpServer().requestHandler(this::answer).listen(0, "127.0.0.1"));
    String at = "http://127.0.0.1:" + echo.actualPort();
    gateway = TestGateway.start("""
        providers:
          - {id: o, type: openai, base_url: "%s/v1", api_key: %s}
          - {id: a, type: anthropic, base_url: "%s", api_key: %s}
          - {id: g, type: gemini, base_url: "%s/v1beta", api_key: %s}
          - {id: b, type: bedrock, endpoint: "%s", region: us-east-1, access_key_id: %s, secret_access_key: "%s",
             session_token: %s}
        models:
          - {name: m-openai, deployments: [{provider: o, model: gpt-4o-mini}]}
          - {name: m-anthropic, deployments: [{provider: a, model: claude-x}]}
          - {name: m-gemini, deployments: [{provider: g, model: gemini-x}]}
          - {name: m-bedrock, deployments: [{provider: b, model: anthropic.claude-x}]}
        routing: {retries: {attempts: 1}}
        """.formatted(at, openAiKey, at, anthropicKey, at, geminiKey, at, awsKeyId, awsSecret, awsSession));
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%logger %msg%n%ex"); // the words logback.xml (and logback-test.xml) mount redacting
    encoder.start();
    appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.setOutputStream(logs);
    appender.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(appender);
  }

  @AfterAll
  void stop() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(appender);
    if (gateway != null) gateway.close();
    TestGateway.await(vertx.close());
  }

  /** Every header and the URL, as an upstream that "helpfully" shows what it got. */
  private static String echoOf(HttpServerRequest req) {
    StringBuilder s = new StringBuilder("Invalid credentials. You sent ").append(req.method()).append(' ')
        .append(req.uri()).append(" with headers {");
    req.headers().forEach(h -> s.append(h.getKey()).append('=').append(h.getValue()).append(", "));
    return s.append("}").toString();
  }

  private void answer(HttpServerRequest req) {
    req.body().onSuccess(body -> {
      String path = req.path();
      String echoed = echoOf(req);
      boolean stream = path.contains("stream") || body.toString().contains("\"stream\":true");
      if (mode.equals("midstream") && stream && !path.contains("converse")) {
        midStream(req, path, echoed);
        return;
      }
      int status = mode.startsWith("status:") ? Integer.parseInt(mode.substring(7)) : 500;
      JsonObject error;
      if (path.endsWith("/chat/completions")) {
        error = new JsonObject().put("error", new JsonObject().put("message", echoed).put("type", "invalid_request_error")
            .put("param", echoed));
      } else if (path.endsWith("/v1/messages")) {
        error = new JsonObject().put("type", "error").put("error", new JsonObject().put("type",
            status == 401 ? "authentication_error" : status == 400 ? "invalid_request_error" : "api_error")
            .put("message", echoed));
      } else if (path.contains(":generateContent") || path.contains(":streamGenerateContent")) {
        error = new JsonObject().put("error", new JsonObject().put("code", status).put("message", echoed)
            .put("status", status == 400 ? "INVALID_ARGUMENT" : status == 401 ? "UNAUTHENTICATED" : "INTERNAL"));
      } else {
        req.response().putHeader("x-amzn-ErrorType", status == 400 ? "ValidationException"
            : status == 401 ? "UnrecognizedClientException" : "InternalServerException");
        error = new JsonObject().put("message", echoed);
      }
      req.response().setStatusCode(status).putHeader("content-type", "application/json").end(error.encode());
    });
  }

  /** A stream that starts, then fails with an error event carrying the echo, in the upstream's own format. */
  private static void midStream(HttpServerRequest req, String path, String echoed) {
    var r = req.response().setStatusCode(200).putHeader("content-type", "text/event-stream").setChunked(true);
    if (path.endsWith("/chat/completions")) {
      r.write("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\","
          + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"}}]}\n\n");
      r.end("data: " + new JsonObject().put("error", new JsonObject().put("message", echoed)
          .put("type", "server_error")).encode() + "\n\n");
    } else if (path.endsWith("/v1/messages")) {
      r.write("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m1\",\"type\":\"message\","
          + "\"role\":\"assistant\",\"model\":\"claude-x\",\"content\":[],\"stop_reason\":null,"
          + "\"usage\":{\"input_tokens\":3,\"output_tokens\":0}}}\n\n");
      r.write("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
          + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
      r.write("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
          + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hel\"}}\n\n");
      r.end("event: error\ndata: " + new JsonObject().put("type", "error").put("error", new JsonObject()
          .put("type", "overloaded_error").put("message", echoed)).encode() + "\n\n");
    } else {
      r.write("data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Hel\"}]},\"index\":0}]}\n\n");
      r.end("data: " + new JsonObject().put("error", new JsonObject().put("code", 500).put("message", echoed)
          .put("status", "INTERNAL")).encode() + "\n\n");
    }
  }

  Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (String mode : new String[] {"status:400", "status:401", "status:500", "midstream"}) {
      for (String model : new String[] {"m-openai", "m-anthropic", "m-gemini", "m-bedrock"}) {
        for (String ingress : new String[] {"openai", "anthropic"}) {
          for (boolean stream : new boolean[] {false, true}) all.add(Arguments.of(mode, model, ingress, stream));
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} {1} via {2} stream={3}")
  @MethodSource("cases")
  void noCredentialReachesTheClientOrTheLogs(String mode, String model, String ingress, boolean stream) {
    this.mode = mode;
    String body = ingress.equals("openai")
        ? "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
        : "{\"model\":\"" + model + "\",\"max_tokens\":16,\"stream\":" + stream
            + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    HttpResponse<String> r = TestGateway.send(HttpRequest.newBuilder(URI.create(gateway.url()
            + (ingress.equals("openai") ? "/v1/chat/completions" : "/v1/messages")))
        .header("authorization", "Bearer " + TestGateway.MASTER_KEY).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    // The upstream's failure reached the client (an error status, or an error event in a started stream) ...
    assertThat(r.statusCode() >= 400 || r.body().contains("error")).as(r.body()).isTrue();
    // ... with what the upstream said, once its credentials were taken out.
    assertThat(r.body()).as(r.body()).contains("You sent").contains(Redactor.MARK);
    String logged = logs.toString(StandardCharsets.UTF_8);
    for (String secret : List.of(openAiKey, anthropicKey, geminiKey, awsKeyId, awsSecret, awsSession,
        TestGateway.MASTER_KEY)) {
      assertThat(r.body()).as("the answer").doesNotContain(secret);
      assertThat(logged).as("the logs").doesNotContain(secret);
    }
    assertThat(r.body()).doesNotContainPattern("Signature=[0-9a-f]{16}");
  }
}

package dev.sluice.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.sluice.gateway.TestGateway;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/**
 * Requests the HTTP parser rejects, and headers Sluice rejects, are answered 4xx (505 for an unknown HTTP version)
 * with a JSON error in the route's format: OpenAI's, or Anthropic's on /v1/messages. None is an empty body, a
 * silent close or an ERROR log line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProtocolErrorsTest {
  private static final String AUTH = "Authorization: Bearer " + TestGateway.MASTER_KEY + "\r\n";
  private static final String CHAT_BODY = "{\"model\":\"d\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private TestGateway gateway;
  private final List<String> errors = new CopyOnWriteArrayList<>();
  private final AppenderBase<ILoggingEvent> errorLog = new AppenderBase<>() {
    @Override
    protected void append(ILoggingEvent e) {
      if (e.getLevel().isGreaterOrEqual(Level.ERROR)) errors.add(e.getLoggerName() + " " + e.getFormattedMessage());
    }
  };

  @BeforeAll
  void start() {
    gateway = TestGateway.start("""
        providers: [{id: sim, type: demo, latency: 0ms, first_token: 0ms}]
        models: [{name: d, deployments: [{provider: sim}]}]
        """);
    errorLog.setContext((ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory());
    errorLog.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(errorLog);
  }

  @AfterAll
  void stop() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(errorLog);
    gateway.close();
  }

  private RawHttp.Answer raw(String request) {
    try (RawHttp c = new RawHttp(gateway.gateway().port())) {
      return c.send(request).read(10_000);
    }
  }

  private static JsonObject openAi(RawHttp.Answer a, int status) {
    assertThat(a.status()).as(a.head() + "\n" + a.body()).isEqualTo(status);
    assertThat(a.header("content-type")).startsWith("application/json");
    JsonObject e = new JsonObject(a.body()).getJsonObject("error");
    assertThat(e.getString("message")).isNotBlank();
    assertThat(e.getString("type")).isEqualTo("invalid_request_error");
    return e;
  }

  private static JsonObject anthropic(RawHttp.Answer a, int status) {
    assertThat(a.status()).as(a.head() + "\n" + a.body()).isEqualTo(status);
    JsonObject body = new JsonObject(a.body());
    assertThat(body.getString("type")).isEqualTo("error");
    assertThat(body.getJsonObject("error").getString("message")).isNotBlank();
    return body.getJsonObject("error");
  }

  @Test
  void oversizedHeadersAre431WithABodyInTheRoutesFormat() {
    String big = "X-Big: " + "a".repeat(20_000) + "\r\n";
    assertThat(openAi(raw("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n" + big + "\r\n"), 431)
        .getString("message")).contains("server.max_header_size");
    anthropic(raw("POST /v1/messages HTTP/1.1\r\nHost: x\r\n" + big + "\r\n"), 431);
  }

  @Test
  void anOversizedUrlIs414WithABody() {
    assertThat(openAi(raw("GET /v1/models?q=" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"), 414)
        .getString("message")).contains("server.max_url_length");
  }

  @Test
  void aBadChunkSizeIs400WithABodyAndNoErrorLog() {
    errors.clear();
    RawHttp.Answer a = raw("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n" + AUTH
        + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"mod\r\nzz\r\n\r\n");
    assertThat(openAi(a, 400).getString("message")).contains("chunked");
    assertThat(errors).isEmpty();
  }

  @Test
  void anUnknownHttpVersionIs505WithABody() {
    RawHttp.Answer a = raw("GET /health/live HTTP/9.9\r\nHost: x\r\n\r\n");
    assertThat(a.body()).isNotEmpty();
    assertThat(new JsonObject(a.body()).getJsonObject("error").getString("message")).contains("HTTP/1.1");
    assertThat(a.head()).contains(" 505 ");
  }

  @Test
  void garbageIs400WithABody() {
    openAi(raw("\u0001\u0002 garbage that is no request\r\n\r\n"), 400);
  }

  @Test
  void aMalformedMetadataHeaderIs400NamingItOnEveryRouteThatTakesIt() {
    String header = "x-sluice-metadata: {\"feature\": \r\n";
    JsonObject chat = openAi(raw("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n" + AUTH + header
        + "Content-Type: application/json\r\nContent-Length: " + CHAT_BODY.length() + "\r\n\r\n" + CHAT_BODY), 400);
    assertThat(chat.getString("param")).isEqualTo("x-sluice-metadata");
    String embed = "{\"model\":\"d\",\"input\":\"hi\"}";
    assertThat(openAi(raw("POST /v1/embeddings HTTP/1.1\r\nHost: x\r\n" + AUTH + header
        + "Content-Type: application/json\r\nContent-Length: " + embed.length() + "\r\n\r\n" + embed), 400)
        .getString("param")).isEqualTo("x-sluice-metadata");
    String messages = "{\"model\":\"d\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    assertThat(anthropic(raw("POST /v1/messages HTTP/1.1\r\nHost: x\r\n" + AUTH + "x-sluice-metadata: [1]\r\n"
        + "Content-Type: application/json\r\nContent-Length: " + messages.length() + "\r\n\r\n" + messages), 400)
        .getString("message")).contains("x-sluice-metadata");
    // A well-formed header still serves.
    assertThat(raw("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n" + AUTH + "x-sluice-metadata: {\"f\":\"s\"}\r\n"
        + "Content-Type: application/json\r\nContent-Length: " + CHAT_BODY.length() + "\r\n\r\n" + CHAT_BODY).status())
        .isEqualTo(200);
  }
}

package dev.sluice.gateway.redact;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import dev.sluice.api.GatewayError;
import dev.sluice.gateway.TestGateway;
import dev.sluice.gateway.config.GatewayConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The runtime's one redaction facility: configured secrets, credential shapes, keys' hints and the log layout. */
class RedactorTest {
  private static final Redactor R = Redactor.of(List.of("configured-provider-secret-1", "short"));

  @Test
  void configuredSecretsAreRemovedWhereverTheyAppear() {
    assertThat(R.scrub("upstream said: bad key configured-provider-secret-1 (x)")).isEqualTo(
        "upstream said: bad key [redacted] (x)");
    assertThat(R.scrub("{\"x-api-key\":\"configured-provider-secret-1\"}")).doesNotContain("configured-provider");
    // Too short to search for without blanking ordinary words.
    assertThat(R.scrub("a short answer")).isEqualTo("a short answer");
  }

  @Test
  void everyCredentialShapeIsRemoved() {
    String[] leaks = {
        "Authorization: Bearer abcdefghijklmnop1234",
        "{\"authorization\":\"Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijklmnop\"}",
        "headers: {authorization=Basic dXNlcjpwYXNzd29yZA==, accept=*/*}",
        "key sk-proj-ABCDEFGHIJKLMNOPQRSTUVWXYZ012345 is invalid",
        "sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789",
        "Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date, "
            + "Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024",
        "x-amz-security-token: IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ",
        "GET /v1beta/models/g:generateContent?key=AIzaSyA1234567890abcdefghijklmnopqrstuv&alt=sse",
        "x-goog-api-key: AIzaSyA1234567890abcdefghijklmnopqrstuv",
        "token ya29.a0AfH6SMBx1234567890abcdefghijklmnop",
        "redis://default:hunter2hunter2@127.0.0.1:6379",
        "\"api_key\": \"any-value-at-all\"",
    };
    String[] secrets = {"abcdefghijklmnop1234", "eyJhbGciOiJIUzI1NiJ9", "dXNlcjpwYXNzd29yZA", "ABCDEFGHIJKLMNOPQRST",
        "abcdefghijklmnopqrstuvwxyz0123456789", "AKIAIOSFODNN7EXAMPLE", "fe5f80f77d5fa3beca038a248ff027d0",
        "IQoJb3JpZ2luX2VjEJr", "AIzaSyA1234567890", "AIzaSyA1234567890", "ya29.a0AfH6SMBx", "hunter2", "any-value-at-all"};
    for (int i = 0; i < leaks.length; i++) {
      String out = R.scrub(leaks[i]);
      assertThat(out).as(leaks[i]).doesNotContain(secrets[i]).contains(Redactor.MARK);
    }
  }

  @Test
  void ordinaryMessagesAndHintsAreLeftAlone() {
    for (String text : new String[] {
        "providers[0].api_key: expected a string, got 12",
        "max_tokens must be at most 4096; the token estimates exceed the context window",
        "A basic configuration error: routing.rules[1].when.model is unknown",
        "Incorrect API key provided: sk-sluice-abcd... (50 characters). Check the key you were given.",
        "The API key sk-test... was rotated and no longer works.",
        "Upstream connection failed: Connection refused: /127.0.0.1:4000"}) {
      assertThat(R.scrub(text)).isEqualTo(text);
    }
    assertThat(Redactor.hint("sk-sluice-abcdefghijklmnopqrstuvwxyz0123456789ABCD")).isEqualTo("sk-sluice-abcd");
    assertThat(Redactor.hint("sk-proj-ABCDEFGHIJKLMNOPQRSTUVWXYZ")).isEqualTo("sk-pro");
    assertThat(Redactor.hint("tiny")).isEqualTo("ti");
  }

  @Test
  void aScrubbedErrorKeepsItsKindStatusAndRetryHint() {
    GatewayError e = GatewayError.rateLimited("OpenAI answered 429: key configured-provider-secret-1", Duration.ofSeconds(3));
    GatewayError clean = R.scrub(e);
    assertThat(clean.getMessage()).isEqualTo("OpenAI answered 429: key [redacted]");
    assertThat(clean.kind()).isEqualTo(e.kind());
    assertThat(clean.status()).isEqualTo(429);
    assertThat(clean.retryAfter()).isEqualTo(Duration.ofSeconds(3));
    GatewayError untouched = GatewayError.badParam("model", "The model is unknown.");
    assertThat(R.scrub(untouched)).isSameAs(untouched);
  }

  @Test
  void theConfigsSecretsAreFoundByTheShapeOfTheirSettingsWhateverThePlugin() {
    GatewayConfig c = TestGateway.config("""
        storage: {postgres: "postgres://sluice:pg-password-123@127.0.0.1:5432/sluice", data_dir: /tmp/x}
        providers:
          - {id: a, type: openai, base_url: "http://127.0.0.1:9/v1", api_key: openai-secret-0001,
             headers: {X-Custom-Auth: "Bearer header-token-0001", OpenAI-Beta: assistants=v2}}
          - {id: b, type: bedrock, region: us-east-1, access_key_id: AKIAIOSFODNN7EXAMPLE,
             secret_access_key: aws-secret-0001, session_token: aws-session-0001}
          - {id: c, type: demo, first_token: 100ms}
        models: [{name: m, deployments: [{provider: a, model: m}]}]
        keys: [{key: sk-config-key-0000000001, name: k}]
        """);
    Set<String> secrets = ConfiguredSecrets.of(c);
    assertThat(secrets).contains(TestGateway.MASTER_KEY, "pg-password-123", "openai-secret-0001",
        "Bearer header-token-0001", "header-token-0001", "AKIAIOSFODNN7EXAMPLE", "aws-secret-0001",
        "aws-session-0001", "sk-config-key-0000000001");
    assertThat(secrets).doesNotContain("assistants=v2", "http://127.0.0.1:9/v1", "us-east-1");
    // A short value under a credential-like name (demo's first_token: a duration) is never searched for.
    assertThat(Redactor.of(secrets).scrub("first token after 100ms")).isEqualTo("first token after 100ms");
  }

  @Test
  void theShippedLogLayoutRedactsMessagesAndStackTraces() throws Exception {
    Redactor.register(this, List.of("log-secret-value-0001"));
    LoggerContext context = new LoggerContext();
    try {
      JoranConfigurator joran = new JoranConfigurator();
      joran.setContext(context);
      joran.doConfigure(Path.of("src/main/resources/logback.xml").toFile());
      for (String name : new String[] {"STDERR", "ACCESS_OUT"}) {
        var appender = name.equals("STDERR") ? context.getLogger("ROOT").getAppender(name)
            : ((ch.qos.logback.classic.AsyncAppender) context.getLogger("sluice.access").getAppender("ACCESS"))
                .getAppender(name);
        @SuppressWarnings("unchecked")
        var encoder = ((OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent>) appender).getEncoder();
        LoggingEvent event = new LoggingEvent("x", context.getLogger("x"), Level.WARN,
            "upstream failed: {} with Authorization: Bearer abcdefghijklmnop1234",
            new IllegalStateException("echoed log-secret-value-0001"), new Object[] {"log-secret-value-0001"});
        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
        assertThat(line).as(name).contains("upstream failed").contains("[redacted]")
            .doesNotContain("log-secret-value-0001").doesNotContain("abcdefghijklmnop1234");
        if (name.equals("STDERR")) assertThat(line).contains("IllegalStateException");
      }
    } finally {
      context.stop();
      Redactor.unregister(this);
    }
  }

  /** A guard against a pattern that backtracks badly, not a benchmark: the bound holds on a loaded 2-core box. */
  @Test
  void scrubbingALogLineCostsMicroseconds() {
    String line = "{\"ts\":\"2026-01-01T00:00:00Z\",\"request_id\":\"req_0123456789abcdef01234567\",\"key_prefix\":"
        + "\"sk-sluice-abcd\",\"team\":\"research\",\"model\":\"gpt-4o-mini\",\"provider\":\"openai\",\"status\":200,"
        + "\"prompt_tokens\":120,\"completion_tokens\":48,\"cost_usd\":0.000123,\"cache\":\"MISS\",\"attempts\":1}";
    Redactor r = Redactor.of(List.of("configured-provider-secret-1", "another-secret-value-22", "master-key-0000"));
    for (int i = 0; i < 20_000; i++) r.scrub(line);
    long start = System.nanoTime();
    int same = 0;
    for (int i = 0; i < 20_000; i++) if (r.scrub(line) == line) same++;
    long perLineNanos = (System.nanoTime() - start) / 20_000;
    assertThat(same).isEqualTo(20_000);
    System.out.println("redaction of one access-log line: " + perLineNanos + " ns");
    assertThat(perLineNanos).as("ns per access-log line").isLessThan(100_000);
  }
}

package dev.sluice.plugins.gemini;

import static dev.sluice.plugins.gemini.Harness.await;
import static dev.sluice.plugins.gemini.Harness.call;
import static dev.sluice.plugins.gemini.Harness.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.CallContext;
import dev.sluice.api.GatewayError;
import dev.sluice.api.GatewayError.Kind;
import dev.sluice.api.Provider;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.model.Message;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@ExtendWith(VertxExtension.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class GeminiErrorsTest {
  private static final ChatRequest ASK = ChatRequest.of("gemini-2.5-flash", List.of(Message.user("Hi")));
  private FakeGemini fake;
  private Provider provider;

  @BeforeEach
  void start(Vertx vertx) {
    fake = await(FakeGemini.start(vertx));
    provider = Harness.gemini(vertx, fake);
  }

  @AfterEach
  void stop() {
    await(provider.close());
    await(fake.close());
  }

  @ParameterizedTest(name = "{0} {1} -> {3}")
  @CsvSource(delimiter = '|', value = {
      "400|INVALID_ARGUMENT|The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).|CONTEXT_WINDOW",
      "400|INVALID_ARGUMENT|Invalid JSON payload received. Unknown name \"foo\".|BAD_REQUEST",
      "400|FAILED_PRECONDITION|User location is not supported for the API use.|UPSTREAM_REJECTED",
      "400|INVALID_ARGUMENT|API key not valid. Please pass a valid API key.|UPSTREAM_REJECTED",
      "401|UNAUTHENTICATED|Request had invalid authentication credentials.|UPSTREAM_REJECTED",
      "403|PERMISSION_DENIED|Permission denied on resource project x.|UPSTREAM_REJECTED",
      "404|NOT_FOUND|models/gemini-9 is not found for API version v1beta.|UPSTREAM_REJECTED",
      "429|RESOURCE_EXHAUSTED|Resource has been exhausted (e.g. check quota).|RATE_LIMITED",
      "500|INTERNAL|An internal error has occurred.|UPSTREAM_5XX",
      "503|UNAVAILABLE|The model is overloaded. Please try again later.|UPSTREAM_5XX",
      "504|DEADLINE_EXCEEDED|Deadline expired before operation could complete.|TIMEOUT"})
  void googleErrorsMapToTheirKind(int code, String status, String message, Kind kind) {
    fake.fault(new FakeGemini.Fault.Status(code, FakeGemini.googleError(code, status, message)));

    GatewayError e = failure(provider.chat(ASK, call()));

    assertThat(e.kind()).isEqualTo(kind);
    assertThat(e.getMessage()).isEqualTo("g1 (Gemini) answered " + code + " " + status + ": " + message);
    if (kind == Kind.BAD_REQUEST) assertThat(e.status()).isEqualTo(400);
  }

  @Test
  void rateLimitCarriesTheRetryInfoDelay() {
    fake.fault(new FakeGemini.Fault.Status(429, FakeGemini.googleError(429, "RESOURCE_EXHAUSTED",
        "You exceeded your current quota. Please retry in 37.5s.",
        new JsonObject().put("@type", "type.googleapis.com/google.rpc.QuotaFailure").put("violations", new JsonArray()),
        new JsonObject().put("@type", "type.googleapis.com/google.rpc.RetryInfo").put("retryDelay", "37.5s"))));

    GatewayError e = failure(provider.chat(ASK, call()));

    assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
    assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(37_500));
  }

  @Test
  void aVertexErrorWrappedInAnArrayIsUnderstood() {
    fake.fault(new FakeGemini.Fault.Status(429, "[" + FakeGemini.googleError(429, "RESOURCE_EXHAUSTED",
        "Resource exhausted. Please try again later.") + "]"));

    assertThat(failure(provider.chat(ASK, call())).kind()).isEqualTo(Kind.RATE_LIMITED);
  }

  @Test
  void aNonJsonErrorBodyStillMapsByStatus() {
    fake.fault(new FakeGemini.Fault.Status(502, "<html>Bad Gateway</html>"));

    GatewayError e = failure(provider.chat(ASK, call()));

    assertThat(e.kind()).isEqualTo(Kind.UPSTREAM_5XX);
    assertThat(e.getMessage()).contains("502").contains("Bad Gateway");
  }

  @Test
  void malformedJsonIsAProtocolError() {
    fake.fault(new FakeGemini.Fault.Malformed());

    GatewayError e = failure(provider.chat(ASK, call()));

    assertThat(e.kind()).isEqualTo(Kind.UPSTREAM_PROTOCOL);
  }

  @Test
  void aClosedPortIsUnavailable(Vertx vertx) {
    String closed = fake.baseUrl();
    await(fake.close());
    Provider dead = Harness.gemini(vertx, closed);
    try {
      GatewayError e = failure(dead.chat(ASK, call()));
      assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
      assertThat(e.getMessage()).startsWith("g1 (Gemini) could not be reached");
    } finally {
      await(dead.close());
    }
  }

  @Test
  void aBlockedPromptIsAContentFilterErrorNamingTheReasonAndCategories() {
    fake.answer(new JsonObject("""
        {"promptFeedback":{"blockReason":"SAFETY","safetyRatings":[
           {"category":"HARM_CATEGORY_HARASSMENT","probability":"NEGLIGIBLE"},
           {"category":"HARM_CATEGORY_DANGEROUS_CONTENT","probability":"HIGH","blocked":true}]},
         "usageMetadata":{"promptTokenCount":8,"totalTokenCount":8}}"""));

    GatewayError e = failure(provider.chat(ASK, call()));

    assertThat(e.kind()).isEqualTo(Kind.CONTENT_FILTER);
    assertThat(e.getMessage()).contains("blocked the prompt").contains("blockReason SAFETY")
        .contains("HARM_CATEGORY_DANGEROUS_CONTENT (HIGH)").doesNotContain("HARASSMENT");
  }

  @Test
  void aSafetyBlockedCandidateWithoutContentIsAContentFilterError() {
    fake.answer(new JsonObject("""
        {"candidates":[{"finishReason":"SAFETY","safetyRatings":[
           {"category":"HARM_CATEGORY_HATE_SPEECH","probability":"MEDIUM","blocked":true}]}]}"""));

    GatewayError e = failure(provider.chat(ASK, call()));

    assertThat(e.kind()).isEqualTo(Kind.CONTENT_FILTER);
    assertThat(e.getMessage()).contains("blocked the response").contains("finishReason SAFETY")
        .contains("HARM_CATEGORY_HATE_SPEECH (MEDIUM)");
  }

  @Test
  void aPartlyWrittenAnswerStoppedForRecitationEndsWithContentFilter() {
    fake.answer(FakeGemini.response(FakeGemini.candidate(0, "RECITATION", new JsonObject().put("text", "Once upon")),
        FakeGemini.usage(3, 2, 0, 0)));

    ChatResponse response = await(provider.chat(ASK, call()));

    assertThat(response.choices().get(0).finishReason()).isEqualTo("content_filter");
    assertThat(response.choices().get(0).message().text()).isEqualTo("Once upon");
  }

  @Test
  void cancellingAHangingCallResetsTheUpstreamRequest() {
    fake.fault(new FakeGemini.Fault.Hang());
    CallContext call = call();
    Future<Void> disconnected = fake.nextDisconnect();
    Future<ChatResponse> answer = provider.chat(ASK, call);
    awaitRequests(1);

    call.cancel(GatewayError.cancelled("client went away"));

    GatewayError e = failure(answer);
    assertThat(e.kind()).isEqualTo(Kind.CANCELLED);
    await(disconnected);
    assertThat(fake.disconnects()).isEqualTo(1);
  }

  private void awaitRequests(int n) {
    dev.sluice.tck.Await.until("the fake sees " + n + " request(s)", java.time.Duration.ofSeconds(Harness.WAIT_SECONDS),
        () -> fake.requests().size() >= n);
  }
}

package dev.sluice.plugins.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.CallContext;
import dev.sluice.api.ChatStream;
import dev.sluice.api.GatewayError;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.api.model.Message;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BedrockFailureTest extends BedrockTestSupport {
  private static final ChatRequest HI = ChatRequest.of(MODEL, List.of(Message.user("Hi")));

  @ParameterizedTest
  @CsvSource({
      "429, ThrottlingException, Too many requests, RATE_LIMITED",
      "400, ValidationException, Malformed input request, BAD_REQUEST",
      "400, ValidationException, Input is too long for requested model, CONTEXT_WINDOW",
      "400, ValidationException, prompt is too long: 210000 tokens > 200000 maximum, CONTEXT_WINDOW",
      "400, ValidationException, Too many tokens in the request, CONTEXT_WINDOW",
      "403, AccessDeniedException, You don't have access to the model, UPSTREAM_REJECTED",
      "403, UnrecognizedClientException, The security token included in the request is invalid, UPSTREAM_REJECTED",
      "404, ResourceNotFoundException, Model not found, UPSTREAM_REJECTED",
      "429, ModelNotReadyException, Model is not ready, UNAVAILABLE",
      "503, ServiceUnavailableException, Service unavailable, UPSTREAM_5XX",
      "500, InternalServerException, Internal failure, UPSTREAM_5XX",
      "424, ModelErrorException, The model failed, UPSTREAM_5XX",
      "408, ModelTimeoutException, Model timed out, TIMEOUT",
      "502, , Bad gateway, UPSTREAM_5XX"})
  void httpErrorsMapByErrorType(int status, String type, String message, GatewayError.Kind kind) {
    fake.replyError(status, type, message);
    GatewayError e = failure(provider.chat(HI, call()));
    assertThat(e.kind()).isEqualTo(kind);
    assertThat(e.getMessage()).contains("bedrock-test", String.valueOf(status), message);
    if (type != null) assertThat(e.getMessage()).contains(type);

    fake.replyError(status, type, message);
    GatewayError streamed = failure(provider.stream(HI.withStream(true, true), call()));
    assertThat(streamed.kind()).as(streamed.getMessage()).isEqualTo(kind);
  }

  @Test
  void throttlingCarriesRetryAfterWhenSent() {
    fake.reply(new FakeBedrock.Json(429, "ThrottlingException", new JsonObject().put("message", "slow down"),
        java.util.Map.of("Retry-After", "3")));
    GatewayError e = failure(provider.chat(HI, call()));
    assertThat(e.kind()).isEqualTo(GatewayError.Kind.RATE_LIMITED);
    assertThat(e.retryAfter()).isEqualTo(java.time.Duration.ofSeconds(3));
  }

  @Test
  void badRequestKeepsTheUpstreamStatus() {
    fake.replyError(400, "ValidationException", "temperature must be <= 1");
    GatewayError e = failure(provider.chat(HI, call()));
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.retryable()).isFalse();
  }

  @Test
  void answerThatIsNotConverseIsAProtocolError() {
    fake.replyJson(new JsonObject().put("unexpected", true));
    GatewayError e = failure(provider.chat(HI, call()));
    assertThat(e.kind()).isEqualTo(GatewayError.Kind.UPSTREAM_PROTOCOL);
    assertThat(e.getMessage()).contains("output");
  }

  @Test
  void unreachableUpstreamIsUnavailable() {
    provider = provider(new JsonObject().put("endpoint", "http://127.0.0.1:1").put("connect_timeout", "2s"));
    GatewayError e = failure(provider.chat(HI, call()));
    assertThat(e.kind()).isEqualTo(GatewayError.Kind.UNAVAILABLE);
  }

  @Test
  void cancellingAChatResetsTheUpstreamRequest() throws InterruptedException {
    fake.reply(new FakeBedrock.Hang());
    CallContext call = call();
    Future<ChatResponse> answer = provider.chat(HI, call);
    waitFor(() -> fake.requests().size() == 1);
    call.cancel(GatewayError.cancelled("client went away"));
    GatewayError e = failure(answer);
    assertThat(e.kind()).isEqualTo(GatewayError.Kind.CANCELLED);
    waitFor(() -> fake.disconnects() == 1);
  }

  @Test
  void cancellingAStreamResetsTheUpstreamRequest() throws InterruptedException {
    List<software.amazon.awssdk.eventstream.Message> frames =
        FakeBedrock.streamOf(FakeBedrock.answer("Hello there", "end_turn"));
    // a stream that sends its start and then stalls
    fake.reply(new FakeBedrock.Stream(frames.subList(0, 2), -1, FakeBedrock.Ending.STALL));
    CallContext call = call();
    ChatStream stream = await(provider.stream(HI.withStream(true, false), call));
    vertx.runOnContext(v -> stream.cancel());
    waitFor(() -> fake.disconnects() == 1);
  }

  @Test
  void cancelledBeforeSendingNeverCallsTheUpstream() {
    CallContext call = call();
    call.cancel(GatewayError.cancelled("gone"));
    assertThat(failure(provider.chat(HI, call)).kind()).isEqualTo(GatewayError.Kind.CANCELLED);
    assertThat(fake.requests()).isEmpty();
  }

  private static void waitFor(java.util.function.BooleanSupplier condition) {
    dev.sluice.tck.Await.until("the fake upstream sees it", condition);
  }
}

package dev.sluice.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.GatewayError;
import dev.sluice.api.IngressFormat;
import dev.sluice.api.model.ChatChunk;
import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ChatResponse;
import dev.sluice.wire.openai.OpenAiRequests;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Repeated request bodies decode once, and only when the bytes are all the same. */
class RequestMemoTest {
  private final MultiMap headers = MultiMap.caseInsensitiveMultiMap();
  private final AtomicInteger parsed = new AtomicInteger();
  private final RequestMemo memo = new RequestMemo(1 << 20, Set.of(OpenAiFormat.INSTANCE));

  private JsonObject parse(Buffer body) {
    parsed.incrementAndGet();
    return Routes.parse(body);
  }

  private ChatRequest decode(IngressFormat format, String body, boolean remember) {
    return decode(memo, format, body, remember);
  }

  private ChatRequest decode(RequestMemo in, IngressFormat format, String body, boolean remember) {
    return in.decode(format, Buffer.buffer(body), headers, remember, this::parse).request();
  }

  private static String body(String text) {
    return "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
  }

  @Test
  void aRepeatedBodyIsDecodedOnceAndYieldsTheSameRequest() {
    ChatRequest first = decode(OpenAiFormat.INSTANCE, body("hello"), true);
    ChatRequest again = decode(OpenAiFormat.INSTANCE, body("hello"), true);
    assertThat(again).isSameAs(first);
    assertThat(parsed).hasValue(1);
    assertThat(decode(OpenAiFormat.INSTANCE, body("hello!"), true)).isNotSameAs(first)
        .satisfies(r -> assertThat(r.messages().get(0).text()).isEqualTo("hello!"));
    assertThat(parsed).hasValue(2);
  }

  @Test
  void aRememberedRequestCarriesTheCachesNotesAndAnotherDoesNot() {
    var first = memo.decode(OpenAiFormat.INSTANCE, Buffer.buffer(body("hello")), headers, true, this::parse);
    var again = memo.decode(OpenAiFormat.INSTANCE, Buffer.buffer(body("hello")), headers, true, this::parse);
    assertThat(first.known()).isNotNull().isSameAs(again.known());
    assertThat(memo.decode(OpenAiFormat.INSTANCE, Buffer.buffer(body("hello!")), headers, true, this::parse).known())
        .isNotSameAs(first.known());
    assertThat(memo.decode(OpenAiFormat.INSTANCE, Buffer.buffer(body("hello")), headers, false, this::parse).known())
        .as("not remembered: nothing to note").isNull();
  }

  @Test
  void bodiesWhoseHashesCollideAreStillTold() {
    // "Aa" and "BB" have the same polynomial hash; so do the two bodies, which differ only there.
    String a = body("Aa");
    String b = body("BB");
    assertThat(Arrays.hashCode(a.getBytes())).isEqualTo(Arrays.hashCode(b.getBytes()));
    assertThat(decode(OpenAiFormat.INSTANCE, a, true).messages().get(0).text()).isEqualTo("Aa");
    assertThat(decode(OpenAiFormat.INSTANCE, b, true).messages().get(0).text()).isEqualTo("BB");
    assertThat(decode(OpenAiFormat.INSTANCE, a, true).messages().get(0).text()).isEqualTo("Aa");
  }

  @Test
  void nothingIsKeptWhenNotAskedForOrForAnotherFormatOrWhenTheBodyIsLarge() {
    decode(OpenAiFormat.INSTANCE, body("x"), false);
    decode(OpenAiFormat.INSTANCE, body("x"), false);
    assertThat(parsed).hasValue(2);
    IngressFormat plugins = new OtherFormat();
    assertThat(decode(plugins, body("y"), true)).isNotSameAs(decode(plugins, body("y"), true));
    String large = body("z".repeat(RequestMemo.MAX_BODY_BYTES));
    assertThat(decode(OpenAiFormat.INSTANCE, large, true)).isNotSameAs(decode(OpenAiFormat.INSTANCE, large, true));
    assertThat(memo.size()).isZero();
  }

  @Test
  void theSameBytesInAnotherFormatAreDecodedByThatFormat() {
    IngressFormat other = new OtherFormat();
    RequestMemo both = new RequestMemo(1 << 20, Set.of(OpenAiFormat.INSTANCE, other));
    ChatRequest openAi = decode(both, OpenAiFormat.INSTANCE, body("q"), true);
    assertThat(decode(both, other, body("q"), true)).isNotSameAs(openAi)
        .isSameAs(decode(both, other, body("q"), true));
    assertThat(both.size()).isEqualTo(2);
  }

  @Test
  void aBadBodyFailsEveryTimeAndIsNotKept() {
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> decode(OpenAiFormat.INSTANCE, "{\"model\":", true)).isInstanceOf(GatewayError.class)
          .hasMessageContaining("not valid JSON");
      assertThatThrownBy(() -> decode(OpenAiFormat.INSTANCE, "{\"model\":\"m\"}", true))
          .isInstanceOf(GatewayError.class);
    }
    assertThat(memo.size()).isZero();
  }

  @Test
  void theBoundInBytesEvictsOldBodies() {
    RequestMemo small = new RequestMemo(8 * 1024, Set.of(OpenAiFormat.INSTANCE));
    for (int i = 0; i < 200; i++) {
      small.decode(OpenAiFormat.INSTANCE, Buffer.buffer(body("question " + i)), headers, true, Routes::parse);
    }
    assertThat(small.size()).isBetween(1L, 60L);
  }

  /** A format the memo is not told of, as a plugin's: its decoding may read headers. */
  private static final class OtherFormat implements IngressFormat {
    @Override
    public String path() {
      return "/test";
    }

    @Override
    public ChatRequest decodeRequest(JsonObject body, MultiMap headers) {
      return OpenAiRequests.decodeChat(body);
    }

    @Override
    public Buffer encodeResponse(ChatResponse response, ChatRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public StreamEncoder streamEncoder(ChatRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Buffer encodeError(GatewayError error) {
      throw new UnsupportedOperationException();
    }
  }
}

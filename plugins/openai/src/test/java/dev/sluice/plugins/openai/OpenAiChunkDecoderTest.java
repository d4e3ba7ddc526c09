package dev.sluice.plugins.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.GatewayError;
import dev.sluice.api.GatewayError.Kind;
import dev.sluice.api.model.ChatChunk;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenAiChunkDecoderTest {
  private final OpenAiChunkDecoder decoder = new OpenAiChunkDecoder("provider 'p'");
  private final List<ChatChunk> chunks = new ArrayList<>();

  private void feed(String text) {
    decoder.decode(Buffer.buffer(text), chunks::add);
  }

  @Test
  void decodesChunksSplitAcrossReadsAndStopsAtDone() {
    String chunk = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
        + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}]}\r\n\r\n";
    feed(chunk.substring(0, 17));
    feed(chunk.substring(17) + ": keep-alive comment\n\n");
    feed("data: {\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,"
        + "\"total_tokens\":5}}\n\ndata: [DONE]\n\ndata: {not json after done}\n\n");
    decoder.finish(chunks::add);
    assertThat(chunks).hasSize(2);
    assertThat(chunks.get(0).choices().get(0).content()).isEqualTo("Hel");
    assertThat(chunks.get(1).usage().totalTokens()).isEqualTo(5);
  }

  @Test
  void errorEventsBecomeTheirKind() {
    assertKind("data: {\"error\":{\"message\":\"slow down\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}\n\n",
        Kind.RATE_LIMITED);
    assertKind("data: {\"error\":{\"message\":\"boom\",\"type\":\"server_error\",\"code\":null}}\n\n",
        Kind.UPSTREAM_5XX);
    assertKind("event: error\ndata: {\"message\":\"odd\"}\n\n", Kind.UPSTREAM_5XX);
    assertKind("data: {\"choices\":[{\"delta\":\n\n", Kind.UPSTREAM_PROTOCOL);
    assertKind("data: [1,2]\n\n", Kind.UPSTREAM_PROTOCOL);
  }

  @Test
  void chunksReadFromBytesAndFromTextAlike() {
    byte[] odd = {(byte) 0xC0, (byte) 0x80, ' ', (byte) 0xE2, (byte) 0x9C};  // decoded with replacements
    Buffer stream = Buffer.buffer("data: {\"id\":\"a\",\"choices\":[{\"delta\":{\"content\":\"h\u00e9 \ud83d\ude00 ")
        .appendBytes(odd).appendString("\"}}]}\n\n")
        .appendString("data:  \t{\"id\":\"b\",\"choices\":[{\"delta\":{\"content\":\"\\u00e9\"}}]}\n\n")
        .appendString("data: {\"id\":\"c\",\n")
        .appendString("data: \"choices\":[]}\n\n")
        .appendString("data:  [DONE] \n\n");
    byte[] bytes = stream.getBytes();
    for (int cut = 0; cut <= bytes.length; cut++) {  // every split point, inside multi-byte characters too
      OpenAiChunkDecoder fresh = new OpenAiChunkDecoder("provider 'p'");
      List<ChatChunk> got = new ArrayList<>();
      fresh.decode(Buffer.buffer().appendBytes(bytes, 0, cut), got::add);
      fresh.decode(Buffer.buffer().appendBytes(bytes, cut, bytes.length - cut), got::add);
      fresh.finish(got::add);
      assertThat(got).as("cut at %d", cut).extracting(ChatChunk::id).containsExactly("a", "b", "c");
      assertThat(got.get(0).choices().get(0).content())
          .isEqualTo("h\u00e9 \ud83d\ude00 " + new String(odd, java.nio.charset.StandardCharsets.UTF_8));
      assertThat(got.get(1).choices().get(0).content()).isEqualTo("\u00e9");
    }
    assertKind("event: error\ndata: {\"error\":{\"type\":\"rate_limit_error\"}}\n\n", Kind.RATE_LIMITED);
    assertKind("data: {\"choices\":7,\"error\":{\"code\":\"rate_limit_exceeded\"}}\n\n", Kind.RATE_LIMITED);
  }

  @Test
  void aStreamWithoutDoneIsAProtocolError() {
    feed("data: {\"id\":\"c\",\"choices\":[]}\n\n");
    assertThatThrownBy(() -> decoder.finish(chunks::add)).isInstanceOf(GatewayError.class)
        .satisfies(e -> assertThat(((GatewayError) e).kind()).isEqualTo(Kind.UPSTREAM_PROTOCOL))
        .hasMessageContaining("[DONE]");
  }

  private static void assertKind(String event, Kind kind) {
    OpenAiChunkDecoder fresh = new OpenAiChunkDecoder("provider 'p'");
    assertThatThrownBy(() -> fresh.decode(Buffer.buffer(event), c -> { }))
        .isInstanceOf(GatewayError.class)
        .satisfies(e -> assertThat(((GatewayError) e).kind()).as(e.getMessage()).isEqualTo(kind));
  }
}

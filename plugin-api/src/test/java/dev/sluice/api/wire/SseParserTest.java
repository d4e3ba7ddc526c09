package dev.sluice.api.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.GatewayError;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SseParserTest {
  private final List<SseEvent> events = new ArrayList<>();
  private final SseParser parser = new SseParser(events::add);

  private static final String STREAM = ": keep-alive comment\r\n"
      + "event: message_start\r\n"
      + "id: 7\r\n"
      + "data: {\"a\":\"héllo ✓\"}\r\n"
      + "\r\n"
      + "data:first\n"
      + "data:  second, one space kept\n"
      + "retry: 100\n"
      + "\n"
      + "data: cr only\r\r"
      + "event: lone\n\n"
      + "data: [DONE]\n\n";

  private static final List<SseEvent> EXPECTED = List.of(
      new SseEvent("message_start", "{\"a\":\"héllo ✓\"}", "7"),
      // the last event id carries over to later events, as the standard says
      new SseEvent(null, "first\n second, one space kept", "7"),
      new SseEvent(null, "cr only", "7"),
      new SseEvent(null, "[DONE]", "7"));

  @Test
  void readsEveryLineEndingCommentsFieldsAndMultiLineData() {
    parser.feed(Buffer.buffer(STREAM));
    assertThat(events).containsExactlyElementsOf(EXPECTED);
    assertThat(parser.hasPartialEvent()).isFalse();
  }

  @Test
  void givesTheSameEventsWhateverWayTheBytesAreSplit() {
    byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
    // every split point: inside CRLF pairs and inside multi-byte UTF-8 characters too
    for (int cut = 0; cut <= bytes.length; cut++) {
      events.clear();
      SseParser split = new SseParser(events::add);
      split.feed(Buffer.buffer().appendBytes(bytes, 0, cut));
      split.feed(Buffer.buffer().appendBytes(bytes, cut, bytes.length - cut));
      assertThat(events).as("cut at %d", cut).containsExactlyElementsOf(EXPECTED);
    }
    events.clear();
    SseParser byteByByte = new SseParser(events::add);
    for (byte b : bytes) byteByByte.feed(Buffer.buffer(new byte[] {b}));
    assertThat(events).containsExactlyElementsOf(EXPECTED);
  }

  @Test
  void anUnfinishedEventIsPartialUntilItsBlankLine() {
    parser.feed(Buffer.buffer("data: half"));
    assertThat(parser.hasPartialEvent()).isTrue();
    parser.feed(Buffer.buffer(" and rest\n"));
    assertThat(events).isEmpty();
    assertThat(parser.hasPartialEvent()).isTrue();
    parser.feed(Buffer.buffer("\n"));
    assertThat(events).containsExactly(new SseEvent(null, "half and rest", null));
  }

  @Test
  void anEventOverTheLimitFailsTheStream() {
    SseParser small = new SseParser(events::add, 64);
    assertThatThrownBy(() -> small.feed(Buffer.buffer("data: " + "x".repeat(100))))
        .isInstanceOf(GatewayError.class).hasMessageContaining("over 64 bytes");
    SseParser lines = new SseParser(events::add, 64);
    assertThatThrownBy(() -> {
      for (int i = 0; i < 10; i++) lines.feed(Buffer.buffer("data: " + "y".repeat(20) + "\n"));
    }).isInstanceOf(GatewayError.class);
  }

  @Test
  void theByteSinkGetsTheDataBytesAndAOneLineEventIsASliceOfTheRead() {
    List<String> got = new ArrayList<>();
    List<Integer> offsets = new ArrayList<>();
    SseParser bytes = SseParser.ofBytes((event, data, offset, length, id) -> {
      got.add(event + "|" + new String(data, offset, length, StandardCharsets.UTF_8) + "|" + id);
      offsets.add(offset);
    });
    bytes.feed(Buffer.buffer(STREAM));
    assertThat(got).containsExactly("message_start|{\"a\":\"héllo ✓\"}|7", "null|first\n second, one space kept|7",
        "null|cr only|7", "null|[DONE]|7");
    // not copied out of the bytes read: the data starts where it lies, after "data: "
    assertThat(offsets.get(0)).isEqualTo(STREAM.getBytes(StandardCharsets.UTF_8).length
        - STREAM.substring(STREAM.indexOf("data: {")).getBytes(StandardCharsets.UTF_8).length + 6);
  }

  /**
   * Random streams, with invalid UTF-8 too, split at random points: the same events as the line-by-line reference
   * (decode each line, then join the data lines), which is how this parser worked before it kept bytes.
   */
  @Test
  void randomStreamsGiveTheSameEventsAsDecodingLineByLine() {
    Random random = new Random(11);
    String[] pieces = {"data:", "data: ", "event: e", "id: 1", ": c", "retry: 3", "x", "é", "✓", "😀", "\n", "\r",
        "\r\n", "\n\n", ":", " ", "dat", "a"};
    byte[][] odd = {{(byte) 0xE2, (byte) 0x9C}, {(byte) 0xC3}, {(byte) 0xF0, (byte) 0x9F}, {(byte) 0x80},
        {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}};
    for (int n = 0; n < 3000; n++) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      int count = random.nextInt(40);
      for (int i = 0; i < count; i++) {
        byte[] piece = random.nextInt(8) == 0 ? odd[random.nextInt(odd.length)]
            : pieces[random.nextInt(pieces.length)].getBytes(StandardCharsets.UTF_8);
        out.writeBytes(piece);
      }
      byte[] stream = out.toByteArray();
      List<SseEvent> expected = reference(stream);
      events.clear();
      SseParser split = new SseParser(events::add);
      for (int at = 0; at < stream.length; ) {
        int next = Math.min(stream.length, at + 1 + random.nextInt(8));
        split.feed(Buffer.buffer().appendBytes(stream, at, next - at));
        at = next;
      }
      assertThat(events).as(Arrays.toString(stream)).containsExactlyElementsOf(expected);
    }
  }

  /** The previous parser's rules, on a whole stream: lines decoded one by one, data lines joined with LF. */
  private static List<SseEvent> reference(byte[] stream) {
    List<SseEvent> out = new ArrayList<>();
    String name = null;
    String id = null;
    StringBuilder data = null;
    int start = 0;
    for (int i = 0; i < stream.length; i++) {
      if (stream[i] != '\n' && stream[i] != '\r') continue;
      String line = new String(stream, start, i - start, StandardCharsets.UTF_8);
      if (stream[i] == '\r' && i + 1 < stream.length && stream[i + 1] == '\n') i++;
      start = i + 1;
      if (line.isEmpty()) {
        if (data != null) out.add(new SseEvent(name, data.toString(), id));
        data = null;
        name = null;
        continue;
      }
      if (line.charAt(0) == ':') continue;
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1 < line.length() && line.charAt(colon + 1) == ' '
          ? colon + 2 : colon + 1);
      switch (field) {
        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        case "event" -> name = value;
        case "id" -> id = value;
        default -> { }
      }
    }
    return out;
  }
}

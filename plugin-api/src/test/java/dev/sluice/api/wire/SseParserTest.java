package dev.sluice.api.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.GatewayError;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
}

package dev.sluice.gateway.governance;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** Bodies as the request log stores them: cut to the limit and marked, never with a NUL PostgreSQL rejects. */
class BodiesTest {
  @Test
  void shortBodiesAreKeptWhole() {
    assertThat(Bodies.request(Buffer.buffer("{\"a\":1}"), 100)).isEqualTo("{\"a\":1}");
    assertThat(Bodies.text("hello", 5)).isEqualTo("hello");
    assertThat(Bodies.request(null, 10)).isNull();
    assertThat(Bodies.text(null, 10)).isNull();
  }

  @Test
  void longBodiesAreCutAndMarked() {
    assertThat(Bodies.request(Buffer.buffer("0123456789"), 4)).isEqualTo("0123" + Bodies.CUT);
    assertThat(Bodies.text("0123456789", 3)).isEqualTo("012" + Bodies.CUT);
  }

  @Test
  void nulCharactersAreReplaced() {
    assertThat(Bodies.text("a\0b", 100)).isEqualTo("a b");
    assertThat(Bodies.request(Buffer.buffer(new byte[] {'x', 0, 'y'}), 100)).isEqualTo("x y");
  }
}

package dev.sluice.wire.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class OneOrMoreTest {

  @Test
  void oneElementStaysImmutableAndMoreKeepTheirOrder() {
    List<String> one = OneOrMore.plus(null, "a");
    assertThat(one).containsExactly("a");
    assertThat(List.copyOf(one)).as("kept as it is by the records").isSameAs(one);
    assertThatThrownBy(() -> one.add("x")).isInstanceOf(UnsupportedOperationException.class);
    List<String> three = OneOrMore.plus(OneOrMore.plus(one, "b"), "c");
    assertThat(three).containsExactly("a", "b", "c");
    assertThat(one).as("the one-element list is not changed").containsExactly("a");
  }
}

package dev.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void retryAfterReadsMillisecondsFirstThenSeconds() {
    assertThat(Durations.retryAfter("250", "9")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.retryAfter(null, " 1.5 ")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.retryAfter("12.9", null)).isEqualTo(Duration.ofMillis(12));
  }

  @Test
  void retryAfterWithoutAReadableHintIsNull() {
    assertThat(Durations.retryAfter(null, null)).isNull();
    assertThat(Durations.retryAfter(null, "Wed, 21 Oct 2026 07:28:00 GMT")).isNull();
    assertThat(Durations.retryAfter("soon", "3")).isNull();
  }
}

package dev.sluice.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The timing headers' numbers: plain decimals, as {@link Double#toString} wrote them before from 0.001 on. */
class ResponseHeadersTest {

  /** The exact decimal, no trailing zeros, at least one fraction digit. */
  private static String reference(long units, int scale) {
    String plain = BigDecimal.valueOf(units, scale).stripTrailingZeros().toPlainString();
    return plain.contains(".") ? plain : plain + ".0";
  }

  private static void check(long units, int scale) {
    String got = ChatEndpoint.decimal(units, scale);
    assertThat(got).as("%d at scale %d", units, scale).isEqualTo(reference(units, scale));
    double value = units / Math.pow(10, scale);
    if (value == 0 || value >= 1e-3) {
      assertThat(got).as("%d at scale %d as before", units, scale).isEqualTo(Double.toString(value));
    }
  }

  @Test
  void decimalsAreExactAndReadAsBefore() {
    long[] edges = {0, 1, 9, 10, 11, 99, 100, 101, 105, 110, 999, 1000, 1001, 1050, 123_456, 9_999_999};
    for (int scale = 1; scale <= 4; scale++) {
      for (long u : edges) check(u, scale);
      SplittableRandom random = new SplittableRandom(scale);
      long bound = 1_000_000L * (long) Math.pow(10, scale);  // below 10^6 ms, as a request's time is
      for (int i = 0; i < 20_000; i++) check(random.nextLong(bound), scale);
    }
  }

  @Test
  void serverTimingHasATenthOfAMicrosecondResolution() {
    assertThat(ChatEndpoint.serverTiming(0.0123456)).isEqualTo("sluice;dur=0.0123");
    assertThat(ChatEndpoint.serverTiming(0.00042)).isEqualTo("sluice;dur=0.0004");
    assertThat(ChatEndpoint.serverTiming(52.5)).isEqualTo("sluice;dur=52.5");
    assertThat(ChatEndpoint.serverTiming(0)).isEqualTo("sluice;dur=0.0");
  }
}

package dev.sluice.gateway.pricing;

import dev.sluice.gateway.cache.CacheListener;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.model.Usage;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Cached-token prices and the per-request counterfactual's arithmetic. */
class CounterfactualTest {
  private static final PriceCatalog CATALOG = PriceCatalog.load(Map.of());

  @Test
  void cacheReadsAndWritesArePricedAtTheirOwnRates() {
    Price sonnet = CATALOG.find("claude", "claude-sonnet-4-20250514");
    // 3000 prompt tokens: 2000 read from the cache, 500 written to it, 500 plain; 100 output.
    Usage u = new Usage(3000, 100, 3100, 2000, 500, 0);
    double expected = (500 * 3.00 + 2000 * 0.30 + 500 * 3.75 + 100 * 15.00) / 1e6;
    assertThat(sonnet.cost(u)).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
    Price mini = CATALOG.find("gpt", "gpt-4o-mini-2024-07-18");
    Usage cached = new Usage(1000, 10, 1010, 800, 0, 0);
    assertThat(mini.cost(cached)).isCloseTo((200 * 0.15 + 800 * 0.075 + 10 * 0.60) / 1e6,
        org.assertj.core.data.Offset.offset(1e-12));
    // Bedrock ids with a region prefix are priced like the model itself.
    assertThat(CATALOG.find("x", "us.anthropic.claude-3-5-haiku-20241022-v1:0")).isNotNull();
  }

  @Test
  void theLeversAndTheActualCostAddUpToTheBaselineExactly() {
    Random rnd = new Random(3);
    Price premium = Price.of(3.0, 15.0, 0.3, 3.75);
    Price cheap = Price.of(0.25, 1.25, 0.025, 0.3);
    CacheListener.Outcome[] caches = {CacheListener.Outcome.MISS, CacheListener.Outcome.HIT,
        CacheListener.Outcome.SEMANTIC_HIT, null, CacheListener.Outcome.BYPASS};
    for (int i = 0; i < 2000; i++) {
      int prompt = rnd.nextInt(20_000);
      int cachedTokens = rnd.nextInt(prompt + 1);
      int written = rnd.nextInt(prompt - cachedTokens + 1);
      int out = rnd.nextInt(2000);
      Usage u = new Usage(prompt, out, prompt + out, cachedTokens, written, 0);
      Price served = rnd.nextBoolean() ? premium : cheap;
      Price asked = rnd.nextInt(4) == 0 ? null : premium;
      CacheListener.Outcome cache = caches[rnd.nextInt(caches.length)];
      Counterfactual.Outcome o = Counterfactual.of(u, served, asked, cache == CacheListener.Outcome.HIT,
          cache == CacheListener.Outcome.SEMANTIC_HIT, rnd.nextInt(5000), rnd.nextBoolean(),
          rnd.nextInt(3) == 0 ? rnd.nextInt(100_000) : 0);
      long sum = o.costNanos() + o.exactCache() + o.semanticCache() + o.routing() + o.shaping() + o.providerCache();
      assertThat(sum).as("case %d", i).isEqualTo(o.baselineNanos());
      if (cache != null && cache.hit()) {
        assertThat(o.routing() + o.providerCache()).isZero();
      }
      if (asked == premium && served == premium) assertThat(o.routing()).isZero();
    }
  }

  @Test
  void eachLeverIsMeasuredAgainstTheOneBeforeIt() {
    Price premium = Price.of(3.0, 15.0, 0.3, 3.75);
    Price cheap = Price.of(0.25, 1.25, 0.025, 0.3);
    Usage u = new Usage(10_000, 100, 10_100, 8_000, 0, 0);
    Counterfactual.Outcome o = Counterfactual.of(u, cheap, premium, false, false, 2_000, true, 1_000);
    assertThat(o.costNanos()).isEqualTo(Counterfactual.nanos(cheap.cost(u)) + 1_000);
    long noCache = Counterfactual.nanos(cheap.cost(Usage.of(10_000, 100)));
    assertThat(o.providerCache()).isEqualTo(noCache - Counterfactual.nanos(cheap.cost(u)));
    long unshaped = Counterfactual.nanos(cheap.cost(Usage.of(12_000, 100)));
    assertThat(o.shaping()).isEqualTo(unshaped - noCache - 1_000);
    assertThat(o.baselineNanos()).isEqualTo(Counterfactual.nanos(premium.cost(Usage.of(12_000, 100))));
    Counterfactual.Outcome unpriced = Counterfactual.of(u, null, premium, false, false, 0, false, 0);
    assertThat(unpriced.costNanos()).isNull();
    assertThat(unpriced.baselineNanos()).isNull();
  }
}

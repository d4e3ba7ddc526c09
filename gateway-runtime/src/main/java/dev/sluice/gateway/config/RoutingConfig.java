package dev.sluice.gateway.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The validated {@code routing:} section, and the routing traits of models (capabilities, price). Immutable;
 * a reload swaps it whole.
 *
 * @param strategy the default strategy's id (checked against the loaded plugins at start and on reload)
 * @param maxAttempts upstream attempts for one request in all, across retries and fallbacks
 * @param watch how often the config file's modification time is checked for a reload; zero: never
 */
public record RoutingConfig(String strategy, Retries retries, Timeouts timeouts, Breaker breaker, int maxAttempts,
                            List<Fallback> fallbacks, List<Rule> rules, Duration watch) {
  public static final String DEFAULT_STRATEGY = "weighted";

  public RoutingConfig {
    fallbacks = List.copyOf(fallbacks);
    rules = List.copyOf(rules);
  }

  /**
   * @param attempts tries per model group, the first included
   * @param backoff the wait before the second try; doubled for each next one, with jitter
   * @param on the failures worth another try: statuses (429, 500, ...), {@code 5xx}, {@code timeout},
   *     {@code connection}, {@code protocol}
   * @param maxRetryAfter the longest {@code retry-after} an upstream may make a request wait
   */
  public record Retries(int attempts, Duration backoff, Duration maxBackoff, Set<String> on, Duration maxRetryAfter) {
    public Retries {
      on = Set.copyOf(on);
    }
  }

  /**
   * @param firstToken per attempt: until a stream's first content, or a whole non-streamed answer
   * @param idle the longest gap between two chunks of a stream that has started; zero: no limit
   * @param total the whole request, every attempt and wait included
   */
  public record Timeouts(Duration firstToken, Duration idle, Duration total) {}

  /**
   * @param failureRatio the breaker opens when failed / all attempts in {@code window} reach this
   * @param minRequests ... and at least this many attempts were made in the window
   * @param openFor how long it stays open before one probe request may go through (half-open)
   */
  public record Breaker(double failureRatio, int minRequests, Duration window, Duration openFor) {}

  /** {@code from} a group (or {@code *}) {@code on} these failures, try the groups {@code to}, in order. */
  public record Fallback(String path, String from, Set<String> on, List<String> to) {
    public Fallback {
      on = Set.copyOf(on);
      to = List.copyOf(to);
    }
  }

  /**
   * A routing rule: when every condition holds, the request goes to {@code route} (or the deployments of
   * every group in {@code candidates}), with {@code strategy}, {@code retries} and {@code timeouts} replacing
   * the defaults, and {@code shaping} (compaction, compression, prompt caching) applied before the cache. Every
   * part but {@code when} is optional (null or empty).
   */
  public record Rule(String path, List<Condition> when, String route, List<String> candidates, String strategy,
                     Retries retries, Timeouts timeouts, Double quality, String estimator,
                     ShapingConfig shaping) {
    public Rule {
      when = List.copyOf(when);
      candidates = List.copyOf(candidates);
      shaping = shaping == null ? ShapingConfig.NONE : shaping;
    }

    public Rule(String path, List<Condition> when, String route, List<String> candidates, String strategy,
                Retries retries, Timeouts timeouts) {
      this(path, when, route, candidates, strategy, retries, timeouts, null, null, ShapingConfig.NONE);
    }

    public Rule(String path, List<Condition> when, String route, List<String> candidates, String strategy,
                Retries retries, Timeouts timeouts, Double quality, String estimator) {
      this(path, when, route, candidates, strategy, retries, timeouts, quality, estimator, ShapingConfig.NONE);
    }

    /** Whether this rule picks one of its candidate groups per request ({@code strategy: cheapest-capable}). */
    public boolean cheapestCapable() {
      return CHEAPEST_CAPABLE.equals(strategy);
    }
  }

  /**
   * The rule strategy that picks, among a rule's candidate groups, the cheapest that can serve the request and
   * whose tier is trusted with its difficulty; not a deployment strategy (the group's deployments are then
   * ordered by {@code routing.strategy}).
   */
  public static final String CHEAPEST_CAPABLE = "cheapest-capable";
  /** A cheapest-capable rule's {@code quality} when it sets none. */
  public static final double DEFAULT_QUALITY = 0.5;
  /** A cheapest-capable rule's {@code estimator} when it sets none: the winner of {@code bench/routing}. */
  public static final String DEFAULT_ESTIMATOR = "length";
  /** {@code models[].tier} names and their strengths (a number from 0 to 1 is accepted too). */
  public static final Map<String, Double> TIERS = Map.of("economy", 0.0, "standard", 0.5, "premium", 1.0);

  /**
   * One test of a rule: {@code subject} is {@code key}, {@code team}, {@code user}, {@code org}, {@code model},
   * {@code tokens}, {@code metadata.<name>} or {@code header.<name>}.
   */
  public record Condition(String subject, Op op, Object value) {}

  public enum Op { EQ, NE, IN, NOT_IN, GT, GTE, LT, LTE, MATCHES, EXISTS }

  /**
   * What a model (or one deployment) can serve; the capability filter drops deployments that cannot serve a
   * request.
   *
   * @param contextWindow prompt plus output tokens, at most
   */
  public record Capabilities(int contextWindow, int maxOutputTokens, boolean tools, boolean vision,
                             boolean jsonSchema) {
    public static final Capabilities DEFAULT = new Capabilities(128_000, 16_384, true, true, true);
  }

  /** USD per million tokens. */
  public record Price(double input, double output) {}

  /** Failure names {@code fallbacks[].on} accepts, and the default when it is omitted. */
  public static final Set<String> FALLBACK_CONDITIONS = Set.of("rate_limit", "5xx", "timeout", "unavailable",
      "protocol", "context_window_exceeded", "content_filter");
  public static final Set<String> DEFAULT_FALLBACK_ON = Set.of("rate_limit", "5xx", "timeout", "unavailable",
      "protocol");
  public static final Map<String, String> RETRY_WORDS = Map.of("5xx", "any 5xx status", "timeout", "a timeout",
      "connection", "an unreachable upstream", "protocol", "a broken answer");
}

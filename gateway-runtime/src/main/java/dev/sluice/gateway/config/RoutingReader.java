package dev.sluice.gateway.config;

import dev.sluice.api.ConfigError;
import dev.sluice.gateway.config.RoutingConfig.Breaker;
import dev.sluice.gateway.config.RoutingConfig.Capabilities;
import dev.sluice.gateway.config.RoutingConfig.Condition;
import dev.sluice.gateway.config.RoutingConfig.Fallback;
import dev.sluice.gateway.config.RoutingConfig.Op;
import dev.sluice.gateway.config.RoutingConfig.Price;
import dev.sluice.gateway.config.RoutingConfig.Retries;
import dev.sluice.gateway.config.RoutingConfig.Rule;
import dev.sluice.gateway.config.RoutingConfig.Timeouts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads {@code routing:} and the routing keys of {@code models[]}; every error names its path and bad value. */
final class RoutingReader {
  static final Retries DEFAULT_RETRIES = new Retries(2, Duration.ofMillis(200), Duration.ofSeconds(5),
      Set.of("429", "5xx", "timeout", "connection", "protocol"), Duration.ofSeconds(30));
  static final Timeouts DEFAULT_TIMEOUTS = new Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(60),
      Duration.ofSeconds(600));
  static final Breaker DEFAULT_BREAKER = new Breaker(0.5, 10, Duration.ofSeconds(30), Duration.ofSeconds(30));
  private static final Set<String> SUBJECTS = Set.of("key", "team", "user", "org", "model", "tokens");

  private RoutingReader() {}

  /** The routing section; {@code models} holds every declared model name and alias, for dangling references. */
  static RoutingConfig routing(Node r, Set<String> models, Consumer<ConfigError> problems) {
    attempt(problems, null, () -> {
      r.allowOnly("strategy", "retries", "timeouts", "breaker", "max_attempts", "fallbacks", "rules", "watch");
      return null;
    });
    String strategy = r.string("strategy", RoutingConfig.DEFAULT_STRATEGY);
    Retries retries = attempt(problems, DEFAULT_RETRIES, () -> retries(r.child("retries"), DEFAULT_RETRIES));
    Timeouts timeouts = attempt(problems, DEFAULT_TIMEOUTS, () -> timeouts(r.child("timeouts"), DEFAULT_TIMEOUTS));
    Breaker breaker = attempt(problems, DEFAULT_BREAKER, () -> breaker(r.child("breaker")));
    int maxAttempts = attempt(problems, 6, () -> r.integer("max_attempts", 6, 1, 100));
    Duration watch = attempt(problems, Duration.ofSeconds(5), () -> "off".equals(r.raw("watch")) ? Duration.ZERO
        : r.duration("watch", Duration.ofSeconds(5)));
    List<Fallback> fallbacks = new ArrayList<>();
    for (Node f : attempt(problems, List.<Node>of(), () -> r.list("fallbacks"))) {
      Fallback fb = attempt(problems, null, () -> fallback(f, models));
      if (fb != null) fallbacks.add(fb);
    }
    List<Rule> rules = new ArrayList<>();
    for (Node n : attempt(problems, List.<Node>of(), () -> r.list("rules"))) {
      Rule rule = attempt(problems, null, () -> rule(n, models, retries, timeouts));
      if (rule != null) rules.add(rule);
    }
    return new RoutingConfig(strategy, retries, timeouts, breaker, maxAttempts, fallbacks, rules, watch);
  }

  static RoutingConfig defaults() {
    return new RoutingConfig(RoutingConfig.DEFAULT_STRATEGY, DEFAULT_RETRIES, DEFAULT_TIMEOUTS, DEFAULT_BREAKER, 6,
        List.of(), List.of(), Duration.ofSeconds(5));
  }

  static Retries retries(Node n, Retries base) {
    n.allowOnly("attempts", "backoff", "max_backoff", "on", "max_retry_after");
    Set<String> on = base.on();
    if (n.has("on")) {
      on = new LinkedHashSet<>();
      List<Object> items = items(n, "on");
      for (int i = 0; i < items.size(); i++) {
        Object v = items.get(i);
        String s = String.valueOf(v).toLowerCase(Locale.ROOT);
        boolean status = s.matches("\\d{3}") && (s.equals("429") || s.equals("408") || s.startsWith("5"));
        if (!status && !RoutingConfig.RETRY_WORDS.containsKey(s)) {
          throw ConfigError.invalid(n.pathOf("on") + "[" + i + "]", v, "expected 429, 408, a 5xx status, or one of "
              + String.join(", ", RoutingConfig.RETRY_WORDS.keySet().stream().sorted().toList())
              + " (other failures are never retried)");
        }
        on.add(s);
      }
    }
    Duration backoff = n.duration("backoff", base.backoff());
    Duration maxBackoff = n.duration("max_backoff", base.maxBackoff());
    if (maxBackoff.compareTo(backoff) < 0) {
      throw ConfigError.invalid(n.pathOf("max_backoff"), n.raw("max_backoff"), "must not be shorter than backoff");
    }
    return new Retries(n.integer("attempts", base.attempts(), 1, 20), backoff, maxBackoff, on,
        n.duration("max_retry_after", base.maxRetryAfter()));
  }

  static Timeouts timeouts(Node n, Timeouts base) {
    n.allowOnly("first_token", "idle", "total");
    Duration firstToken = positive(n, "first_token", base.firstToken());
    Duration idle = n.duration("idle", base.idle());
    Duration total = positive(n, "total", base.total());
    return new Timeouts(firstToken, idle, total);
  }

  private static Duration positive(Node n, String key, Duration base) {
    Duration d = n.duration(key, base);
    if (d.isZero()) throw ConfigError.invalid(n.pathOf(key), n.raw(key), "must be longer than zero");
    return d;
  }

  private static Breaker breaker(Node n) {
    n.allowOnly("failure_ratio", "min_requests", "window", "open_for");
    return new Breaker(number(n, "failure_ratio", DEFAULT_BREAKER.failureRatio(), 0.01, 1.0),
        n.integer("min_requests", DEFAULT_BREAKER.minRequests(), 1, 100_000),
        positive(n, "window", DEFAULT_BREAKER.window()), positive(n, "open_for", DEFAULT_BREAKER.openFor()));
  }

  private static Fallback fallback(Node f, Set<String> models) {
    f.allowOnly("from", "on", "to");
    String from = f.requireString("from", "a model name, or \"*\" for every model");
    if (!from.equals("*")) known(f.pathOf("from"), from, models);
    Set<String> on = RoutingConfig.DEFAULT_FALLBACK_ON;
    if (f.has("on")) {
      on = new LinkedHashSet<>();
      List<Object> items = items(f, "on");
      for (int i = 0; i < items.size(); i++) {
        if (!RoutingConfig.FALLBACK_CONDITIONS.contains(items.get(i))) {
          throw ConfigError.invalid(f.pathOf("on") + "[" + i + "]", items.get(i), "expected one of "
              + String.join(", ", RoutingConfig.FALLBACK_CONDITIONS.stream().sorted().toList()));
        }
        on.add((String) items.get(i));
      }
    }
    List<String> to = models(f, "to", models);
    if (to.isEmpty()) throw ConfigError.missing(f.pathOf("to"), "the models to try instead, in order");
    if (to.contains(from)) throw ConfigError.invalid(f.pathOf("to"), from, "a model cannot fall back to itself");
    return new Fallback(f.path, from, on, to);
  }

  private static Rule rule(Node n, Set<String> models, Retries retries, Timeouts timeouts) {
    n.allowOnly("when", "route", "candidates", "strategy", "retries", "timeouts", "quality", "estimator",
        "compaction", "compression", "prompt_cache");
    if (!n.has("when")) throw ConfigError.missing(n.pathOf("when"), "the conditions, e.g. {team: research}");
    Node when = n.child("when");
    List<Condition> conditions = new ArrayList<>();
    for (String subject : when.values.fieldNames()) {
      Object spec = when.raw(subject);
      String path = when.pathOf(subject);
      if (subject.equals("metadata") || subject.equals("headers")) {
        Node map = when.child(subject);
        String prefix = subject.equals("metadata") ? "metadata." : "header.";
        for (String name : map.values.fieldNames()) {
          String key = subject.equals("headers") ? name.toLowerCase(Locale.ROOT) : name;
          conditions.add(condition(map.pathOf(name), prefix + key, map.raw(name)));
        }
      } else if (SUBJECTS.contains(subject)) {
        conditions.add(condition(path, subject, spec));
      } else {
        throw ConfigError.unknownKey(path, List.of("headers", "key", "metadata", "model", "org", "team", "tokens",
            "user"));
      }
    }
    String route = n.string("route", null);
    if (route != null) known(n.pathOf("route"), route, models);
    List<String> candidates = models(n, "candidates", models);
    if (route != null && !candidates.isEmpty()) {
      throw ConfigError.of(n.path, "set route or candidates, not both");
    }
    Retries r = n.has("retries") ? retries(n.child("retries"), retries) : null;
    Timeouts t = n.has("timeouts") ? timeouts(n.child("timeouts"), timeouts) : null;
    String strategy = n.string("strategy", null);
    ShapingConfig shaping = ShapingReader.read(n, (path, model) -> known(path, model, models));
    if (route == null && candidates.isEmpty() && strategy == null && r == null && t == null && !shaping.any()) {
      throw ConfigError.of(n.path, "a rule needs route, candidates, strategy, retries, timeouts, compaction, "
          + "compression or prompt_cache");
    }
    Double quality = null;
    String estimator = null;
    if (RoutingConfig.CHEAPEST_CAPABLE.equals(strategy)) {
      if (candidates.isEmpty()) {
        throw ConfigError.missing(n.pathOf("candidates"), "the model groups cheapest-capable chooses from, e.g. "
            + "[gpt-4o-mini, gpt-4o]");
      }
      quality = number(n, "quality", RoutingConfig.DEFAULT_QUALITY, 0, 1);
      estimator = n.string("estimator", RoutingConfig.DEFAULT_ESTIMATOR);
    } else {
      for (String key : List.of("quality", "estimator")) {
        if (n.has(key)) {
          throw ConfigError.invalid(n.pathOf(key), n.raw(key), "only a rule with strategy: "
              + RoutingConfig.CHEAPEST_CAPABLE + " uses " + key);
        }
      }
    }
    return new Rule(n.path, conditions, route, candidates, strategy, r, t, quality, estimator, shaping);
  }

  private static Condition condition(String path, String subject, Object spec) {
    boolean numeric = subject.equals("tokens");
    if (spec instanceof JsonObject ops) {
      if (ops.size() != 1) throw ConfigError.invalid(path, spec, "expected one operator, e.g. {gt: 8000}");
      String name = ops.fieldNames().iterator().next();
      Object value = ops.getValue(name);
      Op op;
      try {
        op = Op.valueOf(name.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw ConfigError.invalid(path + "." + name, name, "expected an operator: eq, ne, in, not_in, gt, gte, lt, "
            + "lte, matches, exists");
      }
      String at = path + "." + name;
      switch (op) {
        case GT, GTE, LT, LTE -> {
          if (!(value instanceof Number)) throw ConfigError.invalid(at, value, "expected a number");
        }
        case IN, NOT_IN -> {
          if (!(value instanceof JsonArray)) throw ConfigError.invalid(at, value, "expected a list");
          value = ((JsonArray) value).getList().stream().map(String::valueOf).toList();
        }
        case MATCHES -> {
          try {
            value = Pattern.compile(String.valueOf(value));
          } catch (PatternSyntaxException e) {
            throw ConfigError.invalid(at, value, "not a regular expression: " + e.getDescription());
          }
        }
        case EXISTS -> {
          if (!(value instanceof Boolean)) throw ConfigError.invalid(at, value, "expected true or false");
        }
        default -> {
          if (value == null || value instanceof JsonObject || value instanceof JsonArray) {
            throw ConfigError.invalid(at, value, "expected a single value");
          }
          value = String.valueOf(value);
        }
      }
      if (numeric && op != Op.GT && op != Op.GTE && op != Op.LT && op != Op.LTE && op != Op.EQ && op != Op.NE) {
        throw ConfigError.invalid(at, name, "tokens are compared with eq, ne, gt, gte, lt or lte");
      }
      return new Condition(subject, op, value);
    }
    if (spec instanceof JsonArray list) return new Condition(subject, Op.IN, list.getList().stream().map(String::valueOf).toList());
    if (spec == null) throw ConfigError.invalid(path, null, "expected a value, a list, or {operator: value}");
    if (numeric && !(spec instanceof Number)) throw ConfigError.invalid(path, spec, "expected a number or {gt: N}");
    return new Condition(subject, Op.EQ, String.valueOf(spec));
  }

  /** {@code models[].capabilities}, over {@code base}. */
  static Capabilities capabilities(Node n, Capabilities base) {
    n.allowOnly("context_window", "max_output_tokens", "tools", "vision", "json_schema");
    return new Capabilities(n.integer("context_window", base.contextWindow(), 1, 100_000_000),
        n.integer("max_output_tokens", base.maxOutputTokens(), 1, 100_000_000), n.bool("tools", base.tools()),
        n.bool("vision", base.vision()), n.bool("json_schema", base.jsonSchema()));
  }

  /** {@code models[].price}; null when absent. */
  static Price price(Node m) {
    if (!m.has("price")) return null;
    Node n = m.child("price");
    n.allowOnly("input", "output", "cached_input", "cache_write");
    if (!n.has("input") && !n.has("output")) throw ConfigError.missing(n.path, "input and/or output, USD per 1M tokens");
    return new Price(number(n, "input", 0, 0, 1_000_000), number(n, "output", 0, 0, 1_000_000));
  }

  /** {@code models[].tier}: economy, standard, premium or a strength from 0 to 1; null when absent. */
  static Double tier(Node m) {
    Object v = m.raw("tier");
    if (v == null) return null;
    if (v instanceof String s && RoutingConfig.TIERS.containsKey(s)) return RoutingConfig.TIERS.get(s);
    if (v instanceof Number num && num.doubleValue() >= 0 && num.doubleValue() <= 1) return num.doubleValue();
    throw ConfigError.invalid(m.pathOf("tier"), v, "expected economy, standard, premium, or a strength from 0 to 1");
  }

  static List<String> aliases(Node m) {
    List<String> out = new ArrayList<>();
    List<Object> items = m.has("aliases") ? items(m, "aliases") : List.of();
    for (int i = 0; i < items.size(); i++) {
      if (!(items.get(i) instanceof String s) || s.isBlank() || s.chars().anyMatch(Character::isWhitespace)) {
        throw ConfigError.invalid(m.pathOf("aliases") + "[" + i + "]", items.get(i), "expected a name without spaces");
      }
      out.add(s);
    }
    return out;
  }

  private static List<String> models(Node n, String key, Set<String> models) {
    List<String> out = new ArrayList<>();
    List<Object> items = n.has(key) ? items(n, key) : List.of();
    for (int i = 0; i < items.size(); i++) {
      String at = n.pathOf(key) + "[" + i + "]";
      if (!(items.get(i) instanceof String s)) throw ConfigError.invalid(at, items.get(i), "expected a model name");
      known(at, s, models);
      out.add(s);
    }
    return out;
  }

  private static void known(String path, String model, Set<String> models) {
    if (!models.contains(model)) {
      throw ConfigError.invalid(path, model, "no model has this name or alias (models: "
          + String.join(", ", models.stream().sorted().toList()) + ")");
    }
  }

  private static List<Object> items(Node n, String key) {
    Object v = n.raw(key);
    if (!(v instanceof JsonArray a)) throw ConfigError.invalid(n.pathOf(key), v, "expected a list");
    return a.getList();
  }

  private static double number(Node n, String key, double defaultValue, double min, double max) {
    Object v = n.raw(key);
    if (v == null) return defaultValue;
    if (!(v instanceof Number num) || num.doubleValue() < min || num.doubleValue() > max) {
      throw ConfigError.invalid(n.pathOf(key), v, "expected a number from " + min + " to " + max);
    }
    return num.doubleValue();
  }

  private static <T> T attempt(Consumer<ConfigError> problems, T fallback, java.util.function.Supplier<T> step) {
    try {
      return step.get();
    } catch (ConfigError e) {
      problems.accept(e);
      return fallback;
    }
  }
}

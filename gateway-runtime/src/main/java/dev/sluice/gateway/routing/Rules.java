package dev.sluice.gateway.routing;

import dev.sluice.gateway.config.RoutingConfig.Condition;
import dev.sluice.gateway.config.RoutingConfig.Rule;
import java.util.List;
import java.util.regex.Pattern;

/** {@code routing.rules}: the first rule whose every condition holds decides; null when none matches. */
final class Rules {
  private final List<Rule> rules;
  /** Requests matched against these rules: a request is planned, so matched, once. */
  private final java.util.concurrent.atomic.LongAdder matches = new java.util.concurrent.atomic.LongAdder();

  Rules(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  boolean isEmpty() {
    return rules.isEmpty();
  }

  /** The first rule {@code demand} from {@code subject} matches; the prompt is estimated only for a tokens condition. */
  Rule match(Demand demand, RuleSubject subject) {
    matches.increment();
    for (Rule rule : rules) {
      if (holds(rule.when(), demand, subject)) return rule;
    }
    return null;
  }

  long matches() {
    return matches.sum();
  }

  private static boolean holds(List<Condition> conditions, Demand demand, RuleSubject s) {
    for (Condition c : conditions) {
      if (!test(c, demand, s)) return false;
    }
    return true;
  }

  private static boolean test(Condition c, Demand demand, RuleSubject s) {
    String model = demand.model();
    if (c.subject().equals("tokens")) {
      int tokens = demand.promptTokens();
      double limit = c.value() instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(c.value()));
      return switch (c.op()) {
        case GT -> tokens > limit;
        case GTE -> tokens >= limit;
        case LT -> tokens < limit;
        case LTE -> tokens <= limit;
        case NE -> tokens != limit;
        default -> tokens == limit;
      };
    }
    String actual = value(c.subject(), model, s);
    return switch (c.op()) {
      case EXISTS -> (actual != null) == (Boolean) c.value();
      case EQ -> c.value().equals(actual);
      case NE -> !c.value().equals(actual);
      case IN -> actual != null && ((List<?>) c.value()).contains(actual);
      case NOT_IN -> actual == null || !((List<?>) c.value()).contains(actual);
      case MATCHES -> actual != null && ((Pattern) c.value()).matcher(actual).find();
      case GT, GTE, LT, LTE -> numeric(c, actual);
    };
  }

  private static boolean numeric(Condition c, String actual) {
    if (actual == null) return false;
    double a;
    try {
      a = Double.parseDouble(actual);
    } catch (NumberFormatException e) {
      return false;
    }
    double limit = ((Number) c.value()).doubleValue();
    return switch (c.op()) {
      case GT -> a > limit;
      case GTE -> a >= limit;
      case LT -> a < limit;
      default -> a <= limit;
    };
  }

  private static String value(String subject, String model, RuleSubject s) {
    return switch (subject) {
      case "model" -> model;
      case "key" -> s.keyId();
      case "team" -> s.team();
      case "user" -> s.user();
      case "org" -> s.org();
      default -> subject.startsWith("header.") ? s.header(subject.substring(7)) : s.metadata(subject.substring(9));
    };
  }
}

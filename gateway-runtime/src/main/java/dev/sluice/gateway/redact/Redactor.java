package dev.sluice.gateway.redact;

import dev.sluice.api.GatewayError;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one redaction facility of the runtime. It removes from text the secrets Sluice was configured with (every
 * provider's credentials, the master key, keys provisioned from config, storage and exporter passwords) and
 * anything shaped like a credential (bearer and basic tokens, {@code sk-...} keys, AWS access key ids and
 * signatures, Google API keys and OAuth tokens, credentials in URLs and in header or field names that hold one).
 * Everything relayed to clients as an error (bodies, messages, streamed error events) and every log line pass
 * through it; {@link #hint} is the one way a key is shown.
 *
 * <p>{@link #active()} is the JVM's redactor: the union of the secrets of every gateway running in it (logging
 * is JVM-wide, so redaction is too). A gateway {@link #register registers} its secrets when it starts and on every
 * reload, and closes its registration when it stops.
 */
public final class Redactor {
  public static final String MARK = "[redacted]";
  /** Configured secrets shorter than this are not searched for: they would blank out ordinary words. */
  static final int MIN_SECRET = 8;

  private static final Pattern SCHEME_TOKEN = Pattern.compile(
      "\\b((?i:bearer)\\s+)[A-Za-z0-9._~+/=-]{8,}|\\b(Basic\\s+)(?=[A-Za-z0-9+/]*[0-9+/=])[A-Za-z0-9+/]{8,}={0,2}");
  private static final List<String> FIELD_NAMES = List.of("authorization", "api-key", "api_key", "apikey",
      "x-amz-security-token", "access_token", "refresh_token", "id_token", "secret_access_key", "session_token",
      "client_secret", "password", "passwd", "master_key");
  private static final Pattern FIELD = Pattern.compile("(?i)(?<![\\w.-])([\"']?(?:authorization|proxy-authorization|x-api-key"
      + "|api-key|x-goog-api-key|api_key|apikey|x-amz-security-token|access_token|refresh_token|id_token"
      + "|secret_access_key|aws_secret_access_key|session_token|client_secret|password|passwd|master_key)"
      + "[\"']?\\s*[:=]\\s*[\"']?)(?!(?:bearer|basic|token)\\s+\\[)((?:bearer|basic|token)\\s+)?([^\\s\"',;&}\\[\\]]{4,})");
  private static final Pattern QUERY = Pattern.compile(
      "(?i)([?&](?:key|api_key|apikey|api-key|access_token|token|sig|signature|x-amz-signature"
          + "|x-amz-security-token|x-amz-credential)=)[^&\\s\"'#]+");
  private static final Pattern URL_PASSWORD = Pattern.compile("(://[^/\\s:@\"']+:)[^@/\\s\"']+@");
  private static final List<Pattern> SHAPES = List.of(
      Pattern.compile("\\bsk-[A-Za-z0-9_-]{20,}"),
      Pattern.compile("\\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA)[A-Z0-9]{16}\\b"),
      Pattern.compile("(?<=Signature=)[0-9a-fA-F]{64}"),
      Pattern.compile("\\bAIza[0-9A-Za-z_-]{35}"),
      Pattern.compile("\\bya29\\.[0-9A-Za-z_.-]{20,}"),
      Pattern.compile("\\beyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}"));
  /** What each of {@link #SHAPES} cannot match without. */
  private static final List<List<String>> SHAPE_HINTS = List.of(List.of("sk-"),
      List.of("AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AIDA", "AIPA", "ANPA", "ANVA", "AROA", "APKA"),
      List.of("Signature="), List.of("AIza"), List.of("ya29."), List.of("eyJ"));

  private static final Map<Object, Set<String>> REGISTERED = new ConcurrentHashMap<>();
  private static volatile Redactor active = new Redactor(List.of());

  private final List<String> secrets;

  private Redactor(List<String> secrets) {
    this.secrets = secrets;
  }

  /** A redactor of {@code secrets} (those of at least {@value #MIN_SECRET} characters) and of credential shapes. */
  public static Redactor of(Collection<String> secrets) {
    Set<String> kept = new TreeSet<>();
    for (String s : secrets) if (s != null && s.strip().length() >= MIN_SECRET) kept.add(s.strip());
    List<String> longestFirst = new ArrayList<>(kept);
    longestFirst.sort(Comparator.comparingInt(String::length).reversed());
    return new Redactor(List.copyOf(longestFirst));
  }

  /** The JVM's redactor: every registered gateway's secrets and the credential shapes. */
  public static Redactor active() {
    return active;
  }

  /**
   * Adds {@code secrets} to the JVM's redactor under {@code owner}, replacing what {@code owner} registered before
   * except that secrets once registered stay (an old credential may still be echoed by a request in flight).
   */
  public static void register(Object owner, Collection<String> secrets) {
    synchronized (REGISTERED) {
      REGISTERED.computeIfAbsent(owner, o -> new TreeSet<>()).addAll(secrets);
      rebuild();
    }
  }

  /** Forgets what {@code owner} registered (the gateway stopped). */
  public static void unregister(Object owner) {
    synchronized (REGISTERED) {
      REGISTERED.remove(owner);
      rebuild();
    }
  }

  private static void rebuild() {
    List<String> all = new ArrayList<>();
    REGISTERED.values().forEach(all::addAll);
    active = of(all);
  }

  /** {@code text} with every known secret and credential-shaped string replaced by {@value #MARK}. */
  public String scrub(String text) {
    if (text == null || text.length() < 8) return text;
    String out = text;
    for (String s : secrets) if (out.contains(s)) out = out.replace(s, MARK);
    // Each pattern runs only where a cheap look finds what it needs: most lines (the access log) hold none.
    String lower = out.toLowerCase(java.util.Locale.ROOT);
    if (containsAny(lower, FIELD_NAMES)) {
      out = FIELD.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1)
          + (m.group(2) == null ? "" : m.group(2)) + MARK));
    }
    if (lower.contains("bearer") || out.contains("Basic")) {
      out = SCHEME_TOKEN.matcher(out).replaceAll(m -> Matcher.quoteReplacement(
          (m.group(1) != null ? m.group(1) : m.group(2)) + MARK));
    }
    if (out.indexOf('=') >= 0 && (out.indexOf('?') >= 0 || out.indexOf('&') >= 0)) {
      out = QUERY.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MARK));
    }
    if (out.contains("://") && out.indexOf('@') >= 0) {
      out = URL_PASSWORD.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MARK + "@"));
    }
    for (int i = 0; i < SHAPES.size(); i++) {
      if (i == 0 ? longRunAfter(out, "sk-", 20) : containsAny(out, SHAPE_HINTS.get(i))) {
        out = SHAPES.get(i).matcher(out).replaceAll(MARK);
      }
    }
    return out;
  }

  /** Whether {@code prefix} occurs followed by at least {@code n} key characters (a key's hint is shorter). */
  private static boolean longRunAfter(String text, String prefix, int n) {
    for (int at = text.indexOf(prefix); at >= 0; at = text.indexOf(prefix, at + 1)) {
      int run = 0;
      for (int i = at + prefix.length(); i < text.length() && run < n; i++, run++) {
        char c = text.charAt(i);
        if (!(Character.isLetterOrDigit(c) || c == '-' || c == '_')) break;
      }
      if (run >= n) return true;
    }
    return false;
  }

  private static boolean containsAny(String text, List<String> needles) {
    for (String n : needles) if (text.contains(n)) return true;
    return false;
  }

  /** {@code error} with its message and parameter scrubbed; the same instance when there was nothing to remove. */
  public GatewayError scrub(GatewayError error) {
    String message = scrub(error.getMessage());
    String param = scrub(error.param());
    if (java.util.Objects.equals(message, error.getMessage()) && java.util.Objects.equals(param, error.param())) {
      return error;
    }
    return error.withText(message, param);
  }

  /**
   * How a key is shown and logged, and the {@code prefix} stored beside its hash: for a Sluice key
   * ({@code sk-sluice-}) the prefix and 4 characters, for any other at most 6 characters and never more than half
   * of it. Never enough to use or guess the key.
   */
  public static String hint(String secret) {
    String sluice = "sk-sluice-";
    int n = secret.startsWith(sluice) ? sluice.length() + 4 : Math.min(6, secret.length() / 2);
    return secret.substring(0, Math.min(n, secret.length()));
  }
}

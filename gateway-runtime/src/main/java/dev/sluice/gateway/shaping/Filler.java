package dev.sluice.gateway.shaping;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lossy compression of prose (opt-in, {@code lossy: [filler]}): politeness formulas, hedges and intensifiers
 * that cost tokens and rarely change an answer ("could you please", "basically", "really"), and wordy phrases
 * with a short equivalent ("in order to" to "to"). Code blocks and inline code are never touched.
 */
final class Filler {
  private record Rule(Pattern pattern, String replacement) {}

  private static final List<Rule> RULES = List.of(
      rule("i was wondering if you could", ""),
      rule("would you be so kind as to", ""),
      rule("could you please", ""),
      rule("can you please", ""),
      rule("would you please", ""),
      rule("i would like you to", ""),
      rule("i want you to", ""),
      rule("please", ""),
      rule("kindly", ""),
      rule("basically", ""),
      rule("actually", ""),
      rule("literally", ""),
      rule("really", ""),
      rule("very", ""),
      rule("just", ""),
      rule("simply", ""),
      rule("quite", ""),
      rule("in order to", "to"),
      rule("due to the fact that", "because"),
      rule("at this point in time", "now"),
      rule("for the purpose of", "for"),
      rule("in the event that", "if"));

  private static final Pattern SPACE_BEFORE_PUNCT = Pattern.compile(" +([,.;:!?])");
  private static final Pattern MULTI_SPACE = Pattern.compile("(?<=\\S) {2,}");
  private static final Pattern LEADING_COMMA = Pattern.compile("(^|[.!?]\\s+|\\n)[,;] *");

  private Filler() {}

  private static Rule rule(String phrase, String replacement) {
    return new Rule(Pattern.compile("(?<![-\\w])" + phrase.replace(" ", "\\s+") + "(?![-\\w])",
        Pattern.CASE_INSENSITIVE),
        replacement);
  }

  static String remove(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (Whitespace.Segment s : Whitespace.segments(text)) out.append(s.code() ? s.text() : prose(s.text()));
    return out.toString().strip();
  }

  private static String prose(String text) {
    // Inline code spans stay as they are: cut around them.
    StringBuilder out = new StringBuilder(text.length());
    String[] pieces = text.split("`", -1);
    for (int i = 0; i < pieces.length; i++) {
      if (i > 0) out.append('`');
      out.append(i % 2 == 1 ? pieces[i] : words(pieces[i]));
    }
    return out.toString();
  }

  private static String words(String text) {
    String s = text;
    for (Rule r : RULES) {
      Matcher m = r.pattern.matcher(s);
      if (!m.find()) continue;
      s = m.replaceAll(r.replacement);
    }
    if (s.equals(text)) return text;
    s = MULTI_SPACE.matcher(s).replaceAll(" ");
    s = SPACE_BEFORE_PUNCT.matcher(s).replaceAll("$1");
    s = LEADING_COMMA.matcher(s).replaceAll("$1");
    return recapitalized(text, s);
  }

  /** A text whose first word was removed starts with a capital again, as it did. */
  private static String recapitalized(String original, String s) {
    int o = firstLetter(original);
    int n = firstLetter(s);
    if (o < 0 || n < 0 || !Character.isUpperCase(original.charAt(o)) || !Character.isLowerCase(s.charAt(n))) return s;
    return s.substring(0, n) + Character.toUpperCase(s.charAt(n)) + s.substring(n + 1);
  }

  private static int firstLetter(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isLetter(s.charAt(i))) return i;
      if (!Character.isWhitespace(s.charAt(i))) return -1;
    }
    return -1;
  }
}

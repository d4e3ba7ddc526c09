package dev.sluice.gateway.cache;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Verifies a semantic candidate after the nearest-neighbour search: two questions close in embedding space are
 * still different questions when a meaning-bearing detail differs. It rejects a pair when the numbers differ,
 * when one is negated and the other not, when the question word differs (how / why / what ...), when the
 * named entities differ, when their shared key terms come in another order ("Celsius to Fahrenheit" against
 * "Fahrenheit to Celsius"), when more than {@code maxNewTerms} content words appear in one only, or when more
 * than {@code maxNewWords} other words do ("best", "should" against "can", "I" against "you"; articles and forms
 * of "be" and "do" are ignored). Designed and tuned on the calibration half of the QQP pairs
 * (bench/semantic-cache).
 */
final class PrecisionGuard {
  private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}]+(?:['’][\\p{L}]+)?");
  private static final Pattern NUMBER = Pattern.compile("\\p{N}+(?:[.,]\\p{N}+)*");
  private static final Set<String> NEGATIONS = Set.of("not", "no", "never", "nothing", "none", "nobody",
      "without", "cannot", "neither", "nor", "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent",
      "cant", "couldnt", "shouldnt", "wont", "wouldnt", "havent", "hasnt", "hadnt", "aint");
  private static final Set<String> QUESTION_WORDS = Set.of("what", "how", "why", "who", "whom", "whose", "when",
      "where", "which");
  private static final Set<String> STOP = Set.of("a", "an", "the", "is", "are", "was", "were", "be", "been",
      "being", "am", "do", "does", "did", "to", "of", "in", "on", "at", "for", "with", "by", "from", "and", "or",
      "i", "me", "my", "you", "your", "we", "our", "it", "its", "this", "that", "these", "those", "there", "can",
      "could", "should", "would", "will", "shall", "may", "might", "must", "have", "has", "had", "some", "any",
      "if", "as", "about", "into", "so", "than", "then", "just", "also", "very", "really", "get", "got", "one",
      "much", "many", "way", "ways", "best", "good", "someone", "something", "people", "person", "s", "t",
      "what", "how", "why", "who", "whom", "whose", "when", "where", "which", "all", "more", "most", "out", "up");

  /**
   * Words whose presence changes nothing a cached answer depends on (articles, forms of "be" and "do"): every
   * other word, function words included ("best", "should", "I" against "you"), counts for {@code maxNewWords}.
   */
  private static final Set<String> IGNORABLE = Set.of("a", "an", "the", "is", "are", "was", "were", "be", "am",
      "do", "does", "did", "s");
  /** Spellings folded before comparing words. */
  private static final java.util.Map<String, String> FOLD = java.util.Map.of("u", "you", "ur", "your",
      "whats", "what", "hows", "how", "whos", "who", "wheres", "where", "im", "i", "pls", "please");

  /** How many content words may appear in one question only. */
  private final int maxNewTerms;
  /** How many words (but the ignorable ones) may appear in one question only. */
  private final int maxNewWords;

  PrecisionGuard(int maxNewTerms) {
    this(maxNewTerms, Integer.MAX_VALUE);
  }

  PrecisionGuard(int maxNewTerms, int maxNewWords) {
    this.maxNewTerms = maxNewTerms;
    this.maxNewWords = maxNewWords;
  }

  /**
   * The setting chosen on the calibration half of the QQP pairs (bench/semantic-cache, bench/RESULTS.md): no
   * content word and no other word (articles and forms of "be" and "do" aside) in one question only.
   */
  static PrecisionGuard tuned() {
    return new PrecisionGuard(0, 0);
  }

  /** True when {@code candidate}'s answer may be served for {@code query}. */
  boolean accepts(String query, String candidate) {
    return reason(query, candidate) == null;
  }

  /** Why the pair is rejected, or null when it is accepted (for tests and the benchmark's breakdown). */
  String reason(String query, String candidate) {
    Parsed q = Parsed.of(query);
    Parsed c = Parsed.of(candidate);
    if (!q.numbers.equals(c.numbers)) return "numbers";
    if (q.negated != c.negated) return "negation";
    if (q.questionWord != null && c.questionWord != null && !q.questionWord.equals(c.questionWord)) {
      return "question word";
    }
    if (!c.words.containsAll(q.entities) || !q.words.containsAll(c.entities)) return "entities";
    List<String> sharedQ = new ArrayList<>();
    for (String t : q.terms) if (c.termSet.contains(t) && !sharedQ.contains(t)) sharedQ.add(t);
    List<String> sharedC = new ArrayList<>();
    for (String t : c.terms) if (q.termSet.contains(t) && !sharedC.contains(t)) sharedC.add(t);
    if (!sharedQ.equals(sharedC)) return "term order";
    int onlyOne = 0;
    for (String t : q.termSet) if (!c.termSet.contains(t)) onlyOne++;
    for (String t : c.termSet) if (!q.termSet.contains(t)) onlyOne++;
    if (onlyOne > maxNewTerms) return "different terms";
    if (maxNewWords < Integer.MAX_VALUE && differing(q.kept, c.kept) > maxNewWords) return "different words";
    return null;
  }

  /** Words of one list missing from the other, counted with their repeats, both ways. */
  private static int differing(List<String> a, List<String> b) {
    java.util.Map<String, Integer> count = new java.util.HashMap<>();
    for (String w : a) count.merge(w, 1, Integer::sum);
    for (String w : b) count.merge(w, -1, Integer::sum);
    int n = 0;
    for (int v : count.values()) n += Math.abs(v);
    return n;
  }

  /** The meaning-bearing details of one question. */
  private record Parsed(Set<String> numbers, boolean negated, String questionWord, Set<String> entities,
                        Set<String> words, List<String> terms, Set<String> termSet, List<String> kept) {
    static Parsed of(String text) {
      Set<String> numbers = new HashSet<>();
      Matcher n = NUMBER.matcher(text);
      while (n.find()) numbers.add(n.group().replace(",", ""));
      Set<String> entities = new HashSet<>();
      Set<String> words = new HashSet<>();
      List<String> terms = new ArrayList<>();
      List<String> kept = new ArrayList<>();
      boolean negated = false;
      String questionWord = null;
      Matcher m = TOKEN.matcher(text);
      boolean sentenceStart = true;
      int end = 0;
      while (m.find()) {
        String between = text.substring(end, m.start());
        if (between.contains(".") || between.contains("?") || between.contains("!")) sentenceStart = true;
        end = m.end();
        String raw = m.group();
        String lower = raw.toLowerCase(Locale.ROOT).replace("’", "'");
        String flat = lower.replace("'", "");
        if (lower.endsWith("n't") || NEGATIONS.contains(flat)) negated = !negated;
        if (questionWord == null && QUESTION_WORDS.contains(lower)) questionWord = lower;
        if (!sentenceStart && Character.isUpperCase(raw.charAt(0)) && !lower.equals("i")) entities.add(stem(flat));
        sentenceStart = false;
        words.add(stem(flat));
        String folded = FOLD.getOrDefault(flat, flat);
        if (!IGNORABLE.contains(folded)) kept.add(stem(folded));
        if (STOP.contains(flat) || NEGATIONS.contains(flat) || NUMBER.matcher(flat).matches()) continue;
        terms.add(stem(flat));
      }
      return new Parsed(numbers, negated, questionWord, entities, words, terms, new HashSet<>(terms), kept);
    }
  }

  /** A light suffix stripper: enough to equate "converts", "converting" and "convert". */
  static String stem(String w) {
    if (w.length() > 5 && w.endsWith("ing")) return w.substring(0, w.length() - 3);
    if (w.length() > 4 && w.endsWith("ies")) return w.substring(0, w.length() - 3) + "y";
    if (w.length() > 4 && w.endsWith("ed")) return w.substring(0, w.length() - 2);
    if (w.length() > 3 && w.endsWith("s") && !w.endsWith("ss")) return w.substring(0, w.length() - 1);
    return w;
  }
}

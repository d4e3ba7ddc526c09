package dev.sluice.plugins.demo;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a message is about: its content words in order ({@link #words}), the longest phrase of content words
 * ({@link #topic}, e.g. "capital of France"), and the most salient single word ({@link #main}). Empty for a
 * message of only function words ("hi", "what is it?").
 *
 * @param question whether the message asks something (ends with a question mark)
 */
record Keywords(List<String> words, String topic, String main, boolean question) {
  private static final int MAX_TOPIC_WORDS = 6;
  private static final Set<String> STOP = Set.of(
      "a", "about", "above", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be",
      "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do",
      "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has", "have", "having",
      "he", "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself",
      "just", "me", "more", "most", "my", "myself", "no", "nor", "not", "now", "of", "off", "on", "once", "only",
      "or", "other", "our", "ours", "out", "over", "own", "same", "she", "should", "so", "some", "such", "than",
      "that", "the", "their", "theirs", "them", "then", "there", "these", "they", "this", "those", "through",
      "to", "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which",
      "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself", "please",
      "tell", "explain", "describe", "give", "show", "let", "us", "hi", "hello", "hey", "thanks", "thank",
      "ok", "okay", "yes", "yeah", "want", "need", "like", "know", "think", "get", "make", "use", "using",
      "i'm", "it's", "what's", "don't", "can't", "i'd", "you're", "there's", "that's", "much", "many", "way",
      "summarise", "summarize", "list", "write", "create", "find", "help", "recommend", "suggest", "provide",
      "generate", "define", "draft");
  /** Function words allowed inside a topic phrase, between two content words. */
  private static final Set<String> JOINERS = Set.of("of", "for", "in", "to", "and", "on", "with", "the", "a");

  static Keywords of(String text) {
    List<String> tokens = words(text);
    List<String> content = new ArrayList<>();
    String topic = "";
    int runStart = -1;
    int lastContent = -1;
    for (int i = 0; i < tokens.size(); i++) {
      String lower = tokens.get(i).toLowerCase(Locale.ROOT);
      boolean isContent = isContent(lower);
      if (isContent) {
        content.add(tokens.get(i));
        if (runStart < 0 || lastContent < i - 2 || i - runStart >= MAX_TOPIC_WORDS) runStart = i;
        lastContent = i;
        String phrase = String.join(" ", tokens.subList(runStart, i + 1));
        if (phrase.split(" ").length >= topic.split(" ").length || topic.isEmpty()) topic = phrase;
      } else if (!JOINERS.contains(lower)) {
        runStart = -1;
      }
    }
    if (content.isEmpty()) return new Keywords(List.of(), "", "", isQuestion(text));
    Set<String> distinct = new LinkedHashSet<>(content);
    return new Keywords(List.copyOf(distinct), topic, salient(tokens, distinct, content), isQuestion(text));
  }

  boolean isEmpty() {
    return words.isEmpty();
  }

  /** The {@code i}-th content word, cycling; {@code fallback} when there are none. */
  String word(int i, String fallback) {
    return words.isEmpty() ? fallback : words.get(Math.floorMod(i, words.size()));
  }

  static boolean isContent(String lower) {
    return lower.length() > 1 && !STOP.contains(lower) && !lower.chars().allMatch(Character::isDigit);
  }

  /** A capitalised word that does not start a sentence (a name), else the longest content word. */
  private static String salient(List<String> tokens, Set<String> distinct, List<String> content) {
    for (int i = 1; i < tokens.size(); i++) {
      String w = tokens.get(i);
      if (Character.isUpperCase(w.charAt(0)) && distinct.contains(w) && !w.equals(tokens.get(0))) return w;
    }
    String best = content.get(0);
    for (String w : content) {
      if (w.length() > best.length()) best = w;
    }
    return best;
  }

  /** Words: letters and digits, with inner apostrophes and hyphens ("don't", "top-line"). */
  static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    int n = text.length();
    int i = 0;
    while (i < n) {
      while (i < n && !Character.isLetterOrDigit(text.charAt(i))) i++;
      int start = i;
      while (i < n) {
        char c = text.charAt(i);
        if (Character.isLetterOrDigit(c)) {
          i++;
        } else if ((c == '\'' || c == '-') && i + 1 < n && Character.isLetterOrDigit(text.charAt(i + 1))) {
          i++;
        } else {
          break;
        }
      }
      if (i > start) out.add(text.substring(start, i));
    }
    return out;
  }

  private static boolean isQuestion(String text) {
    String t = text.strip();
    return t.endsWith("?");
  }
}

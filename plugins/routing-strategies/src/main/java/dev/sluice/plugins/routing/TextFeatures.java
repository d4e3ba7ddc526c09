package dev.sluice.plugins.routing;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cheap, language-agnostic-ish features of a prompt that go with difficulty: length, numbers and math, code,
 * multi-step and reasoning cues, multiple choice, negation, technical vocabulary. The same code computes them
 * for training ({@code bench/routing}) and at run time, so the shipped weights match.
 */
final class TextFeatures {
  static final List<String> NAMES = List.of("log_chars", "log_words", "digit_ratio", "log_numbers", "log_math_symbols",
      "log_math_words", "log_code_cues", "log_reasoning_cues", "log_step_cues", "log_questions", "log_sentences",
      "avg_word_length", "capitalized_ratio", "multiple_choice", "log_negations", "long_word_ratio",
      "which_of_the_following", "log_newlines");

  private static final Pattern NUMBER = Pattern.compile("\\d+(?:[.,]\\d+)?");
  private static final Pattern MATH_SYMBOL = Pattern.compile("[=+*/^<>%$\\\\]|\\bsqrt\\b|\\bfrac\\b|\\bpi\\b");
  private static final Pattern MATH_WORD = Pattern.compile("\\b(solve|equation|integral|derivative|probability|"
      + "calculate|compute|how many|how much|percent|total|ratio|sum|product|average|remainder|value of|"
      + "function|matrix|prime|divisible|root|area|volume)\\b");
  private static final Pattern CODE = Pattern.compile("```|\\bdef |\\bclass |\\breturn\\b|\\bimport |[{};]|"
      + "\\bpublic |\\bvoid |\\bconst |\\bfunction\\s*\\(|=>|\\bSELECT\\b|#include");
  private static final Pattern REASONING = Pattern.compile("\\b(step by step|explain|why|prove|derive|compare|"
      + "analy[sz]e|evaluate|justify|reason|implication|infer|argue|critique|trade-?offs?|design|optimi[sz]e)");
  private static final Pattern STEPS = Pattern.compile("\\b(then|after|first|next|finally|each|every|remaining|"
      + "twice|half|times|per|left|more than|less than|if)\\b");
  private static final Pattern CHOICES = Pattern.compile("(?m)^\\s*\\(?[A-D][.)]\\s");
  private static final Pattern NEGATION = Pattern.compile("\\b(not|except|false|incorrect|least|never|none)\\b");

  private TextFeatures() {}

  static double[] of(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    String[] words = text.trim().isEmpty() ? new String[0] : text.trim().split("\\s+");
    int digits = 0;
    for (int i = 0; i < text.length(); i++) {
      if (Character.isDigit(text.charAt(i))) digits++;
    }
    long letters = 0;
    int capitalized = 0;
    int longWords = 0;
    for (String w : words) {
      letters += w.length();
      if (!w.isEmpty() && Character.isUpperCase(w.charAt(0))) capitalized++;
      if (w.length() >= 9) longWords++;
    }
    int n = Math.max(1, words.length);
    int sentences = count(Pattern.compile("[.!?](\\s|$)"), text);
    return new double[] {
        Math.log1p(text.length()), Math.log1p(words.length), (double) digits / Math.max(1, text.length()),
        Math.log1p(count(NUMBER, text)), Math.log1p(count(MATH_SYMBOL, lower)), Math.log1p(count(MATH_WORD, lower)),
        Math.log1p(count(CODE, text)), Math.log1p(count(REASONING, lower)), Math.log1p(count(STEPS, lower)),
        Math.log1p(text.chars().filter(c -> c == '?').count()), Math.log1p(sentences), (double) letters / n,
        (double) capitalized / n, count(CHOICES, text) >= 2 ? 1 : 0, Math.log1p(count(NEGATION, lower)),
        (double) longWords / n, lower.contains("which of the following") ? 1 : 0,
        Math.log1p(text.chars().filter(c -> c == '\n').count())};
  }

  private static int count(Pattern p, String text) {
    Matcher m = p.matcher(text);
    int c = 0;
    while (m.find()) c++;
    return c;
  }
}

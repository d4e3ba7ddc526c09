package dev.sluice.plugins.demo;

/**
 * An estimate of OpenAI's BPE token counts (cl100k/o200k) for text, without the vocabulary: a single space
 * joins the word after it, common words up to 8 letters are one token and longer ones one more per ~4
 * letters, digits go in groups of three, punctuation in pairs ({@code ":}, {@code "}}), the line breaks of a
 * whitespace run are one token and the indentation after them another, and each CJK ideograph is one. For English prose this lands within a few percent
 * of tiktoken. {@link #ends} cuts the text where those tokens end, so truncation and streaming agree with the
 * counts.
 */
final class Tokens {
  private static final int LETTER = 0;
  private static final int DIGIT = 1;
  private static final int IDEOGRAPH = 2;
  private static final int SPACE = 3;
  private static final int OTHER = 4;

  private Tokens() {}

  static int count(String text) {
    return text == null || text.isEmpty() ? 0 : scan(text, null);
  }

  /** The end offset of each token of {@code text}, ascending; the last is {@code text.length()}. */
  static int[] ends(String text) {
    int[] ends = new int[text.length()];
    int n = scan(text, ends);
    return java.util.Arrays.copyOf(ends, n);
  }

  /** The longest prefix of {@code text} of at most {@code max} tokens. */
  static String prefix(String text, int max) {
    if (max <= 0) return "";
    int[] ends = ends(text);
    return ends.length <= max ? text : text.substring(0, ends[max - 1]);
  }

  private static int scan(String s, int[] ends) {
    int n = s.length();
    int count = 0;
    int i = 0;
    while (i < n) {
      int start = i;
      int kind = kind(s.charAt(i));
      if (kind == SPACE) {
        if (s.charAt(i) == ' ' && i + 1 < n && kind(s.charAt(i + 1)) != SPACE) {
          i++; // a single space belongs to the token after it
          kind = kind(s.charAt(i));
        } else {
          while (i < n && kind(s.charAt(i)) == SPACE) i++;
          if (i < n && i - start > 1 && s.charAt(i - 1) == ' ') i--;
          // As in tiktoken, line breaks and the indentation after them are two tokens.
          int lastBreak = s.lastIndexOf('\n', i - 1);
          if (lastBreak >= start && lastBreak + 1 < i) {
            count = emit(ends, count, start, lastBreak + 1, 1);
            count = emit(ends, count, lastBreak + 1, i, 1);
          } else {
            count = emit(ends, count, start, i, 1);
          }
          continue;
        }
      }
      int j = i + 1;
      int pieces;
      switch (kind) {
        case LETTER -> {
          j = wordEnd(s, i);
          pieces = wordTokens(s, i, j);
        }
        case DIGIT -> {
          while (j < n && kind(s.charAt(j)) == DIGIT) j++;
          pieces = (j - i + 2) / 3;
        }
        case IDEOGRAPH -> pieces = 1;
        default -> {
          while (j < n && kind(s.charAt(j)) == OTHER) j++;
          if (j < n && kind(s.charAt(j)) == LETTER) {
            // like the BPE pre-tokenizer, one symbol leads the word after it: "-line", "_user", "(see"
            if (j - 1 > i) count = emit(ends, count, start, j - 1, (j - 1 - i + 1) / 2);
            start = j - 1;
            i = j - 1;
            j = wordEnd(s, j);
            pieces = wordTokens(s, i + 1, j);
          } else {
            pieces = (j - i + 1) / 2;
          }
        }
      }
      count = emit(ends, count, start, j, pieces);
      i = j;
    }
    return count;
  }

  /** The end of the word starting at {@code from}; inner apostrophes ("don't") stay in it. */
  private static int wordEnd(String s, int from) {
    int n = s.length();
    int j = from + 1;
    while (j < n) {
      char c = s.charAt(j);
      if (kind(c) == LETTER || (c == '\'' && j + 1 < n && kind(s.charAt(j + 1)) == LETTER)) {
        j++;
      } else {
        break;
      }
    }
    return j;
  }

  /** Common words up to 8 letters are one token, longer ones one more per ~4 letters; a contraction adds one. */
  private static int wordTokens(String s, int from, int to) {
    int letters = to - from;
    int pieces = letters <= 8 ? 1 : 1 + (letters - 5) / 4;
    for (int k = from + 1; k < to; k++) {
      if (s.charAt(k) == '\'') return pieces + 1;
    }
    return pieces;
  }

  private static int emit(int[] ends, int count, int start, int end, int pieces) {
    int p = Math.max(1, Math.min(pieces, end - start));
    if (ends != null) {
      for (int k = 1; k <= p; k++) ends[count + k - 1] = start + (end - start) * k / p;
    }
    return count + p;
  }

  private static int kind(char c) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') return SPACE;
    if (c < 128) {
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return LETTER;
      if (c >= '0' && c <= '9') return DIGIT;
      return OTHER;
    }
    if (Character.isIdeographic(c)) return IDEOGRAPH;
    if (Character.isLetter(c)) return LETTER;
    if (Character.isDigit(c)) return DIGIT;
    if (Character.isWhitespace(c)) return SPACE;
    return OTHER;
  }
}

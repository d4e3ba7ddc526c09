package dev.sluice.plugins.demo;

import java.util.ArrayList;
import java.util.List;

/** Assembles English answers from {@link Corpus}, filled with the words of the message being answered. */
final class Prose {
  private static final String CAPABILITIES = "Ask me anything and I'll reply with plausible, deterministic text, "
      + "tool calls or JSON, with realistic token counts and pacing.";

  private Prose() {}

  /** Messages up to this long are quoted whole in the answer's first sentence. */
  static final int QUOTE_LIMIT = 120;

  /** An answer to the user message {@code text} about {@code kw}, which carried {@code images} images. */
  static String answer(String text, Keywords kw, int images, Rng rng) {
    StringBuilder sb = new StringBuilder();
    if (kw.isEmpty()) {
      sb.append(rng.pick(Corpus.GREETINGS));
      if (images > 0) sb.append(' ').append(imageNote(images, rng));
      return sb.append(' ').append(CAPABILITIES).toString();
    }
    sb.append(opening(text.strip(), kw, rng));
    if (images > 0) sb.append(' ').append(imageNote(images, rng));
    if (rng.nextInt(3) == 0) {
      sb.append(' ').append(fill(rng.pick(Corpus.BODY), kw, rng)).append("\n\nHere is a simple plan:\n");
      List<String> steps = distinct(Corpus.STEPS, rng.between(3, 5), rng);
      for (int i = 0; i < steps.size(); i++) {
        sb.append(i + 1).append(". ").append(fill(steps.get(i), kw, rng)).append('\n');
      }
      sb.append('\n');
    } else {
      for (String s : distinct(Corpus.BODY, rng.between(2, 4), rng)) sb.append(' ').append(fill(s, kw, rng));
      sb.append("\n\n");
    }
    return sb.append(fill(rng.pick(Corpus.CLOSINGS), kw, rng)).toString();
  }

  private static String opening(String message, Keywords kw, Rng rng) {
    if (message.length() <= QUOTE_LIMIT && message.indexOf('\n') < 0 && message.indexOf('"') < 0) {
      return rng.pick(Corpus.QUOTING_OPENINGS).replace("{message}", message);
    }
    return fill(rng.pick(kw.question() ? Corpus.QUESTION_OPENINGS : Corpus.OPENINGS), kw, rng);
  }

  /** An answer built on what tool {@code tool} returned. */
  static String toolResultAnswer(String tool, String result, Keywords kw, Rng rng) {
    String opening = rng.pick(Corpus.TOOL_RESULT_OPENINGS).replace("{tool}", tool).replace("{result}", result);
    String followUp = kw.isEmpty() ? rng.pick(Corpus.TOOL_RESULT_FOLLOWUPS) : fill(rng.pick(Corpus.BODY), kw, rng);
    return opening + " " + followUp;
  }

  /** One sentence about {@code kw}, for JSON answers. */
  static String sentence(Keywords kw, Rng rng) {
    if (kw.isEmpty()) return rng.pick(Corpus.GREETINGS);
    return fill(rng.pick(kw.question() ? Corpus.QUESTION_OPENINGS : Corpus.OPENINGS), kw, rng) + " "
        + fill(rng.pick(Corpus.BODY), kw, rng);
  }

  private static String imageNote(int images, Rng rng) {
    return images == 1 ? rng.pick(Corpus.IMAGE_NOTES)
        : "I see " + images + " images in your message; I'll take them as context for the answer.";
  }

  static String fill(String template, Keywords kw, Rng rng) {
    if (template.indexOf('{') < 0) return template;
    String main = kw.main().isEmpty() ? "this" : kw.main();
    String other = main;
    if (kw.words().size() > 1) {
      int k = rng.nextInt(kw.words().size());
      other = kw.word(k, main).equals(main) ? kw.word(k + 1, main) : kw.word(k, main);
    } else {
      other = "the alternatives";
    }
    String topic = kw.topic().isEmpty() ? "your question" : "\"" + kw.topic() + "\"";
    return template.replace("{topic}", topic).replace("{word}", main).replace("{other}", other);
  }

  private static List<String> distinct(List<String> from, int count, Rng rng) {
    List<String> pool = new ArrayList<>(from);
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count && !pool.isEmpty(); i++) out.add(pool.remove(rng.nextInt(pool.size())));
    return out;
  }
}

package dev.sluice.plugins.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.api.model.ChatRequest;
import dev.sluice.api.model.ContentPart;
import dev.sluice.api.model.Message;
import dev.sluice.api.model.Role;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokensTest {

  /** Counts from OpenAI's tokenizer (cl100k_base, as used by gpt-4 and gpt-3.5-turbo). */
  @Test
  void countsEnglishCloseToOpenAi() {
    assertThat(Tokens.count("Hello, world!")).isEqualTo(4);
    assertThat(Tokens.count("The quick brown fox jumps over the lazy dog.")).isEqualTo(10);
    assertThat(Tokens.count("1234567890")).isEqualTo(4);
    assertThat(Tokens.count("")).isZero();
  }

  /**
   * The example conversation of OpenAI's cookbook "How to count tokens with tiktoken": 129 prompt tokens
   * for gpt-4 and gpt-3.5-turbo, as both tiktoken and the API report.
   */
  @Test
  void promptOfTheCookbookExampleWithinTwentyPercent() {
    List<Message> messages = List.of(
        Message.system("You are a helpful, pattern-following assistant that translates corporate jargon into "
            + "plain English."),
        named("example_user", "New synergies will help drive top-line growth."),
        named("example_assistant", "Things working well together will increase revenue."),
        named("example_user", "Let's circle back when we have more bandwidth to touch base on opportunities for "
            + "increased leverage."),
        named("example_assistant", "Let's talk later when we're less busy about how to do better."),
        Message.user("This late pivot means we don't have time to boil the ocean for the client deliverable."));
    int count = PromptTokens.count(ChatRequest.of("gpt-4", messages));
    assertThat((double) count).isCloseTo(129, within(129 * 0.2));
  }

  @Test
  void proseAveragesAboutFourCharactersPerToken() {
    String prose = "Sluice is a gateway that sits between applications and language model providers. It routes "
        + "each request to a deployment, retries when an upstream fails, caches answers, and keeps track of "
        + "what every team spends. Operators configure it with a single file and can reload it without "
        + "restarting the process.";
    double charsPerToken = (double) prose.length() / Tokens.count(prose);
    assertThat(charsPerToken).isBetween(3.6, 5.2);
  }

  @Test
  void endsCutTheTextIntoItsCountedTokens() {
    String text = "Tokenization splits text, including numbers like 31415926 and JSON {\"a\": [1, 2]}.\n\nDone.";
    int[] ends = Tokens.ends(text);
    assertThat(ends).hasSize(Tokens.count(text));
    assertThat(ends[ends.length - 1]).isEqualTo(text.length());
    for (int i = 1; i < ends.length; i++) assertThat(ends[i]).isGreaterThan(ends[i - 1]);
    assertThat(Tokens.prefix(text, 3)).isEqualTo(text.substring(0, ends[2]));
  }

  @Test
  void imagesCostLowDetailOrTiles() {
    assertThat(PromptTokens.message(new Message(Role.USER,
        List.of(new ContentPart.Image("https://example.com/cat.png", "low")), null, null, null)))
        .isEqualTo(PromptTokens.PER_MESSAGE + 1 + 85);
    assertThat(ImageTokens.count(new ContentPart.Image("https://example.com/cat.png", "high"))).isEqualTo(765);
    assertThat(ImageTokens.forSize(2048, 4096)).isEqualTo(1105); // OpenAI's worked example: 6 tiles
    assertThat(ImageTokens.forSize(512, 512)).isEqualTo(255);
  }

  private static Message named(String name, String text) {
    return new Message(Role.SYSTEM, List.of(ContentPart.text(text)), name, null, null);
  }
}
